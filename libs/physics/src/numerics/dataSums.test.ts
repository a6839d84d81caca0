/**
 * Whole-data passes with the WebAssembly kernels and on their TypeScript paths — dataSums.ts, the kernels' Gram
 * matrices (gramOf) and the compressed operator's Gram diagonal: the same bits, the same refusals.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../simulate/rng';
import { withoutWasmKernels } from '../wasm/kernels';
import { gramOf } from '../linalg/kernelSvd';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { logGrid } from '../grids/logGrid';
import { unconstrainedResidual2 } from '../solvers/alphaPath';
import { gramDiagonal } from './boundedQuadratic';
import { compressedOperator } from './compressedOperator';
import { compress } from './compress';
import {
  absRowColSums,
  addScaled,
  clipPositive,
  componentResidual,
  firstNonFinite,
  geometricMeanInPlace,
  maxAbsFinite,
  positivePart,
  residualEnergy,
  scaleColumnsInPlace,
  squaresAndMaxAbs,
} from './dataSums';

function noisy(seed: number, n: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal() * 10 ** rng.uniform(-8, 3));
}

describe('dataSums: kernels = TypeScript', () => {
  it.each([
    [1, 1],
    [2, 97],
    [3, 96000],
  ])('seed %i, %i values: the largest |value| and the residual energies', (seed, n) => {
    const data = noisy(seed, n);
    const fitted = noisy(seed + 100, n + 3);
    const max = maxAbsFinite(data);
    expect(max).toBe(withoutWasmKernels(() => maxAbsFinite(data)));
    expect(max).toBe(Math.max(...Array.from(data, Math.abs)));
    const energy = residualEnergy(data, fitted);
    expect(energy).toEqual(withoutWasmKernels(() => residualEnergy(data, fitted)));
    expect(energy.dd).toBeGreaterThan(0);
    const squares = squaresAndMaxAbs(data);
    expect(squares).toEqual(withoutWasmKernels(() => squaresAndMaxAbs(data)));
    expect(squares).toEqual({ sum2: energy.dd, maxAbs: max });
  });

  it.each([Number.NaN, Infinity, -Infinity])('names the first value that is not finite (%s)', (bad) => {
    const data = noisy(4, 50);
    data[31] = bad;
    data[40] = Number.NaN;
    expect(() => maxAbsFinite(data)).toThrow(/data value 31 is not finite/);
    expect(() => withoutWasmKernels(() => maxAbsFinite(data))).toThrow(/data value 31 is not finite/);
  });

  it('all zeros: 0, and -0 counts as 0', () => {
    const zeros = Float64Array.from([0, -0, 0]);
    expect(maxAbsFinite(zeros)).toBe(0);
    expect(withoutWasmKernels(() => maxAbsFinite(zeros))).toBe(0);
  });

  it.each([
    [5, 1, 7],
    [6, 48, 2000],
    [7, 33, 3],
  ])('seed %i: |data| row and column sums of %i × %i', (seed, m1, m2) => {
    const data = noisy(seed, m1 * m2);
    const sums = absRowColSums(data, m1, m2);
    expect(sums).toEqual(withoutWasmKernels(() => absRowColSums(data, m1, m2)));
    expect(sums.rowSum.reduce((a, b) => a + b, 0)).toBeCloseTo(
      sums.colSum.reduce((a, b) => a + b, 0),
      6,
    );
  });

  it.each([7, 8, 9, 10, 64])(
    'KᵀK of a %i-point log-spaced kernel (no closed form), its compressed diagonal and unconstrained residual',
    (m) => {
      const x = logGrid(1e-4, 3, m);
      const k1 = kernelMatrix({ kernel: 'T1-IR', beta: 0.95 }, x, logGrid(1e-4, 10, 20));
      const k2 = kernelMatrix({ kernel: 'T2' }, logGrid(1e-3, 1, 3 * m), logGrid(1e-3, 3, 24));
      expect(k1.gram).toBeUndefined();
      expect(Array.from(gramOf(k1))).toEqual(Array.from(withoutWasmKernels(() => gramOf(k1))));
      const data = noisy(m, x.length * 3 * m);
      const run = () => Array.from(gramDiagonal(compress({ k1, k2, data }), new Float64Array(20 * 24)));
      const w = run();
      expect(w.some((v) => v > 0)).toBe(true);
      expect(w).toEqual(withoutWasmKernels(run));
      // the unconstrained Tikhonov residual over α (the α search's closed form)
      const cp = compress({ k1, k2, data });
      const op = compressedOperator(cp);
      const residuals = () => [1e-8, 1e-4, 1, 1e4].map((alpha) => unconstrainedResidual2(op, cp.m, alpha));
      expect(residuals()).toEqual(withoutWasmKernels(residuals));
    },
  );

  it.each([1, 17, 4096])('vector updates over %i values: y += t·x, the positive part, √(a·b)', (n) => {
    const x = noisy(n, n);
    const y = noisy(n + 1, n);
    y[0] = -0;
    if (n > 2) y[1] = Number.NaN;
    const both = <T>(run: () => T): [T, T] => [run(), withoutWasmKernels(run)];
    const [scaled, scaledTs] = both(() => {
      const out = Float64Array.from(y);
      addScaled(out, -0.37, x);
      return Array.from(out);
    });
    expect(scaled).toEqual(scaledTs);
    const [clipped, clippedTs] = both(() => {
      const out = new Float64Array(n);
      clipPositive(y, out);
      return Array.from(out, (v) => (Object.is(v, -0) ? '-0' : v));
    });
    expect(clipped).toEqual(clippedTs);
    expect(clipped.every((v) => typeof v === 'number' && v >= 0)).toBe(true);
    const a = Float64Array.from(x, Math.abs);
    const b = Float64Array.from(y, (v) => Math.abs(v) || 1);
    const [mean, meanTs] = both(() => {
      const out = Float64Array.from(a);
      geometricMeanInPlace(out, b);
      return Array.from(out);
    });
    expect(mean).toEqual(meanTs);
  });

  it.each([
    [1, 1],
    [7, 3],
    [2000, 21],
  ])('columns scaled (%i × %i), the positive part with its sums, the first value not finite', (rows, cols) => {
    const both = <T>(run: () => T): [T, T] => [run(), withoutWasmKernels(run)];
    const x = noisy(rows + cols, rows * cols);
    const scale = Float64Array.from(noisy(cols, cols), (v) => 1 / v);
    const [scaled, scaledTs] = both(() => {
      const out = Float64Array.from(x);
      scaleColumnsInPlace(out, rows, cols, scale);
      return Array.from(out);
    });
    expect(scaled).toEqual(scaledTs);
    expect(scaled[rows * cols - 1]).toBe(x[rows * cols - 1]! * scale[cols - 1]!);
    const [part, partTs] = both(() => {
      const out = new Float64Array(x.length).fill(7);
      return { sums: positivePart(x, out), out: Array.from(out) };
    });
    expect(part).toEqual(partTs);
    expect(part.out.every((v, i) => v === Math.max(0, x[i]!))).toBe(true);
    expect(part.sums.max).toBe(Math.max(0, ...x));
    const holed = Float64Array.from(x);
    expect(both(() => firstNonFinite(holed))).toEqual([-1, -1]);
    holed[holed.length - 1] = Number.NaN;
    if (holed.length > 3) holed[2] = -Infinity;
    const at = holed.length > 3 ? 2 : holed.length - 1;
    expect(both(() => firstNonFinite(holed))).toEqual([at, at]);
  });

  it('the residual of a sum of components and its χ²', () => {
    const target = noisy(21, 300);
    const signals = [noisy(22, 300), noisy(23, 300), noisy(24, 300)];
    const amps = [0.5, 2.25, 1e-3];
    const run = () => {
      const r = new Float64Array(300);
      const chi2 = componentResidual(target, signals, amps, r);
      return [chi2, Array.from(r)];
    };
    const [chi2, r] = run() as [number, number[]];
    expect([chi2, r]).toEqual(withoutWasmKernels(run));
    expect(chi2).toBeCloseTo(
      r.reduce((s, v) => s + v * v, 0),
      6,
    );
  });
});
