// A log-normal component's unit signal on the kept pairs: project in libs/physics/src/peaks/componentSignal.ts (its
// TypeScript twin, which documents it), each sum in the same order, so both give the same bits.
import { ld, ldi32, st } from './memory';

/**
 * u (r2 × na) = ĝ·A2ᵀ over the window (ĝ: na × nb cells from column b0, nonzero in lo[a] … hi[a] per row), then
 * sig (s) = A1·u on the kept pairs (pi, pj), A1's rows read from column `base`.
 */
export function componentProject(
  g: usize,
  lo: usize,
  hi: usize,
  na: i32,
  nb: i32,
  b0: i32,
  a2: usize,
  r2: i32,
  n2: i32,
  a1: usize,
  n1: i32,
  base: i32,
  pi: usize,
  pj: usize,
  s: i32,
  u: usize,
  sig: usize,
): void {
  for (let a = 0; a < na; a++) {
    const row = a * nb;
    const from = ldi32(lo, a);
    const to = ldi32(hi, a);
    let jj = 0;
    for (; jj + 1 < r2; jj += 2) {
      const ar = jj * n2 + b0;
      const ar1 = ar + n2;
      let acc = 0.0;
      let acc1 = 0.0;
      for (let b = from; b < to; b++) {
        const v = ld(g, row + b);
        acc += v * ld(a2, ar + b);
        acc1 += v * ld(a2, ar1 + b);
      }
      st(u, jj * na + a, acc);
      st(u, (jj + 1) * na + a, acc1);
    }
    if (jj < r2) {
      const ar = jj * n2 + b0;
      let acc = 0.0;
      for (let b = from; b < to; b++) acc += ld(g, row + b) * ld(a2, ar + b);
      st(u, jj * na + a, acc);
    }
  }
  for (let p = 0; p < s; p++) {
    const ar = ldi32(pi, p) * n1 + base;
    const ur = ldi32(pj, p) * na;
    let acc = 0.0;
    for (let a = 0; a < na; a++) acc += ld(a1, ar + a) * ld(u, ur + a);
    st(sig, p, acc);
  }
}
