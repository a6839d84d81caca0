// The exact line search of the dual Newton solver: libs/physics/src/numerics/dualNewton.ts's exactStep (its
// TypeScript twin, which documents it), step for step, so both give the same bits.
import { ld, ldi32, st, sti32 } from './memory';

/** The minimiser t ≥ 0 along the direction (z, dz over n cells); cell (n i32) and brk (n f64) are scratch. */
export function exactStep(a0: f64, a1: f64, z: usize, dz: usize, lambda1: f64, n: i32, cell: usize, brk: usize): f64 {
  let count = 0;
  for (let k = 0; k < n; k++) {
    const d = ld(dz, k);
    if (d == 0) continue;
    const v = ld(z, k) - lambda1;
    const b = -v / d;
    if (b > 0) {
      sti32(cell, count, k);
      st(brk, count++, b);
    } else if (d > 0) {
      // active for every t > 0
      a0 += v * d;
      a1 += d * d;
    }
  }
  let tLo = 0.0;
  let tHi = Infinity;
  let t = 1.0;
  for (let pass = 0; pass < 60; pass++) {
    let d1 = a0 + a1 * t;
    let d2 = a1;
    for (let u = 0; u < count; u++) {
      const k = ldi32(cell, u);
      const d = ld(dz, k);
      if (d > 0 ? t > ld(brk, u) : t < ld(brk, u)) {
        d1 += (ld(z, k) - lambda1 + t * d) * d;
        d2 += d * d;
      }
    }
    if (d1 > 0) tHi = t;
    else tLo = t;
    if (d1 == 0 || (count == 0 && pass > 0)) break;
    // Fold the cells whose breakpoint left the bracket into the linear part.
    let kept = 0;
    for (let u = 0; u < count; u++) {
      const b = ld(brk, u);
      const k = ldi32(cell, u);
      if (b > tLo && b < tHi) {
        sti32(cell, kept, k);
        st(brk, kept++, b);
        continue;
      }
      const d = ld(dz, k);
      if ((d > 0 && b <= tLo) || (d < 0 && b >= tHi)) {
        a0 += (ld(z, k) - lambda1) * d;
        a1 += d * d;
      }
    }
    count = kept;
    let next = d2 > 0 ? t - d1 / d2 : NaN;
    if (!(next > tLo && next < tHi)) next = isFinite(tHi) ? 0.5 * (tLo + tHi) : 2 * t;
    if (Math.abs(next - t) <= 1e-12 * t) break;
    t = next;
  }
  return t;
}
