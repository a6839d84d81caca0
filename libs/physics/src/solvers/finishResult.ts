import { residualEnergy } from '../numerics/dataSums';
import type { Problem, SolverResult } from './types';

/**
 * Shared tail of every solver: residual statistics. `elapsedMs` is the solve itself (regularisation choice
 * included); the fitted data and these statistics are diagnostics computed after the clock stops.
 */
export function finishResult(
  problem: Problem,
  r: Omit<SolverResult, 'relativeResidual' | 'rmsResidual'>,
): SolverResult {
  const rest = r;
  const { data } = problem;
  const { rr: res2, dd: d2 } = residualEnergy(data, r.fitted);
  return {
    ...rest,
    relativeResidual: d2 > 0 ? Math.sqrt(res2 / d2) : 0,
    rmsResidual: Math.sqrt(res2 / Math.max(data.length, 1)),
  };
}
