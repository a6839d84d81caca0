import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import type { CompressedOperator } from './compressedOperator';
import type { UpenGrid } from './upenPenalty';

/**
 * Exact solve of the UPEN normal equations on a free set F with the rest held at zero:
 *
 *   (K̃_FᵀK̃_F + P_FF)·f_F = (K̃ᵀm̃)_F,   P = L·diag(λ)·L,
 *
 * by a dense Cholesky factorisation of the |F| × |F| matrix. Non-negative distributions from Laplace data are
 * sparse — a 64 × 64 map of two populations has a few hundred positive cells — so this costs |F|²·G/2 + |F|³/6
 * flops (G ≈ 10–20, see CompressedOperator.cellGram), milliseconds, and is exact, where CG on the same system needed hundreds of iterations to
 * resolve the penalty's strongly varying, 13-point stencil. Callers fall back to an iterative method when |F| is
 * large (`maxFree`).
 */
export interface FreeSetSolver {
  /** K̃ᵀm̃ (length n). */
  b: Float64Array;
  /** Overwrites f on F with the solution and sets it to zero elsewhere; false if |F| > maxFree or not PD. */
  solve(free: Uint8Array, lambda: Float64Array, f: Float64Array): boolean;
  maxFree: number;
}

export function freeSetSolver(
  op: CompressedOperator,
  m: Float64Array,
  grid: UpenGrid,
  maxFree = 1200,
): FreeSetSolver {
  const { n1, n2 } = grid;
  const n = op.n;
  const b = Float64Array.from(op.applyT(m));
  const pos = new Int32Array(n);
  const centre = n2 > 1 ? -4 : -2;
  // Stencil of L at cell k: itself (centre) and its in-grid neighbours (1).
  const neighbours = (k: number, out: Int32Array): number => {
    const a = Math.floor(k / n2);
    const bb = k % n2;
    let c = 0;
    if (a > 0) out[c++] = k - n2;
    if (a < n1 - 1) out[c++] = k + n2;
    if (n2 > 1) {
      if (bb > 0) out[c++] = k - 1;
      if (bb < n2 - 1) out[c++] = k + 1;
    }
    return c;
  };
  const nb1 = new Int32Array(4);
  const nb2 = new Int32Array(4);
  let h = new Float64Array(0);
  let rhs = new Float64Array(0);
  const idx = new Int32Array(n);

  return {
    b,
    maxFree,
    solve(free, lambda, f) {
      let q = 0;
      for (let k = 0; k < n; k++) {
        if (free[k]) {
          pos[k] = q;
          idx[q++] = k;
        } else pos[k] = -1;
      }
      if (q > maxFree) return false;
      if (h.length < q * q) {
        h = new Float64Array(q * q);
        rhs = new Float64Array(q);
      }
      // K̃_FᵀK̃_F, lower triangle.
      op.cellGram(idx, q, h);
      for (let u = 0; u < q; u++) rhs[u] = b[idx[u]!]!;
      // + P_FF: P[k,l] = Σ_j L[k,j]·λ_j·L[j,l], L symmetric with the centre weight and 1 for each neighbour.
      for (let u = 0; u < q; u++) {
        const k = idx[u]!;
        const c1 = neighbours(k, nb1);
        for (let t = -1; t < c1; t++) {
          const j = t < 0 ? k : nb1[t]!;
          const wkj = (t < 0 ? centre : 1) * lambda[j]!;
          // l over the stencil of j
          const c2 = neighbours(j, nb2);
          for (let t2 = -1; t2 < c2; t2++) {
            const l = t2 < 0 ? j : nb2[t2]!;
            const v = pos[l]!;
            if (v < 0 || v > u) continue;
            h[u * q + v]! += wkj * (t2 < 0 ? centre : 1);
          }
        }
      }
      if (!choleskyInPlace(h.subarray(0, q * q), q)) return false;
      const x = rhs.subarray(0, q);
      choleskySolveInPlace(h.subarray(0, q * q), q, x);
      f.fill(0);
      for (let u = 0; u < q; u++) f[idx[u]!] = x[u]!;
      return true;
    },
  };
}
