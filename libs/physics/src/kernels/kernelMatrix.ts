import { type KernelSpec, type Matrix, matrix } from '../types';
import { wasmKernels, type Kernels } from '../wasm/kernels';

/**
 * Kernel matrix K (x.length × y.length), K[i][j] = k(x_i, y_j), so that the noiseless signal of a distribution f on
 * the grid y is K·f. Each kernel is an exponential in x: exp(−x·r_j) with r_j = 1/T or D, turned into 1 − (1+β)e,
 * 1 − e or e. For evenly spaced x (CPMG echo trains of thousands of echoes) the exponentials are built by recurrence,
 * e(x_{i+1}) = e(x_i)·exp(−h·r_j), re-anchored with a direct exp every 64 rows so rounding cannot accumulate.
 */
export function kernelMatrix(spec: KernelSpec, x: ArrayLike<number>, y: ArrayLike<number>, output?: Matrix): Matrix {
  const beta = spec.beta ?? 1;
  if (spec.kernel === 'T1-IR' && !(beta > 0 && beta <= 1.5)) {
    throw new RangeError(`kernelMatrix: inversion factor beta must be in (0, 1.5], got ${beta}`);
  }
  const m = x.length;
  const n = y.length;
  const out = output ?? matrix(m, n);
  if (out.rows !== m || out.cols !== n) throw new RangeError('kernelMatrix: output has the wrong shape');
  const rate = new Float64Array(n);
  for (let j = 0; j < n; j++) rate[j] = spec.kernel === 'D' ? y[j]! : 1 / y[j]!;
  const d = out.data;
  // K = c0 + c1·exp(−x·r): a decay (T2, D), or 1 − (1+β)·e (T1-IR), or 1 − e (T1-SR).
  const decay = spec.kernel === 'T2' || spec.kernel === 'D';
  const c: [number, number] = decay ? [0, 1] : [1, spec.kernel === 'T1-IR' ? -(1 + beta) : -1];
  // Evenly spaced x (to 1e-6 — echo times read from text or stored as float32 carry rounding of that order): the
  // kernel is built on the ideal grid x_i = x0 + i·h, by recurrence, and its Gram matrix follows in closed form
  // (geometric sums) — the exact KᵀK of the matrix built, 0.1 ms instead of m·n²/2 multiply-adds (2–4 ms for
  // 2000–4000 echoes against a 64-point grid). Moving a time by 1e-6 of itself changes a kernel entry by < 1e-6,
  // far below the noise of any acquisition.
  const h = m > 16 ? (x[m - 1]! - x[0]!) / (m - 1) : 0;
  let even = m > 16 && h > 0;
  for (let i = 1; even && i < m; i++) even = Math.abs(x[i]! - x[0]! - i * h) <= EVEN_TOLERANCE * Math.abs(x[i]!);
  delete out.gram;
  let affine = !decay;
  if (even) {
    const x0 = x[0]!;
    const step = new Float64Array(n);
    for (let j = 0; j < n; j++) step[j] = Math.exp(-h * rate[j]!);
    const kernels = wasmKernels();
    if (kernels) {
      evenRowsWasm(kernels, { x0, h, m, n, rate, step, decay, c }, d);
      affine = false;
    } else {
      for (let i = 0; i < m; i++) {
        const row = i * n;
        if (i % ANCHOR_EVERY === 0) {
          const xi = x0 + i * h;
          for (let j = 0; j < n; j++) d[row + j] = Math.exp(-xi * rate[j]!);
        } else {
          const prev = row - n;
          for (let j = 0; j < n; j++) d[row + j] = d[prev + j]! * step[j]!;
        }
      }
    }
    // Formed on first use (kernelSvd asks for it; the simulator and β estimation never do).
    let gram: Float64Array | undefined;
    Object.defineProperty(out, 'gram', {
      configurable: true,
      enumerable: false,
      get: () => (gram ??= evenGram(c, rate, x0, h, m)),
    });
  } else {
    const kernels = wasmKernels();
    if (kernels) {
      const arena = kernels.arena(8 * (m + n + m * n) + 64);
      const [xIn, rateIn] = [arena.copy(Float64Array.from(x)), arena.copy(rate)];
      const rows = arena.f64(m * n);
      kernels.exports.exponentialRows(xIn, m, rateIn, n, decay ? 1 : 0, c[0], c[1], rows.offset);
      d.set(rows.view);
      affine = false;
    } else {
      for (let i = 0; i < m; i++) {
        const xi = x[i]!;
        const row = i * n;
        for (let j = 0; j < n; j++) d[row + j] = Math.exp(-xi * rate[j]!);
      }
    }
  }
  if (!affine) return out;
  const [c0, c1] = c;
  for (let k = 0; k < d.length; k++) d[k] = c0 + c1 * d[k]!;
  return out;
}

/** A direct exp every this many rows of an evenly spaced kernel; the rows between by recurrence. */
const ANCHOR_EVERY = 64;

/**
 * The evenly spaced kernel's rows in WebAssembly (libs/physics/assembly/kernelRows.ts): the anchor rows (V8's
 * exponential, reproduced there), the recurrence and c0 + c1·e; the same numbers.
 */
function evenRowsWasm(
  kernels: Kernels,
  g: {
    x0: number;
    h: number;
    m: number;
    n: number;
    rate: Float64Array;
    step: Float64Array;
    decay: boolean;
    c: [number, number];
  },
  d: Float64Array,
): void {
  const { x0, h, m, n, rate, step, decay, c } = g;
  const count = Math.ceil(m / ANCHOR_EVERY);
  const arena = kernels.arena(8 * (2 * count + 2 * n + count * n + m * n) + 64);
  const xs = Float64Array.from({ length: count }, (_, a) => x0 + a * ANCHOR_EVERY * h);
  const [xsIn, rateIn] = [arena.copy(xs), arena.copy(rate)];
  const anchors = arena.f64(count * n);
  kernels.exports.exponentialRows(xsIn, count, rateIn, n, 1, 0, 1, anchors.offset);
  const stepIn = arena.copy(step);
  const out = arena.f64(m * n);
  kernels.exports.evenKernelRows(anchors.offset, stepIn, m, n, decay ? 1 : 0, c[0], c[1], out.offset);
  d.set(out.view);
}

/** Relative deviation from an even spacing below which x is treated as evenly spaced. */
const EVEN_TOLERANCE = 1e-6;

/**
 * KᵀK for K[i, j] = c0 + c1·exp(−x_i·r_j) on x_i = x0 + i·h (i < m), from S(ρ) = Σ_i exp(−x_i·ρ)
 * = exp(−x0·ρ)·expm1(−m·h·ρ)/expm1(−h·ρ): (KᵀK)[j, l] = m·c0² + c0·c1·(S(r_j) + S(r_l)) + c1²·S(r_j + r_l).
 */
function evenGram(c: [number, number], rate: Float64Array, x0: number, h: number, m: number): Float64Array {
  const n = rate.length;
  const [c0, c1] = c;
  const sum = (rho: number) => (Math.exp(-x0 * rho) * Math.expm1(-m * h * rho)) / Math.expm1(-h * rho);
  const single = Float64Array.from(rate, sum);
  const gram = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let l = j; l < n; l++) {
      const v = m * c0 * c0 + c0 * c1 * (single[j]! + single[l]!) + c1 * c1 * sum(rate[j]! + rate[l]!);
      gram[j * n + l] = v;
      gram[l * n + j] = v;
    }
  }
  return gram;
}
