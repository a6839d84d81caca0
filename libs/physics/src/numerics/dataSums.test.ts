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
import { gramDiagonal } from './boundedQuadratic';
import { compress } from './compress';
import { absRowColSums, maxAbsFinite, residualEnergy, squaresAndMaxAbs } from './dataSums';

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
    'KᵀK of a %i-point log-spaced kernel (no closed form) and its compressed diagonal',
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
    },
  );
});
