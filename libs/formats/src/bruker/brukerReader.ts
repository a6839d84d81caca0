/**
 * `FormatReader` for the read.ts registry: a TopSpin experiment folder (or its acqus/ser/fid file). The registry
 * returns one Acquisition, so this returns the decay of one region — the one whose peak is nearest
 * `options.region` (ppm) when given, else the region with the most signal — and lists every region in
 * `metadata.regions`. Callers that want all regions use `readBrukerPseudo2d`.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError, type Acquisition } from '../acquisition';
import type { FormatReader, ReadOptions } from '../formatReader';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function folderOf(path: string): Promise<string | undefined> {
  const dir = ['acqus', 'ser', 'fid', 'acqu2s'].includes(basename(path)) ? dirname(path) : path;
  if (!(await isFile(join(dir, 'acqus')))) return undefined;
  return (await isFile(join(dir, 'ser'))) || (await isFile(join(dir, 'fid'))) ? dir : undefined;
}

export const brukerReader: FormatReader = {
  name: 'bruker',
  priority: 80,
  async detect(path: string): Promise<boolean> {
    return (await folderOf(path)) !== undefined;
  },
  async read(path: string, options: ReadOptions): Promise<Acquisition> {
    const dir = await folderOf(path);
    if (!dir) throw new FormatError(path, 'not a TopSpin experiment folder (acqus with fid or ser)');
    const { readBrukerPseudo2d } = await import('./readBrukerPseudo2d');
    const out = await readBrukerPseudo2d(dir);
    if (out.acquisitions.length === 0) throw new FormatError(join(dir, 'ser'), 'no signal region found in the spectra');
    const peaks = out.processed.regions.map((r) => r.peak);
    let pick = 0;
    if (typeof options.region === 'number') {
      const want = options.region;
      for (let i = 1; i < peaks.length; i++) if (Math.abs(peaks[i]! - want) < Math.abs(peaks[pick]! - want)) pick = i;
    } else {
      const size = out.processed.regions.map((r) => r.integrals.reduce((s, v) => s + Math.abs(v), 0));
      for (let i = 1; i < size.length; i++) if (size[i]! > size[pick]!) pick = i;
    }
    const chosen = out.acquisitions[pick]!;
    chosen.metadata.regions = out.processed.regions.map((r) => ({ from: r.from, to: r.to, peak: r.peak }));
    if (peaks.length > 1)
      chosen.warnings.push(
        `${peaks.length} signal regions; the decay of the one at ${peaks[pick]!.toFixed(3)} ppm is returned`,
      );
    return chosen;
  },
};
