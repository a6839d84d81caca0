/**
 * The slow-edge extension of `invert`: a population on the slow end of an automatic grid (long T1/T2, small D) is
 * inverted again on a grid a decade longer. docs/physics.md, "A population just past the slow edge stays on the map".
 */
import type { Inversion, OutputAxis } from './invert';

/** How far the grid is extended past a slow edge that holds a population (one decade). */
const SLOW_EDGE_EXTENSION = 10;
const SLOW_EDGE_MIN_FRACTION = 0.005;

/**
 * Does the slow end of axis `d` (long T1/T2, small D) hold a population? Its last two cells hold ≥ 0.5 % of the
 * signal (a population inside the grid leaves its tail there at a small fraction of that).
 */
export function slowEdgeHolds(inv: Inversion, d: number): boolean {
  const n1 = inv.axes[0]!.values.length;
  const n2 = inv.axes.length === 2 ? inv.axes[1]!.values.length : 1;
  const n = d === 0 ? n1 : n2;
  const marginal = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const v = Math.max(0, inv.distribution[i * n2 + j]!);
      marginal[d === 0 ? i : j]! += v;
      total += v;
    }
  }
  if (!(total > 0)) return false;
  const slowFirst = inv.axes[d]!.name === 'D';
  const at = (k: number) => marginal[slowFirst ? k : n - 1 - k]!;
  return at(0) + at(1) >= SLOW_EDGE_MIN_FRACTION * total;
}

export function extendedRange(axis: OutputAxis): [number, number] {
  const lo = axis.values[0]!;
  const hi = axis.values[axis.values.length - 1]!;
  return axis.name === 'D' ? [lo / SLOW_EDGE_EXTENSION, hi] : [lo, hi * SLOW_EDGE_EXTENSION];
}
