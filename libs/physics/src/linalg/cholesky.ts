import { wasmKernels } from '../wasm/kernels';

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite n × n matrix (row-major; the lower
 * triangle is read and overwritten with L, the upper triangle is not touched). Returns false if A is not numerically
 * positive definite.
 *
 * Left-looking (Cholesky–Crout), four columns at a time: the 4 × 4 diagonal block first, then every two rows below
 * it take their four entries from dot products over the finished columns — each k loads six values for eight
 * multiply-adds, with eight independent accumulators (why: docs/physics.md, "Cholesky"). The factor agrees with the
 * one-entry-at-a-time loop to rounding. Runs as WebAssembly where the kernels are built (src/wasm/kernels.ts): the
 * same sums in the same order, so the same factor.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  const kernels = wasmKernels();
  if (!kernels) return choleskyTypeScript(a, n);
  // (a may be a larger buffer: its first n × n values are the matrix)
  const m = kernels.arena(8 * n * n).f64(n * n);
  m.view.set(a.subarray(0, n * n));
  const ok = kernels.exports.choleskyInPlace(m.offset, n) === 1;
  // the factor as far as it got, like the TypeScript path leaves it
  a.set(m.view);
  return ok;
}

/** The TypeScript path, where the kernels are absent. */
function choleskyTypeScript(a: Float64Array, n: number): boolean {
  for (let jb = 0; jb < n; jb += 4) {
    const w = Math.min(4, n - jb);
    // The diagonal block, column by column.
    for (let j = jb; j < jb + w; j++) {
      const rj = j * n;
      let d = a[rj + j]!;
      for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
      if (!(d > 0)) return false;
      const ljj = Math.sqrt(d);
      a[rj + j] = ljj;
      for (let i = j + 1; i < jb + w; i++) {
        const ri = i * n;
        let s = a[ri + j]!;
        for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
        a[ri + j] = s / ljj;
      }
    }
    if (w < 4) continue; // a partial block is the last one: no rows below it
    const r0 = jb * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const l00 = a[r0 + jb]!;
    const l10 = a[r1 + jb]!;
    const l11 = a[r1 + jb + 1]!;
    const l20 = a[r2 + jb]!;
    const l21 = a[r2 + jb + 1]!;
    const l22 = a[r2 + jb + 2]!;
    const l30 = a[r3 + jb]!;
    const l31 = a[r3 + jb + 1]!;
    const l32 = a[r3 + jb + 2]!;
    const l33 = a[r3 + jb + 3]!;
    let i = jb + 4;
    for (; i < n; i += 2) {
      const two = i + 1 < n;
      const ra = i * n;
      const rb = two ? ra + n : ra;
      let a0 = a[ra + jb]!;
      let a1 = a[ra + jb + 1]!;
      let a2 = a[ra + jb + 2]!;
      let a3 = a[ra + jb + 3]!;
      let b0 = a[rb + jb]!;
      let b1 = a[rb + jb + 1]!;
      let b2 = a[rb + jb + 2]!;
      let b3 = a[rb + jb + 3]!;
      for (let k = 0; k < jb; k++) {
        const x = a[ra + k]!;
        const y = a[rb + k]!;
        const c0 = a[r0 + k]!;
        const c1 = a[r1 + k]!;
        const c2 = a[r2 + k]!;
        const c3 = a[r3 + k]!;
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
      a[ra + jb] = a0;
      a[ra + jb + 1] = a1;
      a[ra + jb + 2] = a2;
      a[ra + jb + 3] = a3;
      if (!two) break;
      b0 /= l00;
      b1 = (b1 - b0 * l10) / l11;
      b2 = (b2 - b0 * l20 - b1 * l21) / l22;
      b3 = (b3 - b0 * l30 - b1 * l31 - b2 * l32) / l33;
      a[rb + jb] = b0;
      a[rb + jb + 1] = b1;
      a[rb + jb + 2] = b2;
      a[rb + jb + 3] = b3;
    }
  }
  return true;
}

/**
 * Solves L·Lᵀ·x = b with the factor from choleskyInPlace; b is overwritten with x. Both substitutions walk rows of
 * L (contiguous): the backward one subtracts each solved x_i's multiple of row i from the entries before it.
 */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  const kernels = wasmKernels();
  if (kernels) {
    // (l and b may be larger buffers: their first n × n and n values are the system)
    const arena = kernels.arena(8 * (n * n + n) + 32);
    const lIn = arena.copy(l.subarray(0, n * n));
    const x = arena.f64(n);
    x.view.set(b.subarray(0, n));
    kernels.exports.choleskySolveInPlace(lIn, n, x.offset);
    b.set(x.view);
    return;
  }
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const x = b[i]! / l[ri + i]!;
    b[i] = x;
    for (let k = 0; k < i; k++) b[k]! -= l[ri + k]! * x;
  }
}
