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
  let res2 = 0;
  let d2 = 0;
  const { data } = problem;
  for (let i = 0; i < data.length; i++) {
    const e = data[i]! - r.fitted[i]!;
    res2 += e * e;
    d2 += data[i]! * data[i]!;
  }
  return {
    ...rest,
    relativeResidual: d2 > 0 ? Math.sqrt(res2 / d2) : 0,
    rmsResidual: Math.sqrt(res2 / Math.max(data.length, 1)),
  };
}
