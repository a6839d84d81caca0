/**
 * Split of a 1D distribution at a cut-off, e.g. bound (T2 ≤ cut-off, BVI) and free (FFI) fluid in petrophysics
 * (classical T2 cut-offs: 33 ms for sandstones, 92 ms for carbonates).
 */
import { checkDistribution, checkGrid } from './validate';

export interface CutoffFractions {
  /** Share of the total below the cut-off (bound fluid for a T2 cut-off), 0–1; NaN when there is no mass. */
  below: number;
  /** Share above the cut-off (free fluid), 0–1; below + above = 1. */
  above: number;
  /** The same in data units. */
  belowAmplitude: number;
  aboveAmplitude: number;
  /** Total non-negative amplitude. */
  total: number;
}

/**
 * Each grid node stands for a cell bounded by the log-midpoints to its neighbours (the outer cells extend half a
 * step beyond the end nodes). The cell that contains the cut-off is shared in proportion to its log10 length on
 * each side, so the split moves continuously with the cut-off instead of jumping from node to node.
 * Negative ripples are clipped to zero. For a 2D map, pass the relevant `marginals`.
 */
export function cutoffFractions(distribution: Float64Array, grid: Float64Array, cutoff: number): CutoffFractions {
  checkDistribution('cutoffFractions', distribution);
  checkGrid('cutoffFractions', 'grid', grid);
  if (distribution.length !== grid.length) {
    throw new RangeError(`cutoffFractions: distribution has ${distribution.length} values, grid ${grid.length}`);
  }
  if (!(cutoff > 0) || !Number.isFinite(cutoff)) throw new RangeError(`cutoffFractions: bad cut-off ${cutoff}`);
  const n = grid.length;
  const lg = Float64Array.from(grid, (y) => Math.log10(y));
  const lc = Math.log10(cutoff);
  let below = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const f = distribution[i]!;
    if (!(f > 0)) continue;
    total += f;
    // Cell bounds in log10, from the midpoints to the neighbours (half a step outside at the ends).
    const prev = i > 0 ? lg[i - 1]! : n > 1 ? 2 * lg[0]! - lg[1]! : lg[0]!;
    const next = i < n - 1 ? lg[i + 1]! : n > 1 ? 2 * lg[n - 1]! - lg[n - 2]! : lg[0]!;
    const a = Math.min((prev + lg[i]!) / 2, (next + lg[i]!) / 2);
    const b = Math.max((prev + lg[i]!) / 2, (next + lg[i]!) / 2);
    let share: number;
    if (b <= a) share = lg[i]! <= lc ? 1 : 0;
    else share = Math.min(1, Math.max(0, (lc - a) / (b - a)));
    below += f * share;
  }
  const above = total - below;
  return {
    below: total > 0 ? below / total : Number.NaN,
    above: total > 0 ? above / total : Number.NaN,
    belowAmplitude: below,
    aboveAmplitude: above,
    total,
  };
}
