import { forward2d } from '../forward/forward2d';
import { compress, type CompressedProblem } from './compress';
import { compressedOperator, type CompressedOperator } from './compressedOperator';
import { dualTikhonov, traceInverse, type DualSolution } from './dualTikhonov';
import { finishResult } from './finishResult';
import type { CommonSolverOptions, Problem, SolverResult } from './types';

/**
 * Rules for the Tikhonov weight α (objective ‖K̃f − m̃‖² + α‖f‖², f ≥ 0, α dimensionless):
 * - `discrepancy` (default): the α at which the compressed residual equals the noise it must contain,
 *   ‖K̃f − m̃‖² = s·σ̂² — the fixed point of the Butler–Reeds–Dawson α-update, found here by a safeguarded secant in
 *   log α instead of BRD's slow fixed-point iteration. Needs σ̂, which the compression estimates well when the data
 *   have many more points than kept components. Tends to err on the smooth side — no spurious peaks.
 * - `gcv`: generalised cross-validation, V(α) = s·‖r̃‖²/(s − tr A)², A the influence matrix of the active set.
 *   Needs no σ̂, but its minimum is flat and it can under-regularise (spiky maps) at low SNR.
 * - a number: that α, fixed.
 * docs/physics.md records how the two rules compare on the benchmark suite.
 */
export type AlphaRule = 'discrepancy' | 'gcv';

export interface TikhonovOptions extends CommonSolverOptions {
  alpha?: AlphaRule | number;
  /** Compression already done for this problem (reused by solvers that call Tikhonov internally). */
  compressed?: CompressedProblem;
}

export interface TikhonovSolve {
  cp: CompressedProblem;
  op: CompressedOperator;
  solution: DualSolution;
  alpha: number;
  rule: string;
  iterations: number;
  warnings: string[];
}

/** The compressed-space part of the solve, for reuse by other solvers (UPEN starts from it). */
export function solveTikhonovCompressed(problem: Problem, options: TikhonovOptions = {}): TikhonovSolve {
  const cp = options.compressed ?? compress(problem, options.sigma === undefined ? {} : { sigma: options.sigma });
  const op = compressedOperator(cp);
  const warnings: string[] = [];
  const rule = options.alpha ?? 'discrepancy';
  if (typeof rule === 'number') {
    if (!(rule > 0)) throw new RangeError(`iltTikhonov: alpha must be > 0, got ${rule}`);
    const solution = dualTikhonov(op, cp.m, rule);
    return { cp, op, solution, alpha: rule, rule: 'fixed', iterations: solution.iterations, warnings };
  }
  if (cp.m.length === 0) throw new RangeError('iltTikhonov: the data carry no signal above the noise');
  return rule === 'gcv' ? chooseByGcv(cp, op, warnings) : chooseByDiscrepancy(cp, op, warnings);
}

export function iltTikhonov(problem: Problem, options: TikhonovOptions = {}): SolverResult {
  const t0 = performance.now();
  const solve = solveTikhonovCompressed(problem, options);
  const f = solve.solution.f;
  const fitted = forward2d(problem.k1, problem.k2, f);
  return finishResult(problem, {
    method: 'tikhonov',
    distribution: Float64Array.from(f),
    fitted,
    sigma: solve.cp.sigma,
    alpha: solve.alpha,
    alphaRule: solve.rule,
    iterations: solve.iterations,
    compressedSize: solve.cp.m.length,
    warnings: solve.warnings,
    t0,
  });
}

