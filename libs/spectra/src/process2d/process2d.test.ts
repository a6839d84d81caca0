// The pieces of 2D processing on data with known answers: windows, linear prediction, the sign-invariant phase,
// baseline and noise, and the 2D peak picker on matrices of Gaussian peaks at known fractional positions.
// (Whole TopSpin folders, every F1 mode, are tested in libs/formats readBrukerSpectrum2d.test.ts.)
import { createRng } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import { pickPeaks2d } from '../peaks/pickPeaks2d';
import { apodizationOf, apodizationWindow } from './apodization';
import { autoPhaseL1 } from './autoPhaseL1';
import { extendForward } from './linearPrediction';
import { noise2d, subtractBaseline2d } from './noise2d';
import type { Spectrum2d } from './processSpectrum2d';

describe('windows (TopSpin WDW)', () => {
  it('sine bells start where SSB says and end at zero; the group delay shifts their start', () => {
    // point k at t = k·DW of AQ = N·DW, as TopSpin counts: the last point one dwell before the end
    const cosine = apodizationWindow({ kind: 'sine-squared', ssb: 2 }, 101, 1000);
    expect(cosine[0]).toBeCloseTo(1, 12);
    expect(cosine[50]).toBeCloseTo(0.5, 1);
    expect(cosine[100]).toBeCloseTo(Math.sin(Math.PI / 2 / 101) ** 2, 12);
    const sine = apodizationWindow({ kind: 'sine', ssb: 0 }, 101, 1000);
    expect(sine[0]).toBeCloseTo(0, 12);
    expect(sine[50]).toBeCloseTo(1, 3);
    const delayed = apodizationWindow({ kind: 'sine', ssb: 0 }, 200, 1000, 68);
    expect(delayed[60]).toBe(0);
    expect(delayed[68 + 66]).toBeCloseTo(1, 2);
    const em = apodizationWindow({ kind: 'exponential', lineBroadening: 1 }, 1000, 1000);
    expect(em[999]).toBeCloseTo(Math.exp(-Math.PI * 0.999), 9);
  });

  it('maps procs WDW/LB/GB/SSB, refusing what it does not compute', () => {
    expect(apodizationOf({ wdw: 4, ssb: 2 }).apodization).toEqual({ kind: 'sine-squared', ssb: 2 });
    expect(apodizationOf({ wdw: 3 }).apodization).toEqual({ kind: 'sine', ssb: 0 });
    expect(apodizationOf({ wdw: 1, lb: 0.3 }).apodization).toEqual({ kind: 'exponential', lineBroadening: 0.3 });
    expect(apodizationOf({ wdw: 2, lb: -2, gb: 0.3 }).apodization?.kind).toBe('gaussian');
    expect(apodizationOf({ wdw: 2, lb: 2, gb: 0.3 }).problem).toMatch(/GM/);
    expect(apodizationOf({ wdw: 5 }).problem).toMatch(/TRAP/);
    expect(apodizationOf({ wdw: 1, lb: Number.NaN }).problem).toMatch(/EM/);
  });
});

describe('forward linear prediction (Burg)', () => {
  // three damped complex exponentials, decays as in t1 (|z| 0.99–0.998 per increment)
  const signal = (k: number): [number, number] => {
    let re = 0;
    let im = 0;
    for (const [w, z, a] of [
      [0.31, 0.998, 1],
      [-1.2, 0.995, 0.6],
      [2.2, 0.99, 0.3],
    ] as const) {
      re += a * z ** k * Math.cos(w * k);
      im += a * z ** k * Math.sin(w * k);
    }
    return [re, im];
  };
  it('doubles a signal to within 1 % (64 → 128 points, 16 coefficients) and 4 % (128 → 256, 32) of the truth', () => {
    for (const [n, order, bound] of [
      [64, 16, 0.01],
      [128, 32, 0.04],
    ] as const) {
      const re = new Float64Array(2 * n);
      const im = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) [re[k], im[k]] = signal(k);
      extendForward(re, im, n, 2 * n, order);
      let err = 0;
      let ref = 0;
      for (let k = n; k < 2 * n; k++) {
        const [a, b] = signal(k);
        err += (re[k]! - a) ** 2 + (im[k]! - b) ** 2;
        ref += a * a + b * b;
      }
      expect(Math.sqrt(err / ref), `${n} points, order ${order}`).toBeLessThan(bound);
    }
  });

  it('stays bounded on pure noise (Burg predictors are stable)', () => {
    const rng = createRng(5);
    const re = Float64Array.from({ length: 512 }, (_, k) => (k < 128 ? rng.normal() : 0));
    const im = Float64Array.from({ length: 512 }, (_, k) => (k < 128 ? rng.normal() : 0));
    extendForward(re, im, 128, 512, 32);
    for (let k = 128; k < 512; k++) expect(Math.hypot(re[k]!, im[k]!)).toBeLessThan(10);
  });
});

