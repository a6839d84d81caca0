/**
 * Benchmark scoring of found peaks against the true populations of a simulation.
 *
 * Peaks are paired one-to-one by an optimal assignment (Hungarian algorithm) that minimises the summed distance,
 * the distance between two peaks being the largest |Δ log10| over the axes (decades). A pair farther apart than
 * matchRadius is never made; leaving a peak unpaired costs matchRadius, so any admissible pair is preferred to
 * leaving both sides alone.
 */
import type { PeakLike } from './types';

export interface ScorePeaksOptions {
  /** Largest distance (decades, max over axes) at which a found peak can stand for a true one (default 0.3). */
  matchRadius?: number;
  /** A true peak with at least this fraction that is not matched counts as missed (default 0.10). */
  missFraction?: number;
  /** A found peak with at least this fraction that is not matched counts as spurious (default 0.05). */
  spuriousFraction?: number;
}

export interface TruthScore {
  /** Index of the found peak matched to this true peak, or null. */
  found: number | null;
  /**
   * Decades, max over axes. Unmatched true peaks: the distance to the nearest found peak (Infinity if none was
   * found), so that a missed peak still weighs in the worst error.
   */
  positionError: number;
  /** |found fraction − true fraction|; the true fraction itself when unmatched. */
  fractionError: number;
}

export interface PeakScore {
  /** One entry per true peak, in the order given. */
  perTruth: TruthScore[];
  /** Largest positionError over the true peaks with fraction ≥ missFraction (over all if none is that large). */
  worstPositionError: number;
  /** Largest fractionError over all true peaks. */
  worstFractionError: number;
  /** Indices of missed true peaks (fraction ≥ missFraction, unmatched). */
  missed: number[];
  /** Indices of spurious found peaks (fraction ≥ spuriousFraction, unmatched). */
  spurious: number[];
  /** Every true peak is matched to a found peak of its own. */
  resolved: boolean;
}

export function scorePeaks(
  truth: readonly PeakLike[],
  found: readonly PeakLike[],
  options: ScorePeaksOptions = {},
): PeakScore {
  const fn = 'scorePeaks';
  if (!Array.isArray(truth) || !Array.isArray(found)) throw new TypeError(`${fn}: truth and found must be arrays`);
  const radius = options.matchRadius ?? 0.3;
  const missFraction = options.missFraction ?? 0.1;
  const spuriousFraction = options.spuriousFraction ?? 0.05;
  if (!(radius > 0) || !Number.isFinite(radius))
    throw new RangeError(`${fn}: matchRadius must be positive, got ${radius}`);
  const dims = truth[0]?.position.length ?? found[0]?.position.length ?? 0;
  const logs = (list: readonly PeakLike[], what: string) =>
    list.map((p, k) => {
      if (p.position.length !== dims) {
        throw new RangeError(`${fn}: ${what}[${k}] has ${p.position.length} coordinates, expected ${dims}`);
      }
      if (!Number.isFinite(p.fraction)) throw new RangeError(`${fn}: ${what}[${k}].fraction is not finite`);
      return p.position.map((y) => {
        if (!(y > 0) || !Number.isFinite(y)) throw new RangeError(`${fn}: ${what}[${k}] has position ${y}`);
        return Math.log10(y);
      });
    });
  const lt = logs(truth, 'truth');
  const lf = logs(found, 'found');
  const nt = truth.length;
  const nf = found.length;
  const dist = lt.map((a) => lf.map((b) => a.reduce((m, x, k) => Math.max(m, Math.abs(x - b[k]!)), 0)));

  // Square cost matrix: [real pairs | truth left alone] over [found left alone | dummy–dummy].
  const size = nt + nf;
  const forbidden = 1e6 * radius + 1e6;
  const cost: number[][] = [];
  for (let i = 0; i < size; i++) {
    const row: number[] = [];
    for (let j = 0; j < size; j++) {
      if (i < nt && j < nf) {
        const d = dist[i]![j]!;
        row.push(d <= radius ? d : forbidden);
      } else if (i < nt || j < nf) row.push(radius);
      else row.push(0);
    }
    cost.push(row);
  }
  const assign = hungarian(cost);

  const matchOfFound = new Array<number | null>(nf).fill(null);
  const perTruth: TruthScore[] = truth.map((t, i) => {
    const j = assign[i]!;
    if (j < nf && dist[i]![j]! <= radius) {
      matchOfFound[j] = i;
      return { found: j, positionError: dist[i]![j]!, fractionError: Math.abs(found[j]!.fraction - t.fraction) };
    }
    const nearest = nf > 0 ? Math.min(...dist[i]!) : Number.POSITIVE_INFINITY;
    return { found: null, positionError: nearest, fractionError: Math.abs(t.fraction) };
  });

  const significant = perTruth.filter((_, i) => truth[i]!.fraction >= missFraction);
  const pool = significant.length > 0 ? significant : perTruth;
  return {
    perTruth,
    worstPositionError: pool.reduce((m, s) => Math.max(m, s.positionError), 0),
    worstFractionError: perTruth.reduce((m, s) => Math.max(m, s.fractionError), 0),
    missed: perTruth.flatMap((s, i) => (s.found === null && truth[i]!.fraction >= missFraction ? [i] : [])),
    spurious: matchOfFound.flatMap((m, j) => (m === null && found[j]!.fraction >= spuriousFraction ? [j] : [])),
    resolved: perTruth.every((s) => s.found !== null),
  };
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
