/**
 * A population just past the slow end of what the acquisition samples stays on the map: the automatic grid is extended
 * a decade on that side (invert), where it had been pinned at the grid's end.
 */
import { describe, expect, it } from 'vitest';
import { findPeaks } from '../analysis/findPeaks';
import { simulate } from '../simulate/simulate';
import { invert } from './invert';
import { replicateDistributions } from './replicateDistributions';

describe('invert: a population at the slow edge', () => {
  // D–T2: 24 b-values up to 2e10 s/m² (1/b_max = 5e-11 m²/s), 2000 echoes of 200 µs
  const b = Float64Array.from({ length: 24 }, (_, i) => 2e10 * ((i + 1) / 24) ** 2);
  const echoes = Float64Array.from({ length: 2000 }, (_, i) => (i + 1) * 2e-4);
  const axes = [
    { kernel: 'D' as const, values: b },
    { kernel: 'T2' as const, values: echoes },
  ] as const;

  it('slow diffusion, D = 1.5e-11 m²/s: found within 0.02 decade on an extended grid, with a warning', () => {
    for (const seed of [1, 2, 3]) {
      const sim = simulate({
        axes: [
          { spec: { kernel: 'D' }, x: b },
          { spec: { kernel: 'T2' }, x: echoes },
        ],
        peaks: [
          { position: [1.5e-11, 0.05], width: [0.08, 0.08], fraction: 0.6 },
          { position: [2e-9, 0.2], width: [0.08, 0.08], fraction: 0.4 },
        ],
        snr: 500,
        seed,
      });
      const r = invert({ axes: [...axes], data: sim.data });
      // the default grid would end at 1/(3·b_max) = 1.67e-11
      expect(r.axes[0]!.values[0]!).toBeLessThan(2e-12);
      expect(r.warnings.join()).toMatch(/grid was extended down to .* m2\/s, past what the acquisition samples/);
      const slow = findPeaks(
        r.distribution,
        r.axes.map((a) => a.values),
      ).peaks.find((p) => p.position[0]! < 1e-10)!;
      expect(Math.abs(Math.log10(slow.position[0]! / 1.5e-11)), `seed ${seed}`).toBeLessThan(0.02);
      expect(slow.atEdge).toBe(false);
    }
  });

  it('an extended map keeps its spacing, and solvers that re-invert their noise draws use its own grids', () => {
    const sim = simulate({
      axes: [
        { spec: { kernel: 'D' }, x: b },
        { spec: { kernel: 'T2' }, x: echoes },
      ],
      peaks: [{ position: [1.5e-11, 0.05], width: [0.08, 0.08], fraction: 1 }],
      snr: 300,
      seed: 5,
    });
    const r = invert({ axes: [...axes], data: sim.data }, { method: 'sparse' });
    const [d, t2] = r.axes.map((a) => a.values);
    expect(d!.length).toBeGreaterThan(64);
    expect(t2!.length).toBe(64);
    // the default D grid: 64 points from 1/(3·b_max) to 3/b_min; the extended one a decade further at the same step
    const defaultStep = Math.log10(3 / b[0]! / (1 / (3 * b[b.length - 1]!))) / 63;
    expect(Math.log10(d![1]! / d![0]!) / defaultStep).toBeCloseTo(1, 1);
    expect(d![0]!).toBeCloseTo(1 / (30 * b[b.length - 1]!), 20);
    const draws = replicateDistributions({ axes: [...axes], data: sim.data }, r, { count: 2, seed: 1 });
    for (const m of draws) expect(m.length).toBe(d!.length * 64);
  });

  it('leaves the grid alone when nothing sits at its edge', () => {
    const sim = simulate({
      axes: [
        { spec: { kernel: 'D' }, x: b },
        { spec: { kernel: 'T2' }, x: echoes },
      ],
      peaks: [{ position: [1e-9, 0.05], width: [0.1, 0.1], fraction: 1 }],
      snr: 500,
      seed: 4,
    });
    const r = invert({ axes: [...axes], data: sim.data });
    expect(r.axes[0]!.values[0]!).toBeCloseTo(1 / (3 * 2e10), 20);
    expect(r.warnings.join()).not.toMatch(/extended/);
  });
});
