// The Jacobian columns of a log-normal component's signal: jacobianColumns in libs/physics/src/peaks/componentSignal.ts
// (its TypeScript twin, which documents it), each sum in the same order, so both give the same bits. The scalar
// coefficients (which need tanh, whose last bit WebAssembly would not match) come from the caller.
import { ld, ldi32, st } from './memory';

/**
 * Columns col … col + P·s of jac (s each) for one component, amplitude·∂signal/∂β added to column betaCol (≥ 0).
 * coef: 2D [c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c5c], 1D [cm, cl], each already times −½·amplitude.
 * With `fresh` (2D), gz and the u blocks 1 and 2 are filled first.
 */
export function componentJacobian(
  g: usize,
  lo: usize,
  hi: usize,
  z1: usize,
  z2: usize,
  gz: usize,
  u: usize,
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
  sig: usize,
  sums: usize,
  ysum: usize,
  wv: usize,
  two: i32,
  fresh: i32,
  coef: usize,
  amplitude: f64,
  betaScale: f64,
  jac: usize,
  col: i32,
  betaCol: i32,
  perComponent: i32,
): void {
  const blk = r2 * na;
  let m10 = 0.0;
  let m01 = 0.0;
  let m20 = 0.0;
  let m11 = 0.0;
  let m02 = 0.0;
  for (let a = 0; a < na; a++) {
    const row = a * nb;
    let s0 = 0.0;
    let s1 = 0.0;
    let s2 = 0.0;
    for (let b = ldi32(lo, a); b < ldi32(hi, a); b++) {
      const v = ld(g, row + b);
      const zv = v * ld(z2, b);
      const zzv = zv * ld(z2, b);
      s0 += v;
      s1 += zv;
      s2 += zzv;
      if (fresh) {
        st(gz, 2 * (row + b), zv);
        st(gz, 2 * (row + b) + 1, zzv);
      }
    }
    const za = ld(z1, a);
    m10 += za * s0;
    m20 += za * za * s0;
    m01 += s1;
    m11 += za * s1;
    m02 += s2;
  }
  if (fresh) {
    for (let a = 0; a < na; a++) {
      const row = a * nb;
      const from = ldi32(lo, a);
      const to = ldi32(hi, a);
      for (let jj = 0; jj < r2; jj += 2) {
        const j1 = jj + 1 < r2 ? jj + 1 : jj;
        const ar = jj * n2 + b0;
        const ar1 = j1 * n2 + b0;
        let acc1 = 0.0;
        let acc2 = 0.0;
        let bcc1 = 0.0;
        let bcc2 = 0.0;
        for (let b = from, o = 2 * (row + from); b < to; b++, o += 2) {
          const y = ld(a2, ar + b);
          const y1 = ld(a2, ar1 + b);
          const v1 = ld(gz, o);
          const v2 = ld(gz, o + 1);
          acc1 += v1 * y;
          acc2 += v2 * y;
          bcc1 += v1 * y1;
          bcc2 += v2 * y1;
        }
        st(u, blk + jj * na + a, acc1);
        st(u, 2 * blk + jj * na + a, acc2);
        st(u, blk + j1 * na + a, bcc1);
        st(u, 2 * blk + j1 * na + a, bcc2);
      }
    }
  }
  if (betaCol >= 0) {
    for (let jj = 0; jj < r2; jj++) {
      let y = 0.0;
      for (let a = 0; a < na; a++) y += ld(u, jj * na + a);
      st(ysum, jj, y);
    }
  }
  if (!two) {
    const cm = ld(coef, 0);
    const cl = ld(coef, 1);
    const mm = -cm * m10;
    const ml = -cl * m20;
    for (let p = 0; p < s; p++) {
      const ar = ldi32(pi, p) * n1 + base;
      const ur = ldi32(pj, p) * na;
      let l10 = 0.0;
      let l20 = 0.0;
      for (let a = 0; a < na; a++) {
        const y0 = ld(u, ur + a);
        const xz = ld(a1, ar + a) * ld(z1, a);
        l10 += xz * y0;
        l20 += xz * ld(z1, a) * y0;
      }
      const l00 = ld(sig, p);
      st(jac, col + p, cm * l10 + mm * l00);
      st(jac, col + s + p, cl * l20 + ml * l00);
      st(jac, col + 2 * s + p, amplitude * l00);
      if (betaCol >= 0) {
        const k = betaCol + p;
        st(jac, k, ld(jac, k) + betaScale * (l00 - ld(sums, ldi32(pi, p)) * ld(ysum, ldi32(pj, p))));
      }
    }
    return;
  }
  const c1a = ld(coef, 0);
  const c1b = ld(coef, 1);
  const c2a = ld(coef, 2);
  const c2b = ld(coef, 3);
  const c3a = ld(coef, 4);
  const c3b = ld(coef, 5);
  const c4a = ld(coef, 6);
  const c4b = ld(coef, 7);
  const c5a = ld(coef, 8);
  const c5b = ld(coef, 9);
  const c5c = ld(coef, 10);
  const k1 = -(c1a * m10 + c1b * m01);
  const k2 = -(c2a * m10 + c2b * m01);
  const k3 = -(c3a * m20 + c3b * m11);
  const k4 = -(c4a * m11 + c4b * m02);
  const k5 = -(c5a * m20 + c5b * m11 + c5c * m02);
  for (let i = 0; i < blk; i++) {
    const z = ld(z1, i % na);
    const y0 = ld(u, i);
    const y1 = ld(u, blk + i);
    const o = 5 * i;
    st(wv, o, y0 * z);
    st(wv, o + 1, y0 * z * z);
    st(wv, o + 2, y1);
    st(wv, o + 3, y1 * z);
    st(wv, o + 4, ld(u, 2 * blk + i));
  }
  const j1 = col;
  const j2 = j1 + s;
  const j3 = j2 + s;
  const j4 = j3 + s;
  const j5 = j4 + s;
  const j6 = col + (perComponent - 1) * s;
  for (let p = 0; p < s; p++) {
    const ar = ldi32(pi, p) * n1 + base;
    const ur = 5 * ldi32(pj, p) * na;
    let l10 = 0.0;
    let l20 = 0.0;
    let l01 = 0.0;
    let l11 = 0.0;
    let l02 = 0.0;
    for (let a = 0, o = ur; a < na; a++, o += 5) {
      const x = ld(a1, ar + a);
      l10 += x * ld(wv, o);
      l20 += x * ld(wv, o + 1);
      l01 += x * ld(wv, o + 2);
      l11 += x * ld(wv, o + 3);
      l02 += x * ld(wv, o + 4);
    }
    const l00 = ld(sig, p);
    st(jac, j1 + p, c1a * l10 + c1b * l01 + k1 * l00);
    st(jac, j2 + p, c2a * l10 + c2b * l01 + k2 * l00);
    st(jac, j3 + p, c3a * l20 + c3b * l11 + k3 * l00);
    st(jac, j4 + p, c4a * l11 + c4b * l02 + k4 * l00);
    st(jac, j5 + p, c5a * l20 + c5b * l11 + c5c * l02 + k5 * l00);
    st(jac, j6 + p, amplitude * l00);
    if (betaCol >= 0) {
      const k = betaCol + p;
      st(jac, k, ld(jac, k) + betaScale * (l00 - ld(sums, ldi32(pi, p)) * ld(ysum, ldi32(pj, p))));
    }
  }
}
