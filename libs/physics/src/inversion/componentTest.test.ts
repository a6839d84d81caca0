import { describe, expect, it } from 'vitest';
import {
  findPeaks,
  fitComponents,
  inversionCompressed,
  invert,
  inversionPeaks,
  logGrid,
  peakDataSnr,
  simulate,
  type InvertInput,
  type SimPeak,
} from '../index';

// T1 by saturation recovery (32 delays) × CPMG (2000 echoes of 0.2 ms): a design of the benchmark suite.
const delays = logGrid(1e-4, 5, 32);
const echoes = Float64Array.from({ length: 2000 }, (_, i) => (i + 1) * 2e-4);

function inputFor(peaks: SimPeak[], snr: number, seed: number): InvertInput {
  const sim = simulate({
    axes: [
      { spec: { kernel: 'T1-SR' }, x: delays },
      { spec: { kernel: 'T2' }, x: echoes },
    ],
    peaks,
    snr,
    seed,
  });
  return {
    axes: [
      { kernel: 'T1-SR', values: delays },
      { kernel: 'T2', values: echoes },
    ],
    data: sim.data,
  };
}

const log = (x: number) => Math.log10(x);

// Two equal populations 0.3 decade apart in T2: Tikhonov's map merges them at SNR 1000.
const mergedPair: SimPeak[] = [
  { position: [10 ** -1.0, 10 ** -1.8], width: [0.08, 0.08], fraction: 0.5 },
  { position: [10 ** -1.0, 10 ** -1.5], width: [0.08, 0.08], fraction: 0.5 },
];

describe('componentTest through inversionPeaks', () => {
  it('finds two equal populations 0.3 decade apart that the regularised map merges (SNR 1000)', () => {
    const input = inputFor(mergedPair, 1000, 11);
    const inv = invert(input, { method: 'tikhonov' });
    const asMapped = inversionPeaks(input, inv, { components: false }).peaks.filter((p) => p.fraction >= 0.05);
    expect(asMapped).toHaveLength(1); // the map merges them: the case the test exists for
    const listed = inversionPeaks(input, inv);
    const big = listed.peaks.filter((p) => p.fraction >= 0.05);
    expect(big).toHaveLength(2);
    expect(listed.componentTest).toMatchObject({ split: 1 });
    for (const p of big) {
      expect(p.split?.deltaChi2).toBeGreaterThan(25);
      expect(p.fraction).toBeGreaterThan(0.4);
      expect(p.fraction).toBeLessThan(0.6);
      expect(p.dataSnr).toBeGreaterThan(100);
    }
    const t2s = big.map((p) => log(p.position[1]!)).sort((a, b) => a - b);
    expect(Math.abs(t2s[0]! - -1.8)).toBeLessThan(0.03);
    expect(Math.abs(t2s[1]! - -1.5)).toBeLessThan(0.03);
    for (const p of big) expect(Math.abs(log(p.position[0]!) - -1.0)).toBeLessThan(0.03);
    expect(listed.warnings.some((w) => /holds two populations/.test(w) && /Δχ² = \d+σ²/.test(w))).toBe(true);
  });

  it('lists the same peaks from what invert built as from kernels and compression made afresh', () => {
    const input = inputFor(mergedPair, 1000, 11);
    for (const method of ['tikhonov', 'upen'] as const) {
      const inv = invert(input, { method });
      const reused = inversionPeaks(input, inv);
      // A copy of the inversion is not the object invert returned, nor is a copy of the data: both build afresh.
      const fresh = inversionPeaks(input, { ...inv });
      const freshData = inversionPeaks({ ...input, data: Float64Array.from(input.data) }, inv);
      // Tikhonov's map merges the pair (the test splits it); UPEN's keeps it apart.
      expect(reused.peaks.filter((p) => p.fraction >= 0.05)).toHaveLength(2);
      expect(reused.componentTest?.split).toBe(method === 'tikhonov' ? 1 : 0);
      for (const other of [fresh, freshData]) {
        expect(other.peaks.map((p) => [p.position, p.fraction, p.dataSnr, p.split])).toEqual(
          reused.peaks.map((p) => [p.position, p.fraction, p.dataSnr, p.split]),
        );
      }
    }
  });

  it('fitComponents: the true populations fit to the noise, the merged peak alone does not', () => {
    const input = inputFor(mergedPair, 1000, 11);
    const inv = invert(input, { method: 'tikhonov' });
    const cp = inversionCompressed(input, inv)!;
    const grids = inv.axes.map((a) => a.values);
    const merged = inversionPeaks(input, inv, { components: false }).peaks;
    const total = merged[0]!.amplitude / merged[0]!.fraction;
    const two = fitComponents(
      cp,
      grids,
      mergedPair.map((p) => ({ position: p.position, widthDecades: p.width, amplitude: p.fraction * total })),
    );
    const one = fitComponents(cp, grids, merged);
    const sigma2 = cp.sigma ** 2;
    const s = cp.m.length;
    // χ² of the true model: the noise's, s·σ² within its scatter (√(2s)·σ², here ~20σ²)
    expect(Math.abs(two.chi2 / sigma2 - s)).toBeLessThan(5 * Math.sqrt(2 * s));
    expect(two.parameters).toBe(12);
    expect((one.chi2 - two.chi2) / sigma2).toBeGreaterThan(25);
    const t2s = two.components.map((c) => Math.log10(c.position[1]!)).sort((a, b) => a - b);
    expect(Math.abs(t2s[0]! - -1.8)).toBeLessThan(0.03);
    expect(Math.abs(t2s[1]! - -1.5)).toBeLessThan(0.03);
  });

  it('leaves a single broad population alone (SNR 1000)', () => {
    for (const [seed, width] of [
      [21, [0.14, 0.15]],
      [22, [0.06, 0.14]],
    ] as const) {
      const input = inputFor([{ position: [0.05, 0.02], width: [...width], fraction: 1 }], 1000, seed);
      const listed = inversionPeaks(input, invert(input, { method: 'auto' }));
      expect(listed.peaks.filter((p) => p.fraction >= 0.05)).toHaveLength(1);
      expect(listed.peaks.some((p) => p.split)).toBe(false);
      expect(listed.componentTest?.tested).toBe(1);
    }
  });

  it('is findPeaks with the data-SNR check when switched off', () => {
    const input = inputFor([{ position: [0.05, 0.02], width: [0.1, 0.1], fraction: 1 }], 300, 3);
    const inv = invert(input, { method: 'tikhonov' });
    const off = inversionPeaks(input, inv, { components: false });
    const direct = findPeaks(
      inv.distribution,
      inv.axes.map((a) => a.values),
      { dataSnr: peakDataSnr(input, inv) },
    );
    expect(off.peaks.map((p) => p.position)).toEqual(direct.peaks.map((p) => p.position));
    expect(off.componentTest).toBeUndefined();
  });
});
