import { createRng } from '../simulate/rng';
import { choleskySolveInPlace } from '../linalg/cholesky';
import { goldenSection } from '../linalg/goldenSection';
import { coarsenGrid, compress, compressedFit, restrictPairs, type CompressedProblem } from './compress';
import { compressedOperator, type CompressedOperator } from './compressedOperator';
import { dualTikhonov, influenceTrace, type DualSolution } from './dualTikhonov';
import { finishResult } from './finishResult';
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
    if (cp.m.length === 0) throw new RangeError('iltTikhonov: the data carry no signal above the noise');
    // Come down to the requested α along the same warm-started path the discrepancy search uses (descendTo).
    const path = prefixPath(cp, op);
    const at = descend(cp, path, Math.log(rule));
    // The path leaves out the weakest components and stops at the noise level; a fixed α asks for that exact
    // problem, so finish on every pair to full precision from there (the left-out pairs start at their residual).
    const kf = op.apply(at.solution.f);
    const start = Float64Array.from(cp.m, (v, k) =>
      k < at.solution.c.length ? at.solution.c[k]! : (v - kf[k]!) / rule,
    );
    const solution = dualTikhonov(op, cp.m, rule, { start });
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
  const cp = options.compressed ?? compress(problem, options.sigma === undefined ? {} : { sigma: options.sigma });
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
  const solve = solveTikhonovCompressed(problem, options);
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
 * the fitted peaks (the regularisation's bias seen on the fit), and their spread the noise's effect. Against draws
 * solved to convergence at the same α (~50 ms each) on the benchmark's T1–T2 and D–T2 cases, the position spreads of
 * peaks ≥ 10 % agree: ratio median 1.01, 10th–90th percentile 0.67–1.41 (100 peak axes).
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

/** Solver with warm starts across α (c scales as 1/α at fixed residual) and a cache per log α. */
function dualPath(cp: CompressedProblem, op: CompressedOperator) {
  const tolerance = 0.01 * Math.sqrt(cp.m.length) * cp.sigma;
  const cache = new Map<number, DualSolution>();
  let last: DualSolution | undefined;
  let lastAlpha = 0;
  let iterations = 0;
  return {
    get iterations() {
      return iterations;
    },
    at(logAlpha: number): DualSolution {
      const hit = cache.get(logAlpha);
      if (hit) return hit;
      const alpha = Math.exp(logAlpha);
      const start = last ? Float64Array.from(last.c, (v) => (v * lastAlpha) / alpha) : undefined;
      const sol = dualTikhonov(op, cp.m, alpha, start ? { start, tolerance } : { tolerance });
      iterations += sol.iterations;
      cache.set(logAlpha, sol);
      last = sol;
      lastAlpha = alpha;
      return sol;
    },
  };
}

/**
 * Residual of the unconstrained Tikhonov solution in the compressed space, where K̃K̃ᵀ is diagonal:
 * r_k = α/(σ_k² + α)·m̃_k. Closed form, so its discrepancy and GCV points cost microseconds and seed the search for
 * the non-negative problem's α.
 */
function unconstrainedResidual2(op: CompressedOperator, m: Float64Array, alpha: number): number {
  let r = 0;
  for (let k = 0; k < m.length; k++) {
    const f = alpha / (op.pairSv2[k]! + alpha);
    r += f * f * m[k]! * m[k]!;
  }
  return r;
}

/** log α where the unconstrained compressed residual equals `target` (bisection in log α; it is monotone). */
function unconstrainedDiscrepancy(op: CompressedOperator, m: Float64Array, target: number): number | undefined {
  let lo = Math.log(op.normSquared) - 40;
  let hi = Math.log(op.normSquared) + 10;
  if (unconstrainedResidual2(op, m, Math.exp(hi)) < target) return undefined;
  if (unconstrainedResidual2(op, m, Math.exp(lo)) > target) return lo;
  for (let k = 0; k < 60 && hi - lo > 1e-4; k++) {
    const mid = 0.5 * (lo + hi);
    if (unconstrainedResidual2(op, m, Math.exp(mid)) > target) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

function chooseByDiscrepancy(full: CompressedProblem, fullOp: CompressedOperator, warnings: string[]): TikhonovSolve {
  const sFull = full.m.length;
  const target = sFull * full.sigma * full.sigma;
  const seed = unconstrainedDiscrepancy(fullOp, full.m, target);
  if (seed === undefined) {
    warnings.push('discrepancy: the data are explained within the noise at any regularisation; little signal');
    const alpha = fullOp.normSquared;
    const solution = dualTikhonov(fullOp, full.m, alpha);
    return { cp: full, op: fullOp, solution, alpha, rule: 'discrepancy', iterations: solution.iterations, warnings };
  }
  const path = prefixPath(full, fullOp);
  const done = (x: number): TikhonovSolve => {
    const at = path.at(x);
    return {
      cp: at.cp,
      op: at.op,
      solution: at.solution,
      alpha: Math.exp(x),
      rule: 'discrepancy',
      iterations: path.iterations,
      warnings,
    };
  };
  if (full.n1 * full.n2 >= COARSE_FROM) {
    // The search on a grid with half the cells per axis (the same problem restricted to 2 × 2 blocks: same pairs, data
    // and dual variable), then the last steps on the full grid from the coarse solution. The coarse residual is at
    // least the fine one at every α, so its root lies at or just below the fine one (on the benchmark's 2D cases the
    // full grid's residual at the coarse root was already within the tolerance in all that ended on a root). Where the
    // coarse search ends on a floor or finds no root, the search goes on on the full grid from that point; where the
    // refinement fails, it starts again on the full grid from the top.
    const coarse = coarsePath(full);
    const found = searchDiscrepancy(coarse, fullOp, full.m, seed, target);
    path.addIterations(coarse.iterations);
    path.startFrom(coarse, found.x);
    if (found.kind === 'root') {
      const x = refineRoot(path, found, target);
      if (x !== undefined) return done(x);
    } else {
      // A floor or no root on the coarse grid — where its coarser discretisation may be all that shows (very high
      // SNR): continue on the full grid from the coarse point nearest that floor instead of from the top.
      const gFrom = Math.log(path.at(found.x).residual2 / target);
      if (gFrom <= TOLERANCE) {
        const x = refineRoot(path, found, target);
        if (x !== undefined) return done(x);
      } else {
        const onFine = searchDiscrepancy(path, fullOp, full.m, seed, target, found.x);
        if (onFine.kind === 'floor') {
          // The rule takes the strongest smoothing within the tolerance of the floor. The full grid's residual is at
          // most the coarse one's, so coarse points above the start that were already within it qualify too.
          const within = found.points.filter(([x, g]) => x > onFine.x && g <= onFine.floor + TOLERANCE);
          if (within.length > 0) return finish({ ...onFine, x: Math.max(...within.map(([x]) => x)) });
        }
        return finish(onFine);
      }
    }
  }
  return finish(searchDiscrepancy(path, fullOp, full.m, seed, target));

  function finish(found: SearchResult): TikhonovSolve {
    if (found.kind === 'root') return done(found.x);
    if (found.kind === 'floor') {
      warnings.push(
        `discrepancy: the residual levels off ${((Math.exp(found.floor) - 1) * 100).toFixed(1)} % above the noise estimate; α taken where it reaches that floor`,
      );
      return done(found.x);
    }
    warnings.push(
      'discrepancy: the fit never reaches the estimated noise level (the kernel may not describe these data); α chosen by GCV instead',
    );
    const solve = chooseByGcv(full, fullOp, warnings);
    return { ...solve, rule: 'gcv (discrepancy unreachable)' };
  }
}

type Path = ReturnType<typeof prefixPath>;

/**
 * The solution at log α on the path, reached through the coarse grid where the grid is large enough: the descent from
 * 1000× above runs on the half-resolution grid and only the last solve on the full one, from the coarse dual. The
 * coarse solves' iterations are added to the path's count.
 */
function descend(full: CompressedProblem, path: Path, logAlpha: number) {
  if (full.n1 * full.n2 >= COARSE_FROM) {
    const coarse = coarsePath(full);
    const there = coarse.descendTo(logAlpha);
    path.addIterations(coarse.iterations);
    if (there.solution.converged) {
      path.startFrom(coarse, logAlpha);
      const at = path.at(logAlpha);
      if (at.solution.converged) return at;
    }
  }
  return path.descendTo(logAlpha);
}

/** The α path of the same problem on the half-resolution grid (coarsenGrid). */
function coarsePath(full: CompressedProblem): Path {
  const coarseCp = coarsenGrid(full);
  return prefixPath(coarseCp, compressedOperator(coarseCp));
}

/**
 * Where the discrepancy search ended, g(x) = log(R(α)/target), x = log α: a root (|g| < TOLERANCE), or no root — a
 * floor just above the target or model error far above it — with x the strongest smoothing within the tolerance of
 * that floor. `points` are every (x, g) the search evaluated.
 */
type NoRoot = { kind: 'floor' | 'model-error'; x: number; floor: number; points: [number, number][] };
type SearchResult = { kind: 'root'; x: number; points: [number, number][] } | NoRoot;

/**
 * The discrepancy root along a path, walking down from strong smoothing (from `from` if given — a point known to lie
 * above the target — else from START_ABOVE× the seed): each solve starts from the last one, so
 * Newton only follows the active set as it shrinks, and at large α few pairs are in play. g(x) = log(R(α)/target),
 * x = log α, is smooth and increasing. Steps: first the closed-form prediction (R_nn(α) ≈ R_u(κα), κ ≥ 1 slowly
 * varying: the constraint acts as extra smoothing), then secant extrapolation through the last two points, never
 * more than ×1/STEP at a time; once the root is bracketed, regula falsi.
 */
function searchDiscrepancy(
  path: Path,
  fullOp: CompressedOperator,
  m: Float64Array,
  seed: number,
  target: number,
  from?: number,
): SearchResult {
  const points: [number, number][] = [];
  const g = (x: number) => {
    const v = Math.log(path.at(x).residual2 / target);
    points.push([x, v]);
    return v;
  };
  const root = (x: number): SearchResult => ({ kind: 'root', x, points });
  const lowest = Math.log(fullOp.normSquared * 1e-12);
  let x0 = from ?? seed + Math.log(START_ABOVE);
  let g0 = g(x0);
  if (g0 <= 0) return root(x0); // fitted within the noise even at strong smoothing
  let x1 = NaN;
  let g1 = NaN;
  const above: [number, number][] = [[x0, g0]];
  /** No root: the floor (the lowest residual seen above the target) and the strongest smoothing that reaches it. */
  const noRoot = (kind: NoRoot['kind']): NoRoot => {
    const floor = Math.min(...above.map(([, gv]) => gv));
    const x = Math.max(...above.filter(([, gv]) => gv <= floor + TOLERANCE).map(([xv]) => xv));
    return { kind, x, floor, points };
  };
  let xb = NaN; // a point below the root, once found
  let gb = NaN;
  for (let k = 0; k < 20; k++) {
    const xa = Number.isNaN(x1) ? x0 : x1;
    const ga = Number.isNaN(x1) ? g0 : g1;
    if (Math.abs(ga) < TOLERANCE) return root(xa);
    let next: number;
    if (!Number.isNaN(xb)) {
      next = xa - (ga * (xa - xb)) / (ga - gb);
    } else if (Number.isNaN(x1)) {
      const equivalent = unconstrainedDiscrepancy(fullOp, m, path.at(x0).residual2);
      next = equivalent === undefined ? x0 - Math.log(STEP) : seed - (equivalent - x0);
    } else {
      next = g0 - g1 > 1e-9 ? x1 - (g1 * (x1 - x0)) / (g1 - g0) : x1 - Math.log(STEP);
    }
    if (Number.isNaN(xb)) next = Math.min(Math.max(next, xa - Math.log(STEP)), xa - 0.01);
    if (next < lowest) return noRoot('model-error');
    const gn = g(next);
    if (gn < 0) {
      if (Math.abs(gn) < TOLERANCE) return root(next);
      // bracketed between next (below) and xa (above)
      xb = next;
      gb = gn;
      if (!Number.isNaN(x1)) {
        x0 = x1;
        g0 = g1;
      }
      x1 = xa;
      g1 = ga;
    } else {
      above.push([next, gn]);
      // Levelling off: the residual falls by less than 20 % per step, or by less than FLAT in log residual per
      // e-fold of α (the data no longer tell smoothings apart there).
      const stalled = !Number.isNaN(x1) && (gn > 0.8 * g1 || (g1 - gn) / (x1 - next) < FLAT);
      // A solve that ran out of Newton iterations (weak smoothing of noisy data: the active set churns) gives an
      // unreliable residual; weaker smoothing would only be worse, so the floor is taken as reached.
      if (stalled || !path.at(next).solution.converged) {
        // The residual levels off above the target: a floor that no α gets under. Slightly above the noise (a few
        // per cent) it is the discretisation of the grid showing at very high SNR — take the strongest smoothing
        // whose residual is within the tolerance of that floor. Far above it is model error (wrong kernel, offset,
        // β): GCV then picks α for what can be fitted, instead of driving α to zero to fit noise with spikes.
        const result = noRoot('floor');
        return result.floor > FLOOR_MODEL_ERROR ? { ...result, kind: 'model-error' } : result;
      }
      if (!Number.isNaN(x1)) {
        x0 = x1;
        g0 = g1;
      }
      x1 = next;
      g1 = gn;
    }
  }
  return root(Number.isNaN(x1) ? x0 : x1);
}

/**
 * The discrepancy root on the full grid from the coarse grid's root: the full grid fits at least as well at every
 * α, so its root lies at or above the coarse one, usually within the tolerance. Secant steps with the coarse slope,
 * then regula falsi once bracketed; undefined (search the full grid from scratch) if a solve stops unconverged or
 * no root is found in a few steps.
 */
function refineRoot(path: Path, coarse: { x: number; points: [number, number][] }, target: number): number | undefined {
  const g = (x: number) => {
    const at = path.at(x);
    return at.solution.converged ? Math.log(at.residual2 / target) : NaN;
  };
  let xa = coarse.x;
  let ga = g(xa);
  if (Number.isNaN(ga)) return undefined;
  if (Math.abs(ga) < TOLERANCE) return xa;
  // The coarse curve's slope near its root (g is increasing in log α; the two grids' curves run nearly parallel).
  const near = [...coarse.points].sort((p, q) => Math.abs(p[0] - coarse.x) - Math.abs(q[0] - coarse.x));
  const [p0, p1] = near;
  const fallback = 0.3;
  let slope = p0 && p1 && p0[0] !== p1[0] ? (p0[1] - p1[1]) / (p0[0] - p1[0]) : fallback;
  if (!(slope > 0.02)) slope = fallback;
  let lo: [number, number] | undefined = ga < 0 ? [xa, ga] : undefined;
  let hi: [number, number] | undefined = ga > 0 ? [xa, ga] : undefined;
  for (let k = 0; k < REFINE_STEPS; k++) {
    let next: number;
    if (lo && hi) {
      next = lo[0] - (lo[1] * (hi[0] - lo[0])) / (hi[1] - lo[1]);
    } else {
      next = xa - ga / slope;
      next = Math.min(Math.max(next, xa - Math.log(STEP)), xa + Math.log(STEP));
    }
    const gn = g(next);
    if (Number.isNaN(gn)) return undefined;
    if (Math.abs(gn) < TOLERANCE) return next;
    if (!(lo && hi) && next !== xa) slope = Math.max((gn - ga) / (next - xa), 0.02);
    if (gn < 0) lo = [next, gn];
    else hi = [next, gn];
    xa = next;
    ga = gn;
  }
  return undefined;
}

/**
 * Solutions along α for the discrepancy search. At each α only the pairs with σ_k² ≥ DROP_BELOW·α take part (they pass
 * through the solution with weight σ_k²/(σ_k² + α), so the rest contribute < 1 %); pairs are sorted strongest first,
 * so that set is a prefix, and the dropped pairs' data count as residual. Each solve is warm-started from the last:
 * c = r̃/α with each pair's residual r̃_k rescaled by the unconstrained problem's factor α/(σ_k² + α), extended to
 * newly admitted pairs by their current residual.
 */
function prefixPath(full: CompressedProblem, fullOp: CompressedOperator) {
  type Entry = {
    cp: CompressedProblem;
    op: CompressedOperator;
    solution: DualSolution;
    residual2: number;
    alpha: number;
  };
  const cache = new Map<number, Entry>();
  const ops = new Map<number, { cp: CompressedProblem; op: CompressedOperator; tail: number }>();
  /** The last solution: its dual c, its α, and K̃f on the first `count` pairs (for newly admitted pairs). */
  let last: { c: Float64Array; alpha: number; fitted: (count: number) => Float64Array } | undefined;
  /** K̃f on the first `count` pairs, on this path's grid. */
  const fittedOf = (f: Float64Array) => (count: number) => opFor(count).op.apply(f, new Float64Array(count));
  let iterations = 0;
  const sv2 = fullOp.pairSv2;
  const opFor = (count: number) => {
    let hit = ops.get(count);
    if (!hit) {
      const sub = restrictPairs(full, (p) => p < count);
      hit = { cp: sub.cp, op: compressedOperator(sub.cp), tail: sub.droppedNorm2 };
      ops.set(count, hit);
    }
    return hit;
  };
  const path = {
    get iterations() {
      return iterations;
    },
    /**
     * The solution at log α, reached from 1000× above in decade steps: a cold Newton start at weak smoothing churns
     * through the active set (and may stop unconverged), a warm-started descent does not.
     */
    descendTo(logAlpha: number) {
      for (const above of [1e3, 1e2, 10]) path.at(logAlpha + Math.log(above));
      return path.at(logAlpha);
    },
    /** K̃f of the solution at log α on the first `count` pairs, on this path's grid. */
    fittedAt(logAlpha: number) {
      return fittedOf(path.at(logAlpha).solution.f);
    },
    addIterations(k: number) {
      iterations += k;
    },
    /** Start the next solve from another path's solution at log α, on the same pairs (a coarser grid's). */
    startFrom(
      other: { at(logAlpha: number): Entry; fittedAt(logAlpha: number): (count: number) => Float64Array },
      logAlpha: number,
    ) {
      const entry = other.at(logAlpha);
      last = { c: entry.solution.c, alpha: entry.alpha, fitted: other.fittedAt(logAlpha) };
    },
    at(logAlpha: number): Entry {
      const cached = cache.get(logAlpha);
      if (cached) return cached;
      const alpha = Math.exp(logAlpha);
      let count = 0;
      while (count < sv2.length && sv2[count]! >= DROP_BELOW * alpha) count++;
      count = Math.max(count, Math.min(sv2.length, 1));
      const { cp, op, tail } = opFor(count);
      const tolerance = 0.01 * Math.sqrt(full.m.length) * full.sigma;
      let start: Float64Array | undefined;
      if (last) {
        const prev = last;
        start = new Float64Array(count);
        const prevCount = prev.c.length;
        // Each pair's residual scaled as the unconstrained solution's would be, α/(σ_k² + α): strong pairs' residual
        // follows α, weak pairs' stays (c = r̃/α; 4 % fewer Newton steps on the 2D suite than r̃ kept as it was).
        for (let k = 0; k < Math.min(count, prevCount); k++) {
          start[k] = (prev.c[k]! * (sv2[k]! + prev.alpha)) / (sv2[k]! + alpha);
        }
        if (count > prevCount) {
          const kf = prev.fitted(count);
          for (let k = prevCount; k < count; k++) start[k] = (cp.m[k]! - kf[k]!) / alpha;
        }
      }
      const solution = dualTikhonov(op, cp.m, alpha, start ? { start, tolerance } : { tolerance });
      iterations += solution.iterations;
      last = { c: solution.c, alpha, fitted: fittedOf(solution.f) };
      const entry = { cp, op, solution, residual2: solution.residual2 + tail, alpha };
      cache.set(logAlpha, entry);
      return entry;
    },
  };
  return path;
}

/** Fewer degrees of freedom than this behind σ̂ and the discrepancy rule hands over to GCV. */
const MIN_NOISE_DOF = 20;
/** Pairs with σ_k² below this multiple of the seed α are left out of the non-negative solve. */
const DROP_BELOW = 3e-2;
/** Accept α when the residual² is within this relative distance (in log) of the target. */
const TOLERANCE = 0.05;
/** A residual floor this far above the target (log ratio; 0.3 ≈ 35 %) is model error, not discretisation. */
const FLOOR_MODEL_ERROR = 0.3;
/** Slope of log residual² against log α below which the residual counts as levelled off. */
const FLAT = 0.03;
const START_ABOVE = 1000;
const STEP = 10;
/** Grids of at least this many cells search for α on the half-resolution grid first. */
const COARSE_FROM = 1024;
/** Secant / regula-falsi steps on the full grid after the coarse search before searching it from scratch. */
const REFINE_STEPS = 4;

function chooseByGcv(cp: CompressedProblem, op: CompressedOperator, warnings: string[]): TikhonovSolve {
  const s = cp.m.length;
  const path = dualPath(cp, op);
  const gcv = (x: number) => {
    const alpha = Math.exp(x);
    const sol = path.at(x);
    const trA = influenceTrace(op, sol, alpha);
    const denom = Math.max(s - trA, 1e-12);
    return (s * sol.residual2) / (denom * denom);
  };
  // Seed: the minimum of the unconstrained GCV function (closed form per α), scanned on a fine log grid.
  const top = Math.log(op.normSquared);
  let seed = top;
  let best = Infinity;
  for (let k = 0; k <= 400; k++) {
    const x = top - (27 * k) / 400;
    const alpha = Math.exp(x);
    let tr = 0;
    for (let p = 0; p < s; p++) tr += alpha / (op.pairSv2[p]! + alpha);
    const v = (s * unconstrainedResidual2(op, cp.m, alpha)) / (tr * tr);
    if (v < best) {
      best = v;
      seed = x;
    }
  }
  // Golden-section refinement of the non-negative GCV on a bracket around the seed.
  const x = goldenSection(gcv, seed - Math.log(100), seed + Math.log(10), 12);
  if (x - (seed - Math.log(100)) < 0.1)
    warnings.push('gcv: minimum at the weakest regularisation tried; the map may be under-smoothed');
  const solution = path.at(x);
  let result = cp;
  if (cp.sigmaEstimated) {
    // The GCV fit's own noise estimate, σ̂² = ‖r‖²/(m − tr A), replaces the projection estimate.
    const trA = influenceTrace(op, solution, Math.exp(x));
    const dof = Math.max(cp.points - trA, 1);
    result = { ...cp, sigma: Math.sqrt((solution.residual2 + cp.floorNorm2 - 0) / dof) };
  }
  return { cp: result, op, solution, alpha: Math.exp(x), rule: 'gcv', iterations: path.iterations, warnings };
}
