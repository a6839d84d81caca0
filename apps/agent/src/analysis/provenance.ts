/** The `provenance` of a 1D/2D result: the files the reader names and their hash, or the caller's own identity. */
import type { ResultProvenance } from '@lapis/contracts';
import type { Acquisition } from '@lapis/formats';
import { hashFiles } from '../result/hashFiles';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../version';
import type { SourceIdentity } from './options';

export async function provenanceOf(acq: Acquisition, source?: SourceIdentity): Promise<ResultProvenance> {
  if (source) {
    return {
      software: LAPIS_SOFTWARE,
      version: LAPIS_VERSION,
      source: { format: acq.metadata.source, path: source.path, files: source.files },
      rawDataHash: source.rawDataHash,
      createdAt: new Date().toISOString(),
    };
  }
  const files = Array.isArray(acq.metadata.files)
    ? (acq.metadata.files as unknown[]).filter((f): f is string => typeof f === 'string')
    : [];
  return {
    software: LAPIS_SOFTWARE,
    version: LAPIS_VERSION,
    source: {
      format: acq.metadata.source,
      ...(acq.metadata.path ? { path: acq.metadata.path } : {}),
      ...(files.length ? { files } : {}),
    },
    ...(files.length ? { rawDataHash: await hashFiles(files) } : {}),
    createdAt: new Date().toISOString(),
  };
}
