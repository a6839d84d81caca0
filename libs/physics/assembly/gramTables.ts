// Gram matrices of the kernels and of the compressed operator: libs/physics/src/linalg/kernelSvd.ts's columnGram and
// libs/physics/src/numerics/boundedQuadratic.ts's gramDiagonal (their TypeScript twins, which document them), every
// sum in the same order, so both give the same bits (`x ** 2` there is x·x, as V8 computes it).
import { ld, ldi32, st, ldu8, stu8 } from './memory';

/** gram (n × n, both triangles) = KᵀK of data (m × n), four rows per pass over the upper triangle. */
export function columnGram(data: usize, m: i32, n: i32, gram: usize): void {
  const total = n * n;
  for (let k = 0; k < total; k++) st(gram, k, 0);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let p = 0; p < n; p++) {
      const a0 = ld(data, r0 + p);
      const a1 = ld(data, r1 + p);
      const a2 = ld(data, r2 + p);
      const a3 = ld(data, r3 + p);
      if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
      const base = p * n;
      for (let q = p; q < n; q++) {
        const add = a0 * ld(data, r0 + q) + a1 * ld(data, r1 + q) + a2 * ld(data, r2 + q) + a3 * ld(data, r3 + q);
        st(gram, base + q, ld(gram, base + q) + add);
      }
    }
  }
  for (; i < m; i++) {
    const r0 = i * n;
    for (let p = 0; p < n; p++) {
      const a0 = ld(data, r0 + p);
      if (a0 == 0) continue;
      const base = p * n;
      for (let q = p; q < n; q++) st(gram, base + q, ld(gram, base + q) + a0 * ld(data, r0 + q));
    }
  }
  for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) st(gram, p * n + q, ld(gram, q * n + p));
}

/**
 * out (n1 × n2) = diag(K̃ᵀK̃): Σ over the kept pairs (i, j) (i32 pair indices i·r2 + j) of A1[i,a]²·A2[j,b]².
 * rowSum (r1 × n2 f64) and used (r1 bytes) are scratch.
 */
export function gramDiagonal(
  a1: usize,
  a2: usize,
  n1: i32,
  n2: i32,
  r1: i32,
  r2: i32,
  pairs: usize,
  count: i32,
  rowSum: usize,
  used: usize,
  out: usize,
): void {
  for (let k = 0; k < n1 * n2; k++) st(out, k, 0);
  for (let k = 0; k < r1 * n2; k++) st(rowSum, k, 0);
  for (let k = 0; k < r1; k++) stu8(used, k, 0);
  for (let p = 0; p < count; p++) {
    const pair = ldi32(pairs, p);
    const i = pair / r2;
    const j = pair - i * r2;
    stu8(used, i, 1);
    const ri = i * n2;
    for (let b = 0; b < n2; b++) {
      const v = ld(a2, j * n2 + b);
      st(rowSum, ri + b, ld(rowSum, ri + b) + v * v);
    }
  }
  for (let i = 0; i < r1; i++) {
    if (!ldu8(used, i)) continue;
    const ri = i * n2;
    for (let a = 0; a < n1; a++) {
      const x = ld(a1, i * n1 + a);
      const w = x * x;
      const oa = a * n2;
      for (let b = 0; b < n2; b++) st(out, oa + b, ld(out, oa + b) + w * ld(rowSum, ri + b));
    }
  }
}

/** rowSum (m1) and colSum (m2) of |data| (m1 × m2), accumulated row by row. */
export function absRowColSums(data: usize, m1: i32, m2: i32, rowSum: usize, colSum: usize): void {
  for (let i = 0; i < m1; i++) st(rowSum, i, 0);
  for (let j = 0; j < m2; j++) st(colSum, j, 0);
  for (let i = 0; i < m1; i++) {
    for (let j = 0; j < m2; j++) {
      const a = abs<f64>(ld(data, i * m2 + j));
      st(colSum, j, ld(colSum, j) + a);
      st(rowSum, i, ld(rowSum, i) + a);
    }
  }
}
