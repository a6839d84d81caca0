// The tables behind the compressed operator's cellGram: the grouped outer-product sums of cellGramFactors in
// libs/physics/src/numerics/operatorTables.ts (the TypeScript twin, which documents them), each sum in the same
// order, so both give the same bits.
import { ld, ldi32, st, sti32 } from './memory';

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

/**
 * The lower triangle of K̃_AᵀK̃_A for the q cells at idx (i32, grid index a·n2 + b) into out (q × q): each entry one
 * dot product of length g between the tables q1 (n1² × g) and q2 (n2² × g), as CompressedOperator.cellGram computes
 * an entry it does not have from its last call (the same bits). `scratch` holds each cell's a and b (2q i32).
 */
export function cellGramEntries(
  q1: usize,
  q2: usize,
  g: i32,
  n1: i32,
  n2: i32,
  idx: usize,
  q: i32,
  out: usize,
  scratch: usize,
): void {
  const rowOf = scratch;
  const colOf = scratch + ((<usize>q) << 2);
  for (let u = 0; u < q; u++) {
    const cu = ldi32(idx, u);
    const au = cu / n2;
    sti32(rowOf, u, au);
    sti32(colOf, u, cu - au * n2);
  }
  for (let u = 0; u < q; u++) {
    const row1 = ldi32(rowOf, u) * n1;
    const row2 = ldi32(colOf, u) * n2;
    const ou = u * q;
    for (let v = 0; v <= u; v++) {
      const p1 = q1 + ((<usize>((row1 + ldi32(rowOf, v)) * g)) << 3);
      const p2 = q2 + ((<usize>((row2 + ldi32(colOf, v)) * g)) << 3);
      let acc = 0.0;
      for (let t = 0; t < g; t++) {
        const off = (<usize>t) << 3;
        acc += load<f64>(p1 + off) * load<f64>(p2 + off);
      }
      st(out, ou + v, acc);
    }
  }
}
