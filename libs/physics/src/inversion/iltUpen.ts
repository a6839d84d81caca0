import { forward2d } from '../forward/forward2d';
import { activeSetQuadratic, boundedQuadratic, gramDiagonal } from './boundedQuadratic';
import { compress, type CompressedProblem } from './compress';
import { compressedOperator } from './compressedOperator';
import { finishResult } from './finishResult';
import { solveTikhonovCompressed } from './iltTikhonov';
import type { CommonSolverOptions, Problem, SolverResult } from './types';
import { applyPenalty, penaltyDiagonal, upenWeights } from './upenPenalty';

/**
 * UPEN — uniform-penalty regularisation (Borgia, Brown & Fantazzini, J. Magn. Reson. 132 (1998) 65 and 147 (2000)
 * 273; 2D: Bortolotti et al., 2DUPEN / MUPen2D), solved in the SVD-compressed space:
 *
 *   min_{f ≥ 0} ½‖K̃f − m̃‖² + ½·Σ_k λ_k·(Lf)_k²,   L the second difference (2D: 5-point Laplacian), zero-padded.
 *
 * Rule for the local weights (recomputed from the current f every outer iteration, until f and the weights settle):
 *
 *   λ_k = E / (n·(β0·F² + βp·max p² + βc·max c²)),
 *
 * maxima over the neighbourhood of k, p the local slope, c = (Lf)_k the local curvature, F = max f, n the number of
 * grid points and E the residual energy the penalty is balanced against. This is the uniform-penalty principle:
 * where the distribution is curved (a sharp peak) the weight drops so the peak is not flattened; where it is flat or
 * zero the compliance floor β0 caps the weight, so broad features and tails are smoothed without being split into
 * peaks the data do not demand. E is fed back from the fit (`energy: 'residual'`, the default, as in UPEN): E and f
 * are iterated to a common fixed point at which the penalty is in proportion to the misfit, so the overall
 * smoothing follows the noise without σ being needed; 'noise' fixes E = s·σ̂²
 * instead (s the compressed size); a number fixes E.
 *
 * Our β are dimensionless because slope and curvature are taken relative to F = max f; defaults β0 = 1e-4,
 * βp = βc = 1 (the order of magnitude of UPEN's published defaults — we could not check the exact values and chose
 * these by measurement on simulated T2 and T1–T2 data, see docs/physics.md / the solver tests).
 *
 * Start: the unconstrained discrepancy solution in the compressed space (a spectral filter, one pass of K̃ᵀ),
 * clipped at zero. Inner problem: projected Newton with CG (boundedQuadratic), a few steps per weight update —
 * solving it exactly for weights that are about to change is wasted work. Weight updates are damped (geometric mean
 * of the new and previous weights). `alpha` in the result is the mean weight
 * Σλ_k/n; `iterations` counts weight updates.
 */
export interface UpenOptions extends CommonSolverOptions {
  /** Compliance floor β0, relative to (max f)² (default 1e-4). */
  beta0?: number;
  /** Slope weight βp (default 1). */
  betaP?: number;
  /** Curvature weight βc (default 1). */
  betaC?: number;
  /** Residual energy E in the weights: 'residual' (default, UPEN feedback), 'noise' (s·σ̂²) or a fixed number. */
  energy?: 'residual' | 'noise' | number;
  /** Weight updates at most (default 60). */
  maxIterations?: number;
  /** Stop when f changes by less than this, relative, between weight updates (default 1e-3). */
  tolerance?: number;
  /** Newton steps of the inner non-negative problem per weight update (default 3). */
  innerIterations?: number;
  compressed?: CompressedProblem;
}

