import { describe, expect, it } from 'vitest';
import {
  autoGrid,
  bValue,
  choleskyInPlace,
  choleskySolveInPlace,
  createRng,
  forward1d,
  forward2d,
  GAMMA_1H,
  kernelMatrix,
  kernelSvd,
  logGrid,
  matMul,
  matMulTransA,
  matMulTransB,
  simulate,
  symmetricEigen,
} from './index';

describe('kernels', () => {
  it('evaluates the four kernels and the imperfect inversion', () => {
    const x = [0, 0.1, 1];
    const y = [0.1];
    expect(Array.from(kernelMatrix({ kernel: 'T2' }, x, y).data)).toEqual([1, Math.exp(-1), Math.exp(-10)]);
    expect(kernelMatrix({ kernel: 'T1-IR' }, x, y).data[0]).toBeCloseTo(-1, 15);
    expect(kernelMatrix({ kernel: 'T1-IR', beta: 0.8 }, x, y).data[0]).toBeCloseTo(-0.8, 15);
    expect(kernelMatrix({ kernel: 'T1-SR' }, x, y).data[1]).toBeCloseTo(1 - Math.exp(-1), 15);
    expect(kernelMatrix({ kernel: 'D' }, [2e9], [1e-9]).data[0]).toBeCloseTo(Math.exp(-2), 15);
    expect(() => kernelMatrix({ kernel: 'T1-IR', beta: 0 }, x, y)).toThrow(RangeError);
  });

  it('builds long evenly spaced echo trains by recurrence to the precision of direct exponentials', () => {
    const te = Float64Array.from({ length: 4000 }, (_, i) => (i + 1) * 2e-4);
    const grid = logGrid(1e-4, 2, 64);
    const k = kernelMatrix({ kernel: 'T2' }, te, grid);
    let worst = 0;
    for (let i = 0; i < te.length; i += 7) {
      for (let j = 0; j < grid.length; j++) {
        const exact = Math.exp(-te[i]! / grid[j]!);
        worst = Math.max(worst, Math.abs(k.data[i * 64 + j]! - exact) / Math.max(exact, 1e-300));
      }
    }
    expect(worst).toBeLessThan(1e-12);
    const ir = kernelMatrix({ kernel: 'T1-IR', beta: 0.9 }, te, grid);
    expect(ir.data[5 * 64 + 3]).toBeCloseTo(1 - 1.9 * Math.exp(-te[5]! / grid[3]!), 14);
  });

  it('carries the exact Gram matrix of evenly spaced kernels, in closed form', () => {
    const te = Float64Array.from({ length: 3000 }, (_, i) => 1e-3 + i * 3e-4);
    const grid = logGrid(1e-4, 3, 40);
    for (const spec of [{ kernel: 'T2' }, { kernel: 'T1-IR', beta: 0.9 }, { kernel: 'T1-SR' }] as const) {
      const k = kernelMatrix(spec, te, grid);
      expect(k.gram).toBeDefined();
      let worst = 0;
      let largest = 0;
      for (let j = 0; j < 40; j++) {
        for (let l = 0; l < 40; l++) {
          let acc = 0;
          for (let i = 0; i < te.length; i++) acc += k.data[i * 40 + j]! * k.data[i * 40 + l]!;
          worst = Math.max(worst, Math.abs(acc - k.gram![j * 40 + l]!));
          largest = Math.max(largest, Math.abs(acc));
        }
      }
      // The Gram route to the SVD needs KᵀK to ~ε·‖KᵀK‖.
      expect(worst).toBeLessThan(1e-13 * largest);
    }
    // Uneven delays (a log-spaced recovery list) carry none: kernelSvd forms KᵀK itself.
    expect(kernelMatrix({ kernel: 'T1-IR' }, logGrid(1e-4, 5, 32), grid).gram).toBeUndefined();
    // Echo times written with 7 significant digits (or stored as float32) still count as even; the kernel is then
    // the ideal train's, within 1e-6 of the direct exponentials at the written times.
    const third = Float64Array.from({ length: 3000 }, (_, i) => ((i + 1) * 1e-3) / 3);
    const written = Float64Array.from(third, (t) => Number(t.toPrecision(7)));
    // the rounding is real: well above the 1e-9 of exact arithmetic
    expect(Math.max(...Array.from(written, (t, i) => Math.abs(t - third[i]!) / third[i]!))).toBeGreaterThan(1e-9);
    const k = kernelMatrix({ kernel: 'T2' }, written, grid);
    expect(k.gram).toBeDefined();
    let worst = 0;
    for (let i = 0; i < written.length; i += 11) {
      for (let j = 0; j < 40; j++)
        worst = Math.max(worst, Math.abs(k.data[i * 40 + j]! - Math.exp(-written[i]! / grid[j]!)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('computes Stejskal–Tanner b for rectangular, sine and bipolar gradients', () => {
    const g = 0.5; // T/m = 50 G/cm
    const rect = bValue(g, { delta: 2e-3, bigDelta: 50e-3 });
    expect(rect).toBeCloseTo((GAMMA_1H * g * 2e-3) ** 2 * (50e-3 - 2e-3 / 3), 0);
    const sine = bValue(g, { delta: 2e-3, bigDelta: 50e-3, shape: 'sine' });
    expect(sine / rect).toBeCloseTo(((4 / Math.PI ** 2) * (50e-3 - 0.5e-3)) / (50e-3 - 2e-3 / 3), 10);
    const bipolar = bValue(g, { delta: 2e-3, bigDelta: 50e-3, bipolarGap: 0.2e-3 });
    expect(rect - bipolar).toBeCloseTo((GAMMA_1H * g * 2e-3) ** 2 * 0.1e-3, 0);
    expect(() => bValue(g, { delta: 2e-3, bigDelta: 0.5e-3 })).toThrow(RangeError);
  });
});

describe('grids', () => {
  it('spaces points evenly in log10 and follows the acquisition range', () => {
    const g = logGrid(1e-3, 10, 5);
    expect(Array.from(g).map((v) => Math.log10(v))).toEqual([-3, -2, -1, 0, 1].map((v) => expect.closeTo(v, 12)));
    const echoes = Float64Array.from({ length: 1000 }, (_, i) => (i + 1) * 1e-4);
    const t2 = autoGrid('T2', echoes, { n: 64 });
    expect(t2.sensitive).toEqual([1e-4, 0.1]);
    expect(t2.values[0]).toBeCloseTo(5e-5, 12);
    const d = autoGrid('D', [0, 1e8, 1e10], { n: 32 });
    expect(d.sensitive[0]).toBeCloseTo(1e-10, 20);
    expect(d.sensitive[1]).toBeCloseTo(1e-8, 20);
    expect(() => autoGrid('T2', [0, 0])).toThrow(RangeError);
  });
});

describe('linear algebra', () => {
  it('decomposes a symmetric matrix to working precision', () => {
    const rng = createRng(7);
    const n = 40;
    const b = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j]! += b[i * n + k]! * b[j * n + k]!;
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 0; j < n; j++) {
      if (j > 0) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[k * n + j]!;
        expect(Math.abs(av - values[j]! * vectors[i * n + j]!)).toBeLessThan(1e-9 * values[0]!);
      }
    }
  });

  it('truncated kernel SVD reproduces K·V = U·S with orthonormal U', () => {
    const x = Float64Array.from({ length: 500 }, (_, i) => (i + 1) * 1e-3);
    const k = kernelMatrix({ kernel: 'T2' }, x, logGrid(1e-3, 2, 48));
    const svd = kernelSvd(k, { relTol: 1e-5 });
    expect(svd.rank).toBeGreaterThan(5);
    expect(svd.rank).toBeLessThan(30);
    for (let p = 0; p < svd.rank; p++) {
      for (let q = 0; q < svd.rank; q++) {
        let dot = 0;
        for (let i = 0; i < x.length; i++) dot += svd.u[i * svd.rank + p]! * svd.u[i * svd.rank + q]!;
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 6);
      }
    }
  });

  it('wide kernels (fewer delays than grid points) decompose through KKᵀ to the same singular triplets', () => {
    const tau = logGrid(1e-4, 5, 24);
    const k = kernelMatrix({ kernel: 'T1-IR' }, tau, logGrid(1e-4, 10, 64));
    const svd = kernelSvd(k, { relTol: 1e-6 });
    const tall = kernelSvd({ rows: 64, cols: 24, data: transpose(k.data, 24, 64) }, { relTol: 1e-6 });
    expect(svd.rank).toBe(tall.rank);
    // equal within the Gram route's error bound, ε·(s_max/s)²
    for (let j = 0; j < svd.rank; j++) {
      expect(Math.abs(svd.s[j]! / tall.s[j]! - 1)).toBeLessThan(1e-14 * (svd.s[0]! / svd.s[j]!) ** 2 + 1e-12);
    }
    // K·V = U·S on the kept triplets, V orthonormal
    const kv = matMul(k.data, svd.v, 24, 64, svd.rank);
    for (let i = 0; i < 24; i++) {
      for (let j = 0; j < svd.rank; j++) {
        expect(Math.abs(kv[i * svd.rank + j]! - svd.u[i * svd.rank + j]! * svd.s[j]!)).toBeLessThan(1e-9 * svd.s[0]!);
      }
    }
    for (let p = 0; p < svd.rank; p++) {
      let dot = 0;
      for (let a = 0; a < 64; a++) dot += svd.v[a * svd.rank + p]! ** 2;
      expect(Math.abs(dot - 1)).toBeLessThan(1e-14 * (svd.s[0]! / svd.s[p]!) ** 2 + 1e-12);
    }
  });

  it('dense products and Cholesky agree with textbook loops on awkward sizes', () => {
    const rng = createRng(11);
    const rand = (len: number) => Float64Array.from({ length: len }, () => rng.normal());
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 2],
      [7, 4, 9],
      [48, 33, 21],
    ] as const) {
      const a = rand(m * k);
      const b = rand(k * n);
      const naive = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) naive[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
      const at = new Float64Array(k * m);
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p]!;
      const bt = new Float64Array(n * k);
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j]!;
      for (const c of [matMul(a, b, m, k, n), matMulTransA(at, b, k, m, n), matMulTransB(a, bt, m, k, n)]) {
        for (let q = 0; q < m * n; q++) expect(c[q]!).toBeCloseTo(naive[q]!, 12);
      }
    }
    for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 13, 30]) {
      const x = rand(n * n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) for (let p = 0; p < n; p++) a[i * n + j]! += x[i * n + p]! * x[j * n + p]!;
      for (let i = 0; i < n; i++) a[i * n + i]! += 0.1;
      const l = Float64Array.from(a);
      expect(choleskyInPlace(l, n)).toBe(true);
      // L·Lᵀ = A on the lower triangle, and the solve inverts A
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let v = 0;
          for (let p = 0; p <= j; p++) v += l[i * n + p]! * l[j * n + p]!;
          expect(v).toBeCloseTo(a[i * n + j]!, 9);
        }
      }
      const rhs = rand(n);
      const sol = Float64Array.from(rhs);
      choleskySolveInPlace(l, n, sol);
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += a[i * n + j]! * sol[j]!;
        expect(v).toBeCloseTo(rhs[i]!, 8);
      }
    }
    const notPd = new Float64Array([1, 2, 2, 1]);
    expect(choleskyInPlace(notPd, 2)).toBe(false);
  });
});