describe('sign-invariant automatic phase (minimum absolute area)', () => {
  it('finds φ0 and φ1 of lines of both signs, up to π', () => {
    const n = 2048;
    const frac = Float64Array.from({ length: n }, (_, i) => (n / 2 - 1 - i) / n);
    const lines = [
      [200, 1, 3],
      [700, -0.6, 4],
      [1100, 0.8, 3],
      [1500, -1, 5],
      [1800, 0.4, 3],
    ];
    const truth = { phase0: 0.9, phase1: -0.7 };
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = 0;
      let d = 0;
      for (const [c, h, w] of lines) {
        const x = (i - c!) / w!;
        a += h! / (1 + x * x);
        d += (h! * x) / (1 + x * x);
      }
      // the measured spectrum is the absorption rotated by −φ(f)
      const ph = -(truth.phase0 + truth.phase1 * frac[i]!);
      re[i] = a * Math.cos(ph) - d * Math.sin(ph);
      im[i] = a * Math.sin(ph) + d * Math.cos(ph);
    }
    const found = autoPhaseL1({ re: [re], im: [im], frac });
    const d0 = Math.abs(((found.phase0 - truth.phase0 + Math.PI / 2) % Math.PI) - Math.PI / 2);
    expect(d0 * (180 / Math.PI)).toBeLessThan(1);
    expect(Math.abs(found.phase1 - truth.phase1) * (180 / Math.PI)).toBeLessThan(3);
  });
});

/** A spectrum of Gaussian peaks (row, column, height, FWHM rows, FWHM columns) on seeded noise. */
function gaussians(rows: number, columns: number, peaks: number[][], sigma: number, seed = 1): Spectrum2d {
  const rng = createRng(seed);
  const real = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) {
      let v = sigma > 0 ? sigma * rng.normal() : 0;
      for (const [r, c, h, w1, w2] of peaks) {
        const a = (i - r!) / w1!;
        const b = (j - c!) / w2!;
        v += h! * Math.exp(-4 * Math.LN2 * (a * a + b * b));
      }
      real[i * columns + j] = v;
    }
  return {
    rows,
    columns,
    real,
    ppm1: Float64Array.from({ length: rows }, (_, i) => 150 - i * 0.1),
    ppm2: Float64Array.from({ length: columns }, (_, j) => 10 - j * 0.01),
    hzPerPoint1: 12.5,
    hzPerPoint2: 5,
    sf1: 125,
    sf2: 500,
    noise: sigma > 0 ? noise2d(real, rows, columns) : 1,
    mode: 'States',
    magnitude: false,
    windows: { f2: { kind: 'none' }, f1: { kind: 'none' } },
    t1Points: rows,
    warnings: [],
  };
}

