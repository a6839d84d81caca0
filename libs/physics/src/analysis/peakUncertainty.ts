/**
 * How much each peak would move if the acquisition were repeated: a parametric bootstrap. The fitted distribution
 * is taken as the truth, the data are drawn again around its forward model with the estimated noise σ, each draw
 * is inverted the same way (see `replicateDistributions`), its peaks are found, and each original peak is matched
 * to the nearest replicate peak inside its own extent. Per peak: the standard deviation of log10 of its position
 * per axis (decades) and of its fraction, the mean shift of the position (the regularisation's pull on the fitted
 * peak, an estimate of its bias), and the share of draws in which it was found at all — a peak found in 40 % of the
 * draws is one the data barely support, however clean it looks on one map.
 *
 * A pair the regularisation merges into one peak is one steady peak in every draw: its error is neither spread nor
 * the bias seen on the fit. The two populations the component test finds in such a peak (`split`) get no entry
 * (undefined): the draws' maps hold no peak of their own to match them with. A peak that stands for several peaks of
 * the map (`merged`: one population in the data) is matched, as it is listed, with all of a draw's peaks inside its
 * extent taken together (fractions summed, positions fraction-weighted in log space). docs/BENCHMARKS.md measures how often the true position lies within the reported ranges.
 */
import { findPeaks, type FindPeaksOptions } from './findPeaks';
import type { Peak } from './types';

export interface PeakUncertainty {
  /** Standard deviation of log10(position) per axis over the draws the peak was found in, decades. */
  positionSdDecades: number[];
  /**
   * Mean of log10(position) over those draws minus the peak's own, per axis, decades: how the inversion moves a peak
   * of the fitted map when it inverts that map's data again — an estimate of the regularisation's bias.
   */
  positionBiasDecades: number[];
  /** Standard deviation of the fraction (0–1) over those draws. */
  fractionSd: number;
  /** Share of the draws in which a peak was found inside this peak's extent, 0–1. */
  detected: number;
  /** Number of draws. */
  replicates: number;
}

export interface PeakUncertaintyOptions {
  /** Passed to findPeaks for the replicate maps (use what found the original peaks). */
  findPeaks?: FindPeaksOptions;
  /** The replicate maps' peaks, when already found (one list per replicate): saves finding them again. */
  replicatePeaks?: readonly (readonly Peak[])[];
}

/** The peaks of each replicate map, as peakUncertainty matches them (for callers that match several lists). */
export function findReplicatePeaks(
  axes: Float64Array[],
  replicates: readonly Float64Array[],
  options: FindPeaksOptions = {},
): Peak[][] {
  return replicates.map((map) => findPeaks(map, axes, options).peaks);
}

export function peakUncertainty(
  peaks: readonly Peak[],
  axes: Float64Array[],
  replicates: readonly Float64Array[],
  options: PeakUncertaintyOptions = {},
): (PeakUncertainty | undefined)[] {
  const dims = axes.length;
  const logPos = (p: { position: number[] }) => p.position.map((v) => Math.log10(v));
  const centres = peaks.map(logPos);
  const found: { pos: number[]; fraction: number }[][] = peaks.map(() => []);
  const drawPeaks = options.replicatePeaks ?? findReplicatePeaks(axes, replicates, options.findPeaks);
  // A region's extent runs between the grid nodes of its cells, which stand for half a step either side: a draw's
  // centroid a hair outside a narrow peak's nodes is still inside the peak (a 3-cell UPEN peak matched nothing).
  const halfStep = axes.map((g) => (g.length > 1 ? Math.log10(g[g.length - 1]! / g[0]!) / (g.length - 1) / 2 : 0));
  const widened = peaks.map((peak) =>
    peak.extent.map(([lo, hi], d) => [lo * 10 ** -halfStep[d]!, hi * 10 ** halfStep[d]!] as const),
  );
  for (const peaksOfDraw of drawPeaks) {
    const candidates = peaksOfDraw.map((p) => ({
      pos: logPos(p),
      raw: p.position,
      fraction: p.fraction,
    }));
    const inside = (c: (typeof candidates)[number], peak: Peak) => {
      const extent = widened[peaks.indexOf(peak)]!;
      return c.raw.every((v, d) => v >= extent[d]![0] && v <= extent[d]![1]);
    };
    const usedI = new Set<number>();
    const usedJ = new Set<number>();
    // A peak listed for several of the map's (merged): every draw peak inside its extent, together, as listed.
    peaks.forEach((peak, i) => {
      if (!peak.merged) return;
      usedI.add(i);
      const hits = candidates.flatMap((c, j) => (!usedJ.has(j) && inside(c, peak) ? [j] : []));
      if (hits.length === 0) return;
      const fraction = hits.reduce((a, j) => a + candidates[j]!.fraction, 0);
      const pos = Array.from(
        { length: dims },
        (_, d) => hits.reduce((a, j) => a + candidates[j]!.fraction * candidates[j]!.pos[d]!, 0) / fraction,
      );
      for (const j of hits) usedJ.add(j);
      found[i]!.push({ pos, fraction });
    });
    // Pairs (original, replicate) with the replicate inside the original's extent, nearest first; one-to-one.
    const pairs: { i: number; j: number; d: number }[] = [];
    peaks.forEach((peak, i) => {
      // A population the component test found inside a merged peak has no peak of its own in the draws' maps.
      if (peak.split || peak.merged) return;
      candidates.forEach((c, j) => {
        if (usedJ.has(j) || !inside(c, peak)) return;
        let d2 = 0;
        for (let d = 0; d < dims; d++) d2 += (c.pos[d]! - centres[i]![d]!) ** 2;
        pairs.push({ i, j, d: d2 });
      });
    });
    pairs.sort((a, b) => a.d - b.d);
    for (const { i, j } of pairs) {
      if (usedI.has(i) || usedJ.has(j)) continue;
      usedI.add(i);
      usedJ.add(j);
      found[i]!.push({ pos: candidates[j]!.pos, fraction: candidates[j]!.fraction });
    }
  }
  const sd = (xs: number[]) => {
    if (xs.length < 2) return Number.NaN;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  };
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  return found.map((hits, i) =>
    peaks[i]!.split
      ? undefined
      : {
          positionSdDecades: Array.from({ length: dims }, (_, d) => sd(hits.map((h) => h.pos[d]!))),
          positionBiasDecades: Array.from(
            { length: dims },
            (_, d) => mean(hits.map((h) => h.pos[d]!)) - centres[i]![d]!,
          ),
          fractionSd: sd(hits.map((h) => h.fraction)),
          detected: replicates.length ? hits.length / replicates.length : 0,
          replicates: replicates.length,
        },
  );
}
