// The tables behind the compressed operator's cellGram: the grouped outer-product sums of cellGramFactors in
// libs/physics/src/numerics/operatorTables.ts (the TypeScript twin, which documents them), each sum in the same
// order, so both give the same bits.
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

/**
 * out (n × n × g, interleaved by group) = per group t the sum of the outer products of its rows of A
 * (rows[starts[t] … starts[t+1]), added in that order).
 */
export function groupedOuterSums(a: usize, n: i32, g: i32, rows: usize, starts: usize, out: usize): void {
  const nn = n * n;
  for (let k = 0; k < nn * g; k++) st(out, k, 0);
  for (let t = 0; t < g; t++) {
    for (let x = ldi32(starts, t); x < ldi32(starts, t + 1); x++) addOuter(a, ldi32(rows, x), n, out, t, g);
  }
}

/** out (r(r+1)/2 × n): the products A[j,·]·A[l,·] of each row pair j ≤ l, pairs in row-major order (gramScratch). */
export function rowPairProducts(a: usize, r: i32, n: i32, out: usize): void {
  let c = 0;
  for (let j = 0; j < r; j++) {
    for (let l = j; l < r; l++, c++) {
      for (let b = 0; b < n; b++) st(out, c * n + b, ld(a, j * n + b) * ld(a, l * n + b));
    }
  }
}
