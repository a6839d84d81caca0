/**
 * The `provenance` of a 1D/2D result: the files the reader names and their hash — the same for `lapis invert` and the
 * agent (whose own key over the whole folder goes in its MQTT envelope).
 */
import type { ResultProvenance } from '@lapis/contracts';
import type { Acquisition } from '@lapis/formats';
import { hashFiles } from '../result/hashFiles';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../version';

export async function provenanceOf(acq: Acquisition): Promise<ResultProvenance> {
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
