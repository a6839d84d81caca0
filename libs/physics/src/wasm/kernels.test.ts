/**
 * The WebAssembly kernels against their TypeScript twins: loaded wherever the repository was built (npm install,
 * npm test), and giving the same numbers — the same operations in the same order, so to the last bit — on random
 * Laplace problems of several shapes and seeds, warm-started and not, small and large enough to grow the memory.
 */
import { describe, expect, it } from 'vitest';
import { residualDiagnostics } from '../analysis/residualDiagnostics';
import { invert, type InvertAxis } from '../inversion/invert';
import { exactStep } from '../numerics/dualNewton';
import { normalEquations } from '../peaks/levenbergMarquardt';
import { ComponentModel } from '../peaks/componentModel';
import { evaluateState, jacobianColumns } from '../peaks/componentSignal';
import { compress } from '../numerics/compress';
import { compressedOperator } from '../numerics/compressedOperator';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { logGrid } from '../grids/logGrid';
import { choleskyInPlace } from '../linalg/cholesky';
import { matMul, matMulTransA, matMulTransB } from '../linalg/matMul';
import { simulate } from '../simulate/simulate';
import { applyPenalty, laplacian, penaltyDiagonal, upenWeights } from '../solvers/upenPenalty';
import { symmetricEigen } from '../linalg/symmetricEigen';
import { nnls, type NnlsOptions } from '../numerics/nnls';
import { createRng } from '../simulate/rng';
import { wasmKernelsState, withoutWasmKernels } from './kernels';

/** An m × n inversion-recovery or decay kernel on log grids and a noisy two-population curve. */
function laplaceProblem(seed: number, m: number, n: number, recovery: boolean) {
  const rng = createRng(seed);
  const tau = Array.from({ length: m }, (_, i) => 1e-3 * 10 ** ((3.3 * i) / (m - 1)));
  const grid = Array.from({ length: n }, (_, j) => 1e-3 * 10 ** ((3.6 * j) / (n - 1)));
  const beta = recovery ? rng.uniform(0.8, 1) : 0;
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const e = Math.exp(-tau[i]! / grid[j]!);
      a[i * n + j] = recovery ? 1 - (1 + beta) * e : e;
    }
  }
  const t1 = 10 ** rng.uniform(-2.5, -0.5);
  const t2 = t1 * 10 ** rng.uniform(0.5, 1.5);
  const share = rng.uniform(0.2, 0.8);
  const b = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const shape = (t: number) => (recovery ? 1 - (1 + beta) * Math.exp(-tau[i]! / t) : Math.exp(-tau[i]! / t));
    b[i] = share * shape(t1) + (1 - share) * shape(t2) + 0.003 * rng.normal();
  }
  return { a, b };
}

const built = process.env.LAPIS_WASM === '0' ? 'off' : 'loaded';

