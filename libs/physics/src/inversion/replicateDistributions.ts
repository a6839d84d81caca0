/**
 * Draws for the parametric bootstrap of an inversion (analysis/peakUncertainty): the data drawn again around the
 * fit — fitted + σ·z, σ the noise the solver worked with — and inverted the same way: same method, grid, ranges,
 * σ and inversion factor β. Solvers that can redraw in their compressed space (`SolverResult.resample`: Tikhonov,
 * a few Newton steps per draw, α as chosen) do; the others are re-run whole on each draw, their own regularisation
 * choice included (UPEN in 1D: about the cost of the inversion per draw).
 */
import { createRng } from '../simulate/rng';
import { invert, type InvertInput, type Inversion } from './invert';
import type { SolverResult } from '../solvers/types';

export interface ReplicateOptions {
  /** Number of draws (default: defaultDraws of the solver). */
  count?: number;
  /** Seed of the draws (default 1): the same acquisition gets the same uncertainties every time. */
  seed?: number;
  /** Called after each whole re-inversion (solvers without `resample`, where a draw can take seconds). */
  onDraw?: (done: number, count: number) => void;
}

/** Draws for the default bootstrap where the solver redraws cheaply. */
const DEFAULT_DRAWS = 16;

/**
 * How many draws a result gets unless asked: 16 where the solver redraws in its compressed space (`resample`:
 * Tikhonov, UPEN — milliseconds for all of them), none where every draw is a whole inversion (sparse, nnls: 0.3–3 s
 * for 16 on the benchmark cases).
 */
export function defaultDraws(solver: SolverResult): number {
  return solver.resample ? DEFAULT_DRAWS : 0;
}

export function replicateDistributions(
  input: InvertInput,
  inversion: Inversion,
  options: ReplicateOptions = {},
): Float64Array[] {
  const { solver } = inversion;
  const count = options.count ?? defaultDraws(solver);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`replicateDistributions: count must be a whole number ≥ 0, got ${count}`);
  const sigma = solver.sigma;
  if (count === 0 || !(sigma > 0) || !Number.isFinite(sigma)) return [];
  if (solver.resample) return solver.resample(count, seed);
  const rng = createRng(seed);
  const axes = input.axes.map((a) =>
    a.kernel === 'T1-IR' && inversion.beta ? { ...a, beta: inversion.beta.value } : a,
  ) as InvertInput['axes'];
  const options2 = {
    method: inversion.method,
    gridPoints: inversion.axes.map((a) => a.values.length),
    ranges: inversion.axes.map((a) => [a.values[0]!, a.values[a.values.length - 1]!] as [number, number]),
    sigma,
  };
  const maps: Float64Array[] = [];
  for (let r = 0; r < count; r++) {
    const data = Float64Array.from(solver.fitted, (v) => v + sigma * rng.normal());
    maps.push(invert({ axes, data }, options2).distribution);
    options.onDraw?.(r + 1, count);
  }
  return maps;
}