function chooseByDiscrepancy(cp: CompressedProblem, op: CompressedOperator, warnings: string[]): TikhonovSolve {
  const s = cp.m.length;
  const target = Math.log(s * cp.sigma * cp.sigma);
  let iterations = 0;
  const cache = new Map<number, DualSolution>();
  let last: DualSolution | undefined;
  let lastAlpha = 0;
  const solveAt = (logAlpha: number): DualSolution => {
    const hit = cache.get(logAlpha);
    if (hit) return hit;
    const alpha = Math.exp(logAlpha);
    // Warm start: c = r̃/α, and the residual changes slowly with α.
    const start = last ? Float64Array.from(last.c, (v) => (v * lastAlpha) / alpha) : undefined;
    const sol = dualTikhonov(op, cp.m, alpha, start);
    iterations += sol.iterations;
    cache.set(logAlpha, sol);
    last = sol;
    lastAlpha = alpha;
    return sol;
  };
  const g = (logAlpha: number) => Math.log(Math.max(solveAt(logAlpha).residual2, 1e-300)) - target;

  // Start from the α whose smoothing matches the noise: α ≈ σ̂·‖K̃‖·√s / ‖m̃‖ scaled to the kernel norm.
  let mNorm = 0;
  for (const v of cp.m) mNorm += v * v;
  mNorm = Math.sqrt(mNorm);
  let a = Math.log(Math.max((op.normSquared * Math.sqrt(s) * cp.sigma) / Math.max(mNorm, 1e-300), 1e-12));
  let ga = g(a);
  let b = ga > 0 ? a - Math.log(30) : a + Math.log(30);
  let gb = g(b);
  // Expand until the root is bracketed (residual grows with α).
  for (let k = 0; k < 30 && ga * gb > 0; k++) {
    if (ga > 0) {
      a = b;
      ga = gb;
      b -= Math.log(30);
    } else {
      a = b;
      ga = gb;
      b += Math.log(30);
    }
    gb = g(b);
    if (b < Math.log(1e-14 * op.normSquared)) break;
  }
  if (ga * gb > 0) {
    // No α reaches the noise level: the data cannot be fitted to within σ̂ (model error or σ̂ too small), or
    // are fitted to within σ̂ even at the largest α (no signal). Keep the end closest to the target.
    const best = Math.abs(ga) < Math.abs(gb) ? a : b;
    warnings.push(
      ga > 0
        ? 'discrepancy: the fit never reaches the estimated noise level; the kernel may not describe these data'
        : 'discrepancy: the data are explained within the noise at any regularisation; little signal',
    );
    const sol = solveAt(best);
    return { cp, op, solution: sol, alpha: Math.exp(best), rule: 'discrepancy', iterations, warnings };
  }
  // Illinois-modified regula falsi on g(log α): robust and fast for this monotone function.
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  let glo = lo === a ? ga : gb;
  let ghi = hi === a ? ga : gb;
  let side = 0;
  let x = lo;
  for (let k = 0; k < 40; k++) {
    x = (lo * ghi - hi * glo) / (ghi - glo);
    const gx = g(x);
    if (Math.abs(gx) < 0.01 || hi - lo < 1e-3) break;
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
  return { cp, op, solution: solveAt(x), alpha: Math.exp(x), rule: 'discrepancy', iterations, warnings };
}

function chooseByGcv(cp: CompressedProblem, op: CompressedOperator, warnings: string[]): TikhonovSolve {
  const s = cp.m.length;
  let iterations = 0;
  let last: DualSolution | undefined;
  let lastAlpha = 0;
  const cache = new Map<number, { v: number; sol: DualSolution }>();
  const gcv = (logAlpha: number) => {
    const hit = cache.get(logAlpha);
    if (hit) return hit;
    const alpha = Math.exp(logAlpha);
    const start = last ? Float64Array.from(last.c, (v) => (v * lastAlpha) / alpha) : undefined;
    const sol = dualTikhonov(op, cp.m, alpha, start);
    iterations += sol.iterations;
    last = sol;
    lastAlpha = alpha;
    const trA = s - alpha * traceInverse(sol.factor, s);
    const denom = Math.max(s - trA, 1e-12);
    const entry = { v: (s * sol.residual2) / (denom * denom), sol };
    cache.set(logAlpha, entry);
    return entry;
  };
  // Coarse scan from strong to weak smoothing, then golden-section refinement around the best.
  const top = Math.log(op.normSquared);
  const steps = 14;
  const span = Math.log(1e-14);
  let bestK = 0;
  let bestV = Infinity;
  const xs: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const x = top + (span * k) / steps;
    xs.push(x);
    const v = gcv(x).v;
    if (v < bestV) {
      bestV = v;
      bestK = k;
    }
  }
  let lo = xs[Math.max(bestK - 1, 0)]!;
  let hi = xs[Math.min(bestK + 1, steps)]!;
  if (lo < hi) [lo, hi] = [hi, lo];
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi + (1 - phi) * (lo - hi);
  let x2 = hi + phi * (lo - hi);
  for (let k = 0; k < 10; k++) {
    if (gcv(x1).v < gcv(x2).v) {
      lo = x2;
      x2 = x1;
      x1 = hi + (1 - phi) * (lo - hi);
    } else {
      hi = x1;
      x1 = x2;
      x2 = hi + phi * (lo - hi);
    }
  }
  const x = gcv(x1).v < gcv(x2).v ? x1 : x2;
  if (bestK === steps) warnings.push('gcv: minimum at the weakest regularisation tried; the map may be under-smoothed');
  return { cp, op, solution: gcv(x).sol, alpha: Math.exp(x), rule: 'gcv', iterations, warnings };
}
