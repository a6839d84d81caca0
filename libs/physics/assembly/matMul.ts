// Dense products: the kernel of libs/physics/src/linalg/matMul.ts (its TypeScript twin, which documents it), with
// WebAssembly's 128-bit vectors; each sum in the same order, so both give the same bits.
import { ld, st } from './memory';

/** dst (cols × rows) = srcᵀ for src rows × cols, row-major. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let p = 0; p < rows; p++) {
    const sp = p * cols;
    for (let j = 0; j < cols; j++) st(dst, j * rows + p, ld(src, sp + j));
  }
}

/**
 * B's columns in panels of four (the last padded with zeros): panel[(j/4·k + p)·4 + q] = B[p][j + q], from B (k × n,
 * `rowsAreColumns` 0) or from Bt (n × k, 1), so that the product loads each step's four values as two vectors.
 */
export function packPanels(b: usize, k: i32, n: i32, rowsAreColumns: i32, panel: usize): void {
  for (let j = 0; j < n; j += 4) {
    const base = (j >> 2) * k * 4;
    for (let q = 0; q < 4; q++) {
      const col = j + q;
      for (let p = 0; p < k; p++) {
        const v = col < n ? (rowsAreColumns ? ld(b, col * k + p) : ld(b, p * n + col)) : 0.0;
        st(panel, base + p * 4 + q, v);
      }
    }
  }
}

/**
 * c (m × n) = A·B for A (m × k) and B packed by packPanels: four rows of A against four columns at a time, two
 * columns to a vector. Each sum runs over p in order, a product then a sum per step as in the TypeScript twin, so the
 * lanes give its bits.
 */
export function productPacked(a: usize, panel: usize, m: i32, k: i32, n: i32, c: usize): void {
  for (let i = 0; i < m; i += 4) {
    // Past the last row the loads repeat row i (harmless; those sums are not stored).
    const r0 = a + ((<usize>(i * k)) << 3);
    const r1 = i + 1 < m ? r0 + ((<usize>k) << 3) : r0;
    const r2 = i + 2 < m ? r0 + ((<usize>(2 * k)) << 3) : r0;
    const r3 = i + 3 < m ? r0 + ((<usize>(3 * k)) << 3) : r0;
    for (let j = 0; j < n; j += 4) {
      let pb = panel + ((<usize>((j >> 2) * k * 4)) << 3);
      let s01 = f64x2.splat(0);
      let s23 = f64x2.splat(0);
      let t01 = f64x2.splat(0);
      let t23 = f64x2.splat(0);
      let u01 = f64x2.splat(0);
      let u23 = f64x2.splat(0);
      let w01 = f64x2.splat(0);
      let w23 = f64x2.splat(0);
      for (let p = 0; p < k; p++) {
        const off = (<usize>p) << 3;
        const b01 = v128.load(pb);
        const b23 = v128.load(pb, 16);
        pb += 32;
        const x = f64x2.splat(load<f64>(r0 + off));
        s01 = f64x2.add(s01, f64x2.mul(x, b01));
        s23 = f64x2.add(s23, f64x2.mul(x, b23));
        const y = f64x2.splat(load<f64>(r1 + off));
        t01 = f64x2.add(t01, f64x2.mul(y, b01));
        t23 = f64x2.add(t23, f64x2.mul(y, b23));
        const z = f64x2.splat(load<f64>(r2 + off));
        u01 = f64x2.add(u01, f64x2.mul(z, b01));
        u23 = f64x2.add(u23, f64x2.mul(z, b23));
        const h = f64x2.splat(load<f64>(r3 + off));
        w01 = f64x2.add(w01, f64x2.mul(h, b01));
        w23 = f64x2.add(w23, f64x2.mul(h, b23));
      }
      const w = min(4, n - j);
      storeRow(c, i * n + j, w, s01, s23);
      if (i + 1 < m) storeRow(c, (i + 1) * n + j, w, t01, t23);
      if (i + 2 < m) storeRow(c, (i + 2) * n + j, w, u01, u23);
      if (i + 3 < m) storeRow(c, (i + 3) * n + j, w, w01, w23);
    }
  }
}

function storeRow(c: usize, at: i32, w: i32, v01: v128, v23: v128): void {
  st(c, at, f64x2.extract_lane(v01, 0));
  if (w > 1) st(c, at + 1, f64x2.extract_lane(v01, 1));
  if (w > 2) st(c, at + 2, f64x2.extract_lane(v23, 0));
  if (w > 3) st(c, at + 3, f64x2.extract_lane(v23, 1));
}
