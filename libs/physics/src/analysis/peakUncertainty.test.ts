import { describe, expect, it } from 'vitest';
import { findPeaks, invert, logGrid, peakUncertainty, replicateDistributions, simulate } from '../index';
import type { Peak } from './types';

/**
 * The bootstrap spread must match the spread of the estimate over truly repeated acquisitions (independent noise
 * draws of the same truth): that is what it claims to be.
 */
function repeatability(kind: '1D' | '2D', snr: number, repeats: number) {
  const axes =
    kind === '1D'
      ? [{ spec: { kernel: 'T2' as const }, x: Float64Array.from({ length: 1500 }, (_, i) => (i + 1) * 2e-4) }]
      : [
          { spec: { kernel: 'T1-IR' as const }, x: logGrid(1e-3, 5, 24) },
          { spec: { kernel: 'T2' as const }, x: Float64Array.from({ length: 600 }, (_, i) => (i + 1) * 5e-4) },
        ];
  const peaks =
    kind === '1D'
      ? [{ position: [0.02], width: [0.1], fraction: 1 }]
      : [{ position: [0.1, 0.03], width: [0.1, 0.1], fraction: 1 }];
  const positions: number[][] = [];
  const sds: number[][] = [];
  for (let seed = 1; seed <= repeats; seed++) {
    const sim = simulate({ axes: axes as never, peaks, snr, seed });
    const input = {
      axes: axes.map((a) => ({
        kernel: a.spec.kernel,
        values: a.x,
        ...(a.spec.kernel === 'T1-IR' ? { beta: 1 } : {}),
      })) as never,
      data: sim.data,
    };
    const inv = invert(input);
    const grid = inv.axes.map((a) => a.values);
    const found = findPeaks(inv.distribution, grid).peaks;
    const main = found.reduce((a, b) => (b.fraction > a.fraction ? b : a));
    const [u] = peakUncertainty([main], grid, replicateDistributions(input, inv, { count: 24, seed }));
    expect(u!.replicates).toBe(24);
    expect(u!.detected).toBe(1);
    positions.push(main.position.map((v) => Math.log10(v)));
    sds.push(u!.positionSdDecades);
  }
  const dims = positions[0]!.length;
  return Array.from({ length: dims }, (_, d) => {
    const xs = positions.map((p) => p[d]!);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const observed = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    const claimed = Math.sqrt(sds.reduce((a, s) => a + s[d]! ** 2, 0) / sds.length);
    return { observed, claimed };
  });
}