describe('2D peak picking', () => {
  it('places Gaussian peaks between points, with their height, widths, volume and sign', () => {
    const truth = [
      [40.3, 60.7, 1000, 4, 3],
      [100.55, 200.2, -600, 5, 4],
      [180.8, 120.4, 300, 3, 3],
    ];
    // noise-free, the log-parabola is exact for a Gaussian
    const exact = pickPeaks2d(gaussians(256, 256, truth, 0)).peaks;
    for (const [r, c, h] of truth) {
      const p = exact.find((q) => Math.abs(q.row - r!) < 1 && Math.abs(q.column - c!) < 1)!;
      expect(Math.abs(p.row - r!) + Math.abs(p.column - c!)).toBeLessThan(1e-6);
      expect(p.height / h!).toBeCloseTo(1, 6);
    }
    const s = gaussians(256, 256, truth, 5);
    const { peaks } = pickPeaks2d(s);
    expect(peaks).toHaveLength(3);
    for (const [r, c, h, w1, w2] of truth) {
      const p = peaks.find((q) => Math.abs(q.row - r!) < 1 && Math.abs(q.column - c!) < 1)!;
      expect(Math.abs(p.row - r!)).toBeLessThan(0.1);
      expect(Math.abs(p.column - c!)).toBeLessThan(0.1);
      expect(Math.abs(p.shift1 - (150 - p.row * 0.1))).toBeLessThan(1e-9);
      expect(Math.abs(p.shift2 - (10 - p.column * 0.01))).toBeLessThan(1e-9);
      expect(p.height / h!).toBeGreaterThan(0.97);
      expect(p.height / h!).toBeLessThan(1.03);
      expect(p.widthHz1 / (w1! * 12.5)).toBeCloseTo(1, 1);
      expect(p.widthHz2 / (w2! * 5)).toBeCloseTo(1, 1);
      const volume = (h! * w1! * 12.5 * w2! * 5 * Math.PI) / (4 * Math.LN2);
      expect(p.volume / volume).toBeCloseTo(1, 1);
      // S/N against σ, or the peak column's own spread where that is larger
      expect(p.snr).toBeLessThanOrEqual(Math.abs(p.height) / s.noise + 1e-9);
      expect(p.snr).toBeGreaterThan((0.5 * Math.abs(p.height)) / s.noise);
    }
  });

  it('finds nothing in pure noise at the default threshold, and the noise σ is the noise', () => {
    const s = gaussians(512, 512, [], 3, 9);
    expect(s.noise / 3).toBeGreaterThan(0.9);
    expect(s.noise / 3).toBeLessThan(1.1);
    expect(pickPeaks2d(s).peaks).toEqual([]);
    // positive only: the negative peak is not picked
    const both = gaussians(128, 128, [[64, 64, -500, 3, 3]], 1, 2);
    expect(pickPeaks2d(both).peaks).toHaveLength(1);
    expect(pickPeaks2d(both, { sign: 'positive' }).peaks).toHaveLength(0);
  });

  it('drops a small ripple beside a tall peak and keeps an equal neighbour', () => {
    const s = gaussians(
      128,
      256,
      [
        [64, 100, 1000, 4, 4],
        [64, 124, 20, 4, 4], // 6 widths along the row, 1/50 of the peak: a sidelobe
        [64, 150, 900, 4, 4], // a real neighbour
      ],
      1,
    );
    const picked = pickPeaks2d(s);
    expect(picked.peaks.map((p) => Math.round(p.column)).sort((a, b) => a - b)).toEqual([100, 150]);
    expect(picked.ripples).toBe(1);
    expect(pickPeaks2d(s, { rippleRatio: 0 }).peaks).toHaveLength(3);
  });

  it('subtracts row and column offsets as the baseline', () => {
    const rows = 64;
    const columns = 64;
    const real = new Float64Array(rows * columns);
    for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) real[i * columns + j] = 5 + 0.1 * i - 0.2 * j;
    real[10 * columns + 10]! += 100;
    subtractBaseline2d(real, rows, columns);
    expect(real[10 * columns + 10]).toBeCloseTo(100, 6);
    expect(
      Math.max(
        ...Array.from(real)
          .filter((_, k) => k !== 10 * columns + 10)
          .map(Math.abs),
      ),
    ).toBeLessThan(1e-9);
  });
});
