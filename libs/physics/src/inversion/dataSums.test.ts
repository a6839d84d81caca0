/** dataSums.ts with the WebAssembly kernels and on its TypeScript path: the same bits, the same refusals. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../simulate/rng';
import { withoutWasmKernels } from '../wasm/kernels';
import { maxAbsFinite, residualEnergy } from './dataSums';

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
});
