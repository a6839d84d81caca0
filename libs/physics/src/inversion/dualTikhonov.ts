import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import type { CompressedOperator } from './compressedOperator';

/**
 * Non-negative Tikhonov in the compressed space, min_{f ≥ 0} ‖K̃f − m̃‖² + α‖f‖², solved through its dual
 * (Butler, Reeds & Dawson, SIAM J. Numer. Anal. 18 (1981) 381): f = max(0, K̃ᵀc) where c minimises the smooth,
 * strictly convex χ(c) = ½‖max(0, K̃ᵀc)‖² + ½α‖c‖² − cᵀm̃. Newton's method with a backtracking line search on χ;
 * the dual has only s (compressed size) unknowns, so each Newton step is one s × s Cholesky solve.
 * At the optimum c = (m̃ − K̃f)/α, the compressed residual divided by α.
 */
export interface DualSolution {
  c: Float64Array;
  f: Float64Array;
  /** ‖K̃f − m̃‖² in the compressed space. */
  residual2: number;
  iterations: number;
  converged: boolean;
  /** Cholesky factor of K̃·H·K̃ᵀ + αI at the solution (s × s), for influence-matrix traces. */
  factor: Float64Array;
}

export interface DualOptions {
  /** Starting dual vector (warm start); default: the dual of the unconstrained problem, m̃_k/(σ_k² + α). */
  start?: Float64Array;
  /**
   * Stop when ‖∇χ‖ ≤ tolerance. At that point f is the exact solution for data perturbed by ∇χ, so a tolerance
   * well below the noise (√s·σ) changes nothing a user can see. Default 1e-9·‖m̃‖.
   */
  tolerance?: number;
  maxIterations?: number;
}

export function dualTikhonov(op: CompressedOperator, m: Float64Array, alpha: number, options: DualOptions = {}): DualSolution {
  const { s, n } = op;
  const maxIterations = options.maxIterations ?? 100;
  const c = options.start
    ? Float64Array.from(options.start)
    : Float64Array.from(m, (v, k) => v / (op.pairSv2[k]! + alpha));
  const f = new Float64Array(n);
  const mask = new Float64Array(n);
  const kf = new Float64Array(s);
  const grad = new Float64Array(s);
  const step = new Float64Array(s);
  const trial = new Float64Array(s);
  const h = new Float64Array(s * s);
  const z = new Float64Array(n);
  let mNorm = 0;
  for (const v of m) mNorm += v * v;
  mNorm = Math.sqrt(mNorm);

  const chi = (cc: Float64Array): number => {
    op.applyT(cc, z);
    let a = 0;
    for (let k = 0; k < n; k++) if (z[k]! > 0) a += z[k]! * z[k]!;
    let b = 0;
    let d = 0;
    for (let p = 0; p < s; p++) {
      b += cc[p]! * cc[p]!;
      d += cc[p]! * m[p]!;
    }
    return 0.5 * a + 0.5 * alpha * b - d;
  };

  let iterations = 0;
  let converged = false;
  let value = chi(c);
  for (; iterations < maxIterations; iterations++) {
    op.applyT(c, z);
    for (let k = 0; k < n; k++) {
      const v = z[k]!;
      f[k] = v > 0 ? v : 0;
      mask[k] = v > 0 ? 1 : 0;
    }
    op.apply(f, kf);
    let gNorm = 0;
    for (let p = 0; p < s; p++) {
      grad[p] = kf[p]! + alpha * c[p]! - m[p]!;
      gNorm += grad[p]! * grad[p]!;
    }
    if (Math.sqrt(gNorm) <= (options.tolerance ?? 1e-9 * mNorm) + 1e-300) {
      converged = true;
      break;
    }
    if (!factorHessian(op, mask, alpha, h)) break;
    for (let p = 0; p < s; p++) step[p] = -grad[p]!;
    choleskySolveInPlace(h, s, step);
    let slope = 0;
    for (let p = 0; p < s; p++) slope += grad[p]! * step[p]!;
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let p = 0; p < s; p++) trial[p] = c[p]! + t * step[p]!;
      const v = chi(trial);
      if (v <= value + 1e-4 * t * slope) {
        c.set(trial);
        value = v;
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      converged = true; // no further decrease is possible at working precision
      break;
    }
  }
  op.applyT(c, z);
  for (let k = 0; k < n; k++) {
    const v = z[k]!;
    f[k] = v > 0 ? v : 0;
    mask[k] = v > 0 ? 1 : 0;
  }
  op.apply(f, kf);
  let residual2 = 0;
  for (let p = 0; p < s; p++) residual2 += (kf[p]! - m[p]!) ** 2;
  factorHessian(op, mask, alpha, h);
  return { c, f, residual2, iterations: iterations + 1, converged, factor: h };
}

/**
 * Cholesky factor of K̃·H·K̃ᵀ + αI into h. When α is below the rounding level of the Gram matrix the factorisation
 * can fail; a diagonal shift of 1e-13·‖K̃‖² (invisible against any useful α) is then added once.
 */
function factorHessian(op: CompressedOperator, mask: Float64Array, alpha: number, h: Float64Array): boolean {
  const s = op.s;
  op.gram(mask, h);
  for (let p = 0; p < s; p++) h[p * s + p]! += alpha;
  if (choleskyInPlace(h, s)) return true;
  op.gram(mask, h);
  const shift = alpha + 1e-13 * op.normSquared;
  for (let p = 0; p < s; p++) h[p * s + p]! += shift;
  return choleskyInPlace(h, s);
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
