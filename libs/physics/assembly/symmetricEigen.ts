// Eigen-decomposition of a real symmetric matrix: the tred2/tql2 pair of libs/physics/src/linalg/symmetricEigen.ts
// (its TypeScript twin, which documents it), step for step, with V8's Math.hypot so that both give the same bits.
import { ld, ldi32, st, sti32 } from './memory';

/** Bytes of scratch symmetricEigen needs for n × n. */
export function symmetricEigenScratchBytes(n: i32): i32 {
  return 8 * (n * n + 2 * n) + 4 * n;
}

/**
 * a (n × n, row-major) → values (n, descending) and vectors (n × n, eigenvectors as columns). Returns 0 when the QL
 * iteration did not converge.
 */
export function symmetricEigen(a: usize, n: i32, values: usize, vectors: usize, scratch: usize): i32 {
  const v = scratch;
  const d = v + ((<usize>(n * n)) << 3);
  const e = d + ((<usize>n) << 3);
  const order = e + ((<usize>n) << 3);
  memory.copy(v, a, (<usize>(n * n)) << 3);
  tridiagonalize(v, d, e, n);
  if (!diagonalize(v, d, e, n)) return 0;
  // Descending, ties in index order (what a stable sort gives).
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j > 0 && ld(d, ldi32(order, j - 1)) < ld(d, i)) {
      sti32(order, j, ldi32(order, j - 1));
      j--;
    }
    sti32(order, j, i);
  }
  for (let dst = 0; dst < n; dst++) {
    const src = ldi32(order, dst);
    st(values, dst, ld(d, src));
    for (let k = 0; k < n; k++) st(vectors, k * n + dst, ld(v, src * n + k));
  }
  return 1;
}

/** Math.hypot(x, y) as V8 computes it (scaled, Kahan-compensated sum), so that results match to the bit. */
function hypot(x: f64, y: f64): f64 {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax == Infinity || ay == Infinity) return Infinity;
  if (isNaN(ax) || isNaN(ay)) return NaN;
  const max = ax > ay ? ax : ay;
  if (max == 0) return 0;
  let sum = 0.0;
  let compensation = 0.0;
  const n0 = ax / max;
  let summand = n0 * n0 - compensation;
  let preliminary = sum + summand;
  compensation = preliminary - sum - summand;
  sum = preliminary;
  const n1 = ay / max;
  summand = n1 * n1 - compensation;
  preliminary = sum + summand;
  sum = preliminary;
  return Math.sqrt(sum) * max;
}

function tridiagonalize(v: usize, d: usize, e: usize, n: i32): void {
  for (let j = 0; j < n; j++) st(d, j, ld(v, j * n + (n - 1)));
  for (let i = n - 1; i > 0; i--) {
    let scale = 0.0;
    let h = 0.0;
    for (let k = 0; k < i; k++) scale += Math.abs(ld(d, k));
    if (scale == 0) {
      st(e, i, ld(d, i - 1));
      for (let j = 0; j < i; j++) {
        st(d, j, ld(v, j * n + (i - 1)));
        st(v, j * n + i, 0);
        st(v, i * n + j, 0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        st(d, k, ld(d, k) / scale);
        h += ld(d, k) * ld(d, k);
      }
      let f = ld(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      st(e, i, scale * g);
      h -= f * g;
      st(d, i - 1, f - g);
      for (let j = 0; j < i; j++) st(e, j, 0);
      for (let j = 0; j < i; j++) {
        f = ld(d, j);
        st(v, i * n + j, f);
        g = ld(e, j) + ld(v, j * n + j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += ld(v, j * n + k) * ld(d, k);
          st(e, k, ld(e, k) + ld(v, j * n + k) * f);
        }
        st(e, j, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        st(e, j, ld(e, j) / h);
        f += ld(e, j) * ld(d, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(e, j, ld(e, j) - hh * ld(d, j));
      for (let j = 0; j < i; j++) {
        f = ld(d, j);
        g = ld(e, j);
        for (let k = j; k <= i - 1; k++) st(v, j * n + k, ld(v, j * n + k) - (f * ld(e, k) + g * ld(d, k)));
        st(d, j, ld(v, j * n + (i - 1)));
        st(v, j * n + i, 0);
      }
    }
    st(d, i, h);
  }
  for (let i = 0; i < n - 1; i++) {
    st(v, i * n + (n - 1), ld(v, i * n + i));
    st(v, i * n + i, 1);
    const h = ld(d, i + 1);
    if (h != 0) {
      for (let k = 0; k <= i; k++) st(d, k, ld(v, (i + 1) * n + k) / h);
      for (let j = 0; j <= i; j++) {
        let g = 0.0;
        for (let k = 0; k <= i; k++) g += ld(v, (i + 1) * n + k) * ld(v, j * n + k);
        for (let k = 0; k <= i; k++) st(v, j * n + k, ld(v, j * n + k) - g * ld(d, k));
      }
    }
    for (let k = 0; k <= i; k++) st(v, (i + 1) * n + k, 0);
  }
  for (let j = 0; j < n; j++) {
    st(d, j, ld(v, j * n + (n - 1)));
    st(v, j * n + (n - 1), 0);
  }
  st(v, (n - 1) * n + (n - 1), 1);
  st(e, 0, 0);
}

function diagonalize(v: usize, d: usize, e: usize, n: i32): bool {
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  let f = 0.0;
  let tst1 = 0.0;
  const eps = f64.EPSILON; // 2^-52
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(ld(d, l)) + Math.abs(ld(e, l)));
    let m = l;
    while (m < n) {
      if (Math.abs(ld(e, m)) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = ld(d, l);
        let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        st(d, l, ld(e, l) / (p + r));
        st(d, l + 1, ld(e, l) * (p + r));
        const dl1 = ld(d, l + 1);
        let h = g - ld(d, l);
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f += h;
        p = ld(d, m);
        let c = 1.0;
        let c2 = c;
        let c3 = c;
        const el1 = ld(e, l + 1);
        let s = 0.0;
        let s2 = 0.0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * ld(e, i);
          h = c * p;
          r = hypot(p, ld(e, i));
          st(e, i + 1, s * r);
          s = ld(e, i) / r;
          c = p / r;
          p = c * ld(d, i) - s * g;
          st(d, i + 1, h + s * (c * g + s * ld(d, i)));
          for (let k = 0; k < n; k++) {
            h = ld(v, (i + 1) * n + k);
            st(v, (i + 1) * n + k, s * ld(v, i * n + k) + c * h);
            st(v, i * n + k, c * ld(v, i * n + k) - s * h);
          }
        }
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (Math.abs(ld(e, l)) > eps * tst1);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  return true;
}
