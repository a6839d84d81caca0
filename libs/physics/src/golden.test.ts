/**
 * libs/physics against golden values computed independently with numpy/scipy (tools/reference/golden.py,
 * `npm run golden`), committed as small JSON fixtures in ./testing/fixtures. Each block states its tolerance and why.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bValue,
  forward2d,
  iltTikhonov,
  kernelMatrix,
  kernelSvd,
  logGrid,
  matrix,
  problem1d,
  type GradientShape,
  type KernelName,
  type Matrix,
} from './index';
import { nnls } from './numerics/nnls';

const fixtureDir = fileURLToPath(new URL('./testing/fixtures/', import.meta.url));

function load<T>(name: string): T {
  return JSON.parse(readFileSync(fixtureDir + name, 'utf8')) as T;
}

const EPS = 2.220446049250313e-16;

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

function flat(rows: number[][]): Float64Array {
  return Float64Array.from(rows.flat());
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function diffNorm(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** ‖K f − d‖² and ‖K f − d‖² + α‖f‖² with the full (uncompressed) kernel. */
function tikhonovObjective(k: Matrix, f: ArrayLike<number>, d: ArrayLike<number>, alpha: number) {
  let r2 = 0;
  for (let i = 0; i < k.rows; i++) {
    let s = -d[i]!;
    for (let j = 0; j < k.cols; j++) s += k.data[i * k.cols + j]! * f[j]!;
    r2 += s * s;
  }
  return { r2, objective: r2 + alpha * norm(f) ** 2 };
}

describe('golden: kernel matrices (numpy)', () => {
  const fx = load<{
    cases: { kernel: KernelName; beta?: number; x: number[]; y: number[]; matrix: number[][] }[];
  }>('kernels.json');

  it.each(fx.cases.map((c) => [`${c.kernel}${c.beta === undefined ? '' : ` β=${c.beta}`}`, c] as const))(
    '%s matches to 1e-14 absolute',
    (_label, c) => {
      const k = kernelMatrix(
        c.beta === undefined ? { kernel: c.kernel } : { kernel: c.kernel, beta: c.beta },
        c.x,
        c.y,
      );
      expect(k.rows).toBe(c.x.length);
      expect(k.cols).toBe(c.y.length);
      const ref = flat(c.matrix);
      // Entries are O(1) differences of exponentials; Math.exp and libm may differ by an ulp or two.
      for (let i = 0; i < ref.length; i++) expect(Math.abs(k.data[i]! - ref[i]!)).toBeLessThan(1e-14);
    },
  );
});

describe('golden: Stejskal–Tanner b-values', () => {
  const fx = load<{
    gamma1H: number;
    cases: {
      name: string;
      shape: GradientShape;
      delta: number;
      bigDelta: number;
      bipolarGap?: number;
      gamma?: number;
      g: number[];
      b: number[];
    }[];
  }>('bvalues.json');

  it.each(fx.cases.map((c) => [c.name, c] as const))('%s matches to 1e-13 relative', (_label, c) => {
    c.g.forEach((g, i) => {
      const b = bValue(g, {
        delta: c.delta,
        bigDelta: c.bigDelta,
        shape: c.shape,
        ...(c.bipolarGap === undefined ? {} : { bipolarGap: c.bipolarGap }),
        ...(c.gamma === undefined ? {} : { gamma: c.gamma }),
      });
      expect(relErr(b, c.b[i]!)).toBeLessThan(1e-13);
    });
  });
});

describe('golden: log grids (numpy.logspace)', () => {
  const fx = load<{ cases: { min: number; max: number; n: number; values: number[] }[] }>('loggrid.json');
  it.each(fx.cases.map((c) => [`${c.min}…${c.max} (${c.n})`, c] as const))('%s matches to 1e-13 relative', (_l, c) => {
    const g = logGrid(c.min, c.max, c.n);
    expect(g.length).toBe(c.n);
    c.values.forEach((v, i) => expect(relErr(g[i]!, v)).toBeLessThan(1e-13));
  });
});

describe('golden: 2D forward model S = K1·F·K2ᵀ', () => {
  const fx = load<{
    cases: {
      kernel1: KernelName;
      x1: number[];
      y1: number[];
      kernel2: KernelName;
      x2: number[];
      y2: number[];
      f: number[][];
      s: number[][];
    }[];
  }>('forward2d.json');
  it.each(fx.cases.map((c) => [`${c.kernel1}–${c.kernel2}`, c] as const))('%s matches to 1e-12·max|S|', (_l, c) => {
    const k1 = kernelMatrix({ kernel: c.kernel1 }, c.x1, c.y1);
    const k2 = kernelMatrix({ kernel: c.kernel2 }, c.x2, c.y2);
    const s = forward2d(k1, k2, flat(c.f));
    const ref = flat(c.s);
    expect(s.length).toBe(ref.length);
    const scale = Math.max(...ref.map(Math.abs));
    for (let i = 0; i < ref.length; i++) expect(Math.abs(s[i]! - ref[i]!)).toBeLessThan(1e-12 * scale);
  });
});

