/**
 * One-to-one pairing of two lists of peak positions in log space by an optimal assignment (Hungarian algorithm) that
 * minimises the summed distance, the distance being the largest |Δ log10| over the axes (decades). A pair farther
 * apart than `radius` is never made; leaving a peak unpaired costs `radius`, so any admissible pair is preferred to
 * leaving both alone. Used to score found peaks against the truth (scorePeaks) and to follow populations through a
 * series of acquisitions (trackPopulations).
 */

/** Largest |Δ| over the axes between two log10 positions, decades. */
export function logDistance(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

export interface LogMatch {
  /** For each entry of `a`, the index in `b` it is paired with, or null. */
  pairOfA: (number | null)[];
  /** For each entry of `b`, the index in `a` it is paired with, or null. */
  pairOfB: (number | null)[];
  /** Distances a × b, decades. */
  dist: number[][];
}

/** Pairs log10 positions `a` with `b` (same number of axes) one to one, none farther apart than `radius` decades. */
export function matchLogPositions(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  radius: number,
): LogMatch {
  if (!(radius > 0)) throw new RangeError(`matchLogPositions: radius must be > 0, got ${radius}`);
  const na = a.length;
  const nb = b.length;
  const dist = a.map((x) => b.map((y) => logDistance(x, y)));
  // Square cost matrix: [real pairs | a left alone] over [b left alone | dummy–dummy].
  const size = na + nb;
  const forbidden = 1e6 * radius + 1e6;
  const cost: number[][] = [];
  for (let i = 0; i < size; i++) {
    const row: number[] = [];
    for (let j = 0; j < size; j++) {
      if (i < na && j < nb) {
        const d = dist[i]![j]!;
        row.push(d <= radius ? d : forbidden);
      } else if (i < na || j < nb) row.push(radius);
      else row.push(0);
    }
    cost.push(row);
  }
  const assign = size > 0 ? hungarian(cost) : [];
  const pairOfA = new Array<number | null>(na).fill(null);
  const pairOfB = new Array<number | null>(nb).fill(null);
  for (let i = 0; i < na; i++) {
    const j = assign[i]!;
    if (j < nb && dist[i]![j]! <= radius) {
      pairOfA[i] = j;
      pairOfB[j] = i;
    }
  }
  return { pairOfA, pairOfB, dist };
}

/**
 * Minimum-cost perfect assignment on a square matrix (Kuhn–Munkres with row/column potentials, O(n³)).
 * Returns, for each row, the column assigned to it.
 */
function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  // 1-based bookkeeping: column 0 is a virtual start.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOfCol = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = rowOfCol[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[rowOfCol[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    do {
      const j1 = way[j0]!;
      rowOfCol[j0] = rowOfCol[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOfRow = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) if (rowOfCol[j]! > 0) colOfRow[rowOfCol[j]! - 1] = j - 1;
  return colOfRow;
}
