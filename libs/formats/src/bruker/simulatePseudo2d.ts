/**
 * Synthetic pseudo-2D FIDs in TopSpin's convention (see processPseudo2d): each row Σ A_r·e^{2πiνt}·e^{−t/T2*} with
 * ν = ppm·SF − (SFO1 − SF)·10⁶ Hz, optionally delayed by a digital-filter group delay (a circular delay of g points,
 * applied exactly in the frequency domain, so the pre-signal wraps to the start as a real filter's does), plus
 * seeded complex Gaussian noise. Used by tests and benchmarks with `writeBrukerDataset`.
 */
import { createRng } from '@lapis/physics';
import { fftInPlace, ifftInPlace, isPowerOfTwo } from '../pseudo2d/fft';
import type { ComplexRows } from './binary';

export interface SyntheticLine {
  ppm: number;
  /** Amplitude in each row (length = rows). */
  amplitudes: ArrayLike<number>;
  /** Decay of the FID, s (default 0.2 s, a 1.6 Hz line). */
  t2star?: number;
}

export interface SimulatePseudo2dOptions {
  /** Complex points per row. */
  points: number;
  /** Spectral width, Hz. */
  sw: number;
  /** Transmitter frequency, MHz. */
  sfo1: number;
  /** Reference frequency, MHz (default sfo1). */
  sf?: number;
  lines: SyntheticLine[];
  /** Group delay in points (needs a power-of-two `points`; default 0). */
  groupDelay?: number;
  /** Noise σ per real and imaginary value (default 0). */
  noise?: number;
  seed?: number;
}

export function simulatePseudo2d(o: SimulatePseudo2dOptions): ComplexRows {
  const rows = o.lines[0]?.amplitudes.length ?? 0;
  if (rows < 1) throw new RangeError('simulatePseudo2d: at least one line with at least one amplitude');
  if (o.lines.some((l) => l.amplitudes.length !== rows)) throw new RangeError('simulatePseudo2d: lines differ in rows');
  const n = o.points;
  const g = o.groupDelay ?? 0;
  if (g !== 0 && !isPowerOfTwo(n)) throw new RangeError('simulatePseudo2d: a group delay needs a power-of-two points');
  const sf = o.sf ?? o.sfo1;
  const refHz = (o.sfo1 - sf) * 1e6;
  const rng = createRng(o.seed ?? 1);
  const sigma = o.noise ?? 0;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  const rowRe = new Float64Array(n);
  const rowIm = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    rowRe.fill(0);
    rowIm.fill(0);
    for (const line of o.lines) {
      const a = line.amplitudes[r]!;
      const nu = line.ppm * sf - refHz;
      const decay = 1 / (line.t2star ?? 0.2);
      for (let k = 0; k < n; k++) {
        const t = k / o.sw;
        const env = a * Math.exp(-t * decay);
        rowRe[k] = rowRe[k]! + env * Math.cos(2 * Math.PI * nu * t);
        rowIm[k] = rowIm[k]! + env * Math.sin(2 * Math.PI * nu * t);
      }
    }
    if (g !== 0) {
      fftInPlace(rowRe, rowIm);
      for (let k = 0; k < n; k++) {
        const m = k < n / 2 ? k : k - n;
        const ph = (-2 * Math.PI * m * g) / n;
        const c = Math.cos(ph);
        const s = Math.sin(ph);
        const x = rowRe[k]!;
        const y = rowIm[k]!;
        rowRe[k] = x * c - y * s;
        rowIm[k] = x * s + y * c;
      }
      ifftInPlace(rowRe, rowIm);
    }
    for (let k = 0; k < n; k++) {
      re[r * n + k] = rowRe[k]! + (sigma > 0 ? sigma * rng.normal() : 0);
      im[r * n + k] = rowIm[k]! + (sigma > 0 ? sigma * rng.normal() : 0);
    }
  }
  return { rows, points: n, re, im };
}
