import type { Matrix } from '../types';
import { matMul, matMulTransB } from '../linalg/matMul';

/**
 * Noiseless 2D signal S = K1 · F · K2ᵀ (m1 × m2) for kernels K1 (m1 × n1), K2 (m2 × n2) and a distribution F (n1 × n2),
 * rows of F along the first (K1) axis. Evaluated as (K1·F)·K2ᵀ, the cheaper order when n1 ≤ m1.
 */
export function forward2d(k1: Matrix, k2: Matrix, f: Float64Array): Float64Array {
  if (f.length !== k1.cols * k2.cols) {
    throw new RangeError(`forward2d: distribution must be ${k1.cols}×${k2.cols}, got ${f.length} values`);
  }
  const t = matMul(k1.data, f, k1.rows, k1.cols, k2.cols);
  return matMulTransB(t, k2.data, k1.rows, k2.cols, k2.rows);
}
