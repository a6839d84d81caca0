/**
 * Whether a path is an ordinary spectrum acquisition — a TopSpin experiment folder (or its acqus/fid/ser) holding a
 * 1D `fid` or a 2D `ser` (HSQC, HMBC, COSY; a NUS one is refused there with its reason) — which the agent processes
 * and peak-picks as `lapis process` does, rather than inverting. Relaxation and diffusion series (pseudo-2D, told
 * apart by their pulse program: libs/formats `brukerSpectrumKind`) and every other layout are Laplace acquisitions.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { brukerSpectrumKind } from '@lapis/formats';

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

export async function isSpectrumFolder(path: string): Promise<boolean> {
  const dir = ['acqus', 'fid', 'ser'].includes(basename(path)) ? dirname(path) : path;
  if (!(await isFile(join(dir, 'acqus')))) return false;
  // an acqus that cannot be read is the invert path's to report, with the reader's words
  const kind = await brukerSpectrumKind(dir).catch(() => undefined);
  return kind === '1d' || kind === '2d' || kind === 'nus';
}
