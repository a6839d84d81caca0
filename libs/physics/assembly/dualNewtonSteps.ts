// A whole-grid pass of the dual Newton solver: libs/physics/src/numerics/dualNewton.ts's primal map and active-cell
// list (its TypeScript twin, which documents it), in the same order, so both give the same bits.
import { ld, st, sti32 } from './memory';

/**
 * f = max(0, (z − λ1)/λ2) and mask (1 where positive) over n cells; the positive cells' indices into idx (i32).
 * Returns how many there are.
 */
export function dualPrimal(z: usize, n: i32, lambda1: f64, lambda2: f64, f: usize, mask: usize, idx: usize): i32 {
  let active = 0;
  for (let k = 0; k < n; k++) {
    const v = (ld(z, k) - lambda1) / lambda2;
    const positive = v > 0;
    st(f, k, positive ? v : 0);
    st(mask, k, positive ? 1 : 0);
    if (positive) sti32(idx, active++, k);
  }
  return active;
}
