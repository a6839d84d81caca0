/**
 * Test and validation helper: TopSpin's own processed 1D spectrum (pdata/1/1r) on its ppm axis — SI values (int32 ×
 * 2^NC_proc, or float64 for DTYPP 2; BYTORDP), the first at OFFSET ppm, SW_p/SF ppm apart — its correlation with a
 * Lapis spectrum, and which of TopSpin's listed peaks rise above the noise of TopSpin's own spectrum.
 */
import { join } from 'node:path';
import { pearson, spectrumNoise, type Spectrum1d } from '@lapis/spectra';
import { readBrukerParameters } from '../readBruker';
import { readProcessedValues } from './processedValues';

export interface Processed1d {
  real: Float64Array;
  /** ppm of the first point and between points (negative: highest ppm first). */
  offset: number;
  step: number;
  /** σ of the spectrum's noise, as Lapis measures its own (spectrumNoise). */
  noise: number;
}

export async function readProcessed1d(dir: string): Promise<Processed1d> {
  const pdata = join(dir, 'pdata', '1');
  const procs = await readBrukerParameters(join(pdata, 'procs'));
  const real = await readProcessedValues(join(pdata, '1r'), procs);
  return {
    real,
    offset: procs.requireNumber('OFFSET'),
    step: -procs.requireNumber('SW_p') / procs.requireNumber('SF') / real.length,
    noise: spectrumNoise(real),
  };
}

/** TopSpin's value at `ppm`, linearly interpolated; undefined outside its axis. */
function valueAt(p: Processed1d, ppm: number): number | undefined {
  const x = (ppm - p.offset) / p.step;
  const k = Math.floor(x);
  if (k < 0 || k + 1 >= p.real.length) return undefined;
  return p.real[k]! + (x - k) * (p.real[k + 1]! - p.real[k]!);
}

/** Pearson correlation of a Lapis spectrum with TopSpin's over the points both cover. */
export function correlation1d(spectrum: Pick<Spectrum1d, 'ppm' | 'real'>, topspin: Processed1d): number {
  const mine: number[] = [];
  const theirs: number[] = [];
  spectrum.ppm.forEach((ppm, i) => {
    const t = valueAt(topspin, ppm);
    if (t === undefined) return;
    mine.push(spectrum.real[i]!);
    theirs.push(t);
  });
  return pearson(mine, theirs);
}

/**
 * Of TopSpin's listed shifts, those whose maximum (the highest point within 3 points of the listed shift) rises at
 * least `minSnr` × the noise of TopSpin's own spectrum above the higher of the two lowest points within `window` ppm
 * on either side — the lines TopSpin's spectrum itself shows as significant, whatever threshold its user picked with.
 */
export function significantInTopSpin(shifts: number[], topspin: Processed1d, minSnr: number, window: number): number[] {
  const { real, noise } = topspin;
  const reach = Math.max(1, Math.round(window / Math.abs(topspin.step)));
  return shifts.filter((shift) => {
    const i = Math.round((shift - topspin.offset) / topspin.step);
    if (i < reach + 3 || i + reach + 3 >= real.length) return false;
    let top = i;
    for (let k = i - 3; k <= i + 3; k++) if (real[k]! > real[top]!) top = k;
    let left = Infinity;
    let right = Infinity;
    for (let k = 1; k <= reach; k++) {
      left = Math.min(left, real[top - k]!);
      right = Math.min(right, real[top + k]!);
    }
    return real[top]! - Math.max(left, right) >= minSnr * noise;
  });
}
