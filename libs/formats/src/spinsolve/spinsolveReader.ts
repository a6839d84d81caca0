/**
 * `FormatReader` for the read.ts registry: a Magritek Spinsolve experiment — a folder whose acqu.par names a
 * relaxation or diffusion experiment (or acqu.par itself, or a data file beside it: data.1d/.2d, a .dat/.csv export).
 * Above the generic Prospa reader: a data.1d beside such an acqu.par is a Spinsolve acquisition with known axes.
 */
import { open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FormatReader } from '../formatReader';
import { spinsolveKind } from './parameters';

const HEAD_BYTES = 64 * 1024;

/** The experiment named by the acqu.par in `dir`, or undefined. */
async function experimentIn(dir: string): Promise<string | undefined> {
  try {
    const h = await open(join(dir, 'acqu.par'), 'r');
    try {
      const b = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await h.read(b, 0, HEAD_BYTES, 0);
      // `.*` up to the line end: no pattern that could backtrack over a long line
      const m = /^[ \t]*experiment[ \t]*=(.*)$/m.exec(b.toString('latin1', 0, bytesRead));
      return m?.[1]!.trim().replace(/^"(.*)"$/, '$1');
    } finally {
      await h.close();
    }
  } catch {
    return undefined;
  }
}

/** Data files the reader takes when given one directly. */
const DATA_FILE = /^(acqu\.par|data\.[12]d|.+\.(dat|csv|txt))$/i;

export const spinsolveReader: FormatReader = {
  name: 'spinsolve',
  priority: 76,
  async detect(path) {
    try {
      const s = await stat(path);
      if (s.isFile() && !DATA_FILE.test(basename(path))) return false;
      const dir = s.isDirectory() ? path : dirname(path);
      return spinsolveKind(await experimentIn(dir)) !== undefined;
    } catch {
      return false;
    }
  },
  async read(path, options) {
    const { readSpinsolve } = await import('./readSpinsolve');
    return readSpinsolve(path, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  },
};
