import { describe, expect, it } from 'vitest';
import type { F1Mode } from '../process2d/f1Modes';
import type { ComplexRows } from '../processing/complexRows';
import { istReconstruct } from './istReconstruct';
import { nusPeakConfidence } from './peakConfidence';
import { poissonGapSchedule } from './schedule';
import { compareNus, nusCase, pearson, peakIntensities, plainSpectrum2d, type NusPeak } from './simulateNus';

describe('poissonGapSchedule', () => {
  const CASES = [
    [64, 16],
    [128, 13],
    [256, 64],
    [512, 128],
    [1024, 256],
    [100, 99],
    [50, 1],
    [32, 32],
  ] as const;

  it('gives exactly `count` distinct, ascending indices in range, starting at 0, the same for the same seed', () => {
    for (const [size, count] of CASES)
      for (const seed of [1, 2, 3]) {
        const s = poissonGapSchedule(size, count, seed);
        expect(s.length).toBe(count);
        expect(s[0]).toBe(0);
        for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
        expect(s[s.length - 1]!).toBeLessThan(size);
        expect(Array.from(poissonGapSchedule(size, count, seed))).toEqual(Array.from(s));
      }
  });

  it('differs between seeds and, sine-weighted, samples the start of t1 more densely than the end', () => {
    const a = poissonGapSchedule(256, 64, 1);
    const b = poissonGapSchedule(256, 64, 2);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = poissonGapSchedule(256, 64, seed);
      const early = s.filter((t) => t < 128).length;
      expect(early).toBeGreaterThan(64 - early + 8);
      // uniform weighting: no such bias (within the draw's noise)
      const u = poissonGapSchedule(256, 64, seed, { weighting: 'uniform' });
      expect(u.length).toBe(64);
      expect(Math.abs(2 * u.filter((t) => t < 128).length - 64)).toBeLessThan(20);
    }
  });

  it('refuses sizes and counts that are not integers with 1 ≤ count ≤ size', () => {
    for (const [size, count] of [
      [0, 1],
      [10, 0],
      [10, 11],
      [10.5, 3],
      [10, Number.NaN],
    ])
      expect(() => poissonGapSchedule(size!, count!, 1)).toThrow(RangeError);
  });
});

const SW1 = 20000;
const SW2 = 5000;
const T1 = 128;
const POINTS = 512;
const NOISE = 3;

const dataset = (mode: F1Mode, seed: number, fraction: number) =>
  nusCase({ mode, seed, fraction, t1Points: T1, points: POINTS, sw1: SW1, sw2: SW2, peaks: 24, noise: NOISE });
const compare = (mode: F1Mode, peaks: NusPeak[], full: ComplexRows, rec: ComplexRows) =>
  compareNus({ mode, sw1: SW1, sw2: SW2 }, peaks, full, rec);

// Simulated HSQC-like data, 512 × 128 complex points, 24 peaks over two decades of amplitude (the weakest at S/N
// ≈ 10–20 in the full spectrum), 25 % Poisson-gap sampling. Measured 2026-12-07 (docs/nus.md): States with the
// virtual echo, seeds 1–3: correlation of peak intensities with the fully sampled spectrum 0.99978–0.99998, RLNE
// 0.092–0.130 (zero-filled: RLNE 0.78–0.80); QF 0.9982–0.9991, RLNE 0.098–0.120; echo-antiecho and States-TPPI as
// States. The IST is deterministic, so the bounds only leave room for floating-point differences between
// platforms and for small changes of the method; the correlation bound alone would not catch much (zero filling
// scores 0.999 too: the strong peaks dominate it), the RLNE bound is the one that separates IST from zero filling.
describe('istReconstruct on simulated data', () => {
  it('recovers the peak intensities of States data at 25 % (virtual echo), 3 seeds', () => {
    for (const seed of [1, 2, 3]) {
      const { peaks, full, schedule, sampled } = dataset('States', seed, 0.25);
      const { ser, quality } = istReconstruct(sampled, schedule, 'States', T1, { f1Phase: { phase0: 0, phase1: 0 } });
      expect(quality.virtualEcho).toBe(true);
      expect(ser.rows).toBe(2 * T1);
      const r = compare('States', peaks, full, ser);
      expect(r.correlation, `seed ${seed}`).toBeGreaterThan(0.999);
      expect(r.rlne, `seed ${seed}`).toBeLessThan(0.16);
      const zeroFilled = istReconstruct(sampled, schedule, 'States', T1, { noiseFloor: 1e12 });
      expect(zeroFilled.quality.columns.reconstructed).toBe(0);
      expect(compare('States', peaks, full, zeroFilled.ser).rlne).toBeGreaterThan(0.7);
      // the noise σ of the F2-transformed rows: σ·√points
      expect(quality.noise / (NOISE * Math.sqrt(POINTS))).toBeGreaterThan(0.9);
      expect(quality.noise / (NOISE * Math.sqrt(POINTS))).toBeLessThan(1.1);
    }
  });

  it('reconstructs QF, echo-antiecho and States-TPPI data and keeps every measured row exactly', () => {
    for (const mode of ['QF', 'Echo-Antiecho', 'States-TPPI'] as const) {
      const { peaks, full, schedule, sampled } = dataset(mode, 1, 0.25);
      const { ser, quality } = istReconstruct(sampled, schedule, mode, T1, { f1Phase: { phase0: 0, phase1: 0 } });
      expect(quality.virtualEcho).toBe(mode !== 'QF');
      const r = compare(mode, peaks, full, ser);
      expect(r.correlation, mode).toBeGreaterThan(mode === 'QF' ? 0.997 : 0.999);
      expect(r.rlne, mode).toBeLessThan(0.15);
      const rpp = mode === 'QF' ? 1 : 2;
      let worst = 0;
      let scale = 0;
      for (let j = 0; j < schedule.length; j++)
        for (let q = 0; q < rpp; q++)
          for (let k = 0; k < POINTS; k++) {
            const a = (schedule[j]! * rpp + q) * POINTS + k;
            const b = (j * rpp + q) * POINTS + k;
            worst = Math.max(worst, Math.abs(ser.re[a]! - sampled.re[b]!), Math.abs(ser.im[a]! - sampled.im[b]!));
            scale = Math.max(scale, Math.abs(sampled.re[b]!));
          }
      expect(worst / scale, mode).toBeLessThan(1e-12);
    }
  });

  it('says how well it did: the held-out points are predicted near the noise, and a wrong F1 phase shows', () => {
    const { schedule, sampled } = dataset('States', 1, 0.25);
    const right = istReconstruct(sampled, schedule, 'States', T1, {
      f1Phase: { phase0: 0, phase1: 0 },
      validation: 0.1,
    });
    const wrong = istReconstruct(sampled, schedule, 'States', T1, {
      f1Phase: { phase0: 0.8, phase1: 0 },
      validation: 0.1,
    });
    const v = right.quality.validation!;
    expect(v.points).toBeGreaterThan(2);
    expect(v.errorToNoise).toBeLessThan(3);
    expect(wrong.quality.validation!.errorToNoise).toBeGreaterThan(1.5 * v.errorToNoise);
    // the sparse model's residual at the sampled points: a little above noise (soft thresholding shrinks the lines)
    expect(right.quality.residualToNoise).toBeGreaterThan(0.8);
    expect(right.quality.residualToNoise).toBeLessThan(1.8);
    expect(right.quality.residual).toBeLessThan(1);
    expect(right.quality.columnResidualToNoise.length).toBe(POINTS);
    expect(v.columnErrorToNoise.length).toBe(POINTS);
  });

  it('refuses what it cannot reconstruct with a RangeError', () => {
    const { sampled, schedule } = dataset('States', 1, 0.25);
    expect(() => istReconstruct(sampled, schedule, 'TPPI', T1)).toThrow(RangeError);
    expect(() =>
      istReconstruct(
        sampled,
        Int32Array.from(schedule, () => 0),
        'States',
        T1,
      ),
    ).toThrow(RangeError);
    expect(() => istReconstruct(sampled, schedule, 'States', schedule[schedule.length - 1]!)).toThrow(RangeError);
    expect(() => istReconstruct(sampled, [...schedule, T1 - 1], 'States', T1)).toThrow(RangeError);
    expect(() => istReconstruct(sampled, schedule, 'States', T1, { factor: 1 })).toThrow(RangeError);
  });
});

