// JᵀJ and Jᵀr of the component fits' Levenberg–Marquardt: normalEquations in
// libs/physics/src/peaks/levenbergMarquardt.ts (its TypeScript twin, which documents it), each sum in the same order,
// so both give the same bits.
import { ld, st } from './memory';

/** jtj (n × n, both triangles) and jtr (n) of a column-major Jacobian jac (n columns of s) and residual r. */
export function normalEquations(jac: usize, r: usize, n: i32, s: i32, jtj: usize, jtr: usize): void {
  for (let x = 0; x < n; x++) {
    const cx = x * s;
    let g = 0.0;
    for (let p = 0; p < s; p++) g += ld(jac, cx + p) * ld(r, p);
    st(jtr, x, g);
  }
  for (let x = 0; x < n; x += 2) {
    const pair = x + 1 < n;
    const cx = x * s;
    const cx1 = pair ? cx + s : cx;
    let y = 0;
    for (; y <= x; y += 4) {
      const w = min(4, x + 1 - y);
      const c0 = y * s;
      const c1 = (w > 1 ? y + 1 : y) * s;
      const c2 = (w > 2 ? y + 2 : y) * s;
      const c3 = (w > 3 ? y + 3 : y) * s;
      let a0 = 0.0;
      let a1 = 0.0;
      let a2 = 0.0;
      let a3 = 0.0;
      let b0 = 0.0;
      let b1 = 0.0;
      let b2 = 0.0;
      let b3 = 0.0;
      for (let p = 0; p < s; p++) {
        const v = ld(jac, cx + p);
        const t = ld(jac, cx1 + p);
        const y0 = ld(jac, c0 + p);
        const y1 = ld(jac, c1 + p);
        const y2 = ld(jac, c2 + p);
        const y3 = ld(jac, c3 + p);
        a0 += v * y0;
        a1 += v * y1;
        a2 += v * y2;
        a3 += v * y3;
        b0 += t * y0;
        b1 += t * y1;
        b2 += t * y2;
        b3 += t * y3;
      }
      for (let d = 0; d < w; d++) {
        const v = d == 0 ? a0 : d == 1 ? a1 : d == 2 ? a2 : a3;
        st(jtj, x * n + y + d, v);
        st(jtj, (y + d) * n + x, v);
        if (!pair) continue;
        const t = d == 0 ? b0 : d == 1 ? b1 : d == 2 ? b2 : b3;
        st(jtj, (x + 1) * n + y + d, t);
        st(jtj, (y + d) * n + x + 1, t);
      }
    }
    if (pair) {
      let acc = 0.0;
      for (let p = 0; p < s; p++) acc += ld(jac, cx1 + p) * ld(jac, cx1 + p);
      st(jtj, (x + 1) * n + x + 1, acc);
    }
  }
}
