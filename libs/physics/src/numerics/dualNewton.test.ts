/**
 * The dual Newton solver and the Cholesky solve with the WebAssembly kernels and on their TypeScript paths: the same
 * iterates to the bit — the dual vector, the map, the active cells, the iteration count — over regularisation
 * strengths from over- to under-smoothed, through both Newton routes (active cells and pairs).
 */
import { describe, expect, it } from 'vitest';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { logGrid } from '../grids/logGrid';
import { createRng } from '../simulate/rng';
import { withoutWasmKernels } from '../wasm/kernels';
import { compress } from './compress';
import { compressedOperator } from './compressedOperator';
import { dualNewton } from './dualNewton';

describe('dual Newton: kernels = TypeScript', () => {
  it.each([
    [101, 1e-1],
    [102, 1e-3],
    [103, 1e-6],
  ])('seed %i, α %s', (seed, alpha) => {
    const rng = createRng(seed);
    const tau = logGrid(1e-4, 5, 24);
    const echoes = Float64Array.from({ length: 700 }, (_, i) => (i + 1) * 4e-4);
    const k1 = kernelMatrix({ kernel: 'T1-IR' }, tau, logGrid(1e-4, 10, 36));
    const k2 = kernelMatrix({ kernel: 'T2' }, echoes, logGrid(1e-3, 3, 40));
    const data = Float64Array.from(
      { length: tau.length * echoes.length },
      (_, k) =>
        Math.exp(-(k % echoes.length) / 150) * (1 - 1.9 * Math.exp(-Math.floor(k / echoes.length) / 7)) +
        2e-3 * rng.normal(),
    );
    const run = () => {
      const cp = compress({ k1, k2, data });
      const r = dualNewton(compressedOperator(cp), cp.m, 0, alpha);
      return [Array.from(r.c), Array.from(r.f), Array.from(r.mask), r.iterations, r.converged, r.residual2];
    };
    const w = run();
    expect(w[3]).toBeGreaterThan(2);
    expect((w[1] as number[]).some((v) => v > 0)).toBe(true);
    expect(w).toEqual(withoutWasmKernels(run));
  });

  it.each([1, 5, 64, 301])('choleskySolveInPlace, %i unknowns, in larger buffers', (n) => {
    const rng = createRng(n);
    const a = new Float64Array(n * n + 7);
    for (let p = 0; p < n; p++) {
      for (let q = 0; q <= p; q++) a[p * n + q] = a[q * n + p] = rng.normal() / n;
      a[p * n + p]! += 2;
    }
    expect(choleskyInPlace(a, n)).toBe(true);
    const b = Float64Array.from({ length: n + 3 }, () => rng.normal());
    const x = Float64Array.from(b);
    const y = Float64Array.from(b);
    choleskySolveInPlace(a, n, x);
    withoutWasmKernels(() => choleskySolveInPlace(a, n, y));
    expect(Array.from(x)).toEqual(Array.from(y));
    expect(Array.from(x.subarray(n))).toEqual(Array.from(b.subarray(n)));
  });
});
