import { describe, expect, it } from 'vitest';
import { findPeaks, invert, logGrid, scorePeaks, simulate, type InvertAxis } from '../index';

const tau = logGrid(1e-4, 5, 32);
const echoes = Float64Array.from({ length: 2000 }, (_, i) => (i + 1) * 3e-4);
const twoPeaks = [
  { position: [0.1, 0.02], width: [0.1, 0.1], fraction: 0.6 },
  { position: [0.5, 0.2], width: [0.12, 0.12], fraction: 0.4 },
];

describe('invert', () => {
  it('inverts a T1–T2 map, estimating an imperfect inversion', () => {
    const sim = simulate({
      axes: [
        { spec: { kernel: 'T1-IR', beta: 0.85 }, x: tau },
        { spec: { kernel: 'T2' }, x: echoes },
      ],
      peaks: twoPeaks,
      snr: 300,
      seed: 3,
    });
    const r = invert({
      axes: [
        { kernel: 'T1-IR', values: tau },
        { kernel: 'T2', values: echoes },
      ],
      data: sim.data,
    });
    // SNR 300: `auto` takes UPEN for 2D data this clean, and says so with the SNR it estimated.
    expect(r.method).toBe('upen');
    expect(r.methodReason).toMatch(/^auto: 2D data .*SNR (2[6-9]\d|3[0-4]\d) ≥ 200\)/);
    expect(r.beta?.estimated).toBe(true);
    expect(Math.abs(r.beta!.value - 0.85)).toBeLessThan(0.02);
    expect(r.axes.map((a) => a.name)).toEqual(['T1', 'T2']);
    expect(r.distribution.length).toBe(64 * 64);
    const score = scorePeaks(
      sim.peaks,
      findPeaks(
        r.distribution,
        r.axes.map((a) => a.values),
      ).peaks,
    );
    expect(score.resolved).toBe(true);
    expect(score.spurious).toHaveLength(0);
    expect(score.worstPositionError).toBeLessThan(0.03);
    expect(score.worstFractionError).toBeLessThan(0.02);
  });

  it('auto picks by the estimated SNR and gives the same map as asking for that method', () => {
    const axes = [
      { kernel: 'T1-SR' as const, values: tau },
      { kernel: 'T2' as const, values: echoes },
    ] as [InvertAxis, InvertAxis];
    const data = (snr: number) =>
      simulate({
        axes: [
          { spec: { kernel: 'T1-SR' }, x: tau },
          { spec: { kernel: 'T2' }, x: echoes },
        ],
        peaks: twoPeaks,
        snr,
        seed: 11,
      }).data;
    const noisy = invert({ axes, data: data(60) });
    expect(noisy.method).toBe('tikhonov');
    expect(noisy.methodReason).toMatch(/SNR [56]\d(\.\d)? < 200\)/);
    expect(noisy.distribution).toEqual(invert({ axes, data: data(60) }, { method: 'tikhonov' }).distribution);
    const clean = invert({ axes, data: data(1000) });
    expect(clean.method).toBe('upen');
    expect(clean.distribution).toEqual(invert({ axes, data: data(1000) }, { method: 'upen' }).distribution);
    // A fixed α is a Tikhonov parameter: auto honours it whatever the SNR.
    const fixed = invert({ axes, data: data(1000) }, { alpha: 0.01 });
    expect(fixed.method).toBe('tikhonov');
    expect(fixed.solver.alpha).toBe(0.01);
    expect(fixed.methodReason).toMatch(/given α/);
    // …in 1D too, where auto otherwise takes UPEN.
    const decay = simulate({
      axes: [{ spec: { kernel: 'T2' }, x: echoes }],
      peaks: [{ position: [0.02], width: [0.1], fraction: 1 }],
      snr: 300,
      seed: 4,
    });
    const oneD = invert({ axes: [{ kernel: 'T2', values: echoes }], data: decay.data }, { alpha: 0.05 });
    expect(oneD.method).toBe('tikhonov');
    expect(oneD.solver.alpha).toBe(0.05);
    expect(invert({ axes: [{ kernel: 'T2', values: echoes }], data: decay.data }).method).toBe('upen');
  });

  it('ignoring a known imperfect inversion would be worse than estimating it', () => {
    const sim = simulate({
      axes: [
        { spec: { kernel: 'T1-IR', beta: 0.8 }, x: tau },
        { spec: { kernel: 'T2' }, x: echoes },
      ],
      peaks: twoPeaks,
      snr: 1000,
      seed: 4,
    });
    const naive = invert({
      axes: [
        { kernel: 'T1-IR', values: tau, beta: 1 },
        { kernel: 'T2', values: echoes },
      ],
      data: sim.data,
    });
    const estimated = invert({
      axes: [
        { kernel: 'T1-IR', values: tau },
        { kernel: 'T2', values: echoes },
      ],
      data: sim.data,
    });
    const score = (r: typeof naive) =>
      scorePeaks(
        sim.peaks,
        findPeaks(
          r.distribution,
          r.axes.map((a) => a.values),
        ).peaks,
      );
    const good = score(estimated);
    const bad = score(naive);
    expect(estimated.solver.relativeResidual).toBeLessThan(naive.solver.relativeResidual);
    expect(good.worstFractionError).toBeLessThan(0.02);
    // with β = 1 assumed, signal that never inverted shows up as extra population and the fractions go wrong
    expect(bad.worstFractionError + bad.spurious.length).toBeGreaterThan(2 * good.worstFractionError);
  });

  it('rejects inconsistent input with RangeError', () => {
    expect(() => invert({ axes: [{ kernel: 'T2', values: echoes }], data: new Float64Array(10) })).toThrow(RangeError);
    const bad = Float64Array.from(echoes, () => 1);
    bad[3] = NaN;
    expect(() => invert({ axes: [{ kernel: 'T2', values: echoes }], data: bad })).toThrow(/not finite/);
  });
});
