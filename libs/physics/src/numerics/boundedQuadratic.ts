import { wasmKernels } from '../wasm/kernels';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import type { CompressedOperator } from './compressedOperator';

/**
 * min_{f ≥ 0} q(f) = ½‖K̃f − m̃‖² + ½·fᵀPf for the compressed kernel K̃ and a symmetric positive semi-definite
 * penalty P given as an operator (UPEN's L·diag(λ)·L), by projected Newton with preconditioned conjugate gradients
 * (Bertsekas' two-metric projection, as in the Newton-projection solver of 2DUPEN):
 * - the free set is every point that is positive or whose gradient pushes it up; bound points stay at zero;
 * - the Newton step on the free set is solved inexactly by CG with H = K̃ᵀK̃ + P applied matrix-free (two passes of
 *   the Kronecker operator and one stencil) and a Jacobi preconditioner, diag(K̃ᵀK̃) + diag(P);
 * - a projected backtracking (Armijo) search along max(0, f + t·d), next trial from a quadratic fit.
 * UPEN uses it only as the fallback when the free set is too large for freeSetSolve's dense factorisation (why:
 * docs/physics.md, "UPEN's inner solves").
 */
export interface PenaltyOperator {
  apply(v: Float64Array, out: Float64Array): Float64Array;
  diagonal: Float64Array;
}

export interface BoundedQuadraticOptions {
  /** Newton iterations (default 20). */
  maxIterations?: number;
  /** CG iterations per Newton step (default 100). */
  maxCg?: number;
  /** Stop when the projected gradient norm ≤ tolerance · ‖K̃ᵀm̃‖ (default 1e-6). */
  tolerance?: number;
  /** Relative CG residual per Newton step (default 0.05). */
  cgTolerance?: number;
  /**
   * 'jacobi' (default): diag(K̃ᵀK̃) + diag(P). 'woodbury': (K̃ᵀK̃ + diag(P))⁻¹ through the Woodbury identity, exact on
   * the data part, one s × s Gram matrix and Cholesky per call; it cut CG iterations only ~2× on T1–T2 maps (the
   * penalty's off-diagonal coupling dominates), not enough to pay for the factorisation.
   */
  preconditioner?: 'woodbury' | 'jacobi';
  /** Also stop when a Newton step changes f by less than this, relative (default 0: off). */
  stepTolerance?: number;
}

export interface BoundedQuadraticResult {
  iterations: number;
  cgIterations: number;
  /** Projected gradient norm relative to ‖K̃ᵀm̃‖. */
  projectedGradient: number;
  /** ‖K̃f − m̃‖². */
  residual2: number;
  /** Objective evaluations in the line searches. */
  evaluations: number;
}

/** Diagonal of K̃ᵀK̃: Σ over kept pairs (i, j) of A1[i,a]²·A2[j,b]², accumulated per row i of A1. */
export function gramDiagonal(
  cp: { n1: number; n2: number; r1: number; r2: number; a1: Float64Array; a2: Float64Array; pairs: Int32Array },
  out: Float64Array,
): Float64Array {
  const { n1, n2, r1, r2, a1, a2, pairs } = cp;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (a1.length + a2.length + r1 * n2 + n1 * n2) + 4 * pairs.length + r1 + 64);
    const [a1In, a2In, pairsIn] = [arena.copy(a1), arena.copy(a2), arena.copy(pairs)];
    const [rowSum, used] = [arena.scratch(8 * r1 * n2), arena.scratch(r1)];
    const result = arena.f64(n1 * n2);
    const e = kernels.exports;
    e.gramDiagonal(a1In, a2In, n1, n2, r1, r2, pairsIn, pairs.length, rowSum, used, result.offset);
    out.set(result.view);
    return out;
  }
  out.fill(0);
  // Σ_j A2[j,b]² per row i over its kept pairs, then each row's outer product once (pairs are sorted by strength,
  // not by row: grouping only runs of one row re-swept the grid for nearly every pair).
  const rowSum = new Float64Array(r1 * n2);
  const used = new Uint8Array(r1);
  for (let p = 0; p < pairs.length; p++) {
    const i = Math.floor(pairs[p]! / r2);
    const j = pairs[p]! - i * r2;
    used[i] = 1;
    const ri = i * n2;
    for (let b = 0; b < n2; b++) rowSum[ri + b]! += a2[j * n2 + b]! ** 2;
  }
  for (let i = 0; i < r1; i++) {
    if (!used[i]) continue;
    const ri = i * n2;
    for (let a = 0; a < n1; a++) {
      const w = a1[i * n1 + a]! ** 2;
      const oa = a * n2;
      for (let b = 0; b < n2; b++) out[oa + b]! += w * rowSum[ri + b]!;
    }
  }
  return out;
}