describe('peakUncertainty (parametric bootstrap)', () => {
  it('1D UPEN: the claimed spread of T2 matches the spread over repeated acquisitions', () => {
    for (const { observed, claimed } of repeatability('1D', 100, 16)) {
      expect(claimed / observed).toBeGreaterThan(0.5);
      expect(claimed / observed).toBeLessThan(2);
    }
  });

  it('2D Tikhonov: the claimed spreads of T1 and T2 match the spread over repeated acquisitions', () => {
    for (const { observed, claimed } of repeatability('2D', 100, 12)) {
      expect(claimed / observed).toBeGreaterThan(0.5);
      expect(claimed / observed).toBeLessThan(2);
    }
  });

  it('matches peaks inside their extent only, one to one, and reports how often each was found', () => {
    const x = logGrid(1e-3, 1, 50);
    const peak = (pos: number, lo: number, hi: number): Peak => ({
      position: [pos],
      fraction: 0.5,
      amplitude: 1,
      height: 1,
      maxIndex: 0,
      extent: [[lo, hi]],
      widthDecades: [0.05],
      region: new Int32Array(0),
      atEdge: false,
    });
    const bump = (centre: number) => Float64Array.from(x, (v) => Math.exp(-((Math.log10(v / centre) / 0.05) ** 2)));
    const add = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);
    // Peak A near 10 ms (extent 5–20 ms), peak B near 200 ms (100–400 ms). Draws: both, both shifted, only A.
    const maps = [add(bump(0.01), bump(0.2)), add(bump(0.011), bump(0.18)), bump(0.0105)];
    const [a, b] = peakUncertainty([peak(0.01, 0.005, 0.02), peak(0.2, 0.1, 0.4)], [x], maps);
    expect(a!.detected).toBe(1);
    expect(b!.detected).toBeCloseTo(2 / 3, 10);
    expect(a!.positionSdDecades[0]).toBeGreaterThan(0.005);
    expect(a!.positionSdDecades[0]).toBeLessThan(0.05);
    // draws at 10, 11 and 10.5 ms around a peak at 10 ms: the mean shift is the bias estimate
    const shift = (Math.log10(1.1) + Math.log10(1.05)) / 3;
    expect(a!.positionBiasDecades[0]).toBeCloseTo(shift, 2);
    expect(b!.replicates).toBe(3);
    // found in one draw only: no spread can be given
    const [c] = peakUncertainty([peak(0.2, 0.1, 0.4)], [x], [bump(0.2)]);
    expect(c!.positionSdDecades[0]).toBeNaN();
  });

  it('matches a merged peak with all the draw peaks inside its extent, taken together', () => {
    const x = logGrid(1e-3, 1, 80);
    const bump = (centre: number, h = 1) =>
      Float64Array.from(x, (v) => h * Math.exp(-((Math.log10(v / centre) / 0.04) ** 2)));
    const add = (...maps: Float64Array[]) => maps.reduce((a, b) => a.map((v, i) => v + b[i]!));
    const merged: Peak = {
      position: [0.03],
      fraction: 0.9,
      amplitude: 1,
      height: 1,
      maxIndex: 0,
      extent: [[0.01, 0.1]],
      widthDecades: [0.3],
      region: new Int32Array(0),
      atEdge: false,
      merged: { deltaChi2: 2, peaks: 2 },
    };
    // Draws: the population as two peaks (20 and 50 ms), as one (30 ms); a far peak at 500 ms outside the extent.
    const maps = [add(bump(0.02), bump(0.05), bump(0.5, 0.2)), add(bump(0.03, 2), bump(0.5, 0.2))];
    const [u] = peakUncertainty([merged], [x], maps);
    expect(u!.detected).toBe(1);
    // Both draws hold the same mass inside the extent; the first's two equal peaks average to log10 of √(20·50) ms.
    expect(u!.fractionSd).toBeLessThan(0.02);
    const mean = (Math.log10(Math.sqrt(0.02 * 0.05)) + Math.log10(0.03)) / 2;
    expect(u!.positionBiasDecades[0]).toBeCloseTo(mean - Math.log10(0.03), 2);
  });

  it('draws around another map on the same grid (a network’s, say) when given a centre', () => {
    const x = Float64Array.from({ length: 1500 }, (_, i) => (i + 1) * 2e-4);
    const sim = simulate({
      axes: [{ spec: { kernel: 'T2' }, x }],
      peaks: [{ position: [0.02], width: [0.1], fraction: 1 }],
      snr: 300,
      seed: 4,
    });
    const input = {
      axes: [{ kernel: 'T2' as const, values: x }] as [{ kernel: 'T2'; values: Float64Array }],
      data: sim.data,
    };
    for (const method of ['tikhonov', 'upen'] as const) {
      const inv = invert(input, { method });
      const grid = inv.axes.map((a) => a.values);
      // the same map moved 6 cells (6/127 of the grid's decades) towards longer T2
      const moved = new Float64Array(inv.distribution.length);
      for (let k = 6; k < moved.length; k++) moved[k] = inv.distribution[k - 6]!;
      const [own] = findPeaks(inv.distribution, grid).peaks;
      const [target] = findPeaks(moved, grid).peaks;
      const mean = (maps: Float64Array[]) =>
        maps.map((m) => Math.log10(findPeaks(m, grid).peaks[0]!.position[0]!)).reduce((a, b) => a + b, 0) / maps.length;
      const around = inv.solver.resample!(8, 3, moved);
      expect(Math.abs(mean(around) - Math.log10(target!.position[0]!))).toBeLessThan(0.02);
      expect(Math.abs(mean(inv.solver.resample!(8, 3)) - Math.log10(own!.position[0]!))).toBeLessThan(0.02);
      expect(() => inv.solver.resample!(2, 1, new Float64Array(3))).toThrow(RangeError);
    }
  });
});
