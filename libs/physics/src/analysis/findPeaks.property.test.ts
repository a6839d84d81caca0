import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logGrid } from '../grids/logGrid';
import { createRng } from '../simulate/rng';
import { withoutWasmKernels } from '../wasm/kernels';
import { findPeaks } from './findPeaks';

const popArb = fc.record({
  mu: fc.tuple(fc.double({ min: -3.5, max: 0.5, noNaN: true }), fc.double({ min: -3.5, max: 0.5, noNaN: true })),
  sigma: fc.tuple(fc.double({ min: 0.04, max: 0.6, noNaN: true }), fc.double({ min: 0.04, max: 0.6, noNaN: true })),
  weight: fc.double({ min: 0.01, max: 1, noNaN: true }),
});
const mapArb = fc.record({
  pops: fc.array(popArb, { minLength: 1, maxLength: 4 }),
  ripple: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
  twoD: fc.boolean(),
});

const g1 = logGrid(1e-4, 10, 48);
const g2 = logGrid(1e-4, 10, 40);

type MapSpec = typeof mapArb extends fc.Arbitrary<infer T> ? T : never;

function build(m: MapSpec): { d: Float64Array; axes: Float64Array[] } {
  const axes = m.twoD ? [g1, g2] : [g1];
  const n2 = m.twoD ? g2.length : 1;
  const d = new Float64Array(g1.length * n2);
  for (let i = 0; i < g1.length; i++) {
    for (let j = 0; j < n2; j++) {
      let f = 0;
      for (const p of m.pops) {
        let e = ((Math.log10(g1[i]!) - p.mu[0]) / p.sigma[0]) ** 2;
        if (m.twoD) e += ((Math.log10(g2[j]!) - p.mu[1]) / p.sigma[1]) ** 2;
        f += p.weight * Math.exp(-e / 2);
      }
      // a deterministic ripple, possibly negative, to exercise clipping
      d[i * n2 + j] = f + m.ripple * Math.sin(7.3 * i + 3.1 * j);
    }
  }
  return { d, axes };
}

describe('findPeaks invariants', () => {
  it('gives disjoint regions, consistent amplitudes, fractions ≤ 1 in sum, sorted, positions inside extents', () => {
    fc.assert(
      fc.property(mapArb, (m) => {
        const { d, axes } = build(m);
        const res = findPeaks(d, axes);
        const seen = new Set<number>();
        let sum = 0;
        res.peaks.forEach((p, k) => {
          if (k > 0) expect(p.fraction).toBeLessThanOrEqual(res.peaks[k - 1]!.fraction);
          sum += p.fraction;
          let a = 0;
          for (let q = 0; q < p.region.length; q++) {
            const c = p.region[q]!;
            if (q > 0) expect(c).toBeGreaterThan(p.region[q - 1]!);
            expect(seen.has(c)).toBe(false);
            seen.add(c);
            a += Math.max(0, d[c]!);
          }
          expect(p.amplitude).toBeCloseTo(a, 10);
          expect(p.fraction).toBeCloseTo(a / res.total, 12);
          expect(Array.from(p.region)).toContain(p.maxIndex);
          expect(p.height).toBe(d[p.maxIndex]);
          p.position.forEach((y, ax) => {
            expect(y).toBeGreaterThanOrEqual(p.extent[ax]![0] * (1 - 1e-12));
            expect(y).toBeLessThanOrEqual(p.extent[ax]![1] * (1 + 1e-12));
          });
        });
        expect(sum).toBeLessThanOrEqual(1 + 1e-12);
        expect(res.unlistedFraction).toBeCloseTo(Math.max(0, 1 - sum), 12);
      }),
      { numRuns: 60, seed: 20261121 },
    );
  });

  it('does not depend on the scale of the amplitudes', () => {
    fc.assert(
      fc.property(mapArb, fc.integer({ min: -40, max: 40 }), (m, k) => {
        const { d, axes } = build(m);
        const a = findPeaks(d, axes);
        const b = findPeaks(
          d.map((x) => x * 2 ** k),
          axes,
        );
        expect(b.peaks.map((p) => p.position)).toEqual(a.peaks.map((p) => p.position));
        expect(b.peaks.map((p) => p.fraction)).toEqual(a.peaks.map((p) => p.fraction));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('lists the same peaks, to the bit, with the WebAssembly watershed as with the TypeScript one', () => {
    const options = fc.record({
      threshold: fc.double({ min: 0, max: 0.2, noNaN: true }),
      saddleRatio: fc.double({ min: 0.3, max: 1, noNaN: true }),
      minSplitFraction: fc.double({ min: 0, max: 0.05, noNaN: true }),
      connectivity: fc.constantFrom(4 as const, 8 as const),
    });
    // noise (many small basins and saddles) and plateaus (ties in the flooding order) on top of the populations
    const extra = fc.record({
      noise: fc.double({ min: 0, max: 0.05, noNaN: true }),
      seed: fc.nat(),
      ties: fc.boolean(),
    });
    const plain = (v: unknown) => (v instanceof Int32Array ? Array.from(v) : v);
    fc.assert(
      fc.property(mapArb, options, extra, (m, o, x) => {
        const { d, axes } = build(m);
        const rng = createRng(x.seed);
        for (let c = 0; c < d.length; c++) d[c] = x.ties && c % 5 === 0 ? 0.25 : d[c]! + x.noise * rng.normal();
        const kernels = JSON.stringify(findPeaks(d, axes, o), (_, v: unknown) => plain(v));
        const typescript = JSON.stringify(
          withoutWasmKernels(() => findPeaks(d, axes, o)),
          (_, v: unknown) => plain(v),
        );
        expect(kernels).toBe(typescript);
      }),
      { numRuns: 80, seed: Date.now() % 100000 },
    );
  });
});
