import { createRng } from '../simulate/rng';
import { choleskySolveInPlace } from '../linalg/cholesky';
import { compressedFit, compressedFor, type CompressedProblem } from '../numerics/compress';
import { compressedOperator, type CompressedOperator } from '../numerics/compressedOperator';
import { dualTikhonov, type DualSolution } from '../numerics/dualTikhonov';
import { descend, prefixPath, unconstrainedDiscrepancy } from './alphaPath';
import { chooseByDiscrepancy } from './discrepancy';
import { finishResult } from './finishResult';
import { chooseByGcv } from './gcv';
import type { CommonSolverOptions, Problem, SolverResult } from './types';

/**
 * Rules for the Tikhonov weight α (objective ‖K̃f − m̃‖² + α‖f‖², f ≥ 0, α dimensionless):
 * - `discrepancy` (default): the α at which the compressed residual equals the noise it must contain,
 *   ‖K̃f − m̃‖² = s·σ̂² — the fixed point of the Butler–Reeds–Dawson α-update, found here along a warm-started path
 *   from strong to weak smoothing (see chooseByDiscrepancy) instead of BRD's slow fixed-point iteration. Needs σ̂,
 *   which the compression estimates well when the data have many more points than kept components. Tends to err on
 *   the smooth side — no spurious peaks. Where the residual levels off just above the target, the strongest
 *   smoothing within the tolerance of that floor is taken; far above it (model error) GCV takes over.
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
  /**
   * A fixed α only: start from the solution of the same compressed problem at another α (its dual c on a prefix of
   * the pairs, as TikhonovSolve holds it) instead of descending from strong smoothing. The answer is the same (the
   * problem is strictly convex and solved to full precision); only the way there is shorter.
   */
  startFrom?: { c: Float64Array; f: Float64Array; alpha: number };
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

/** Newton steps allowed to finish a fixed-α solve on every pair (see there). */
const FIXED_ALPHA_FINISH_STEPS = 1000;

/** The compressed-space part of the solve, for reuse by other solvers (UPEN starts from it). */
export function solveTikhonovCompressed(problem: Problem, options: TikhonovOptions = {}): TikhonovSolve {
  const cp = compressedFor(problem, options);
  const op = compressedOperator(cp);
  const warnings: string[] = [];
  const rule = options.alpha ?? 'discrepancy';
  if (typeof rule === 'number') {
    if (!(rule > 0)) throw new RangeError(`iltTikhonov: alpha must be > 0, got ${rule}`);
    if (cp.m.length === 0) throw new RangeError('iltTikhonov: the data carry no signal above the noise');
    // Come down to the requested α along the same warm-started path the discrepancy search uses (descendTo), or
    // from the caller's solution of this problem at another α, a decade at a time (straight there, every pair in
    // each Newton step, took 2–3× longer on bench:dl's input maps).
    const path = prefixPath(cp, op);
    const at = options.startFrom ? path.stepFrom(options.startFrom, Math.log(rule)) : descend(cp, path, Math.log(rule));
    // The path leaves out the weakest components and stops at the noise level; a fixed α asks for that exact
    // problem, so finish on every pair to full precision from there (the left-out pairs start at their residual).
    const kf = op.apply(at.solution.f);
    const start = Float64Array.from(cp.m, (v, k) =>
      k < at.solution.c.length ? at.solution.c[k]! : (v - kf[k]!) / rule,
    );
    // Far below the noise level the finish needs more Newton steps than dualNewton's default 100: at α/100 and α/300 of
    // the discrepancy α (bench:dl's input maps, SNR 1000) it took 159 and 229 and, cut at 100, left 11–19 % of the
    // data unexplained without a word.
    const solution = dualTikhonov(op, cp.m, rule, { start, maxIterations: FIXED_ALPHA_FINISH_STEPS });
    if (!solution.converged) {
      warnings.push(
        `iltTikhonov: the solve at α = ${rule.toPrecision(3)} did not converge in ${solution.iterations} steps`,
      );
    }
    return {
      cp,
      op,
      solution,
      alpha: rule,
      rule: 'fixed',
      iterations: path.iterations + solution.iterations,
      warnings,
    };
  }
  if (cp.m.length === 0) throw new RangeError('iltTikhonov: the data carry no signal above the noise');
  if (rule === 'discrepancy' && cp.sigmaEstimated && cp.noiseDof < MIN_NOISE_DOF) {
    // Too few points beyond the kernel's rank to estimate σ from the data: GCV needs no σ, and its fit gives one.
    const solve = chooseByGcv(cp, op, warnings);
    return {
      ...solve,
      rule: `gcv (only ${cp.noiseDof} points to estimate the noise from; discrepancy needs ${MIN_NOISE_DOF})`,
    };
  }
  return rule === 'gcv' ? chooseByGcv(cp, op, warnings) : chooseByDiscrepancy(cp, op, warnings);
}

