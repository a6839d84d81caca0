import type { CompressedOperator } from './compressedOperator';
import { dualNewton, factorActiveSystem, factorNewtonSystem } from './dualNewton';

/**
 * Non-negative Tikhonov in the compressed space, min_{f ≥ 0} ‖K̃f − m̃‖² + α‖f‖², solved through its
 * Butler–Reeds–Dawson dual: f = max(0, K̃ᵀc) with c minimising ½‖max(0, K̃ᵀc)‖² + ½α‖c‖² − cᵀm̃ — the elastic-net
 * dual of dualNewton with λ1 = 0, λ2 = α and its c divided by α. At the optimum c = (m̃ − K̃f)/α.
 */
export interface DualSolution {
  c: Float64Array;
  f: Float64Array;
  /** ‖K̃f − m̃‖² in the compressed space. */
  residual2: number;
  iterations: number;
  converged: boolean;
  /** Cholesky factor of K̃·H·K̃ᵀ + αI at the solution (s × s), for influence-matrix traces; formed on first use. */
  factor: Float64Array;
}

export interface DualOptions {
  /** Starting dual vector (warm start); default: the dual of the unconstrained problem, m̃_k/(σ_k² + α). */
  start?: Float64Array;
  /** Stop when ‖∇χ‖ ≤ tolerance (data units; see dualNewton). Default 1e-9·‖m̃‖. */
  tolerance?: number;
  maxIterations?: number;
}

export function dualTikhonov(
  op: CompressedOperator,
  m: Float64Array,
  alpha: number,
  options: DualOptions = {},
): DualSolution {
  const start = options.start
    ? Float64Array.from(options.start, (v) => v * alpha)
    : Float64Array.from(m, (v, k) => (v * alpha) / (op.pairSv2[k]! + alpha));
  const sol = dualNewton(op, m, 0, alpha, {
    start,
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  const c = Float64Array.from(sol.c, (v) => v / alpha);
  let factor: Float64Array | undefined;
  return {
    c,
    f: sol.f,
    residual2: sol.residual2,
    iterations: sol.iterations,
    converged: sol.converged,
    get factor() {
      if (!factor) {
        factor = new Float64Array(op.s * op.s);
        factorNewtonSystem(op, sol.mask, alpha, factor);
      }
      return factor;
    },
  };
}

/** trace((G + αI)⁻¹) from the Cholesky factor L of G + αI: ‖L⁻¹‖_F². */
export function traceInverse(factor: Float64Array, s: number): number {
  const col = new Float64Array(s);
  let total = 0;
  for (let j = 0; j < s; j++) {
    col.fill(0);
    col[j] = 1;
    // forward solve L·y = e_j; y_i = 0 for i < j
    for (let i = j; i < s; i++) {
      let acc = col[i]!;
      const ri = i * s;
      for (let k = j; k < i; k++) acc -= factor[ri + k]! * col[k]!;
      col[i] = acc / factor[ri + i]!;
      total += col[i]! * col[i]!;
    }
  }
  return total;
}

/**
 * tr A of the influence matrix of a non-negative Tikhonov solution (A = K̃_A·(K̃_AᵀK̃_A + αI)⁻¹·K̃_Aᵀ, A its active
 * cells), the effective number of parameters that GCV divides by. Two equal forms: s − α·tr((K̃_A·K̃_Aᵀ + αI)⁻¹) in the
 * s pairs, or q − α·tr((K̃_AᵀK̃_A + αI)⁻¹) in the q active cells; the smaller system is factored (O(min(s, q)³)) — on
 * measured data the active cells are often far fewer than the pairs.
 */
export function influenceTrace(op: CompressedOperator, solution: DualSolution, alpha: number): number {
  const { s, n } = op;
  const idx = new Int32Array(n);
  let q = 0;
  for (let k = 0; k < n; k++) if (solution.f[k]! > 0) idx[q++] = k;
  if (q < s) {
    const h = new Float64Array(q * q);
    if (factorActiveSystem(op, idx, q, alpha, h)) return q - alpha * traceInverse(h, q);
  }
  return s - alpha * traceInverse(solution.factor, s);
}
