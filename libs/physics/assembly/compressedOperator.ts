// The compressed kernel K̃[(i,j),(a,b)] = A1[i,a]·A2[j,b] applied matrix-free: the loops of
// libs/physics/src/numerics/compressedOperator.ts's apply and halfApplyT (its TypeScript twin, which documents them),
// each sum in the same order, so both give the same bits.
import { ld, ldi32, ldu8, st, sti32, stu8 } from './memory';

/** Bytes of scratch apply needs: fc (n1·n2), t1 (r1·n2), a2c (r2·n2) values, fRows, fCols, colMark. */
export function applyScratchBytes(n1: i32, n2: i32, r1: i32, r2: i32): i32 {
  return 8 * (n1 * n2 + r1 * n2 + r2 * n2) + 4 * (n1 + n2) + n2 + 16;
}

/**
 * out (s) = K̃·f for f (n1 × n2): F gathered onto its nonzero rows and columns, T1 = A1·F on them (the rows of A1 that
 * kept pairs use, rowsUsed[0..nRows)), then each pair's dot product with A2 on those columns.
 */
export function compressedApply(
  f: usize,
  n1: i32,
  n2: i32,
  a1: usize,
  a2: usize,
  r1: i32,
  r2: i32,
  pi: usize,
  pj: usize,
  s: i32,
  rowsUsed: usize,
  nRows: i32,
  jUsed: i32,
  out: usize,
  scratch: usize,
): void {
  const fc = scratch;
  const t1 = fc + ((<usize>(n1 * n2)) << 3);
  const a2c = t1 + ((<usize>(r1 * n2)) << 3);
  const fRows = a2c + ((<usize>(r2 * n2)) << 3);
  const fCols = fRows + ((<usize>n1) << 2);
  const colMark = fCols + ((<usize>n2) << 2);
  let nc = 0;
  for (let b = 0; b < n2; b++) stu8(colMark, b, 0);
  let nf = 0;
  for (let a = 0; a < n1; a++) {
    const fa = a * n2;
    let any = false;
    for (let b = 0; b < n2; b++) {
      if (ld(f, fa + b) != 0) {
        any = true;
        stu8(colMark, b, 1);
      }
    }
    if (any) sti32(fRows, nf++, a);
  }
  for (let b = 0; b < n2; b++) if (ldu8(colMark, b) == 1) sti32(fCols, nc++, b);
  for (let u = 0; u < nf; u++) {
    const fa = ldi32(fRows, u) * n2;
    for (let v = 0; v < nc; v++) st(fc, u * nc + v, ld(f, fa + ldi32(fCols, v)));
  }
  for (let x = 0; x < nRows; x++) {
    const i = ldi32(rowsUsed, x);
    const ti = i * nc;
    for (let v = 0; v < nc; v++) st(t1, ti + v, 0);
    for (let u = 0; u < nf; u++) {
      const w = ld(a1, i * n1 + ldi32(fRows, u));
      if (w == 0) continue;
      const fu = u * nc;
      for (let v = 0; v < nc; v++) st(t1, ti + v, ld(t1, ti + v) + w * ld(fc, fu + v));
    }
  }
  for (let j = 0; j < jUsed; j++) for (let v = 0; v < nc; v++) st(a2c, j * nc + v, ld(a2, j * n2 + ldi32(fCols, v)));
  for (let p = 0; p < s; p++) {
    const ti = ldi32(pi, p) * nc;
    const aj = ldi32(pj, p) * nc;
    let acc = 0.0;
    for (let v = 0; v < nc; v++) acc += ld(t1, ti + v) * ld(a2c, aj + v);
    st(out, p, acc);
  }
}

/**
 * t2 (n1 × jUsed) = A1ᵀ·C for the pairs' values c (s), over the rows and columns kept pairs use (colsUsed per row);
 * cFull (r1 × r2) is scratch.
 */
export function compressedHalfApplyT(
  c: usize,
  pairs: usize,
  s: i32,
  a1: usize,
  n1: i32,
  r1: i32,
  r2: i32,
  rowsUsed: usize,
  nRows: i32,
  colsUsed: usize,
  jUsed: i32,
  cFull: usize,
  t2: usize,
): void {
  for (let k = 0; k < r1 * r2; k++) st(cFull, k, 0);
  for (let p = 0; p < s; p++) st(cFull, ldi32(pairs, p), ld(c, p));
  for (let k = 0; k < n1 * jUsed; k++) st(t2, k, 0);
  for (let x = 0; x < nRows; x++) {
    const i = ldi32(rowsUsed, x);
    const jMax = ldi32(colsUsed, i);
    const ci = i * r2;
    for (let a = 0; a < n1; a++) {
      const w = ld(a1, i * n1 + a);
      if (w == 0) continue;
      const ta = a * jUsed;
      for (let j = 0; j < jMax; j++) st(t2, ta + j, ld(t2, ta + j) + w * ld(cFull, ci + j));
    }
  }
}
