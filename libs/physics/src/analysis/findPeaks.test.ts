import { describe, expect, it } from 'vitest';
import { logGrid } from '../grids/logGrid';
import { createRng } from '../simulate/rng';
import { findPeaks } from './findPeaks';

interface Pop {
  /** log10 of the centre per axis */
  mu: number[];
  /** width per axis, decades */
  sigma: number[];
  fraction: number;
}

/** Sum of log-normals sampled at the grid nodes, each normalised on the grid so its cells sum to its fraction. */
function map(axes: Float64Array[], pops: Pop[]): Float64Array {
  const n1 = axes[0]!.length;
  const n2 = axes[1]?.length ?? 1;
  const out = new Float64Array(n1 * n2);
  for (const p of pops) {
    const one = new Float64Array(n1 * n2);
    let s = 0;
    for (let i = 0; i < n1; i++) {
      for (let j = 0; j < n2; j++) {
        let e = ((Math.log10(axes[0]![i]!) - p.mu[0]!) / p.sigma[0]!) ** 2;
        if (axes[1]) e += ((Math.log10(axes[1][j]!) - p.mu[1]!) / p.sigma[1]!) ** 2;
        const f = Math.exp(-e / 2);
        one[i * n2 + j] = f;
        s += f;
      }
    }
    for (let c = 0; c < out.length; c++) out[c]! += (p.fraction * one[c]!) / s;
  }
  return out;
}

const log = Math.log10;
/** A log10 value halfway between two nodes of the grid. */
const between = (g: Float64Array, i: number) => (log(g[i]!) + log(g[i + 1]!)) / 2;