describe('golden: singular values of a 1000×64 T2 kernel (LAPACK gesdd)', () => {
  const fx = load<{
    echoTime: number;
    echoes: number;
    grid: { min: number; max: number; n: number };
    gridValues: number[];
    singularValues: number[];
  }>('svd-t2.json');

  it('kernelSvd keeps every value ≥ 1e-6·s_max, each within the Gram-route error bound', () => {
    const grid = logGrid(fx.grid.min, fx.grid.max, fx.grid.n);
    fx.gridValues.forEach((v, i) => expect(relErr(grid[i]!, v)).toBeLessThan(1e-13));
    const x = Float64Array.from({ length: fx.echoes }, (_, i) => fx.echoTime * (i + 1));
    const svd = kernelSvd(kernelMatrix({ kernel: 'T2' }, x, grid), { relTol: 1e-6 });
    const ref = fx.singularValues;
    const sMax = ref[0]!;
    const expectedRank = ref.filter((s) => s >= 1e-6 * sMax).length;
    // The rank can differ by one when a value sits on the threshold within its own error.
    expect(Math.abs(svd.rank - expectedRank)).toBeLessThanOrEqual(1);
    expect(svd.rank).toBeGreaterThan(10);
    for (let i = 0; i < svd.rank; i++) {
      const s = ref[i]!;
      // Eigenvalues of KᵀK carry absolute error ~ε·s_max², so s carries relative error ~ε·(s_max/s)²/2.
      const tol = 100 * EPS * (sMax / s) ** 2 + 1e-12;
      expect(relErr(svd.s[i]!, s), `singular value ${i}`).toBeLessThan(tol);
    }
  });
});

interface NnlsCase {
  name: string;
  m: number;
  n: number;
  a: number[];
  b: number[];
  x: number[];
  residualNorm: number;
  unique: boolean;
}

describe('golden: nnls vs scipy.optimize.nnls', () => {
  const fx = load<{ cases: NnlsCase[] }>('nnls.json');
  it.each(fx.cases.map((c) => [c.name, c] as const))('%s', (_l, c) => {
    const { x } = nnls(Float64Array.from(c.a), Float64Array.from(c.b), c.m, c.n);
    expect(x.length).toBe(c.n);
    for (const v of x) expect(v).toBeGreaterThanOrEqual(0);
    const a = matrix(c.m, c.n, Float64Array.from(c.a));
    const r = Math.sqrt(tikhonovObjective(a, x, c.b, 0).r2);
    // The residual norm of the NNLS optimum is unique even where x is not.
    expect(Math.abs(r - c.residualNorm)).toBeLessThan(1e-9 * c.residualNorm + 1e-10);
    if (c.unique) {
      const scale = Math.max(1, ...c.x);
      // The exponential-kernel case is ill-conditioned (κ ~ 1e4 on the active set): allow more there.
      const tol = (c.name.startsWith('T2') ? 1e-6 : 1e-8) * scale;
      c.x.forEach((v, i) => expect(Math.abs(x[i]! - v), `x[${i}]`).toBeLessThan(tol));
    }
  });
});

describe('golden: non-negative Tikhonov with fixed α (scipy nnls on [K; √α I])', () => {
  const fx = load<{
    cases: {
      name: string;
      kernel: KernelName;
      x: number[];
      grid: number[];
      data: number[];
      sigma: number;
      alpha: number;
      f: number[];
      objective: number;
    }[];
  }>('tikhonov1d.json');

  it.each(fx.cases.map((c) => [c.name, c] as const))('1D %s', (_l, c) => {
    const k = kernelMatrix({ kernel: c.kernel }, c.x, c.grid);
    const data = Float64Array.from(c.data);
    const result = iltTikhonov(problem1d(k, data), { alpha: c.alpha });
    expect(result.alpha).toBe(c.alpha);
    const f = result.distribution;
    expect(f.length).toBe(c.f.length);
    for (const v of f) expect(v).toBeGreaterThanOrEqual(0);
    // Same objective, so the same unique minimiser; Lapis solves the SVD-compressed problem, which differs only in
    // singular components far below √α. The reference is the exact optimum: ours may only be (slightly) above it.
    const { objective } = tikhonovObjective(k, f, data, c.alpha);
    expect((objective - c.objective) / c.objective).toBeLessThan(1e-6);
    expect((objective - c.objective) / c.objective).toBeGreaterThan(-1e-9);
    expect(diffNorm(f, c.f) / norm(c.f)).toBeLessThan(1e-3);
  });

  const fx2 = load<{
    kernel1: KernelName;
    x1: number[];
    y1: number[];
    kernel2: KernelName;
    x2: number[];
    y2: number[];
    data: number[][];
    alpha: number;
    f: number[];
    objective: number;
  }>('tikhonov2d.json');

  it('2D T1-IR–T2 10×60 data, 12×12 map, α = 1e-2', () => {
    const k1 = kernelMatrix({ kernel: fx2.kernel1 }, fx2.x1, fx2.y1);
    const k2 = kernelMatrix({ kernel: fx2.kernel2 }, fx2.x2, fx2.y2);
    const data = flat(fx2.data);
    const result = iltTikhonov({ k1, k2, data }, { alpha: fx2.alpha });
    const f = result.distribution;
    expect(f.length).toBe(fx2.f.length);
    const fitted = forward2d(k1, k2, f);
    let r2 = 0;
    for (let i = 0; i < data.length; i++) r2 += (fitted[i]! - data[i]!) ** 2;
    const objective = r2 + fx2.alpha * norm(f) ** 2;
    expect((objective - fx2.objective) / fx2.objective).toBeLessThan(1e-5);
    expect((objective - fx2.objective) / fx2.objective).toBeGreaterThan(-1e-9);
    expect(diffNorm(f, fx2.f) / norm(fx2.f)).toBeLessThan(5e-3);
  });
});
