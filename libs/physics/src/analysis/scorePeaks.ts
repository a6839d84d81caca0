/**
 * Benchmark scoring of found peaks against the true populations of a simulation.
 *
 * Peaks are paired one-to-one by matchLogPositions (matchPeaks.ts): an optimal assignment in log space, no pair
 * farther apart than matchRadius (decades, largest |Δ log10| over the axes).
 */
import { matchLogPositions } from './matchPeaks';
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
  const { pairOfA, pairOfB, dist } = matchLogPositions(lt, lf, radius);
  const nf = found.length;
  const perTruth: TruthScore[] = truth.map((t, i) => {
    const j = pairOfA[i];
    if (j !== null && j !== undefined) {
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
    spurious: pairOfB.flatMap((m, j) => (m === null && found[j]!.fraction >= spuriousFraction ? [j] : [])),
    resolved: perTruth.every((s) => s.found !== null),
  };
}
