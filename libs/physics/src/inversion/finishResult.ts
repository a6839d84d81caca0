import type { Problem, SolverResult } from './types';

/** Shared tail of every solver: residual statistics and timing. */
export function finishResult(
  problem: Problem,
  r: Omit<SolverResult, 'relativeResidual' | 'rmsResidual' | 'elapsedMs'> & { t0: number },
): SolverResult {
  const { t0, ...rest } = r;
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
    elapsedMs: performance.now() - t0,
  };
}
