import { type KernelSpec, type Matrix, matrix } from '../types';

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
  const h = m > 2 ? x[1]! - x[0]! : 0;
  let even = m > 16 && h > 0;
  for (let i = 2; even && i < m; i++) even = Math.abs(x[i]! - x[0]! - i * h) <= 1e-9 * Math.abs(x[i]!);
  if (even) {
    const step = new Float64Array(n);
    for (let j = 0; j < n; j++) step[j] = Math.exp(-h * rate[j]!);
    for (let i = 0; i < m; i++) {
      const row = i * n;
      if (i % 64 === 0) {
        const xi = x[i]!;
        for (let j = 0; j < n; j++) d[row + j] = Math.exp(-xi * rate[j]!);
      } else {
        const prev = row - n;
        for (let j = 0; j < n; j++) d[row + j] = d[prev + j]! * step[j]!;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const xi = x[i]!;
      const row = i * n;
      for (let j = 0; j < n; j++) d[row + j] = Math.exp(-xi * rate[j]!);
    }
  }
  if (spec.kernel === 'T2' || spec.kernel === 'D') return out;
  const a = spec.kernel === 'T1-IR' ? 1 + beta : 1;
  for (let k = 0; k < d.length; k++) d[k] = 1 - a * d[k]!;
  return out;
}
