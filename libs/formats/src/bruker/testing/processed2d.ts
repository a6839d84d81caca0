/**
 * Test helper: TopSpin's own processed 2D spectrum (pdata/1/2rr) on its ppm axes, and the correlation of a Lapis
 * spectrum with it after matching the axes. 2rr holds SI(F1) × SI(F2) values (int32 × 2^NC_proc, or float64 for
 * DTYPP 2; BYTORDP) in submatrices of XDIM(F1) × XDIM(F2) points, the submatrices row by row and the points of
 * each row by row; row 0 is F1's OFFSET (highest ppm), column 0 F2's.
 */
import { join } from 'node:path';
import { noise2d, subtractBaseline2d, type Spectrum2d } from '@lapis/spectra';
import { readBrukerParameters } from '../readBruker';
import { readProcessedValues } from './processedValues';

export interface Processed2d {
  rows: number;
  columns: number;
  data: Float64Array;
  /** ppm of the first point and between points, F1 and F2. */
  offset1: number;
  offset2: number;
  step1: number;
  step2: number;
}

export async function readProcessed2d(dir: string): Promise<Processed2d> {
  const pdata = join(dir, 'pdata', '1');
  const procs = await readBrukerParameters(join(pdata, 'procs'));
  const proc2s = await readBrukerParameters(join(pdata, 'proc2s'));
  const columns = procs.requireNumber('SI');
  const rows = proc2s.requireNumber('SI');
  const x2 = procs.number('XDIM') || columns;
  const x1 = proc2s.number('XDIM') || rows;
  const values = await readProcessedValues(join(pdata, '2rr'), procs);
  const data = new Float64Array(rows * columns);
  let k = 0;
  for (let a = 0; a < rows / x1; a++)
    for (let b = 0; b < columns / x2; b++)
      for (let r = 0; r < x1; r++)
        for (let c = 0; c < x2; c++, k++) data[(a * x1 + r) * columns + b * x2 + c] = values[k]!;
  const step = (p: typeof procs, si: number) => p.requireNumber('SW_p') / p.requireNumber('SF') / si;
  return {
    rows,
    columns,
    data,
    offset1: proc2s.requireNumber('OFFSET'),
    offset2: procs.requireNumber('OFFSET'),
    step1: step(proc2s, rows),
    step2: step(procs, columns),
  };
}

/** Pearson correlation of the Lapis spectrum with TopSpin's, TopSpin's interpolated (bilinear) at Lapis's ppm points. */
export function correlation2d(mine: Spectrum2d, topspin: Processed2d): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < mine.rows; i++) {
    const y1 = (topspin.offset1 - mine.ppm1[i]!) / topspin.step1;
    const a = Math.floor(y1);
    if (a < 0 || a + 1 >= topspin.rows) continue;
    const fa = y1 - a;
    for (let j = 0; j < mine.columns; j++) {
      const x2 = (topspin.offset2 - mine.ppm2[j]!) / topspin.step2;
      const b = Math.floor(x2);
      if (b < 0 || b + 1 >= topspin.columns) continue;
      const fb = x2 - b;
      const t = (r: number, c: number) => topspin.data[r * topspin.columns + c]!;
      const y =
        (1 - fa) * ((1 - fb) * t(a, b) + fb * t(a, b + 1)) + fa * ((1 - fb) * t(a + 1, b) + fb * t(a + 1, b + 1));
      const x = mine.real[i * mine.columns + j]!;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  return (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
}

/**
 * TopSpin's spectrum as a Lapis Spectrum2d (its own axes, the same baseline and noise estimate), so that the same
 * peak picker can run on it: `like` gives the mode and reference frequencies.
 */
export function processedAsSpectrum(topspin: Processed2d, like: Spectrum2d): Spectrum2d {
  const real = Float64Array.from(topspin.data);
  subtractBaseline2d(real, topspin.rows, topspin.columns);
  return {
    ...like,
    rows: topspin.rows,
    columns: topspin.columns,
    real,
    ppm1: Float64Array.from({ length: topspin.rows }, (_, i) => topspin.offset1 - i * topspin.step1),
    ppm2: Float64Array.from({ length: topspin.columns }, (_, j) => topspin.offset2 - j * topspin.step2),
    hzPerPoint1: topspin.step1 * like.sf1,
    hzPerPoint2: topspin.step2 * like.sf2,
    noise: noise2d(real, topspin.rows, topspin.columns),
  };
}
