// In-place Cholesky factorisation: libs/physics/src/linalg/cholesky.ts's choleskyInPlace (its TypeScript twin, which
// documents it), four columns at a time, every sum in the same order, so both give the same bits.
import { ld, st } from './memory';

/** Factors the lower triangle of a (n × n, row-major) into L; returns 0 when a is not numerically positive definite. */
export function choleskyInPlace(a: usize, n: i32): i32 {
  for (let jb = 0; jb < n; jb += 4) {
    const w = min(4, n - jb);
    // The diagonal block, column by column.
    for (let j = jb; j < jb + w; j++) {
      const rj = j * n;
      let d = ld(a, rj + j);
      for (let k = 0; k < j; k++) d -= ld(a, rj + k) * ld(a, rj + k);
      if (!(d > 0)) return 0;
      const ljj = Math.sqrt(d);
      st(a, rj + j, ljj);
      for (let i = j + 1; i < jb + w; i++) {
        const ri = i * n;
        let s = ld(a, ri + j);
        for (let k = 0; k < j; k++) s -= ld(a, ri + k) * ld(a, rj + k);
        st(a, ri + j, s / ljj);
      }
    }
    if (w < 4) continue; // a partial block is the last one: no rows below it
    const r0 = jb * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const l00 = ld(a, r0 + jb);
    const l10 = ld(a, r1 + jb);
    const l11 = ld(a, r1 + jb + 1);
    const l20 = ld(a, r2 + jb);
    const l21 = ld(a, r2 + jb + 1);
    const l22 = ld(a, r2 + jb + 2);
    const l30 = ld(a, r3 + jb);
    const l31 = ld(a, r3 + jb + 1);
    const l32 = ld(a, r3 + jb + 2);
    const l33 = ld(a, r3 + jb + 3);
    for (let i = jb + 4; i < n; i += 2) {
      const two = i + 1 < n;
      const ra = i * n;
      const rb = two ? ra + n : ra;
      let a0 = ld(a, ra + jb);
      let a1 = ld(a, ra + jb + 1);
      let a2 = ld(a, ra + jb + 2);
      let a3 = ld(a, ra + jb + 3);
      let b0 = ld(a, rb + jb);
      let b1 = ld(a, rb + jb + 1);
      let b2 = ld(a, rb + jb + 2);
      let b3 = ld(a, rb + jb + 3);
      for (let k = 0; k < jb; k++) {
        const x = ld(a, ra + k);
        const y = ld(a, rb + k);
        const c0 = ld(a, r0 + k);
        const c1 = ld(a, r1 + k);
        const c2 = ld(a, r2 + k);
        const c3 = ld(a, r3 + k);
        a0 -= x * c0;
        a1 -= x * c1;
        a2 -= x * c2;
        a3 -= x * c3;
        b0 -= y * c0;
        b1 -= y * c1;
        b2 -= y * c2;
        b3 -= y * c3;
      }
      // then the block's own columns, in order
      a0 /= l00;
      a1 = (a1 - a0 * l10) / l11;
      a2 = (a2 - a0 * l20 - a1 * l21) / l22;
      a3 = (a3 - a0 * l30 - a1 * l31 - a2 * l32) / l33;
      st(a, ra + jb, a0);
      st(a, ra + jb + 1, a1);
      st(a, ra + jb + 2, a2);
      st(a, ra + jb + 3, a3);
      if (!two) break;
      b0 /= l00;
      b1 = (b1 - b0 * l10) / l11;
      b2 = (b2 - b0 * l20 - b1 * l21) / l22;
      b3 = (b3 - b0 * l30 - b1 * l31 - b2 * l32) / l33;
      st(a, rb + jb, b0);
      st(a, rb + jb + 1, b1);
      st(a, rb + jb + 2, b2);
      st(a, rb + jb + 3, b3);
    }
  }
  return 1;
}

/** Solves L·Lᵀ·x = b in place (b, n values) with the factor's lower triangle l (n × n): choleskySolveInPlace's steps. */
export function choleskySolveInPlace(l: usize, n: i32, b: usize): void {
  for (let i = 0; i < n; i++) {
    let s = ld(b, i);
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= ld(l, ri + k) * ld(b, k);
    st(b, i, s / ld(l, ri + i));
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const x = ld(b, i) / ld(l, ri + i);
    st(b, i, x);
    for (let k = 0; k < i; k++) st(b, k, ld(b, k) - ld(l, ri + k) * x);
  }
}
