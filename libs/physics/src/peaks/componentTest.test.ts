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
    // The two share the map peak's own mass: the listed fractions never exceed the map's.
    expect(big[0]!.fraction + big[1]!.fraction).toBeCloseTo(asMapped[0]!.fraction, 12);
    expect(listed.peaks.reduce((a, p) => a + p.fraction, 0)).toBeLessThanOrEqual(1);
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

  describe('inversion recovery with β estimated (simulated β = 0.93)', () => {
    const irInput = (peaks: SimPeak[], tau: Float64Array, echoTrain: Float64Array, snr: number, seed: number) => {
      const sim = simulate({
        axes: [
          { spec: { kernel: 'T1-IR', beta: 0.93 }, x: tau },
          { spec: { kernel: 'T2' }, x: echoTrain },
        ],
        peaks,
        snr,
        seed,
        amplitude: 1000,
      });
      return {
        axes: [
          { kernel: 'T1-IR', values: tau },
          { kernel: 'T2', values: echoTrain },
        ],
        data: sim.data,
      } as InvertInput;
    };
    const big = (peaks: { fraction: number }[]) => peaks.filter((p) => p.fraction >= 0.05);

    it('does not split single populations over the estimate being a few thousandths off', () => {
      // Three single populations of a cement paste (20 delays × 600 echoes of 60 µs, SNR 800), as the demo stack's
      // relaxometer writes them, inverted with β 0.004–0.008 off the simulated 0.93 (the linear estimate gave 0.931 and
      // 0.938 on such data; the profile estimate lands within 0.004 on 90 of 90 seeds, median 0.0003) and flagged as
      // estimated, as invert would: holding it, the test split one or two populations; refitting it, none.
      const tau = logGrid(2e-5, 0.3, 20);
      const echoTrain = Float64Array.from({ length: 600 }, (_, i) => (i + 1) * 6e-5);
      const cement: SimPeak[] = [
        { position: [4e-4, 1.1e-4], width: [0.1, 0.1], fraction: 0.08 },
        { position: [1.6e-3, 4.5e-4], width: [0.1, 0.1], fraction: 0.17 },
        { position: [1.5e-2, 3.5e-3], width: [0.12, 0.12], fraction: 0.75 },
      ];
      for (const [seed, beta] of [
        [9, 0.934],
        [10, 0.938],
      ] as const) {
        const sim = irInput(cement, tau, echoTrain, 800, seed);
        const input = { ...sim, axes: [{ ...sim.axes[0], beta }, sim.axes[1]!] } as InvertInput;
        const inv = invert(input, {});
        inv.beta = { value: beta, estimated: true };
        const fixedBeta = inversionPeaks(input, inv, { components: { irBeta: undefined } });
        expect(fixedBeta.componentTest?.split, `seed ${seed}: the split the β error made`).toBeGreaterThanOrEqual(1);
        const listed = inversionPeaks(input, inv);
        expect(listed.componentTest?.split).toBe(0);
        expect(listed.peaks).toHaveLength(3);
        expect(listed.peaks.reduce((a, p) => a + p.fraction, 0)).toBeLessThanOrEqual(1);
      }
    });

    it('still finds a real pair the map merges, and no third population beside it', () => {
      const tau = logGrid(1e-4, 5, 32);
      for (const seed of [11, 13]) {
        const input = irInput(mergedPair, tau, echoes, 1000, seed);
        for (const method of ['tikhonov', 'upen'] as const) {
          const inv = invert(input, { method });
          const listed = big(inversionPeaks(input, inv).peaks);
          expect(listed, `seed ${seed}, ${method}`).toHaveLength(2);
          for (const p of listed) expect(Math.abs(p.fraction - 0.5)).toBeLessThan(0.1);
          // With β held at the estimate, one of UPEN's two peaks was split again (Δχ² 44–65σ²) while β came from the
          // linear estimate; the profile estimate lands within 0.002 on these seeds and holding it no longer splits.
          expect(big(inversionPeaks(input, inv, { components: { irBeta: undefined } }).peaks).length).toBeGreaterThan(
            1,
          );
        }
      }
    });
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