export function boundedQuadratic(
  op: CompressedOperator,
  m: Float64Array,
  kDiag: Float64Array,
  penalty: PenaltyOperator,
  f: Float64Array,
  options: BoundedQuadraticOptions = {},
): BoundedQuadraticResult {
  const { n, s } = op;
  const maxIterations = options.maxIterations ?? 20;
  const maxCg = options.maxCg ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const cgTolerance = options.cgTolerance ?? 0.05;
  const r = new Float64Array(s);
  const g = new Float64Array(n);
  const pf = new Float64Array(n);
  const free = new Uint8Array(n);
  const d = new Float64Array(n);
  const res = new Float64Array(n);
  const z = new Float64Array(n);
  const dir = new Float64Array(n);
  const hv = new Float64Array(n);
  const kv = new Float64Array(s);
  const pv = new Float64Array(n);
  const trial = new Float64Array(n);
  const precond = new Float64Array(n);
  const useWoodbury = (options.preconditioner ?? 'jacobi') === 'woodbury';
  const gramF = useWoodbury ? new Float64Array(s * s) : new Float64Array(0);
  const ws = new Float64Array(s);
  const wn = new Float64Array(n);
  let woodburyOk = false;
  // The Woodbury core is built once per call over all points (not the current free set), so it stays valid while the
  // free set changes; the free-set mask is applied around it, P_F·M⁻¹·P_F, which is positive definite on F.
  const buildPreconditioner = () => {
    for (let k = 0; k < n; k++) {
      precond[k] = useWoodbury
        ? 1 / Math.max(penalty.diagonal[k]!, 1e-300)
        : 1 / Math.max(kDiag[k]! + penalty.diagonal[k]!, 1e-300);
    }
    if (!useWoodbury) return;
    op.gram(precond, gramF);
    for (let p = 0; p < s; p++) gramF[p * s + p]! += 1;
    woodburyOk = choleskyInPlace(gramF, s);
    if (!woodburyOk) for (let k = 0; k < n; k++) precond[k] = 1 / Math.max(kDiag[k]! + penalty.diagonal[k]!, 1e-300);
  };
  // z = M⁻¹·v on the free set: D⁻¹v − D⁻¹K̃ᵀ(I + K̃D⁻¹K̃ᵀ)⁻¹K̃D⁻¹v.
  const applyPreconditioner = (v: Float64Array, out: Float64Array) => {
    for (let k = 0; k < n; k++) wn[k] = free[k] ? v[k]! * precond[k]! : 0;
    if (!useWoodbury || !woodburyOk) {
      out.set(wn);
      return;
    }
    op.apply(wn, ws);
    choleskySolveInPlace(gramF, s, ws);
    op.applyT(ws, out);
    for (let k = 0; k < n; k++) out[k] = free[k] ? wn[k]! - precond[k]! * out[k]! : 0;
  };

  const bNorm = norm(op.applyT(m, new Float64Array(n)));
  const objective = (x: Float64Array): number => {
    op.apply(x, kv);
    let a = 0;
    for (let p = 0; p < s; p++) a += (kv[p]! - m[p]!) ** 2;
    penalty.apply(x, pv);
    let b = 0;
    for (let k = 0; k < n; k++) b += x[k]! * pv[k]!;
    return 0.5 * a + 0.5 * b;
  };
  const hessian = (v: Float64Array, out: Float64Array) => {
    op.apply(v, kv);
    op.applyT(kv, out);
    penalty.apply(v, pv);
    for (let k = 0; k < n; k++) out[k] = free[k] ? out[k]! + pv[k]! : 0;
  };

  let iterations = 0;
  let cgIterations = 0;
  let projectedGradient = Infinity;
  let evaluations = 0;
  let lastStep = Infinity;
  const stepTolerance = options.stepTolerance ?? 0;
  let value = objective(f);
  for (; iterations < maxIterations; iterations++) {
    op.apply(f, r);
    for (let p = 0; p < s; p++) r[p]! -= m[p]!;
    op.applyT(r, g);
    penalty.apply(f, pf);
    let pg2 = 0;
    for (let k = 0; k < n; k++) {
      g[k]! += pf[k]!;
      const isFree = f[k]! > 0 || g[k]! < 0;
      free[k] = isFree ? 1 : 0;
      if (isFree) pg2 += g[k]! * g[k]!;
    }
    projectedGradient = Math.sqrt(pg2) / Math.max(bNorm, 1e-300);
    if (projectedGradient <= tolerance) break;
    // PCG on the free set for H_FF·d = −g_F.
    if (iterations === 0) buildPreconditioner();
    d.fill(0);
    for (let k = 0; k < n; k++) res[k] = free[k] ? -g[k]! : 0;
    applyPreconditioner(res, z);
    let rz = 0;
    for (let k = 0; k < n; k++) {
      dir[k] = z[k]!;
      rz += res[k]! * z[k]!;
    }
    const stop = cgTolerance * Math.sqrt(pg2);
    for (let it = 0; it < maxCg; it++) {
      cgIterations++;
      hessian(dir, hv);
      let dhd = 0;
      for (let k = 0; k < n; k++) dhd += dir[k]! * hv[k]!;
      if (!(dhd > 0)) break;
      const step = rz / dhd;
      let rr = 0;
      for (let k = 0; k < n; k++) {
        d[k]! += step * dir[k]!;
        res[k]! -= step * hv[k]!;
        rr += res[k]! * res[k]!;
      }
      if (Math.sqrt(rr) <= stop) break;
      applyPreconditioner(res, z);
      let rzNew = 0;
      for (let k = 0; k < n; k++) rzNew += res[k]! * z[k]!;
      const beta = rzNew / rz;
      rz = rzNew;
      for (let k = 0; k < n; k++) dir[k] = z[k]! + beta * dir[k]!;
    }
    // Projected search along max(0, f + t·d) with Armijo's condition; after a failure the next t comes from the
    // quadratic through q(0), the initial slope and q(t) (safeguarded to [0.1·t, 0.5·t]) — plain halving took
    // 6–10 objective evaluations per step on T1–T2 maps, each a full operator pass.
    let slope = 0;
    for (let k = 0; k < n; k++) if (f[k]! > 0 || d[k]! > 0) slope += g[k]! * d[k]!;
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      let decrease = 0;
      for (let k = 0; k < n; k++) {
        const v = f[k]! + t * d[k]!;
        trial[k] = v > 0 ? v : 0;
        decrease += g[k]! * (trial[k]! - f[k]!);
      }
      const v = objective(trial);
      evaluations++;
      if (v <= value + 1e-4 * Math.min(decrease, 0)) {
        let moved = 0;
        let size = 0;
        for (let k = 0; k < n; k++) {
          moved += (trial[k]! - f[k]!) ** 2;
          size += trial[k]! ** 2;
        }
        lastStep = Math.sqrt(moved / Math.max(size, 1e-300));
        f.set(trial);
        value = v;
        accepted = true;
        break;
      }
      const bend = v - value - slope * t;
      const next = slope < 0 && bend > 0 ? (-slope * t * t) / (2 * bend) : 0.5 * t;
      t = Math.min(Math.max(next, 0.1 * t), 0.5 * t);
    }
    if (!accepted) break;
    if (lastStep < stepTolerance) {
      iterations++;
      break;
    }
  }
  op.apply(f, r);
  let residual2 = 0;
  for (let p = 0; p < s; p++) residual2 += (r[p]! - m[p]!) ** 2;
  return { iterations, cgIterations, projectedGradient, residual2, evaluations };
}

function norm(v: Float64Array): number {
  let a = 0;
  for (const x of v) a += x * x;
  return Math.sqrt(a);
}