describe('nusPeakConfidence', () => {
  it('reads the hold-out error of the peak’s F2 column (and its neighbours) off a processed spectrum’s axis', () => {
    const P = 64;
    const ratios = new Float32Array(P).fill(1);
    ratios[20] = 4;
    const validation = { points: 4, error: 0.1, noise: 0.1, errorToNoise: 1, columnErrorToNoise: ratios };
    // a processed spectrum zero-filled to 2P columns: point i ↔ frequency (P − 1 − i)/(2P); column o ↔ (P/2 − 1 − o)/P
    const n = 2 * P;
    const ppm2 = Float64Array.from({ length: n }, (_, i) => 10 * ((n / 2 - 1 - i) / n));
    const at = (o: number) => 10 * ((P / 2 - 1 - o) / P);
    const [hit, beside, away] = nusPeakConfidence(
      { ppm2, noise: 2 },
      [
        { shift2: at(20), height: -80 },
        { shift2: at(21), height: 80 },
        { shift2: at(40), height: 80 },
      ],
      validation,
    );
    expect(hit).toEqual({ snr: 40, columnErrorToNoise: 4, effectiveSnr: 10 });
    expect(beside!.columnErrorToNoise).toBe(4);
    expect(away).toEqual({ snr: 40, columnErrorToNoise: 1, effectiveSnr: 40 });
  });

  it('ranks the peaks’ intensity errors where the reconstruction limits them (IST without virtual echo, 10 %)', () => {
    const { peaks, full, schedule, sampled } = dataset('States', 1, 0.1);
    const { ser, quality } = istReconstruct(sampled, schedule, 'States', T1, { validation: 0.1 });
    const ref = peakIntensities(plainSpectrum2d(full, 'States'), peaks, SW1, SW2, 'States');
    const rec = peakIntensities(plainSpectrum2d(ser, 'States'), peaks, SW1, SW2, 'States');
    const axis = { ppm2: Float64Array.from({ length: POINTS }, (_, i) => (POINTS / 2 - 1 - i) / POINTS), noise: 1 };
    const shifts = peaks.map((p, i) => ({ shift2: Math.round((p.nu2 / SW2) * POINTS) / POINTS, height: rec[i]! }));
    const confidence = nusPeakConfidence(axis, shifts, quality.validation!);
    const error = Array.from(rec, (v, i) => Math.abs(v - ref[i]!) / Math.abs(ref[i]!));
    const rank = (v: number[]) => {
      const r = new Array<number>(v.length);
      v.map((x, i) => [x, i] as const)
        .sort((a, b) => a[0] - b[0])
        .forEach(([, i], k) => (r[i] = k));
      return r;
    };
    const rho = pearson(rank(confidence.map((c) => 1 / c.effectiveSnr)), rank(error));
    const rhoSnr = pearson(rank(confidence.map((c) => 1 / c.snr)), rank(error));
    // measured: ρ 0.88 against 0.68 for the plain S/N
    expect(rho).toBeGreaterThan(0.75);
    expect(rho).toBeGreaterThan(rhoSnr + 0.1);
  });
});
