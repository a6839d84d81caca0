/**
 * The log-mean of a 1D distribution (the "T2 log-mean" of petrophysics): 10^(Σ f·log10 y / Σ f).
 */
import { checkDistribution, checkGrid } from './validate';

/**
 * Negative cells (ripples) are clipped to zero first: they are not populations and would otherwise be able to push
 * the mean outside the grid. Returns NaN when the distribution has no positive mass. For a 2D map, pass one of its
 * `marginals`.
 */
export function logMean(distribution: Float64Array, grid: Float64Array): number {
  checkDistribution('logMean', distribution);
  checkGrid('logMean', 'grid', grid);
  if (distribution.length !== grid.length) {
    throw new RangeError(`logMean: distribution has ${distribution.length} values, grid ${grid.length}`);
  }
  let s = 0;
  let w = 0;
  for (let i = 0; i < grid.length; i++) {
    const f = distribution[i]!;
    if (f > 0) {
      s += f * Math.log10(grid[i]!);
      w += f;
    }
  }
  return w > 0 ? 10 ** (s / w) : Number.NaN;
}