describe('WebAssembly kernels', () => {
  it(`are ${built} (built by npm install / npm test; LAPIS_WASM=0 switches them off)`, () => {
    expect(wasmKernelsState()).toBe(built);
  });

  it.each([
    [1, 48, 48, true],
    [2, 48, 48, false],
    [3, 24, 64, true],
    [4, 120, 40, false],
    [5, 2000, 64, false],
  ])('nnls: the same as TypeScript, seed %i, %i × %i, recovery %s', (seed, m, n, recovery) => {
    const { a, b } = laplaceProblem(seed, m, n, recovery);
    const same = (options: NnlsOptions) => {
      const w = nnls(a, b, m, n, options);
      const t = withoutWasmKernels(() => nnls(a, b, m, n, options));
      expect(w.residualNorm).toBe(t.residualNorm);
      expect(w.iterations).toBe(t.iterations);
      expect(w.converged).toBe(t.converged);
      expect(Array.from(w.x)).toEqual(Array.from(t.x));
      expect(Array.from(w.passive)).toEqual(Array.from(t.passive));
      return w;
    };
    const cold = same({});
    expect(cold.converged).toBe(true);
    expect(cold.x.some((v) => v > 0)).toBe(true);
    // warm-started from a neighbour's support, and from a support with columns that must leave
    const shifted = cold.passive.map((v, j) => (j > 0 && cold.passive[j - 1] ? 1 : v));
    same({ start: cold.passive });
    same({ start: shifted });
    // an iteration cap that stops it early, and a loose tolerance
    expect(same({ maxIterations: 1 }).iterations).toBeLessThanOrEqual(1);
    same({ tolerance: 1e-3 });
  });

  /** KᵀK of a T2 kernel (m echoes × n grid): the Gram matrices kernelSvd decomposes, eigenvalues down to 1e-30. */
  const kernelGram = (m: number, n: number) => {
    const { a } = laplaceProblem(1, m, n, false);
    const g = new Float64Array(n * n);
    for (let p = 0; p < n; p++)
      for (let q = 0; q < n; q++) for (let i = 0; i < m; i++) g[p * n + q]! += a[i * n + p]! * a[i * n + q]!;
    return g;
  };
  /** A random symmetric matrix, and one with repeated eigenvalues (the identity plus a rank-one part). */
  const randomSymmetric = (seed: number, n: number) => {
    const rng = createRng(seed);
    const g = new Float64Array(n * n);
    for (let p = 0; p < n; p++) for (let q = 0; q <= p; q++) g[p * n + q] = g[q * n + p] = rng.normal();
    return g;
  };
  const repeated = (n: number) => {
    const g = new Float64Array(n * n);
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) g[p * n + q] = (p === q ? 1 : 0) + 0.5;
    return g;
  };
  it.each([
    ['a 2000 × 64 kernel', 64, kernelGram(2000, 64)],
    ['a 48 × 128 kernel', 128, kernelGram(48, 128)],
    ['random, seed 7', 33, randomSymmetric(7, 33)],
    ['random, seed 8', 1, randomSymmetric(8, 1)],
    ['repeated eigenvalues', 12, repeated(12)],
  ])('symmetricEigen: the same as TypeScript, %s', (_, n, a) => {
    const w = symmetricEigen(a, n);
    const t = withoutWasmKernels(() => symmetricEigen(a, n));
    expect(Array.from(w.values)).toEqual(Array.from(t.values));
    expect(Array.from(w.vectors)).toEqual(Array.from(t.vectors));
    // and a decomposition: A·v₀ = λ₀·v₀
    let err = 0;
    for (let p = 0; p < n; p++) {
      let av = 0;
      for (let q = 0; q < n; q++) av += a[p * n + q]! * w.vectors[q * n]!;
      err = Math.max(err, Math.abs(av - w.values[0]! * w.vectors[p * n]!));
    }
    expect(err).toBeLessThan(1e-9 * Math.max(1, Math.abs(w.values[0]!)));
  });

  it.each([
    [11, 1, 1, 1],
    [12, 5, 7, 3],
    [13, 48, 64, 64],
    [14, 2000, 64, 21],
    [15, 33, 17, 9],
  ])('matMul, matMulTransA, matMulTransB: the same as TypeScript, seed %i, %i × %i · %i', (seed, m, k, n) => {
    const rng = createRng(seed);
    const fill = (length: number) => Float64Array.from({ length }, () => rng.normal());
    const a = fill(m * k);
    const b = fill(k * n);
    const bt = fill(n * k);
    // a longer array than the product reads (callers pass subarrays), and a given output buffer
    const at = fill(k * m + 5);
    const cases: [string, () => Float64Array][] = [
      ['A·B', () => matMul(a, b, m, k, n)],
      ['Aᵀ·B', () => matMulTransA(at, b, k, m, n)],
      ['A·Bᵀ', () => matMulTransB(a, bt, m, k, n, new Float64Array(m * n))],
    ];
    for (const [, product] of cases) {
      expect(Array.from(product())).toEqual(Array.from(withoutWasmKernels(product)));
    }
    // and a product: one entry against its plain sum
    let sum = 0;
    for (let p = 0; p < k; p++) sum += a[(m - 1) * k + p]! * b[p * n + n - 1]!;
    expect(matMul(a, b, m, k, n)[m * n - 1]).toBeCloseTo(sum, 9);
  });

  it.each([1, 3, 4, 7, 9, 64, 130])('choleskyInPlace: the same factor as TypeScript, n = %i', (n) => {
    const rng = createRng(30 + n);
    // B·Bᵀ + n·I (positive definite) in a buffer two rows longer than the matrix, upper triangle marked
    const b = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n + 2 * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += b[i * n + k]! * b[j * n + k]!;
        a[i * n + j] = j > i ? -1 : s;
      }
    }
    const w = Float64Array.from(a);
    const t = Float64Array.from(a);
    expect(choleskyInPlace(w, n)).toBe(true);
    expect(withoutWasmKernels(() => choleskyInPlace(t, n))).toBe(true);
    expect(Array.from(w)).toEqual(Array.from(t));
    // not positive definite: both refuse, at the same place
    const bad = Float64Array.from(a);
    bad[(n - 1) * n + (n - 1)] = -1;
    const wb = Float64Array.from(bad);
    const tb = Float64Array.from(bad);
    expect(choleskyInPlace(wb, n)).toBe(false);
    expect(withoutWasmKernels(() => choleskyInPlace(tb, n))).toBe(false);
    expect(Array.from(wb)).toEqual(Array.from(tb));
  });

  it.each([
    [41, 64, 64],
    [42, 1, 128],
    [43, 128, 1],
    [44, 7, 3],
  ])('UPEN roughness and weights: the same as TypeScript, seed %i, %i × %i', (seed, n1, n2) => {
    const rng = createRng(seed);
    const n = n1 * n2;
    // a map with peaks and zeros (the clipped iterate), and weights spanning decades
    const f = Float64Array.from({ length: n }, () => Math.max(0, rng.normal()) ** 3);
    const lambda = Float64Array.from({ length: n }, () => 10 ** rng.uniform(-3, 3));
    const grid = { n1, n2 };
    const both = (fn: () => Float64Array) => expect(Array.from(fn())).toEqual(Array.from(withoutWasmKernels(fn)));
    both(() => laplacian(grid, f, new Float64Array(n)));
    both(() => applyPenalty(grid, lambda, f, new Float64Array(n), new Float64Array(n)));
    both(() => penaltyDiagonal(grid, lambda, new Float64Array(n)));
    const params = { beta0: 1e-3, betaP: 0.1, betaC: 0.1 };
    both(() => upenWeights(grid, f, 12.5, params, new Float64Array(n), new Float64Array(3 * n)));
    both(() => upenWeights(grid, new Float64Array(n), 3, params, new Float64Array(n), new Float64Array(3 * n)));
  });

  it.each([
    [51, [2000]],
    [52, [48, 2000]],
    [53, [5, 6, 7]],
    [54, [3]],
  ])('residualDiagnostics: the same as TypeScript, seed %i, shape %j', (seed, shape) => {
    const rng = createRng(seed);
    const n = shape.reduce((a, b) => a * b, 1);
    const fitted = Float64Array.from({ length: n }, (_, k) => Math.exp(-k / n));
    // noise with a slow wobble, an offset and some exact zeros (points that carry no sign)
    const data = Float64Array.from(fitted, (v, k) =>
      k % 17 === 0 ? v : v + 0.01 * rng.normal() + 1e-3 * Math.sin(k / 50),
    );
    const w = residualDiagnostics(data, fitted, 0.01, shape);
    expect(w).toEqual(withoutWasmKernels(() => residualDiagnostics(data, fitted, 0.01, shape)));
    const bad = Float64Array.from(data);
    bad[n - 1] = Number.NaN;
    expect(() => residualDiagnostics(bad, fitted, 0.01, shape)).toThrow(`non-finite residual at index ${n - 1}`);
  });

  it.each([61, 62, 63])('exactStep: the same step as TypeScript, seed %i', (seed) => {
    const rng = createRng(seed);
    const n = 4096;
    // a dual iterate and a direction with cells entering, leaving and staying on either side of zero
    const z = Float64Array.from({ length: n }, () => rng.normal());
    const dz = Float64Array.from({ length: n }, (_, k) => (k % 5 === 0 ? 0 : rng.normal()));
    const a0 = -50 * rng.uniform(0.5, 2);
    const step = () => exactStep(a0, 10, z, dz, 0.1, n, new Int32Array(n), new Float64Array(n));
    const t = step();
    expect(t).toBeGreaterThan(0);
    expect(t).toBe(withoutWasmKernels(step));
  });

  it.each([71, 72])(
    'the compressed operator: apply, applyT, applyTAt, gram and cellGram the same as TypeScript, seed %i',
    (seed) => {
      const rng = createRng(seed);
      const tau = logGrid(1e-4, 5, 20);
      const echoes = Float64Array.from({ length: 800 }, (_, i) => (i + 1) * 5e-4);
      const k1 = kernelMatrix({ kernel: 'T1-IR' }, tau, logGrid(1e-4, 10, 40));
      const k2 = kernelMatrix({ kernel: 'T2' }, echoes, logGrid(1e-3, 3, 48));
      const data = Float64Array.from(
        { length: tau.length * echoes.length },
        (_, k) =>
          Math.exp(-(k % echoes.length) / 300) * (1 - 1.9 * Math.exp(-Math.floor(k / echoes.length) / 6)) +
          1e-3 * rng.normal(),
      );
      const cp = compress({ k1, k2, data });
      const n = 40 * 48;
      // a sparse map (a solution's support), its 0/1 mask and a dual vector
      const f = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? rng.uniform(0, 2) : 0));
      const mask = Float64Array.from(f, (v) => (v > 0 ? 1 : 0));
      const c = Float64Array.from({ length: cp.m.length }, () => rng.normal());
      const idx = Int32Array.from(Array.from(mask.keys()).filter((k) => mask[k] === 1));
      // cells overlapping idx (every other one, and a few more): entries the TypeScript reuses from its last call
      const idx2 = Int32Array.from([...idx.filter((_, u) => u % 2 === 0), 5, 17, 1000].sort((a, b) => a - b));
      const gramOf = (o: { cellGram: (i: Int32Array, q: number, out: Float64Array) => Float64Array }, i: Int32Array) =>
        Array.from(o.cellGram(i, i.length, new Float64Array(i.length * i.length)));
      // a fresh compression for each run: the operator's tables are cached per kernel and must not be shared
      const run = () => {
        const op = compressedOperator(compress({ k1, k2, data }));
        // a second operator (other kernels): its cell-Gram tables take the kernels' resident memory in between
        const other = compressedOperator(
          compress({ k1: kernelMatrix({ kernel: 'T1-IR' }, tau, logGrid(1e-4, 10, 40)), k2, data }),
        );
        return [
          Array.from(op.apply(f)),
          Array.from(op.applyT(c)),
          Array.from(op.applyTAt(c, idx, idx.length, new Float64Array(idx.length))),
          Array.from(op.gram(mask)),
          gramOf(op, idx),
          gramOf(op, idx2),
          gramOf(other, idx2),
          gramOf(op, idx),
        ];
      };
      const w = run();
      expect(w[0]!.some((v) => v !== 0)).toBe(true);
      expect(w).toEqual(withoutWasmKernels(run));
    },
  );

  it.each([
    [81, 7, 300],
    [82, 12, 151],
    [83, 1, 40],
  ])('normalEquations: the same JᵀJ and Jᵀr as TypeScript, seed %i, %i parameters, %i points', (seed, n, s) => {
    const rng = createRng(seed);
    const jac = Float64Array.from({ length: n * s }, () => rng.normal());
    const r = Float64Array.from({ length: s }, () => rng.normal());
    const run = () => {
      const jtj = new Float64Array(n * n);
      const jtr = new Float64Array(n);
      normalEquations(jac, r, n, s, jtj, jtr);
      return [Array.from(jtj), Array.from(jtr)];
    };
    const w = run();
    expect(w).toEqual(withoutWasmKernels(run));
    // and a normal matrix: (JᵀJ)₀₀ = ‖column 0‖²
    expect(w[0]![0]).toBeCloseTo(
      jac.subarray(0, s).reduce((a, v) => a + v * v, 0),
      9,
    );
  });

  it.each([91, 92])(
    "a component's signal and Jacobian (the component fits) the same as TypeScript, seed %i",
    (seed) => {
      const rng = createRng(seed);
      const tau = logGrid(1e-4, 5, 20);
      const echoes = Float64Array.from({ length: 800 }, (_, i) => (i + 1) * 5e-4);
      const grids = [logGrid(1e-4, 10, 40), logGrid(1e-3, 3, 48)];
      const k1 = kernelMatrix({ kernel: 'T1-IR', beta: 0.95 }, tau, grids[0]!);
      const k2 = kernelMatrix({ kernel: 'T2' }, echoes, grids[1]!);
      const data = Float64Array.from(
        { length: tau.length * echoes.length },
        (_, k) =>
          Math.exp(-(k % echoes.length) / 90) * (1 - 1.95 * Math.exp(-Math.floor(k / echoes.length) / 9)) +
          1e-3 * rng.normal(),
      );
      const start = { position: [rng.uniform(0.02, 0.1), rng.uniform(0.01, 0.04)], widthDecades: [0.2, 0.25] };
      const run = () => {
        const model = new ComponentModel(compress({ k1, k2, data }), grids, 0.95);
        const s = model.s;
        const [state] = model.states(1);
        const c = model.fromPeak({ ...start, amplitude: 1 });
        evaluateState(model, c, state!);
        const jac = new Float64Array((model.perComponent + 1) * s);
        jacobianColumns(model, c, state!, 2, jac, 0, model.perComponent * s);
        return [Array.from(state!.sig), Array.from(jac)];
      };
      const w = run();
      expect(w[0]!.some((v) => v !== 0)).toBe(true);
      expect(w).toEqual(withoutWasmKernels(run));
    },
  );

  it.each([93, 94])("a 1D component's signal and Jacobian the same as TypeScript, seed %i", (seed) => {
    const rng = createRng(seed);
    const tau = logGrid(1e-4, 8, 40);
    const grid = logGrid(1e-4, 20, 128);
    const k1 = kernelMatrix({ kernel: 'T1-IR', beta: 0.9 }, tau, grid);
    const k2 = { rows: 1, cols: 1, data: new Float64Array([1]) };
    const data = Float64Array.from(tau, (t) => 1 - 1.9 * Math.exp(-t / 0.3) + 1e-3 * rng.normal());
    const start = { position: [rng.uniform(0.1, 0.6)], widthDecades: [0.2] };
    const run = () => {
      const model = new ComponentModel(compress({ k1, k2, data }), [grid], 0.9);
      const s = model.s;
      const [state] = model.states(1);
      const c = model.fromPeak({ ...start, amplitude: 1 });
      evaluateState(model, c, state!);
      const jac = new Float64Array((model.perComponent + 1) * s);
      jacobianColumns(model, c, state!, 3, jac, 0, model.perComponent * s);
      return [Array.from(state!.sig), Array.from(jac)];
    };
    const w = run();
    expect(w[1]!.some((v) => v !== 0)).toBe(true);
    expect(w).toEqual(withoutWasmKernels(run));
  });

  it.each([21, 22])('a whole T1–T2 inversion gives the same map, β and α without them, seed %i', (seed) => {
    const tau = logGrid(1e-4, 5, 24);
    const echoes = Float64Array.from({ length: 600 }, (_, i) => (i + 1) * 1e-3);
    const sim = simulate({
      axes: [
        { spec: { kernel: 'T1-IR', beta: 0.9 }, x: tau },
        { spec: { kernel: 'T2' }, x: echoes },
      ],
      peaks: [
        { position: [0.05, 0.02], width: [0.1, 0.1], fraction: 0.6 },
        { position: [0.5, 0.2], width: [0.12, 0.12], fraction: 0.4 },
      ],
      snr: 300,
      seed,
    });
    const input = {
      axes: [
        { kernel: 'T1-IR' as const, values: tau },
        { kernel: 'T2' as const, values: echoes },
      ] as const,
      data: sim.data,
    };
    const withKernels = invert({ ...input, axes: [...input.axes] });
    const without = withoutWasmKernels(() => invert({ ...input, axes: [...input.axes] }));
    expect(Array.from(withKernels.distribution)).toEqual(Array.from(without.distribution));
    expect(withKernels.beta).toEqual(without.beta);
    expect(withKernels.solver.alpha).toBe(without.solver.alpha);
  });

  it.each([
    ['T1-IR', 31, 0.92],
    ['T2', 32, 1],
  ] as const)('a whole 1D %s inversion gives the same distribution without them, seed %i', (kernel, seed, beta) => {
    const x = kernel === 'T2' ? Float64Array.from({ length: 3000 }, (_, i) => (i + 1) * 2e-4) : logGrid(1e-4, 8, 40);
    const sim = simulate({
      axes: [{ spec: { kernel, beta }, x }],
      peaks: [
        { position: [0.01], width: [0.15], fraction: 0.3 },
        { position: [0.3], width: [0.1], fraction: 0.7 },
      ],
      snr: 500,
      seed,
    });
    const input = () => ({ axes: [{ kernel, values: x }] as [InvertAxis], data: sim.data });
    const withKernels = invert(input());
    const without = withoutWasmKernels(() => invert(input()));
    expect(Array.from(withKernels.distribution)).toEqual(Array.from(without.distribution));
    expect(withKernels.beta).toEqual(without.beta);
  });
});
