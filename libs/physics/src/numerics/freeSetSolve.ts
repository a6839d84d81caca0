import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import { wasmKernels, type Kernels } from '../wasm/kernels';
import type { CompressedOperator } from './compressedOperator';
import { residentCellGramTables } from './compressedOperatorKernels';
import type { UpenGrid } from '../solvers/upenPenalty';

/**
 * Exact solve of the UPEN normal equations on a free set F with the rest held at zero:
 *
 *   (K̃_FᵀK̃_F + P_FF)·f_F = (K̃ᵀm̃)_F,   P = L·diag(λ)·L,
 *
 * by a dense Cholesky factorisation of the |F| × |F| matrix. Non-negative distributions from Laplace data are
 * sparse — a 64 × 64 map of two populations has a few hundred positive cells — so this costs |F|²·G/2 + |F|³/6
 * flops (G ≈ 10–15, see CompressedOperator.cellGram), milliseconds, and is exact, where CG on the same system needed
 * hundreds of iterations to resolve the penalty's strongly varying, 13-point stencil. Callers fall back to an iterative method when |F| is
 * large (`maxFree`).
 */
export interface FreeSetSolver {
  /** K̃ᵀm̃ (length n). */
  b: Float64Array;
  /** Overwrites f on F with the solution and sets it to zero elsewhere; false if |F| > maxFree or not PD. */
  solve(free: Uint8Array, lambda: Float64Array, f: Float64Array): boolean;
  /**
   * Factors the system for F and λ once and returns a solver for any right-hand side in place of K̃ᵀm̃ (length n;
   * f as in solve), e.g. one per bootstrap draw; undefined if |F| > maxFree or not PD.
   */
  factorise(free: Uint8Array, lambda: Float64Array): ((rhs: Float64Array, f: Float64Array) => void) | undefined;
  maxFree: number;
}

/** Slots per cell in the stencil table: the cell and up to four neighbours. */
const STENCIL = 5;

export function freeSetSolver(op: CompressedOperator, m: Float64Array, grid: UpenGrid, maxFree = 1200): FreeSetSolver {
  const { n1, n2 } = grid;
  const n = op.n;
  const b = Float64Array.from(op.applyT(m));
  const pos = new Int32Array(n);
  const centre = n2 > 1 ? -4 : -2;
  // Stencil of L at each cell, built once: the cell itself (weight `centre`) then its in-grid neighbours (weight 1),
  // STENCIL slots per cell, −1 where the grid ends.
  const stencil = new Int32Array(n * STENCIL).fill(-1);
  for (let k = 0; k < n; k++) {
    const a = Math.floor(k / n2);
    const bb = k - a * n2;
    let c = k * STENCIL;
    stencil[c++] = k;
    if (a > 0) stencil[c++] = k - n2;
    if (a < n1 - 1) stencil[c++] = k + n2;
    if (n2 > 1) {
      if (bb > 0) stencil[c++] = k - 1;
      if (bb < n2 - 1) stencil[c++] = k + 1;
    }
  }
  let h = new Float64Array(0);
  const idx = new Int32Array(n);

  /** Factors the free-set matrix into its own array; undefined if |F| > maxFree or it is not positive definite. */
  const factor = (free: Uint8Array, lambda: Float64Array) => {
    let q = 0;
    for (let k = 0; k < n; k++) {
      if (free[k]) {
        pos[k] = q;
        idx[q++] = k;
      } else pos[k] = -1;
    }
    if (q > maxFree) return undefined;
    if (h.length < q * q) h = new Float64Array(q * q);
    const hq = h.subarray(0, q * q);
    const kernels = wasmKernels();
    if (kernels) {
      const system = { idx, q, stencil, pos, lambda, centre };
      return factorWasm(kernels, op, grid, system, hq) ? { q, cells: idx.slice(0, q), factor: hq } : undefined;
    }
    // K̃_FᵀK̃_F, lower triangle.
    op.cellGram(idx, q, hq);
    // + P_FF: P[k,l] = Σ_j L[k,j]·λ_j·L[j,l], L symmetric with the centre weight and 1 for each neighbour.
    for (let u = 0; u < q; u++) {
      const k = idx[u]!;
      const row = u * q;
      for (let t = 0; t < STENCIL; t++) {
        const j = stencil[k * STENCIL + t]!;
        if (j < 0) break;
        const wkj = (t === 0 ? centre : 1) * lambda[j]!;
        // l over the stencil of j
        for (let t2 = 0; t2 < STENCIL; t2++) {
          const l = stencil[j * STENCIL + t2]!;
          if (l < 0) break;
          const v = pos[l]!;
          if (v < 0 || v > u) continue;
          hq[row + v]! += wkj * (t2 === 0 ? centre : 1);
        }
      }
    }
    if (!choleskyInPlace(hq, q)) return undefined;
    return { q, cells: idx.slice(0, q), factor: hq };
  };
  const solveWith = (
    f: Float64Array,
    rhsFull: Float64Array,
    { q, cells, factor: l }: { q: number; cells: Int32Array; factor: Float64Array },
  ) => {
    const x = new Float64Array(q);
    for (let u = 0; u < q; u++) x[u] = rhsFull[cells[u]!]!;
    choleskySolveInPlace(l, q, x);
    f.fill(0);
    for (let u = 0; u < q; u++) f[cells[u]!] = x[u]!;
  };

  return {
    b,
    maxFree,
    solve(free, lambda, f) {
      const factored = factor(free, lambda);
      if (!factored) return false;
      solveWith(f, b, factored);
      return true;
    },
    factorise(free, lambda) {
      const factored = factor(free, lambda);
      if (!factored) return undefined;
      const own = { ...factored, factor: Float64Array.from(factored.factor) };
      return (rhs, f) => solveWith(f, rhs, own);
    },
  };
}

/** The free-set system of `factor`, built and factored in one kernel call (libs/physics/assembly/freeSetFactor.ts). */
function factorWasm(
  kernels: Kernels,
  op: CompressedOperator,
  { n1, n2 }: UpenGrid,
  system: {
    idx: Int32Array;
    q: number;
    stencil: Int32Array;
    pos: Int32Array;
    lambda: Float64Array;
    centre: number;
  },
  out: Float64Array,
): boolean {
  const { idx, q, stencil, pos, lambda, centre } = system;
  const tables = op.cellGramTables();
  const [q1, q2] = residentCellGramTables(kernels, tables);
  const n = pos.length;
  const arena = kernels.arena(4 * (3 * q + 6 * n) + 8 * (n + q * q) + 96);
  const [idxIn, stencilIn, posIn, lambdaIn] = [
    arena.copy(idx.subarray(0, q)),
    arena.copy(stencil),
    arena.copy(pos),
    arena.copy(lambda.subarray(0, n)),
  ];
  const h = arena.f64(q * q);
  const scratch = arena.scratch(8 * q);
  const e = kernels.exports;
  const ok = e.freeSetFactor(
    q1,
    q2,
    tables.groups,
    n1,
    n2,
    idxIn,
    q,
    stencilIn,
    posIn,
    lambdaIn,
    centre,
    h.offset,
    scratch,
  );
  // the lower triangle, as the TypeScript leaves it
  for (let u = 0; u < q; u++) out.set(h.view.subarray(u * q, u * q + u + 1), u * q);
  return ok === 1;
}
