import type { Matrix } from '../types';
import { matMul, matMulTransA, matMulTransB } from './matMul';
import { symmetricEigen } from './symmetricEigen';
import { scaleColumnsInPlace } from '../numerics/dataSums';
import { wasmKernels } from '../wasm/kernels';

export interface KernelSvd {
  /** Number of singular triplets kept. */
  rank: number;
  /** Singular values, descending (length rank). */
  s: Float64Array;
  /** Left singular vectors as columns, rows × rank (row-major). */
  u: Float64Array;
  /** Right singular vectors as columns, cols × rank (row-major). */
  v: Float64Array;
  rows: number;
  cols: number;
}

export interface KernelSvdOptions {
  /** Keep singular values ≥ relTol · s_max (default 1e-6; below ~1e-7 the Gram route loses precision). */
  relTol?: number;
  /** Keep at most this many (default all that pass relTol). */
  maxRank?: number;
}

/**
 * Truncated SVD of a kernel matrix K (m × n) through the eigen-decomposition of its smaller Gram matrix: KᵀK (n × n)
 * for tall kernels (thousands of echoes against 64–128 grid points), KKᵀ (m × m) for wide ones (24–48 recovery delays
 * against a 64-point grid — a 32 × 32 eigenproblem costs an eighth of a 64 × 64 one). This costs m·n·min(m, n)/2
 * flops instead of a full SVD's ~4·m·n² and is accurate for the singular values kept here: relative error
 * ≈ ε·(s_max/s)², i.e. ≤ 1e-4 at relTol 1e-6. The other side's vectors are formed from the kernel (U = K·V·S⁻¹ or
 * V = Kᵀ·U·S⁻¹), so K·V = U·S holds exactly on the kept subspace. A kernel that carries its Gram matrix (`gram`,
 * set by kernelMatrix in closed form for evenly spaced acquisitions) skips the m·n² product.
 */
export function kernelSvd(k: Matrix, options: KernelSvdOptions = {}): KernelSvd {
  const { rows: m, cols: n, data } = k;
  const relTol = options.relTol ?? 1e-6;
  const wide = m < n;
  const size = wide ? m : n;
  const gram = wide ? matMulTransB(data, data, m, n, m) : (k.gram ?? columnGram(data, m, n));
  const { values, vectors } = symmetricEigen(gram, size);
  const sMax = Math.sqrt(Math.max(values[0]!, 0));
  let rank = 0;
  const maxRank = Math.min(options.maxRank ?? n, n, m);
  while (rank < maxRank && Math.sqrt(Math.max(values[rank]!, 0)) >= relTol * sMax && values[rank]! > 0) rank++;
  const s = new Float64Array(rank);
  // The Gram side's singular vectors (size × rank), then the other side's as K·W·S⁻¹ or Kᵀ·W·S⁻¹.
  const w = new Float64Array(size * rank);
  for (let j = 0; j < rank; j++) {
    s[j] = Math.sqrt(values[j]!);
    for (let p = 0; p < size; p++) w[p * rank + j] = vectors[p * size + j]!;
  }
  const other = wide ? matMulTransA(data, w, m, n, rank) : matMul(data, w, m, n, rank);
  const inv = Float64Array.from(s, (x) => 1 / x);
  const otherRows = wide ? n : m;
  scaleColumnsInPlace(other, otherRows, rank, inv);
  return wide ? { rank, s, u: w, v: other, rows: m, cols: n } : { rank, s, u: other, v: w, rows: m, cols: n };
}

/** KᵀK (n × n, both triangles) of a kernel: its closed form where kernelMatrix set one, else the product. */
export function gramOf(k: Matrix): Float64Array {
  return k.gram ?? columnGram(k.data, k.rows, k.cols);
}

/** KᵀK (n × n, both triangles), four rows of K per pass over the upper triangle. */
function columnGram(data: Float64Array, m: number, n: number): Float64Array {
  const gram = new Float64Array(n * n);
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (m * n + n * n) + 32);
    const dataIn = arena.copy(data.subarray(0, m * n));
    const result = arena.f64(n * n);
    kernels.exports.columnGram(dataIn, m, n, result.offset);
    gram.set(result.view);
    return gram;
  }
  // Four rows of K per pass: a quarter of the read–modify–write traffic on the Gram matrix of one row at a time
  // (2× faster than two rows on a 4000 × 64 kernel).
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let p = 0; p < n; p++) {
      const a0 = data[r0 + p]!;
      const a1 = data[r1 + p]!;
      const a2 = data[r2 + p]!;
      const a3 = data[r3 + p]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const base = p * n;
      for (let q = p; q < n; q++) {
        gram[base + q]! += a0 * data[r0 + q]! + a1 * data[r1 + q]! + a2 * data[r2 + q]! + a3 * data[r3 + q]!;
      }
    }
  }
  for (; i < m; i++) {
    const r0 = i * n;
    for (let p = 0; p < n; p++) {
      const a0 = data[r0 + p]!;
      if (a0 === 0) continue;
      const base = p * n;
      for (let q = p; q < n; q++) gram[base + q]! += a0 * data[r0 + q]!;
    }
  }
  for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) gram[p * n + q] = gram[q * n + p]!;
  return gram;
}
