// Dense products: the kernel of libs/physics/src/linalg/matMul.ts (its TypeScript twin, which documents it), two
// rows of A against four rows of Bt at a time, each sum in the same order, so both give the same bits.
import { ld, st } from './memory';

/** dst (cols × rows) = srcᵀ for src rows × cols, row-major. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let p = 0; p < rows; p++) {
    const sp = p * cols;
    for (let j = 0; j < cols; j++) st(dst, j * rows + p, ld(src, sp + j));
  }
}

/** c (m × n) = A·Btᵀ for A (m × k) and Bt (n × k). */
export function productWithTransposed(a: usize, bt: usize, m: i32, k: i32, n: i32, c: usize): void {
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const ra = i * k;
    const rb = two ? ra + k : ra;
    for (let j = 0; j < n; j += 4) {
      const w = min(4, n - j);
      // Past the last column the loads repeat column j (harmless; those sums are not stored).
      const c0 = j * k;
      const c1 = w > 1 ? c0 + k : c0;
      const c2 = w > 2 ? c0 + 2 * k : c0;
      const c3 = w > 3 ? c0 + 3 * k : c0;
      let s0 = 0.0;
      let s1 = 0.0;
      let s2 = 0.0;
      let s3 = 0.0;
      let t0 = 0.0;
      let t1 = 0.0;
      let t2 = 0.0;
      let t3 = 0.0;
      for (let p = 0; p < k; p++) {
        const x = ld(a, ra + p);
        const y = ld(a, rb + p);
        const b0 = ld(bt, c0 + p);
        const b1 = ld(bt, c1 + p);
        const b2 = ld(bt, c2 + p);
        const b3 = ld(bt, c3 + p);
        s0 += x * b0;
        s1 += x * b1;
        s2 += x * b2;
        s3 += x * b3;
        t0 += y * b0;
        t1 += y * b1;
        t2 += y * b2;
        t3 += y * b3;
      }
      const ci = i * n + j;
      st(c, ci, s0);
      if (w > 1) st(c, ci + 1, s1);
      if (w > 2) st(c, ci + 2, s2);
      if (w > 3) st(c, ci + 3, s3);
      if (two) {
        const cb = ci + n;
        st(c, cb, t0);
        if (w > 1) st(c, cb + 1, t1);
        if (w > 2) st(c, cb + 2, t2);
        if (w > 3) st(c, cb + 3, t3);
      }
    }
  }
}
