/**
 * Whether a path is an ordinary spectrum acquisition — a TopSpin experiment folder (or its acqus/fid) holding a 1D
 * `fid` and no `ser` — which the agent processes and peak-picks as `lapis process` does, rather than inverting.
 * Relaxation and diffusion series are `ser` files (pseudo-2D), and every other layout is a Laplace acquisition.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

export async function isSpectrumFolder(path: string): Promise<boolean> {
  const dir = ['acqus', 'fid'].includes(basename(path)) ? dirname(path) : path;
  const [acqus, fid, ser] = await Promise.all(['acqus', 'fid', 'ser'].map((f) => isFile(join(dir, f))));
  return Boolean(acqus && fid && !ser);
}