export function iltUpen(problem: Problem, options: UpenOptions = {}): SolverResult {
  const t0 = performance.now();
  const beta0 = options.beta0 ?? 1e-4;
  const betaP = options.betaP ?? 1;
  const betaC = options.betaC ?? 1;
  const maxIterations = options.maxIterations ?? 60;
  const tolerance = options.tolerance ?? 1e-3;
  const innerIterations = options.innerIterations ?? 3;
  const energyRule = options.energy ?? 'residual';
  if (!(beta0 > 0) || !(betaP >= 0) || !(betaC >= 0)) {
    throw new RangeError(`iltUpen: need beta0 > 0, betaP ≥ 0, betaC ≥ 0; got ${beta0}, ${betaP}, ${betaC}`);
  }
  if (typeof energyRule === 'number' && !(energyRule > 0)) {
    throw new RangeError(`iltUpen: a fixed energy must be > 0, got ${energyRule}`);
  }
  const warnings: string[] = [];
  const cp = options.compressed ?? compress(problem, options.sigma === undefined ? {} : { sigma: options.sigma });
  const s = cp.m.length;
  if (s === 0) throw new RangeError('iltUpen: the data carry no signal above the noise');
  const op = compressedOperator(cp);
  const n = op.n;
  const grid = { n1: cp.n1, n2: cp.n2 };
  const noiseEnergy = s * cp.sigma * cp.sigma;

  let f: Float64Array;
  if (process.env.UPEN_TIK) {
    const tik = solveTikhonovCompressed(problem, { compressed: cp });
    f = Float64Array.from(tik.solution.f.length === op.n ? tik.solution.f : filterStart(op, cp.m, noiseEnergy));
  } else f = filterStart(op, cp.m, noiseEnergy);
  const r = op.apply(f, new Float64Array(s));
  let residual2 = 0;
  for (let p = 0; p < s; p++) residual2 += (r[p]! - cp.m[p]!) ** 2;

  const lambda = new Float64Array(n);
  const work = new Float64Array(3 * n);
  const penaltyWork = new Float64Array(n);
  const kDiag = gramDiagonal(cp, new Float64Array(n));
  const penalty = {
    diagonal: new Float64Array(n),
    apply: (v: Float64Array, out: Float64Array) => applyPenalty(grid, lambda, v, out, penaltyWork),
  };
  const previous = new Float64Array(n);
  const previousLambda = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; ) {
    const energy = energyRule === 'residual' ? residual2 : energyRule === 'noise' ? noiseEnergy : energyRule;
    previousLambda.set(lambda);
    upenWeights(grid, f, energy, { beta0, betaP, betaC }, lambda, work);
    // Damped update (geometric mean with the previous weights): the weights follow the curvature of a solution that
    // is itself still moving, and taking them undamped makes them flip between neighbouring states; measured on
    // T1–T2 maps, damping halves the number of updates needed.
    if (iterations > 0) for (let k = 0; k < n; k++) lambda[k] = Math.sqrt(lambda[k]! * previousLambda[k]!);
    penaltyDiagonal(grid, lambda, penalty.diagonal);
    previous.set(f);
    const inner = process.env.UPEN_AS
      ? activeSetQuadratic(op, cp.m, kDiag, penalty, f, { maxIterations: innerIterations, cgTolerance: Number(process.env.UPEN_CGTOL ?? 1e-6), preconditioner: (process.env.UPEN_PC ?? 'jacobi') as 'jacobi' })
      : boundedQuadratic(op, cp.m, kDiag, penalty, f, { maxIterations: innerIterations, maxCg: 200 });
    if (process.env.UPEN_DBG) console.log('outer', iterations, 'inner', inner.iterations, 'cg', inner.cgIterations, 'pg', inner.projectedGradient.toExponential(2), 'res', (inner.residual2 / noiseEnergy).toFixed(4));
    iterations++;
    const lastResidual2 = residual2;
    residual2 = inner.residual2;
    let change = 0;
    let size = 0;
    for (let k = 0; k < n; k++) {
      change += (f[k]! - previous[k]!) ** 2;
      size += f[k]! ** 2;
    }
    const settled = energyRule !== 'residual' || Math.abs(residual2 - lastResidual2) <= 3 * tolerance * residual2;
    if (Math.sqrt(change / Math.max(size, 1e-300)) <= tolerance && settled) {
      converged = true;
      break;
    }
  }
  if (!converged) warnings.push(`upen: weights had not settled after ${maxIterations} updates`);
  let meanLambda = 0;
  for (const v of lambda) meanLambda += v;
  meanLambda /= n;
  const elapsedMs = performance.now() - t0;
  const fitted = forward2d(problem.k1, problem.k2, f);
  return finishResult(problem, {
    method: 'upen',
    distribution: f,
    fitted,
    sigma: cp.sigma,
    alpha: meanLambda,
    alphaRule: `upen (energy ${typeof energyRule === 'number' ? 'fixed' : energyRule}, beta0 ${beta0}, betaP ${betaP}, betaC ${betaC})`,
    iterations,
    compressedSize: s,
    warnings,
    elapsedMs,
  });
}

/**
 * The unconstrained Tikhonov solution at the discrepancy α, clipped at zero. K̃K̃ᵀ is diagonal (the squared pair
 * singular values), so this is a spectral filter: f = K̃ᵀ·diag(1/(σ_k² + α))·m̃, with α found by bisection on the
 * filtered residual — microseconds, against a non-negative Tikhonov solve's tens of Newton steps.
 */
function filterStart(op: ReturnType<typeof compressedOperator>, m: Float64Array, target: number): Float64Array {
  const s = m.length;
  const sv2 = op.pairSv2;
  const residual2 = (alpha: number) => {
    let acc = 0;
    for (let p = 0; p < s; p++) acc += ((alpha / (sv2[p]! + alpha)) * m[p]!) ** 2;
    return acc;
  };
  let lo = Math.log(1e-20 * op.normSquared);
  let hi = Math.log(1e3 * op.normSquared);
  for (let k = 0; k < 60; k++) {
    const mid = 0.5 * (lo + hi);
    if (residual2(Math.exp(mid)) > target) hi = mid;
    else lo = mid;
  }
  const alpha = Math.exp(0.5 * (lo + hi));
  const c = Float64Array.from(m, (v, p) => v / (sv2[p]! + alpha));
  const f = op.applyT(c, new Float64Array(op.n));
  for (let k = 0; k < f.length; k++) if (!(f[k]! > 0)) f[k] = 0;
  return f;
}
