import { choleskySolveInPlace } from '../linalg/cholesky';
import { compressedFit, compressedFor, type CompressedProblem } from '../numerics/compress';
import { dualNewton } from '../numerics/dualNewton';
import type { CompressedOperator } from '../numerics/compressedOperator';
import { finishResult } from './finishResult';
import { solveTikhonovCompressed } from './iltTikhonov';
import type { CommonSolverOptions, Problem, SolverResult } from './types';

/**
 * Non-negative elastic net (L1 + L2) inversion in the SVD-compressed space, min_{f ≥ 0} ½‖K̃f − m̃‖² + λ1·Σf + ½λ2·‖f‖²,
 * through the same dual as non-negative Tikhonov (numerics/dualNewton.ts). Default rule: λ2 = 0.3 × the discrepancy
 * Tikhonov α (the L2 part keeps a broad population in one piece), λ1 raised until the compressed residual reaches the
 * noise; either may be fixed instead (numbers; data units per unit amplitude for λ1, dimensionless for λ2). Reported
 * `alpha` is λ1; `alphaRule` records λ2 too. Why 0.3, and the L1 bias: docs/physics.md, "sparse in detail".
 */
export interface SparseOptions extends CommonSolverOptions {
  /** λ1 ≥ 0, or 'discrepancy' (default). */
  lambda1?: 'discrepancy' | number;
  /** λ2 > 0; default l2Fraction · (discrepancy Tikhonov α). */
  lambda2?: number;
  /** Share of the Tikhonov weight kept as λ2 when λ2 is not given (default 0.3). */
  l2Fraction?: number;
  compressed?: CompressedProblem;
}

export interface ElasticNetSolution {
  c: Float64Array;
  f: Float64Array;
  residual2: number;
  iterations: number;
  converged: boolean;
  /**
   * dc/dλ1 at fixed active set, (K̃_F·K̃_Fᵀ + λ2·I)⁻¹·K̃_F·1, from the last Newton factor: a first-order predictor
   * of the solution at a nearby λ1 (undefined if no Newton step was taken).
   */
  sensitivity?: Float64Array;
}

/** Dual Newton solve of the non-negative elastic net in the compressed space (see the file header). */
export interface ElasticNetOptions {
  /** Starting dual vector (a residual); default m̃ (f = 0's residual). */
  start?: Float64Array;
  /**
   * Stop when ‖K̃f + c − m̃‖ ≤ tolerance, data units: f is then exact for data perturbed by that much, so a
   * tolerance well below the noise (√s·σ) changes nothing visible. Default 1e-9·‖m̃‖.
   */
  tolerance?: number;
  maxIterations?: number;
}

export function dualElasticNet(
  op: CompressedOperator,
  m: Float64Array,
  lambda1: number,
  lambda2: number,
  options: ElasticNetOptions = {},
): ElasticNetSolution {
  const sol = dualNewton(op, m, lambda1, lambda2, options);
  let sensitivity: Float64Array | undefined;
  if (sol.lastFactor && sol.lastFactorMask) {
    sensitivity = op.apply(sol.lastFactorMask, new Float64Array(op.s));
    choleskySolveInPlace(sol.lastFactor, op.s, sensitivity);
  }
  return {
    c: sol.c,
    f: sol.f,
    residual2: sol.residual2,
    iterations: sol.iterations,
    converged: sol.converged,
    ...(sensitivity ? { sensitivity } : {}),
  };
}

export function iltSparse(problem: Problem, options: SparseOptions = {}): SolverResult {
  const t0 = performance.now();
  const warnings: string[] = [];
  const l2Fraction = options.l2Fraction ?? 0.3;
  if (!(l2Fraction > 0)) throw new RangeError(`iltSparse: l2Fraction must be > 0, got ${l2Fraction}`);
  if (options.lambda2 !== undefined && !(options.lambda2 > 0)) {
    throw new RangeError(`iltSparse: lambda2 must be > 0, got ${options.lambda2}`);
  }
  if (typeof options.lambda1 === 'number' && !(options.lambda1 >= 0)) {
    throw new RangeError(`iltSparse: lambda1 must be ≥ 0, got ${options.lambda1}`);
  }
  const full = compressedFor(problem, options);
  if (full.m.length === 0) throw new RangeError('iltSparse: the data carry no signal above the noise');
  // Tikhonov at the discrepancy α (or at the fixed λ2): it sets λ2 and gives the warm start for the dual.
  const tik = solveTikhonovCompressed(problem, { alpha: options.lambda2 ?? 'discrepancy', compressed: full });
  let iterations = tik.iterations;
  warnings.push(...tik.warnings);
  const lambda2 = options.lambda2 ?? l2Fraction * tik.alpha;
  // Tikhonov may solve on a subset of the pairs (components far below α); their data stay in the residual.
  const { cp, op } = tik;
  const droppedNorm2 = Math.max(cp.floorNorm2 - full.floorNorm2, 0);
  const target = full.m.length * full.sigma * full.sigma;
  const tolerance = 0.01 * Math.sqrt(full.m.length) * full.sigma;
  // Warm start from the Tikhonov dual: its c is the residual over α; ours is the residual itself.
  const warm = Float64Array.from(tik.solution.c, (v) => v * tik.alpha);

  let solution: ElasticNetSolution;
  let lambda1: number;
  let rule: string;
  if (typeof options.lambda1 === 'number') {
    lambda1 = options.lambda1;
    solution = dualElasticNet(op, cp.m, lambda1, lambda2, { start: warm, tolerance });
    iterations += solution.iterations;
    rule = `fixed (lambda2 ${lambda2.toExponential(3)})`;
  } else {
    let fMax = 0;
    for (const v of tik.solution.f) if (v > fMax) fMax = v;
    // ×5: measured λ1/((α − λ2)·max f) was 6 on a T2 case and 15 on a T1–T2 case.
    const guess = 5 * Math.max(tik.alpha - lambda2, 0.1 * tik.alpha) * fMax;
    const found = lambda1ByDiscrepancy(
      op,
      cp.m,
      Math.max(target - droppedNorm2, 1e-3 * target),
      lambda2,
      warm,
      tolerance,
      guess,
    );
    solution = found.solution;
    lambda1 = found.lambda1;
    iterations += found.iterations;
    const l2 = options.lambda2 === undefined ? `${l2Fraction}·alpha_tikhonov` : 'fixed';
    rule = `discrepancy (lambda2 ${lambda2.toExponential(3)} = ${l2})`;
  }
  if (!solution.converged) warnings.push('sparse: the dual Newton iteration did not converge');
  const elapsedMs = performance.now() - t0;
  const f = solution.f;
  const fitted = compressedFit(full, f);
  return finishResult(problem, {
    method: 'sparse',
    distribution: Float64Array.from(f),
    fitted,
    sigma: cp.sigma,
    alpha: lambda1,
    alphaRule: rule,
    iterations,
    compressedSize: cp.m.length,
    warnings,
    elapsedMs,
  });
}

