/**
 * The α path shared by the Tikhonov α rules: warm-started non-negative solves from strong to weak smoothing on the
 * pairs that matter at each α, optionally through the half-resolution grid, and the unconstrained closed form that
 * seeds them. docs/physics.md, "Choosing α".
 */
import { coarsenGrid, restrictPairs, type CompressedProblem } from '../numerics/compress';
import { compressedOperator, type CompressedOperator } from '../numerics/compressedOperator';
import { dualTikhonov, type DualSolution } from '../numerics/dualTikhonov';
import { wasmKernels } from '../wasm/kernels';

/** Pairs with σ_k² below this multiple of the seed α are left out of the non-negative solve. */
const DROP_BELOW = 3e-2;
/** Grids of at least this many cells search for α on the half-resolution grid first. */
export const COARSE_FROM = 1024;

/**
 * Residual of the unconstrained Tikhonov solution in the compressed space, where K̃K̃ᵀ is diagonal:
 * r_k = α/(σ_k² + α)·m̃_k. Closed form, so its discrepancy and GCV points cost microseconds and seed the search for
 * the non-negative problem's α. In WebAssembly where the kernels are built (the same sum in the same order).
 */
export function unconstrainedResidual2(op: CompressedOperator, m: Float64Array, alpha: number): number {
  const kernels = wasmKernels();
  if (kernels) {
    const n = m.length;
    const arena = kernels.arena(16 * n + 32);
    const [sv2In, mIn] = [arena.copy(op.pairSv2.subarray(0, n)), arena.copy(m)];
    return kernels.exports.unconstrainedResidual2(sv2In, mIn, n, alpha);
  }
  let r = 0;
  for (let k = 0; k < m.length; k++) {
    const f = alpha / (op.pairSv2[k]! + alpha);
    r += f * f * m[k]! * m[k]!;
  }
  return r;
}

/** log α where the unconstrained compressed residual equals `target` (bisection in log α; it is monotone). */
export function unconstrainedDiscrepancy(op: CompressedOperator, m: Float64Array, target: number): number | undefined {
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

/**
 * Solutions along α for the discrepancy search. At each α only the pairs with σ_k² ≥ DROP_BELOW·α take part (they pass
 * through the solution with weight σ_k²/(σ_k² + α), so the rest contribute < 1 %); pairs are sorted strongest first,
 * so that set is a prefix, and the dropped pairs' data count as residual. Each solve is warm-started from the last:
 * c = r̃/α with each pair's residual r̃_k rescaled by the unconstrained problem's factor α/(σ_k² + α), extended to
 * newly admitted pairs by their current residual.
 */
export function prefixPath(full: CompressedProblem, fullOp: CompressedOperator) {
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
    /**
     * The solution at log α from a solution of the same problem at another α (its dual c on a prefix of the pairs):
     * down a decade at a time, as descendTo does, or straight up.
     */
    stepFrom(from: { c: Float64Array; f: Float64Array; alpha: number }, logAlpha: number): Entry {
      last = { c: from.c, alpha: from.alpha, fitted: fittedOf(from.f) };
      for (let x = Math.log(from.alpha) - Math.LN10; x > logAlpha + 0.1; x -= Math.LN10) path.at(x);
      return path.at(logAlpha);
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

export type Path = ReturnType<typeof prefixPath>;

/**
 * The solution at log α on the path, reached through the coarse grid where the grid is large enough: the descent from
 * 1000× above runs on the half-resolution grid and only the last solve on the full one, from the coarse dual. The
 * coarse solves' iterations are added to the path's count.
 */
export function descend(full: CompressedProblem, path: Path, logAlpha: number) {
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
export function coarsePath(full: CompressedProblem): Path {
  const coarseCp = coarsenGrid(full);
  return prefixPath(coarseCp, compressedOperator(coarseCp));
}