describe('forward models and the simulator', () => {
  it('forward2d equals the sum of separable 1D decays', () => {
    const x1 = [0.001, 0.01, 0.1];
    const x2 = [0.002, 0.02];
    const g1 = logGrid(1e-3, 1, 4);
    const g2 = logGrid(1e-3, 1, 3);
    const k1 = kernelMatrix({ kernel: 'T1-SR' }, x1, g1);
    const k2 = kernelMatrix({ kernel: 'T2' }, x2, g2);
    const f = new Float64Array(12);
    f[1 * 3 + 2] = 2;
    const s = forward2d(k1, k2, f);
    const a = forward1d(k1, [0, 2, 0, 0]);
    const b = forward1d(k2, [0, 0, 1]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) expect(s[i * 2 + j]).toBeCloseTo(a[i]! * b[j]!, 14);
  });

  it('simulates reproducibly with the documented SNR convention', () => {
    const te = Float64Array.from({ length: 2000 }, (_, i) => (i + 1) * 5e-4);
    const opts = {
      axes: [{ spec: { kernel: 'T2' as const }, x: te }] as [{ spec: { kernel: 'T2' }; x: Float64Array }],
      peaks: [{ position: [0.05], width: [0.1], fraction: 1 }],
      snr: 200,
      seed: 11,
    };
    const a = simulate(opts);
    const b = simulate(opts);
    expect(a.data).toEqual(b.data);
    expect(a.sigma).toBeCloseTo(Math.max(...a.noiseless) / 200, 15);
    let ss = 0;
    for (let i = 0; i < te.length; i++) ss += (a.data[i]! - a.noiseless[i]!) ** 2;
    expect(Math.sqrt(ss / te.length) / a.sigma).toBeGreaterThan(0.93);
    expect(Math.sqrt(ss / te.length) / a.sigma).toBeLessThan(1.07);
    // a log-normal of width 0.1 decade at 50 ms decays at 50 ms to ≈ e^−1
    expect(a.noiseless[99]!).toBeGreaterThan(0.33);
    expect(a.noiseless[99]!).toBeLessThan(0.41);
  });
});

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}
