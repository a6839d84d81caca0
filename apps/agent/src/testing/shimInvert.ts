/**
 * TEST ONLY — a stand-in for @lapis/physics `invert` (plain Tikhonov on an automatic grid) so that the command and
 * the result builder can be tested in-process while the real orchestrator evolves. The command itself always
 * uses the real `invert`; the end-to-end tests spawn the real bin.
 */
import { autoGrid, axisNameOf, axisUnitOf, iltTikhonov, kernelMatrix, problem1d } from '@lapis/physics';
import type { Inversion, InvertInput, InvertOptions } from '@lapis/physics';

export function shimInvert(input: InvertInput, options: InvertOptions = {}): Inversion {
  const t0 = performance.now();
  const n = options.grid ?? (input.axes.length === 2 ? 32 : 64);
  const grids = input.axes.map((a, d) => {
    const range = options.ranges?.[d];
    return autoGrid(a.kernel, a.values, { n, ...(range ? { range } : {}) });
  });
  const ks = input.axes.map((a, d) => kernelMatrix({ kernel: a.kernel, beta: a.beta }, a.values, grids[d]!.values));
  const problem = ks.length === 2 ? { k1: ks[0]!, k2: ks[1]!, data: input.data } : problem1d(ks[0]!, input.data);
  const solver = iltTikhonov(problem, options.sigma !== undefined ? { sigma: options.sigma } : {});
  return {
    method: 'tikhonov',
    methodReason: 'test stand-in',
    axes: input.axes.map((a, d) => {
      const name = axisNameOf(a.kernel);
      return { name, unit: axisUnitOf(name), values: grids[d]!.values, sensitive: grids[d]!.sensitive };
    }),
    distribution: solver.distribution,
    solver,
    warnings: [],
    elapsedMs: performance.now() - t0,
  };
}
