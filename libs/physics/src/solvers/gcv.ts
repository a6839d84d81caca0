/** The GCV rule for the Tikhonov α: the minimum of V(α) = s·‖r̃‖²/(s − tr A)² over a warm-started path. */
import { goldenSection } from '../linalg/goldenSection';
import type { CompressedProblem } from '../numerics/compress';
import type { CompressedOperator } from '../numerics/compressedOperator';
import { dualTikhonov, influenceTrace, type DualSolution } from '../numerics/dualTikhonov';
import { unconstrainedResidual2 } from './alphaPath';
import type { TikhonovSolve } from './iltTikhonov';

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

export function chooseByGcv(cp: CompressedProblem, op: CompressedOperator, warnings: string[]): TikhonovSolve {
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
