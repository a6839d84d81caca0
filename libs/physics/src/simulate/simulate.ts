import { kernelMatrix } from '../kernels/kernelMatrix';
import { logGrid } from '../grids/logGrid';
import type { KernelSpec } from '../types';
import { createRng } from './rng';

/**
 * Seeded simulator of Laplace NMR data from mixtures of log-normal populations.
 *
 * Each population is a Gaussian in log10 of each unknown (T1, T2 or D): centre `position` (SI units, the geometric
 * mean), width `width` (standard deviation in decades) and `fraction` of the total amplitude. The signal is
 * integrated on a fine log grid (400 points per decade-span, independent of any inversion grid, so inversions are not
 * tested on their own discretisation), then Gaussian noise is added.
 *
 * SNR convention: SNR = max |S_noiseless| / σ, σ the standard deviation of the white Gaussian noise added to each
 * data point. With the total amplitude `amplitude` (default 1) the largest signal is ≈ amplitude for relaxation
 * and diffusion decays.
 */
export interface SimPeak {
  /** Geometric-mean position per dimension, SI units (s or m²/s); one entry for 1D, two for 2D. */
  position: number[];
  /** Log-normal standard deviation per dimension in decades (log10 units). */
  width: number[];
  /** Share of the total amplitude, 0–1; the shares of all peaks are normalised to sum to 1. */
  fraction: number;
}

export interface SimAxis {
  spec: KernelSpec;
  /** What the sequence varied: delays or echo times in s, or b-values in s/m². */
  x: ArrayLike<number>;
}

export interface SimulateOptions {
  axes: [SimAxis] | [SimAxis, SimAxis];
  peaks: SimPeak[];
  /** SNR as defined above; Infinity for noiseless data. */
  snr: number;
  seed: number;
  /** Total amplitude (default 1). */
  amplitude?: number;
}

export interface Simulation {
  /** Data, row-major m1 × m2 (1D: m1 values). */
  data: Float64Array;
  noiseless: Float64Array;
  sigma: number;
  shape: number[];
  /** The peaks with fractions normalised. */
  peaks: SimPeak[];
}

export function simulate(options: SimulateOptions): Simulation {
  const { axes, snr, seed } = options;
  const amplitude = options.amplitude ?? 1;
  if (options.peaks.length === 0) throw new RangeError('simulate: at least one peak');
  const total = options.peaks.reduce((a, p) => a + p.fraction, 0);
  const peaks = options.peaks.map((p) => ({ ...p, fraction: p.fraction / total }));
  const dims = axes.length;
  for (const p of peaks) {
    if (p.position.length !== dims || p.width.length !== dims) {
      throw new RangeError(`simulate: each peak needs ${dims} positions and widths`);
    }
  }
  // Per peak and dimension: the decay of that marginal log-normal through the kernel, on a fine grid.
  const decays = peaks.map((p) =>
    axes.map((axis, d) => {
      const mu = Math.log10(p.position[d]!);
      const w = Math.max(p.width[d]!, 1e-3);
      const lo = mu - 5 * w;
      const hi = mu + 5 * w;
      const n = Math.max(41, Math.ceil((hi - lo) * 400));
      const grid = logGrid(10 ** lo, 10 ** hi, n);
      const weights = new Float64Array(n);
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const z = (Math.log10(grid[j]!) - mu) / w;
        weights[j] = Math.exp(-0.5 * z * z);
        sum += weights[j]!;
      }
      const k = kernelMatrix(axis.spec, axis.x, grid);
      const out = new Float64Array(axis.x.length);
      for (let i = 0; i < axis.x.length; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += k.data[i * n + j]! * weights[j]!;
        out[i] = s / sum;
      }
      return out;
    }),
  );
  const m1 = axes[0].x.length;
  const m2 = dims === 2 ? axes[1]!.x.length : 1;
  const noiseless = new Float64Array(m1 * m2);
  peaks.forEach((p, pi) => {
    const a = amplitude * p.fraction;
    const d1 = decays[pi]![0]!;
    const d2 = dims === 2 ? decays[pi]![1]! : undefined;
    for (let i = 0; i < m1; i++) {
      if (!d2) {
        noiseless[i]! += a * d1[i]!;
        continue;
      }
      const ai = a * d1[i]!;
      const r = i * m2;
      for (let j = 0; j < m2; j++) noiseless[r + j]! += ai * d2[j]!;
    }
  });
  let max = 0;
  for (const v of noiseless) max = Math.max(max, Math.abs(v));
  const sigma = Number.isFinite(snr) ? max / snr : 0;
  const rng = createRng(seed);
  const data = new Float64Array(noiseless.length);
  for (let i = 0; i < data.length; i++) data[i] = noiseless[i]! + (sigma > 0 ? sigma * rng.normal() : 0);
  return { data, noiseless, sigma, shape: dims === 2 ? [m1, m2] : [m1], peaks };
}
