import { forward2d } from '../forward/forward2d';
import { compressedFor, type CompressedProblem } from '../numerics/compress';
import { finishResult } from './finishResult';
import { nnls } from '../numerics/nnls';
import type { CommonSolverOptions, Problem, SolverResult } from './types';

/**
 * Classical (regularised) NNLS inversion with the exact Lawson–Hanson active-set solver, on the SVD-compressed
 * problem (so thousands of echoes cost nothing): min_{f ≥ 0} ‖K̃f − m̃‖² + α‖f‖², solved as the augmented NNLS
 * [K̃; √α·I]·f ≈ [m̃; 0] with a dense s × n kernel. For small problems: 1D, or 2D grids of at most `maxUnknowns`
 * cells; larger ones throw a RangeError (the dense active-set solve grows as n³).
 *
 * Rule for α (same convention as iltTikhonov):
 * - 'discrepancy' (default): α with ‖K̃f − m̃‖² = s·σ̂² (bisection in log α; each solve is exact and cheap). With
 *   few compressed components (1D: s ≈ 20) the best non-negative fit itself can lie above s·σ̂² — χ² of s terms
 *   scatters by √(2s)·σ² and σ̂ is an estimate — and the plain rule would then drop all regularisation. The target
 *   is therefore max(s·σ̂², χ²_min + √(2s)·σ̂²), χ²_min the unregularised NNLS misfit: one standard deviation of χ²
 *   above the best fit, in the spirit of Whittall & MacKay's "χ² a little above its minimum".
 * - 'none': α = 0, plain NNLS (Lawson & Hanson; the spiky "few delta functions" answer of the early T2 literature).
 * - a number: that α.
 * Being exact, this is also the reference the iterative solvers are checked against.
 */
export interface NnlsInversionOptions extends CommonSolverOptions {
  alpha?: 'discrepancy' | 'none' | number;
  /** Largest number of grid cells accepted (default 1024). */
  maxUnknowns?: number;
  compressed?: CompressedProblem;
}

export function iltNnls(problem: Problem, options: NnlsInversionOptions = {}): SolverResult {
  const t0 = performance.now();
  const n = problem.k1.cols * problem.k2.cols;
  const maxUnknowns = options.maxUnknowns ?? 1024;
  if (n > maxUnknowns) {
    throw new RangeError(
      `iltNnls: ${problem.k1.cols}×${problem.k2.cols} = ${n} grid cells exceed ${maxUnknowns}; dense NNLS grows as n³ — ` +
        'use iltTikhonov, iltUpen or iltSparse, or a coarser grid',
    );
  }
  const rule = options.alpha ?? 'discrepancy';
  if (typeof rule === 'number' && !(rule >= 0)) throw new RangeError(`iltNnls: alpha must be ≥ 0, got ${rule}`);
  const warnings: string[] = [];
  const cp = compressedFor(problem, options);
  const s = cp.m.length;
  if (s === 0) throw new RangeError('iltNnls: the data carry no signal above the noise');
  const kt = denseCompressedKernel(cp);
  const rows = s + n;
  const a = new Float64Array(rows * n);
  a.set(kt);
  const b = new Float64Array(rows);
  b.set(cp.m);
  let iterations = 0;
  const solveAt = (alpha: number) => {
    const root = Math.sqrt(alpha);
    for (let k = 0; k < n; k++) a[(s + k) * n + k] = root;
    const result = alpha > 0 ? nnls(a, b, rows, n) : nnls(kt, cp.m, s, n);
    iterations += result.iterations;
    if (!result.converged) warnings.push(`nnls: iteration limit reached at alpha ${alpha.toExponential(3)}`);
    let r2 = 0;
    for (let p = 0; p < s; p++) {
      let acc = -cp.m[p]!;
      for (let k = 0; k < n; k++) acc += kt[p * n + k]! * result.x[k]!;
      r2 += acc * acc;
    }
    return { f: result.x, residual2: r2 };
  };

  let alpha: number;
  let sol: { f: Float64Array; residual2: number };
  let alphaRule: string;
  if (typeof rule === 'number' || rule === 'none') {
    alpha = rule === 'none' ? 0 : rule;
    sol = solveAt(alpha);
    alphaRule = rule === 'none' ? 'none' : 'fixed';
  } else {
    alphaRule = 'discrepancy';
    const bare = solveAt(0);
    const sigma2 = cp.sigma * cp.sigma;
    let target = s * sigma2;
    // Continuous in the data: differs from the plain rule only where that would leave the fit less than one
    // standard deviation of χ² of room above the best possible misfit.
    if (bare.residual2 + Math.sqrt(2 * s) * sigma2 > target) {
      target = bare.residual2 + Math.sqrt(2 * s) * sigma2;
      alphaRule = 'discrepancy (one chi-square deviation above the unregularised misfit)';
    }
    {
      // Bracket: the residual grows with α; at α ≫ ‖K̃‖² the solution is ~0 and the residual ≈ ‖m̃‖² > target.
      let normK2 = 0;
      for (const v of kt) normK2 += v * v; // Frobenius² ≥ spectral²: a safe upper end
      let lo = Math.log(1e-16 * normK2);
      let hi = Math.log(normK2);
      let best = bare;
      let bestX = -Infinity;
      for (let k = 0; k < 50 && hi - lo > 0.01; k++) {
        const mid = 0.5 * (lo + hi);
        const trial = solveAt(Math.exp(mid));
        best = trial;
        bestX = mid;
        const g = Math.log(trial.residual2 / target);
        if (Math.abs(g) < 0.02) break;
        if (g > 0) hi = mid;
        else lo = mid;
      }
      alpha = Math.exp(bestX);
      sol = best;
    }
  }
  const elapsedMs = performance.now() - t0;
  const f = Float64Array.from(sol.f);
  const fitted = forward2d(problem.k1, problem.k2, f);
  return finishResult(problem, {
    method: 'nnls',
    distribution: f,
    fitted,
    sigma: cp.sigma,
    alpha,
    alphaRule,
    iterations,
    compressedSize: s,
    warnings,
    elapsedMs,
  });
}

/** K̃ (s × n1·n2, row-major): K̃[(i,j), (a,b)] = A1[i,a]·A2[j,b] over the kept pairs. */
function denseCompressedKernel(cp: CompressedProblem): Float64Array {
  const { n1, n2, r2, a1, a2, pairs } = cp;
  const n = n1 * n2;
  const out = new Float64Array(pairs.length * n);
  for (let p = 0; p < pairs.length; p++) {
    const i = Math.floor(pairs[p]! / r2);
    const j = pairs[p]! % r2;
    const row = p * n;
    for (let a = 0; a < n1; a++) {
      const v = a1[i * n1 + a]!;
      for (let b = 0; b < n2; b++) out[row + a * n2 + b] = v * a2[j * n2 + b]!;
    }
  }
  return out;
}
