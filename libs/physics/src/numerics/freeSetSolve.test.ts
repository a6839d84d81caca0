/**
 * UPEN's free-set solver with the WebAssembly kernels (one call builds and factors the system) and on its TypeScript
 * path: the same solutions to the bit on random free sets and penalty weights, through solve and factorise, and the
 * same refusals (a set larger than maxFree).
 */
import { describe, expect, it } from 'vitest';
import { compress } from './compress';
import { compressedOperator } from './compressedOperator';
import { freeSetSolver } from './freeSetSolve';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { logGrid } from '../grids/logGrid';
import { createRng } from '../simulate/rng';
import { withoutWasmKernels } from '../wasm/kernels';

describe('freeSetSolver: kernels = TypeScript', () => {
  it.each([
    [91, 0.05],
    [92, 0.2],
  ])('seed %i, a free set of %s of the cells', (seed, share) => {
    const rng = createRng(seed);
    const tau = logGrid(1e-4, 5, 24);
    const echoes = Float64Array.from({ length: 600 }, (_, i) => (i + 1) * 5e-4);
    const [n1, n2] = [32, 40];
    const k1 = kernelMatrix({ kernel: 'T1-IR' }, tau, logGrid(1e-4, 10, n1));
    const k2 = kernelMatrix({ kernel: 'T2' }, echoes, logGrid(1e-3, 3, n2));
    const data = Float64Array.from(
      { length: tau.length * echoes.length },
      (_, k) =>
        Math.exp(-(k % echoes.length) / 200) * (1 - 1.9 * Math.exp(-Math.floor(k / echoes.length) / 5)) +
        1e-3 * rng.normal(),
    );
    const free = Uint8Array.from({ length: n1 * n2 }, () => (rng.next() < share ? 1 : 0));
    const lambda = Float64Array.from({ length: n1 * n2 }, () => 10 ** rng.uniform(-3, 1));
    const rhs = Float64Array.from({ length: n1 * n2 }, () => rng.normal());
    const run = () => {
      const cp = compress({ k1, k2, data });
      const solver = freeSetSolver(compressedOperator(cp), cp.m, { n1, n2 });
      const f = new Float64Array(n1 * n2);
      const solved = solver.solve(free, lambda, f);
      const again = new Float64Array(n1 * n2);
      solver.factorise(free, lambda)!(rhs, again);
      const small = freeSetSolver(compressedOperator(cp), cp.m, { n1, n2 }, 3);
      return [solved, Array.from(f), Array.from(again), small.solve(free, lambda, new Float64Array(n1 * n2))];
    };
    const w = run();
    expect(w[0]).toBe(true);
    expect((w[1] as number[]).some((v) => v !== 0)).toBe(true);
    expect(w[3]).toBe(false);
    expect(w).toEqual(withoutWasmKernels(run));
  });
});
