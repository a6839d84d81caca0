/**
 * The discrepancy rule for the Tikhonov α: the α at which the compressed residual equals the noise it must contain,
 * searched down the α path (alphaPath.ts), GCV where the residual never gets there. docs/physics.md, "Choosing α".
 */
import type { CompressedProblem } from '../numerics/compress';
import type { CompressedOperator } from '../numerics/compressedOperator';
import { dualTikhonov } from '../numerics/dualTikhonov';
import { coarsePath, COARSE_FROM, prefixPath, unconstrainedDiscrepancy, type Path } from './alphaPath';
import { chooseByGcv } from './gcv';
import type { TikhonovSolve } from './iltTikhonov';

/** Accept α when the residual² is within this relative distance (in log) of the target. */
const TOLERANCE = 0.05;
/** A residual floor this far above the target (log ratio; 0.3 ≈ 35 %) is model error, not discretisation. */
const FLOOR_MODEL_ERROR = 0.3;
/** Slope of log residual² against log α below which the residual counts as levelled off. */
const FLAT = 0.03;
const START_ABOVE = 1000;
const STEP = 10;
/** Secant / regula-falsi steps on the full grid after the coarse search before searching it from scratch. */
const REFINE_STEPS = 4;

export function chooseByDiscrepancy(
  full: CompressedProblem,
  fullOp: CompressedOperator,
  warnings: string[],
): TikhonovSolve {
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
