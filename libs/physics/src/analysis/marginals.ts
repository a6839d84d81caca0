/**
 * Projections of a 2D map onto each axis (e.g. the T2 distribution hidden in a T1–T2 map).
 */
import { checkDistribution } from './validate';

export interface Marginals {
  /** Length n1: the sum over axis 1 of each row, i.e. the distribution along axis 0. */
  axis0: Float64Array;
  /** Length n2: the sum over axis 0 of each column, i.e. the distribution along axis 1. */
  axis1: Float64Array;
}

/**
 * Sums (not means) so that each marginal keeps the map's total amplitude in data units. Values are taken as they
 * are, negative ripples included, so the projection is linear; clip beforehand if that matters.
 */
export function marginals(distribution: Float64Array, n1: number, n2: number): Marginals {
  checkDistribution('marginals', distribution);
  if (!Number.isInteger(n1) || !Number.isInteger(n2) || n1 < 1 || n2 < 1) {
    throw new RangeError(`marginals: bad shape ${n1} × ${n2}`);
  }
  if (distribution.length !== n1 * n2) {
    throw new RangeError(`marginals: ${n1} × ${n2} needs ${n1 * n2} values, got ${distribution.length}`);
  }
  const axis0 = new Float64Array(n1);
  const axis1 = new Float64Array(n2);
  for (let i = 0; i < n1; i++) {
    const row = i * n2;
    let s = 0;
    for (let j = 0; j < n2; j++) {
      const f = distribution[row + j]!;
      s += f;
      axis1[j]! += f;
    }
    axis0[i] = s;
  }
  return { axis0, axis1 };
}
