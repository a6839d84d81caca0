/**
 * `FormatReader` for the read.ts registry: a GIT Systems GeoSpec text export, recognised by its first line
 * `[GITData]` (or, failing that, `TestType=` and a `[Data]` section within the first 4 KiB).
 */
import { open } from 'node:fs/promises';
import type { FormatReader } from '../formatReader';

const HEAD_BYTES = 4096;

/** The start of a file as text, or undefined when it is not a readable file. */
async function head(path: string): Promise<string | undefined> {
  try {
    const h = await open(path, 'r');
    try {
      if (!(await h.stat()).isFile()) return undefined;
      const b = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await h.read(b, 0, HEAD_BYTES, 0);
      return b.toString('latin1', 0, bytesRead);
    } finally {
      await h.close();
    }
  } catch {
    return undefined;
  }
}

/** Whether `text`, the start of a file, looks like a GeoSpec export. */
export function looksLikeGeoSpec(text: string): boolean {
  const t = text.replace(/^(\uFEFF|\u00EF\u00BB\u00BF)/, '').trimStart();
  if (/^\[GITData\]/i.test(t)) return true;
  return /^TestType\s*=/im.test(t) && /^\s*\[(Parameters|Data)\]/im.test(t);
}

export const geoSpecReader: FormatReader = {
  name: 'geospec',
  priority: 75,
  async detect(path) {
    const text = await head(path);
    return text !== undefined && looksLikeGeoSpec(text);
  },
  async read(path, options) {
    const { readGeoSpec } = await import('./readGeoSpec');
    return readGeoSpec(path, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  },
};