describe('findPeaks 1D', () => {
  const grid = logGrid(1e-4, 10, 100); // 0.0505 decade per step

  it('finds one peak at its geometric mean even between grid nodes', () => {
    const mu = between(grid, 41) + 0.01;
    const res = findPeaks(map([grid], [{ mu: [mu], sigma: [0.15], fraction: 1 }]), [grid]);
    expect(res.peaks).toHaveLength(1);
    const p = res.peaks[0]!;
    expect(Math.abs(log(p.position[0]!) - mu)).toBeLessThan(0.005);
    // not snapped: the nearest node is ~0.015 decade away
    const nearest = Math.min(...Array.from(grid, (y) => Math.abs(log(y) - log(p.position[0]!))));
    expect(nearest).toBeGreaterThan(0.01);
    expect(p.fraction).toBeGreaterThan(0.995);
    expect(p.fraction).toBeLessThanOrEqual(1);
    expect(p.amplitude).toBeCloseTo(p.fraction * res.total, 12);
    expect(p.widthDecades[0]).toBeCloseTo(0.15, 2);
    expect(p.extent[0]![0]).toBeLessThan(10 ** mu);
    expect(p.extent[0]![1]).toBeGreaterThan(10 ** mu);
    expect(p.maxIndex === 41 || p.maxIndex === 42).toBe(true);
    expect(p.atEdge).toBe(false);
    // the region is contiguous and sorted
    for (let k = 1; k < p.region.length; k++) expect(p.region[k]).toBe(p.region[k - 1]! + 1);
    expect(res.warnings).toEqual([]);
  });

  it('separates two peaks a decade apart with the right fractions, largest first', () => {
    const pops = [
      { mu: [-3.13], sigma: [0.15], fraction: 0.3 },
      { mu: [-2.13], sigma: [0.2], fraction: 0.7 },
    ];
    const res = findPeaks(map([grid], pops), [grid]);
    expect(res.peaks).toHaveLength(2);
    const [a, b] = res.peaks;
    expect(Math.abs(a!.fraction - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(b!.fraction - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(log(a!.position[0]!) + 2.13)).toBeLessThan(0.01);
    expect(Math.abs(log(b!.position[0]!) + 3.13)).toBeLessThan(0.01);
    expect(a!.fraction + b!.fraction).toBeLessThanOrEqual(1);
    // regions do not overlap
    const sa = new Set(a!.region);
    expect(Array.from(b!.region).some((c) => sa.has(c))).toBe(false);
  });

  const fine = logGrid(1e-4, 10, 200); // 0.025 decade per step
  const pair = (sigma: number) => [
    { mu: [-2.02], sigma: [sigma], fraction: 0.5 },
    { mu: [-1.72], sigma: [sigma], fraction: 0.5 },
  ];

  it('keeps two log-normals 0.3 decade apart with a shallow saddle as one peak', () => {
    // σ = 0.12: separation 2.5σ, saddle ≈ 0.9 × maximum
    const res = findPeaks(map([fine], pair(0.12)), [fine]);
    expect(res.peaks).toHaveLength(1);
    expect(Math.abs(log(res.peaks[0]!.position[0]!) + 1.87)).toBeLessThan(0.005);
    expect(res.peaks[0]!.fraction).toBeGreaterThan(0.99);
  });

  it('splits the same pair when the saddle is deep', () => {
    // σ = 0.06: separation 5σ, saddle ≈ 0.09 × maximum
    const res = findPeaks(map([fine], pair(0.06)), [fine]);
    expect(res.peaks).toHaveLength(2);
    const pos = res.peaks.map((p) => log(p.position[0]!)).sort((x, y) => x - y);
    expect(Math.abs(pos[0]! + 2.02)).toBeLessThan(0.01);
    expect(Math.abs(pos[1]! + 1.72)).toBeLessThan(0.01);
    for (const p of res.peaks) expect(Math.abs(p.fraction - 0.5)).toBeLessThan(0.01);
  });

  it('lets saddleRatio decide: a stricter ratio splits the shallow pair', () => {
    const d = map([fine], pair(0.12));
    expect(findPeaks(d, [fine], { saddleRatio: 0.95 }).peaks).toHaveLength(2);
    expect(findPeaks(d, [fine], { saddleRatio: 0.5 }).peaks).toHaveLength(1);
  });

  it('does not split a broad peak with 1 % noise ripples (relative or absolute)', () => {
    const base = map([grid], [{ mu: [-1.5], sigma: [0.5], fraction: 1 }]);
    const max = Math.max(...base);
    let gained = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const rng = createRng(seed);
      const rel = base.map((f) => f * (1 + 0.01 * rng.normal()));
      const abs = base.map((f) => Math.max(0, f + 0.01 * max * rng.normal()));
      for (const d of [rel, abs]) {
        const res = findPeaks(d, [grid]);
        expect(res.peaks).toHaveLength(1);
        expect(Math.abs(log(res.peaks[0]!.position[0]!) + 1.5)).toBeLessThan(0.03);
        expect(res.peaks[0]!.fraction).toBeGreaterThan(0.985);
      }
      // ripple bumps on the tails stay with the population (minSplitFraction) instead of taking mass from it
      const withRule = findPeaks(abs, [grid], { minFraction: 0.002 }).peaks[0]!.fraction;
      const without = findPeaks(abs, [grid], { minFraction: 0.002, minSplitFraction: 0 }).peaks[0]!.fraction;
      expect(withRule).toBeGreaterThanOrEqual(without);
      gained += withRule - without;
    }
    expect(gained).toBeGreaterThan(0.01);
  });

  it('drops populations below minFraction from the list but keeps their mass in the total', () => {
    const pops = [
      { mu: [-2.5], sigma: [0.15], fraction: 0.995 },
      { mu: [0], sigma: [0.1], fraction: 0.005 },
    ];
    const res = findPeaks(map([grid], pops), [grid]);
    expect(res.peaks).toHaveLength(1);
    expect(res.peaks[0]!.fraction).toBeLessThan(0.996);
    expect(res.unlistedFraction).toBeGreaterThan(0.004);
    expect(res.total).toBeCloseTo(1, 10);
    expect(findPeaks(map([grid], pops), [grid], { minFraction: 0.001 }).peaks).toHaveLength(2);
  });

  it('flags a peak running off the grid, clips negative ripples with a warning', () => {
    const d = map([grid], [{ mu: [0.9], sigma: [0.3], fraction: 1 }]);
    const res = findPeaks(d, [grid]);
    expect(res.peaks[0]!.atEdge).toBe(true);
    expect(res.warnings.join()).toMatch(/edge/);
    const neg = map([grid], [{ mu: [-2], sigma: [0.2], fraction: 1 }]);
    neg[5] = -0.05;
    const r2 = findPeaks(neg, [grid]);
    expect(r2.peaks).toHaveLength(1);
    expect(r2.warnings.join()).toMatch(/negative/);
    expect(findPeaks(new Float64Array(100), [grid]).peaks).toEqual([]);
  });

  it('accepts a decreasing grid and gives the same positions', () => {
    const d = map([grid], [{ mu: [-2.2], sigma: [0.15], fraction: 1 }]);
    const rev = findPeaks(d.slice().reverse(), [grid.slice().reverse()]);
    expect(Math.abs(log(rev.peaks[0]!.position[0]!) + 2.2)).toBeLessThan(0.005);
  });

  it('rejects misuse early', () => {
    expect(() => findPeaks(new Float64Array(5), [grid])).toThrow(RangeError);
    expect(() => findPeaks([1, 2] as unknown as Float64Array, [grid])).toThrow(TypeError);
    expect(() => findPeaks(new Float64Array(3), [new Float64Array([1, 3, 2])])).toThrow(/monotonic/);
    expect(() => findPeaks(new Float64Array(3), [new Float64Array([-1, 2, 3])])).toThrow(RangeError);
    expect(() => findPeaks(new Float64Array(100), [grid], { saddleRatio: 0 })).toThrow(RangeError);
    expect(() => findPeaks(new Float64Array(100).fill(Number.NaN), [grid])).toThrow(/finite/);
  });
});

describe('findPeaks 2D', () => {
  const t1 = logGrid(1e-3, 10, 64); // 0.0635 decade per step
  const t2 = logGrid(1e-4, 1, 64);

  it('finds one 2D peak at its geometric mean between nodes on both axes', () => {
    const mu = [between(t1, 30), between(t2, 20) + 0.012];
    const res = findPeaks(map([t1, t2], [{ mu, sigma: [0.2, 0.15], fraction: 1 }]), [t1, t2]);
    expect(res.peaks).toHaveLength(1);
    const p = res.peaks[0]!;
    expect(Math.abs(log(p.position[0]!) - mu[0]!)).toBeLessThan(0.005);
    expect(Math.abs(log(p.position[1]!) - mu[1]!)).toBeLessThan(0.005);
    expect(p.widthDecades[0]).toBeCloseTo(0.2, 2);
    expect(p.widthDecades[1]).toBeCloseTo(0.15, 2);
    expect(p.fraction).toBeGreaterThan(0.99);
    expect(p.extent).toHaveLength(2);
  });

  it('separates two populations a decade apart with their fractions', () => {
    const pops = [
      { mu: [-1.5, -2.5], sigma: [0.15, 0.15], fraction: 0.6 },
      { mu: [-0.5, -1.5], sigma: [0.2, 0.15], fraction: 0.4 },
    ];
    const res = findPeaks(map([t1, t2], pops), [t1, t2]);
    expect(res.peaks).toHaveLength(2);
    expect(Math.abs(res.peaks[0]!.fraction - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(res.peaks[1]!.fraction - 0.4)).toBeLessThan(0.01);
    expect(Math.abs(log(res.peaks[1]!.position[0]!) + 0.5)).toBeLessThan(0.01);
    expect(Math.abs(log(res.peaks[1]!.position[1]!) + 1.5)).toBeLessThan(0.01);
  });

  it('merges a shallow saddle and splits a deep one, 0.3 decade apart along T2', () => {
    const f1 = logGrid(1e-3, 10, 80);
    const f2 = logGrid(1e-4, 1, 160); // 0.025 decade per step
    const pair = (s: number) => [
      { mu: [-1, -2.2], sigma: [0.2, s], fraction: 0.5 },
      { mu: [-1, -1.9], sigma: [0.2, s], fraction: 0.5 },
    ];
    expect(findPeaks(map([f1, f2], pair(0.12)), [f1, f2]).peaks).toHaveLength(1);
    const deep = findPeaks(map([f1, f2], pair(0.06)), [f1, f2]);
    expect(deep.peaks).toHaveLength(2);
    for (const p of deep.peaks) expect(Math.abs(p.fraction - 0.5)).toBeLessThan(0.01);
  });

  it('does not split a broad 2D population with 1 % ripples', () => {
    const base = map([t1, t2], [{ mu: [-1, -2], sigma: [0.5, 0.4], fraction: 1 }]);
    const max = Math.max(...base);
    for (let seed = 11; seed <= 13; seed++) {
      const rng = createRng(seed);
      const rel = base.map((f) => f * (1 + 0.01 * rng.normal()));
      const abs = base.map((f) => Math.max(0, f + 0.01 * max * rng.normal()));
      for (const d of [rel, abs]) {
        const res = findPeaks(d, [t1, t2]);
        expect(res.peaks).toHaveLength(1);
        expect(Math.abs(log(res.peaks[0]!.position[0]!) + 1)).toBeLessThan(0.03);
        expect(Math.abs(log(res.peaks[0]!.position[1]!) + 2)).toBeLessThan(0.03);
      }
      // ~4 % of the total here is clipped baseline noise; ripple basins split off would take another ~1.5 %
      expect(findPeaks(abs, [t1, t2]).peaks[0]!.fraction).toBeGreaterThan(0.973);
    }
  });

  it('joins blocks touching at a corner with 8-connectivity, not with 4', () => {
    const g = logGrid(1e-3, 1, 6);
    const d = new Float64Array(36);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) d[i * 6 + j] = 1;
    for (let i = 3; i < 6; i++) for (let j = 3; j < 6; j++) d[i * 6 + j] = 1;
    expect(findPeaks(d, [g, g]).peaks).toHaveLength(1);
    const four = findPeaks(d, [g, g], { connectivity: 4 });
    expect(four.peaks).toHaveLength(2);
    expect(four.peaks.map((p) => p.fraction)).toEqual([0.5, 0.5]);
  });

  it('checks the shape against the axes', () => {
    expect(() => findPeaks(new Float64Array(64 * 63), [t1, t2])).toThrow(/64 × 64/);
  });
});
