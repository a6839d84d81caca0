import type { Matrix } from '../types';

/**
 * A discretised Laplace problem. 2D: data S (m1 × m2, row-major) ≈ K1 · F · K2ᵀ with F (n1 × n2).
 * 1D problems are the special case k2 = 1 × 1 identity, which every solver here handles through `problem1d`.
 */
export interface Problem {
  k1: Matrix;
  k2: Matrix;
  data: Float64Array;
}

export function problem1d(k: Matrix, data: Float64Array): Problem {
  return { k1: k, k2: { rows: 1, cols: 1, data: new Float64Array([1]) }, data };
}

/** What every solver returns. Distribution n1 × n2 row-major (1D: n1), in the units of the data. */
export interface SolverResult {
  method: 'tikhonov' | 'upen' | 'sparse' | 'nnls';
  distribution: Float64Array;
  /** K1 · F · K2ᵀ, same shape as the data. */
  fitted: Float64Array;
  /** ‖data − fitted‖ / ‖data‖ over all points. */
  relativeResidual: number;
  /** Root-mean-square of the residual, in data units. */
  rmsResidual: number;
  /** Noise standard deviation the solver worked with (estimated unless given), data units. */
  sigma: number;
  /** Regularisation weight (the solver's own convention, documented per solver) and how it was chosen. */
  alpha: number;
  alphaRule: string;
  iterations: number;
  /** Wall time of the solve including the regularisation choice, ms. */
  elapsedMs: number;
  /** Size of the compressed problem (number of data components kept), where the solver compresses. */
  compressedSize?: number;
  warnings: string[];
  /**
   * Solver-specific draws for the parametric bootstrap: `count` distributions from data drawn again with the same σ
   * around this fit — or around the forward model of `centre`, another distribution on the same grid (a network's
   * map, say) — solved at the same regularisation (seeded). Absent: replicateDistributions re-inverts.
   */
  resample?: (count: number, seed: number, centre?: Float64Array) => Float64Array[];
  /**
   * The same problem (kernels, data, σ, compression) solved again at a fixed weight α, started from this solution —
   * much shorter than a solve from scratch where α is far below the one chosen. Tikhonov only.
   */
  atAlpha?: (alpha: number) => SolverResult;
}

export interface CommonSolverOptions {
  /** Noise standard deviation of the data, if known; estimated from the data otherwise. */
  sigma?: number;
}