/**
 * A quick start for solvers that set their own smoothing afterwards (UPEN in 2D): non-negative Tikhonov at the α where
 * the *unconstrained* compressed residual equals the noise (closed form in the compressed space, microseconds),
 * reached along the same warm-started path from 1000× above — no search on the non-negative residual, which is most
 * of the discrepancy rule's cost. The non-negativity acts as extra smoothing, so this α lies at or below the
 * discrepancy α: a start with the support about right and a little detail to spare. Falls back to the discrepancy
 * rule when there is no such α (little signal).
 */
export function solveTikhonovAtSeed(problem: Problem, options: TikhonovOptions = {}): TikhonovSolve {
  const cp = compressedFor(problem, options);
  const op = compressedOperator(cp);
  if (cp.m.length === 0) throw new RangeError('iltTikhonov: the data carry no signal above the noise');
  const seed = unconstrainedDiscrepancy(op, cp.m, cp.m.length * cp.sigma * cp.sigma);
  if (seed === undefined) return solveTikhonovCompressed(problem, { ...options, compressed: cp });
  const path = prefixPath(cp, op);
  const at = descend(cp, path, seed);
  return {
    cp: at.cp,
    op: at.op,
    solution: at.solution,
    alpha: Math.exp(seed),
    rule: 'unconstrained discrepancy (start)',
    iterations: path.iterations,
    warnings: [],
  };
}

export function iltTikhonov(problem: Problem, options: TikhonovOptions = {}): SolverResult {
  const t0 = performance.now();
  const cp = compressedFor(problem, options);
  const solve = solveTikhonovCompressed(problem, { ...options, compressed: cp });
  const elapsedMs = performance.now() - t0;
  const f = solve.solution.f;
  const fitted = compressedFit(solve.cp, f);
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
    elapsedMs,
    resample: tikhonovResampler(solve),
    atAlpha: (alpha) =>
      iltTikhonov(problem, {
        compressed: cp,
        alpha,
        startFrom: { c: solve.solution.c, f: solve.solution.f, alpha: solve.alpha },
      }),
  });
}

/**
 * Draws for the parametric bootstrap (analysis/peakUncertainty) in the compressed space, where the noise is white with
 * the same σ (the singular vectors are orthonormal): data drawn around the fit, m̃ᵣ = K̃f̂ + σ·z, solved at the chosen
 * α by one Newton step of the dual from the solution with the solution's own factor H = K̃_A·K̃_Aᵀ + αI (A its
 * active cells):  c = ĉ + H⁻¹·(σz − αĉ),  f = max(0, K̃ᵀc) on A, 0 elsewhere.
 * That is the solution's linear response on its active set, clipped at zero (letting cells outside A in after a
 * single step gave spiky maps and spurious peaks) — a Cholesky solve and one operator application per draw, well
 * under a millisecond. Because the draws are centred on the fit, not on the data, their mean shows how this α pulls
 * the fitted peaks (the regularisation's bias seen on the fit), and their spread the noise's effect (checked against
 * draws solved to convergence: docs/physics.md, "Tikhonov's draws").
 */
function tikhonovResampler(solve: TikhonovSolve): NonNullable<SolverResult['resample']> {
  const { op, solution, alpha } = solve;
  const sigma = solve.cp.sigma;
  const s = op.s;
  return (count, seed, centre) => {
    const rng = createRng(seed);
    const factor = solution.factor;
    const maps: Float64Array[] = [];
    const c = new Float64Array(s);
    // Draws around K̃·centre instead of the fit: the right-hand side gains K̃(centre − f̂).
    const offset = new Float64Array(s);
    if (centre) {
      if (centre.length !== solution.f.length) throw new RangeError('resample: centre must lie on the solution grid');
      offset.set(op.apply(Float64Array.from(centre, (v, k) => v - solution.f[k]!)));
    }
    for (let r = 0; r < count; r++) {
      // m̃ᵣ − K̃f̂ − αĉ = σz − αĉ: the Newton right-hand side at ĉ for data drawn around the fit
      for (let k = 0; k < s; k++) c[k] = sigma * rng.normal() - alpha * solution.c[k]! + offset[k]!;
      choleskySolveInPlace(factor, s, c);
      for (let k = 0; k < s; k++) c[k]! += solution.c[k]!;
      const f = Float64Array.from(op.applyT(c));
      for (let k = 0; k < f.length; k++) if (!(f[k]! > 0) || !(solution.f[k]! > 0)) f[k] = 0;
      maps.push(f);
    }
    return maps;
  };
}

/** Fewer degrees of freedom than this behind σ̂ and the discrepancy rule hands over to GCV. */
const MIN_NOISE_DOF = 20;
