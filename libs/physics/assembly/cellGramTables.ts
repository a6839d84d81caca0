// The tables behind the compressed operator's cellGram: prefixProducts and the grouped outer-product sums of
// cellGramFactors in libs/physics/src/numerics/operatorTables.ts (the TypeScript twin, which documents them), each
// sum in the same order, so both give the same bits.
import { ld, ldi32, st } from './memory';

/** out[start + (a·n + b)·stride] += A[i,a]·A[i,b] for A with rows of length n. */
function addOuter(m: usize, i: i32, n: i32, out: usize, start: i32, stride: i32): void {
  const mi = i * n;
  for (let a = 0; a < n; a++) {
    const va = ld(m, mi + a);
    if (va == 0) continue;
    const row = start + a * n * stride;
    for (let b = 0; b < n; b++) st(out, row + b * stride, ld(out, row + b * stride) + va * ld(m, mi + b));
  }
}

/** Running sums Σ_{j ≤ J} A[j,·]ᵀ·A[j,·] for J = 0 … r−1 (r blocks of n × n) into out. */
export function prefixProducts(a: usize, r: i32, n: i32, out: usize): void {
  const nn = n * n;
  for (let k = 0; k < r * nn; k++) st(out, k, 0);
  for (let j = 0; j < r; j++) {
    const base = j * nn;
    if (j > 0) memory.copy(out + ((<usize>base) << 3), out + ((<usize>(base - nn)) << 3), (<usize>nn) << 3);
    addOuter(a, j, n, out, base, 1);
  }
}

/**
 * out (n × n × g, interleaved by group) = per group t the sum of the outer products of its rows of A
 * (rows[starts[t] … starts[t+1])), or — where prefixRows[t] ≥ 0 — block prefixRows[t] − 1 of the running sums at
 * `prefix` (a group whose rows are 0 … J−1).
 */
export function groupedOuterSums(
  a: usize,
  n: i32,
  g: i32,
  rows: usize,
  starts: usize,
  prefixRows: usize,
  prefix: usize,
  out: usize,
): void {
  const nn = n * n;
  for (let k = 0; k < nn * g; k++) st(out, k, 0);
  for (let t = 0; t < g; t++) {
    const j = ldi32(prefixRows, t);
    if (j >= 0) {
      const base = (j - 1) * nn;
      for (let e = 0; e < nn; e++) st(out, e * g + t, ld(prefix, base + e));
      continue;
    }
    for (let x = ldi32(starts, t); x < ldi32(starts, t + 1); x++) addOuter(a, ldi32(rows, x), n, out, t, g);
  }
}