/**
 * λ1 with ‖r̃(λ1)‖² = target. The residual grows monotonically with λ1 (fixed λ2), from its Tikhonov(λ2) value at
 * λ1 = 0 to ‖m̃‖² at λ1 ≥ max(K̃ᵀm̃), where f = 0. Illinois regula falsi on (log λ1, log ‖r̃‖²) after bracketing.
 */
function lambda1ByDiscrepancy(
  op: CompressedOperator,
  m: Float64Array,
  target: number,
  lambda2: number,
  warm: Float64Array,
  tolerance: number,
  guess: number,
): { solution: ElasticNetSolution; lambda1: number; iterations: number } {
  let iterations = 0;
  let last: ElasticNetSolution | undefined;
  let lastLambda1 = 0;
  const solveAt = (lambda1: number) => {
    // Warm start from the nearest solved λ1, moved along dc/dλ1: a plain warm start at a larger λ1 has no active
    // cell at all (K̃ᵀc − λ1 < 0 everywhere) and Newton then needs tens of steps to rebuild the support.
    let start = warm;
    if (last) {
      start = Float64Array.from(last.c);
      if (last.sensitivity)
        for (let p = 0; p < start.length; p++) start[p]! += (lambda1 - lastLambda1) * last.sensitivity[p]!;
    }
    const sol = dualElasticNet(op, m, lambda1, lambda2, { start, tolerance });
    iterations += sol.iterations;
    last = sol;
    lastLambda1 = lambda1;
    return sol;
  };
  const at0 = solveAt(0);
  if (at0.residual2 >= target) {
    // On the residual plateau the discrepancy cannot tell the weights apart: keep the L2 solution.
    return { solution: at0, lambda1: 0, iterations };
  }
  const g = (sol: ElasticNetSolution) => Math.log(Math.max(sol.residual2, 1e-300) / target);
  // First guess: at the solution K̃ᵀr = λ1 + λ2·f on the support, against α·f for Tikhonov at about the same
  // residual, so λ1 ≈ (α − λ2)·f at the peak. Then steps of ×3 (residual too low) or ÷3 until bracketed; each
  // solve is warm-started along dc/dλ1 from the previous one.
  let x = Math.log(Math.max(guess, 1e-300));
  let solX = solveAt(Math.exp(x));
  let gx = g(solX);
  if (Math.abs(gx) < 0.02) return { solution: solX, lambda1: Math.exp(x), iterations };
  const up = gx < 0;
  let lo = x;
  let glo = gx;
  let hi = x;
  let ghi = gx;
  let solLo = solX;
  for (let k = 0; k < 20; k++) {
    const next = x + (up ? Math.log(3) : -Math.log(3));
    const sol = solveAt(Math.exp(next));
    const gn = g(sol);
    if (up) {
      lo = x;
      glo = gx;
      solLo = solX;
      hi = next;
      ghi = gn;
    } else {
      hi = x;
      ghi = gx;
      lo = next;
      glo = gn;
      solLo = sol;
    }
    x = next;
    gx = gn;
    solX = sol;
    if (Math.abs(gn) < 0.02) return { solution: sol, lambda1: Math.exp(next), iterations };
    if (glo < 0 && ghi > 0) break;
  }
  if (!(glo < 0 && ghi > 0)) return { solution: at0, lambda1: 0, iterations };
  let best = solLo;
  let bestX = lo;
  let side = 0;
  for (let k = 0; k < 40; k++) {
    x = (lo * ghi - hi * glo) / (ghi - glo);
    const sol = solveAt(Math.exp(x));
    gx = g(sol);
    best = sol;
    bestX = x;
    if (Math.abs(gx) < 0.02 || hi - lo < 1e-3) break;
    if (gx > 0) {
      hi = x;
      ghi = gx;
      if (side === -1) glo /= 2;
      side = -1;
    } else {
      lo = x;
      glo = gx;
      if (side === 1) ghi /= 2;
      side = 1;
    }
  }
  return { solution: best, lambda1: Math.exp(bestX), iterations };
}
