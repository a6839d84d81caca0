// The evenly spaced kernel matrix of libs/physics/src/kernels/kernelMatrix.ts (its TypeScript twin, which documents
// it): rows by recurrence from an anchor row every 64, then c0 + c1·e, the same products in the same order, so both
// give the same bits; the exponentials are V8's (exp.ts).
import { v8Exp } from './exp';
import { ld, st } from './memory';

const ANCHOR_EVERY = 64;

/**
 * d (m × n) from anchors (row i of d for i = 0, 64, 128 …: ⌈m/64⌉ × n) and step (n): d[i] = d[i−1]·step between
 * anchors; then d = c0 + c1·d unless `decay`.
 */
export function evenKernelRows(
  anchors: usize,
  step: usize,
  m: i32,
  n: i32,
  decay: i32,
  c0: f64,
  c1: f64,
  d: usize,
): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    if (i % ANCHOR_EVERY == 0) {
      const a = (i / ANCHOR_EVERY) * n;
      for (let j = 0; j < n; j++) st(d, row + j, ld(anchors, a + j));
    } else {
      const prev = row - n;
      for (let j = 0; j < n; j++) st(d, row + j, ld(d, prev + j) * ld(step, j));
    }
  }
  if (decay) return;
  const total = m * n;
  for (let k = 0; k < total; k++) st(d, k, c0 + c1 * ld(d, k));
}

/**
 * d (m × n) = exp(−x_i·rate_j) with V8's exponential (exp.ts), then c0 + c1·d unless `decay`: kernelMatrix's direct
 * rows (unevenly spaced x, and the anchors of evenly spaced ones).
 */
export function exponentialRows(x: usize, m: i32, rate: usize, n: i32, decay: i32, c0: f64, c1: f64, d: usize): void {
  for (let i = 0; i < m; i++) {
    const xi = ld(x, i);
    const row = i * n;
    for (let j = 0; j < n; j++) st(d, row + j, v8Exp(-xi * ld(rate, j)));
  }
  if (decay) return;
  const total = m * n;
  for (let k = 0; k < total; k++) st(d, k, c0 + c1 * ld(d, k));
}
