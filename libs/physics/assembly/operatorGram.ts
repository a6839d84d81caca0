// K̃·diag(w)·K̃ᵀ of the compressed operator from its factor tables: operatorGram and its loop nests in
// libs/physics/src/numerics/compressedOperator.ts (the TypeScript twin, which documents them), each sum in the same
// order, so both give the same bits.
import { ld, ldi32, st, sti32 } from './memory';

/** Bytes of scratch operatorGram needs: pw (p1Count·n2), wc (n1·n2), q2c (p2Count·n2), cols (n2), rowsA (n1). */
export function operatorGramScratchBytes(n1: i32, n2: i32, p1Count: i32, p2Count: i32): i32 {
  return 8 * (p1Count * n2 + n1 * n2 + p2Count * n2) + 4 * (n1 + n2) + 16;
}

/** out (s × s, both triangles) = K̃·diag(w)·K̃ᵀ for the s kept pairs (pi, pj). */
export function operatorGram(
  w: usize,
  n1: i32,
  n2: i32,
  a1Pair: usize,
  p1Count: i32,
  q2: usize,
  p2Count: i32,
  p1UsedList: usize,
  nUsed: i32,
  pi: usize,
  pj: usize,
  s: i32,
  pIndex1: usize,
  r1: i32,
  pIndex2: usize,
  r2: i32,
  out: usize,
  scratch: usize,
): void {
  const pw = scratch;
  const wc = pw + ((<usize>(p1Count * n2)) << 3);
  const q2c = wc + ((<usize>(n1 * n2)) << 3);
  const cols = q2c + ((<usize>(p2Count * n2)) << 3);
  const rowsA = cols + ((<usize>n2) << 2);
  // the second-axis cells b where some w[·, b] ≠ 0
  let nb = 0;
  for (let b = 0; b < n2; b++) {
    let any = false;
    for (let a = 0; a < n1 && !any; a++) any = ld(w, a * n2 + b) != 0;
    if (any) sti32(cols, nb++, b);
  }
  // the first-axis cells a with weight on those columns, and w gathered onto them
  let na = 0;
  for (let a = 0; a < n1; a++) {
    let any = false;
    for (let bb = 0; bb < nb; bb++) {
      const v = ld(w, a * n2 + ldi32(cols, bb));
      st(wc, na * nb + bb, v);
      if (v != 0) any = true;
    }
    if (any) sti32(rowsA, na++, a);
  }
  // PW[(i,k), b'] = Σ_a A1[i,a]·A1[k,a]·w[a,b]
  for (let u = 0; u < nUsed; u++) {
    const c = ldi32(p1UsedList, u);
    const pc = c * nb;
    for (let bb = 0; bb < nb; bb++) st(pw, pc + bb, 0);
    const ac = c * n1;
    for (let aa = 0; aa < na; aa++) {
      const v = ld(a1Pair, ac + ldi32(rowsA, aa));
      if (v == 0) continue;
      const wr = aa * nb;
      for (let bb = 0; bb < nb; bb++) st(pw, pc + bb, ld(pw, pc + bb) + v * ld(wc, wr + bb));
    }
  }
  for (let c = 0; c < p2Count; c++)
    for (let bb = 0; bb < nb; bb++) st(q2c, c * nb + bb, ld(q2, c * n2 + ldi32(cols, bb)));
  // G[p,q] = Σ_b PW[(i_p,i_q), b] · A2[j_p,b]·A2[j_q,b]
  for (let p = 0; p < s; p++) {
    const i = ldi32(pi, p);
    const j = ldi32(pj, p);
    for (let q = p; q < s; q++) {
      const pc = ldi32(pIndex1, i * r1 + ldi32(pi, q)) * nb;
      const qc = ldi32(pIndex2, j * r2 + ldi32(pj, q)) * nb;
      let acc0 = 0.0;
      let acc1 = 0.0;
      let bb = 0;
      for (; bb + 1 < nb; bb += 2) {
        acc0 += ld(pw, pc + bb) * ld(q2c, qc + bb);
        acc1 += ld(pw, pc + bb + 1) * ld(q2c, qc + bb + 1);
      }
      if (bb < nb) acc0 += ld(pw, pc + bb) * ld(q2c, qc + bb);
      const acc = acc0 + acc1;
      st(out, p * s + q, acc);
      st(out, q * s + p, acc);
    }
  }
}
