/**
 * Seeded simulated cases and accuracy measures shared by the solver tests (not part of the public API).
 * Grids come from autoGrid; every peak sits in its own half of the grid (split by index along the last axis), so
 * a peak's centroid is the log-space centroid (geometric mean) of that half.
 */
import { expect } from 'vitest';
import type { SolverResult } from '../solvers/types';
import { autoGrid } from '../grids/autoGrid';
import { logGrid } from '../grids/logGrid';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { simulate, type SimPeak, type Simulation } from '../simulate/simulate';
import { problem1d, type Problem } from '../solvers/types';

export interface TestCase {
  problem: Problem;
  /** Output grid per axis (1D: one). */
  grids: Float64Array[];
  sim: Simulation;
}

const echoes = Float64Array.from({ length: 4000 }, (_, i) => (i + 1) * 2e-4);

/** CPMG T2, 4000 echoes of 0.2 ms, 128-point grid; default two peaks at 2 ms and 100 ms. */
export function caseT2(snr: number, seed: number, peaks?: SimPeak[]): TestCase {
  const pk = peaks ?? [
    { position: [0.002], width: [0.1], fraction: 0.5 },
    { position: [0.1], width: [0.15], fraction: 0.5 },
  ];
  const sim = simulate({ axes: [{ spec: { kernel: 'T2' }, x: echoes }], peaks: pk, snr, seed });
  const grid = autoGrid('T2', echoes, { n: 128 }).values;
  return { problem: problem1d(kernelMatrix({ kernel: 'T2' }, echoes, grid), sim.data), grids: [grid], sim };
}

/** T1 (IR, 32 delays 0.1 ms–5 s) × T2 (4000 echoes), 64 × 64 grid; two peaks (T1, T2) = (10 ms, 2 ms), (0.5 s, 0.1 s). */
export function caseT1T2(snr: number, seed: number): TestCase {
  const tau = logGrid(1e-4, 5, 32);
  const sim = simulate({
    axes: [
      { spec: { kernel: 'T1-IR' }, x: tau },
      { spec: { kernel: 'T2' }, x: echoes },
    ],
    peaks: [
      { position: [0.01, 0.002], width: [0.1, 0.1], fraction: 0.6 },
      { position: [0.5, 0.1], width: [0.12, 0.12], fraction: 0.4 },
    ],
    snr,
    seed,
  });
  const g1 = autoGrid('T1-IR', tau).values;
  const g2 = autoGrid('T2', echoes).values;
  const problem = {
    k1: kernelMatrix({ kernel: 'T1-IR' }, tau, g1),
    k2: kernelMatrix({ kernel: 'T2' }, echoes, g2),
    data: sim.data,
  };
  return { problem, grids: [g1, g2], sim };
}

export interface PeakSummary {
  /** Amplitude in this half. */
  weight: number;
  /** log10 centroid per axis. */
  centroid: number[];
}

/** Total amplitude, and per half of the last axis the weight and log-space centroid along every axis. */
export function summarise(f: Float64Array, grids: Float64Array[]): { total: number; halves: PeakSummary[] } {
  const g1 = grids[0]!;
  const g2 = grids[1] ?? new Float64Array([1]);
  const n1 = g1.length;
  const n2 = g2.length;
  const split = (a: number, b: number) => (grids.length === 1 ? a < n1 / 2 : b < n2 / 2);
  let total = 0;
  const halves = [true, false].map((first) => {
    let w = 0;
    const l = [0, 0];
    for (let a = 0; a < n1; a++) {
      for (let b = 0; b < n2; b++) {
        if (split(a, b) !== first) continue;
        const v = f[a * n2 + b]!;
        w += v;
        l[0]! += v * Math.log10(g1[a]!);
        l[1]! += v * Math.log10(g2[b]!);
      }
    }
    return { weight: w, centroid: grids.length === 1 ? [l[0]! / w] : [l[0]! / w, l[1]! / w] };
  });
  for (const v of f) total += v;
  return { total, halves };
}

/** Standard deviation in decades of a 1D distribution (its log-space width). */
export function logWidth(f: Float64Array, grid: Float64Array): number {
  let w = 0;
  let m = 0;
  let m2 = 0;
  for (let a = 0; a < grid.length; a++) {
    const x = Math.log10(grid[a]!);
    w += f[a]!;
    m += f[a]! * x;
    m2 += f[a]! * x * x;
  }
  m /= w;
  return Math.sqrt(Math.max(m2 / w - m * m, 0));
}

/** Local maxima above `floor` × the global maximum. */
export function countMaxima(f: Float64Array, floor = 0.05): number {
  let max = 0;
  for (const v of f) max = Math.max(max, v);
  let count = 0;
  for (let i = 0; i < f.length; i++) {
    const left = i > 0 ? f[i - 1]! : 0;
    const right = i < f.length - 1 ? f[i + 1]! : 0;
    if (f[i]! > floor * max && f[i]! >= left && f[i]! > right) count++;
  }
  return count;
}

/** The simulated truth on the output grid: cell amplitude = fraction × log10-Gaussian density × cell width (decades). */
export function truthOnGrid(c: TestCase): Float64Array {
  const { grids } = c;
  const n1 = grids[0]!.length;
  const n2 = grids[1]?.length ?? 1;
  const out = new Float64Array(n1 * n2);
  const step = grids.map((g) => Math.log10(g[1]! / g[0]!));
  for (const p of c.sim.peaks) {
    for (let a = 0; a < n1; a++) {
      for (let b = 0; b < n2; b++) {
        let v = p.fraction;
        for (let d = 0; d < grids.length; d++) {
          const x = Math.log10(grids[d]![d === 0 ? a : b]!);
          const z = (x - Math.log10(p.position[d]!)) / p.width[d]!;
          v *= (Math.exp(-0.5 * z * z) / (p.width[d]! * Math.sqrt(2 * Math.PI))) * step[d]!;
        }
        out[a * n2 + b]! += v;
      }
    }
  }
  return out;
}

/** ‖f − truth‖ / ‖truth‖. */
export function relativeError(f: Float64Array, truth: Float64Array): number {
  let d = 0;
  let t = 0;
  for (let k = 0; k < f.length; k++) {
    d += (f[k]! - truth[k]!) ** 2;
    t += truth[k]! ** 2;
  }
  return Math.sqrt(d / t);
}

/**
 * The shared check of every solver on caseT2(300, …): non-negative, total amplitude within 2 %, each peak's
 * log-space centroid within 0.05 decade of 2 ms and 100 ms, and a residual at the noise level.
 */
export function expectTwoT2Peaks(r: SolverResult, c: TestCase): void {
  expect(r.distribution.every((v) => v >= 0)).toBe(true);
  const { total, halves } = summarise(r.distribution, c.grids);
  expect(Math.abs(total - 1)).toBeLessThan(0.02);
  expect(Math.abs(halves[0]!.centroid[0]! - Math.log10(0.002))).toBeLessThan(0.05);
  expect(Math.abs(halves[1]!.centroid[0]! - Math.log10(0.1))).toBeLessThan(0.05);
  expect(r.rmsResidual / c.sim.sigma).toBeGreaterThan(0.95);
  expect(r.rmsResidual / c.sim.sigma).toBeLessThan(1.05);
}
