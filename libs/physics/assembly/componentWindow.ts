// The component model's sampled log-normal: libs/physics/src/peaks/componentSignal.ts's evaluateState loop (its
// TypeScript twin, which documents it), with V8's exponential (exp.ts), so both give the same bits.
import { v8Exp } from './exp';
import { ld, st, sti32 } from './memory';

/**
 * g (na × nb) = exp(−q/2) over the window, q = (za² − 2r·za·zb + zb²)·k, 0 where q ≥ 50, normalised to sum 1 when the
 * sum is positive; lo and hi (na i32): each row's first and one past its last non-zero cell (lo = hi = nb when none).
 */
export function componentWindow(
  z1: usize,
  na: i32,
  z2: usize,
  nb: i32,
  r: f64,
  k: f64,
  g: usize,
  lo: usize,
  hi: usize,
): void {
  let sum = 0.0;
  for (let a = 0; a < na; a++) {
    const za = ld(z1, a);
    const row = a * nb;
    let first = nb;
    let last = 0;
    for (let b = 0; b < nb; b++) {
      const zb = ld(z2, b);
      const q = (za * za - 2 * r * za * zb + zb * zb) * k;
      const v = q < 50 ? v8Exp(-0.5 * q) : 0.0;
      st(g, row + b, v);
      sum += v;
      if (v != 0) {
        if (first == nb) first = b;
        last = b + 1;
      }
    }
    sti32(lo, a, first);
    sti32(hi, a, first == nb ? first : last);
  }
  if (sum > 0) for (let i = 0; i < na * nb; i++) st(g, i, ld(g, i) / sum);
}
