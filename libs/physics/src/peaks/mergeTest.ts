/**
 * The merge test, the component test's converse: map peaks that one log-normal population explains as well are listed
 * as one. docs/physics.md, "One population in several peaks".
 */
import type { Peak } from '../analysis/types';
import type { CompressedProblem } from '../numerics/compress';
import { chiSquareQuantile } from './chiSquare';
import { ComponentModel, type Component } from './componentModel';
import { fmtPosition, pct } from './format';

export interface MergeTestOptions {
  /**
   * Significance at which the data must show a group of map peaks as separate populations (default 0.5): the group
   * is listed as one when one log-normal component fits the data within the χ² that the group's extra components
   * gain by chance with this probability (χ² with (g − 1)·p degrees of freedom, p = 3 per 1D component, 6 per 2D one;
   * at 0.5 its median: 2.4σ² for a pair in 1D, 5.3σ² in 2D — the peaks the map shows are kept unless the data favour
   * them less than chance does half the time). 0 switches the test off.
   */
  mergeSignificance?: number;
  /** Peaks farther apart than this many widths (the wider one's, along the line joining them) are not joined (default 6). */
  maxMergeSeparation?: number;
  /** As ComponentTestOptions.irBeta. */
  irBeta?: number;
}

export interface MergeTestResult {
  /** The peaks, each merged group replaced by one peak (`describe` of the union of its regions); largest first. */
  peaks: Peak[];
  /** One line per merged group (for warnings / provenance). */
  notes: string[];
  /** Groups of peaks tested. */
  tested: number;
  /**
   * Whether the log-normal components describe the data well enough for the test to weigh the map's peaks (false:
   * σ unusable, or their χ² far above the noise — real populations of other shapes — so the map's peaks stand).
   */
  judged: boolean;
  elapsedMs: number;
}

/** At most this many listed peaks take part (the largest); more are listed as they are. */
const MERGE_MAX_PEAKS = 8;
/**
 * Above this χ² per degree of freedom of the peaks' own fit (and above what chance gives in 0.1 % of cases, for the
 * few degrees of freedom of a short 1D decay), the model does not describe the data: no merge.
 */
const MERGE_MAX_REDUCED_CHI2 = 2;
/** At most this many refits of the full model from a better merged optimum. */
const MERGE_MAX_REFITS = 4;

/**
 * The component test's converse: are two or more peaks of the map separate populations, or one? A regularised map
 * can break one broad population into a main peak with side lobes, or into a row of narrower peaks ("pearling").
 * The data decide, with the component test's model: one log-normal component per listed peak
 * (alternative) against a group of them replaced by one component started from the group's joint moments (null). Where
 * the group fits better than one component by less than the χ² its extra parameters gain by chance at the
 * `mergeSignificance` level, the data do not show separate populations, and the group is listed as one peak: its
 * region the union of theirs, its position, width and fraction that region's. Groups are pairs, and (1D) runs of
 * adjacent peaks or (2D) triples of mutually near ones — pearls of one population merge only all together; the group
 * with the weakest evidence first, then again on the new listing. The gain is counted in σ² itself (not the F-test's
 * residual variance): where the log-normal model does not describe the data, a poor one-component fit keeps the
 * peaks apart rather than merging them. It changes only the peak list, never the map; every merged peak says so
 * (`merged`).
 */
export function mergeTest(
  cp: CompressedProblem,
  grids: Float64Array[],
  peaks: Peak[],
  describe: (cells: Int32Array) => Peak,
  options: MergeTestOptions = {},
  /** The component test's model on the same cp, grids and irBeta (inversionPeaks shares one between the tests). */
  shared?: ComponentModel,
): MergeTestResult {
  const t0 = performance.now();
  const significance = options.mergeSignificance ?? 0.5;
  const maxSeparation = options.maxMergeSeparation ?? 6;
  const sigma2 = cp.sigma * cp.sigma;
  const none = (tested = 0, judged = false): MergeTestResult => ({
    peaks,
    notes: [],
    tested,
    judged,
    elapsedMs: performance.now() - t0,
  });
  if (peaks.length < 2 || !(significance > 0 && significance < 1) || !(sigma2 > 0)) return none();
  const model = shared ?? new ComponentModel(cp, grids, options.irBeta);
  // The largest peaks take part in merges (peaks come largest first); the rest are fitted but never joined.
  // One group of map peaks per fitted component, in the fit's order; `delta` the gain of the merge that made it.
  let groups = peaks.map((_, k) => ({ members: [k], delta: 0, threshold: 0 }));
  let fit = model.fitPeaks(peaks, 0.1 * sigma2);
  // Where the peaks' own components leave far more than the noise, the log-normal model does not describe these
  // data (real populations of other shapes, a wrong kernel): no evidence either way, and the map's peaks stay.
  const dof = Math.max(1, cp.pairs.length - model.freeParameters(peaks.length));
  if (fit.chi2 / sigma2 > Math.max(MERGE_MAX_REDUCED_CHI2 * dof, chiSquareQuantile(0.999, dof))) return none();
  let tested = 0;
  let refits = 0;
  for (;;) {
    const comps = fit.components;
    let best: { group: number[]; delta: number; threshold: number; fit: typeof fit } | undefined;
    let better: typeof fit | undefined;
    const joinable = groups.flatMap((g, k) => (Math.min(...g.members) < MERGE_MAX_PEAKS ? [k] : []));
    const atEdge = (k: number) => groups[k]!.members.some((m) => peaks[m]!.atEdge);
    for (const group of mergeGroups(model, comps, joinable, maxSeparation, atEdge)) {
      tested++;
      const trial = comps.filter((_, k) => !group.includes(k));
      trial.push(model.joined(group.map((k) => comps[k]!)));
      const alt = model.fit(cp.m, trial, 0.1 * sigma2, fit.betaOffset);
      if (alt.chi2 < fit.chi2 - 0.1 * sigma2 && refits < MERGE_MAX_REFITS) {
        // Fewer components fit better: the full fit sits in a poorer optimum. Refit it from the merged solution
        // (the group's own components put back) before weighing any merge against it.
        refits++;
        const others = alt.components.slice(0, -1);
        const again = model.fit(cp.m, [...others, ...group.map((k) => comps[k]!)], 0.1 * sigma2, alt.betaOffset);
        if (again.chi2 < fit.chi2) {
          let o = 0;
          let g = others.length;
          const reordered = comps.map((_, k) => (group.includes(k) ? again.components[g++]! : again.components[o++]!));
          better = { components: reordered, chi2: again.chi2, betaOffset: again.betaOffset };
          break;
        }
      }
      const delta = Math.max(0, (alt.chi2 - fit.chi2) / sigma2);
      const threshold = chiSquareQuantile(1 - significance, (group.length - 1) * model.perComponent);
      if (delta < threshold && (!best || delta / threshold < best.delta / best.threshold)) {
        best = { group, delta, threshold, fit: alt };
      }
    }
    if (better) {
      // Weigh every group again against the better full fit.
      fit = better;
      continue;
    }
    if (!best) break;
    const joined = {
      members: best.group.flatMap((k) => groups[k]!.members),
      delta: best.delta,
      threshold: best.threshold,
    };
    groups = [...groups.filter((_, k) => !best.group.includes(k)), joined];
    fit = best.fit;
    if (groups.length < 2) break;
  }
  if (groups.length === peaks.length) return none(tested, true);
  const notes: string[] = [];
  const out = groups.map(({ members: group, delta, threshold }) => {
    if (group.length === 1) return peaks[group[0]!]!;
    const members = group.map((k) => peaks[k]!).sort((a, b) => a.position[0]! - b.position[0]!);
    const cells = Int32Array.from(members.flatMap((p) => Array.from(p.region))).sort();
    const peak: Peak = { ...describe(cells), merged: { deltaChi2: delta, peaks: group.length } };
    notes.push(
      `the map's peaks at ${members.map((p) => `${fmtPosition(p.position)} (${pct(p.fraction)})`).join(', ')} are one population in the data, listed as one at ${fmtPosition(peak.position)} (${pct(peak.fraction)}): one log-normal component fits within Δχ² = ${delta.toFixed(1)}σ² of one per peak, less than the extra components gain by chance in ${(100 * significance).toFixed(0)} % of cases (${threshold.toFixed(1)}σ²)`,
    );
    return peak;
  });
  out.sort((p, q) => q.fraction - p.fraction || p.maxIndex - q.maxIndex);
  return { peaks: out, notes, tested, judged: true, elapsedMs: performance.now() - t0 };
}

/**
 * The groups of components a merge is tried on: every pair whose centres lie within `maxSeparation` widths (the wider
 * one's along the line joining them); in 1D also every run of ≥ 3 peaks adjacent in position whose neighbours are
 * that near, in 2D every triple of mutually near ones.
 */
function mergeGroups(
  model: ComponentModel,
  comps: Component[],
  joinable: number[],
  maxSeparation: number,
  atEdge: (k: number) => boolean,
): number[][] {
  // A component of a peak at the grid's edge stands for mass the grid cut off: its width says little about how far
  // the population reaches, so its distance to a peak inside is counted in that peak's widths (measured in the
  // edge component's, a 2 % corner two decades from a main peak was joined with it, and the union then split).
  const near = (a: number, b: number) => {
    const [ea, eb] = [atEdge(a), atEdge(b)];
    if (ea !== eb) return model.separation(comps[ea ? a : b]!, comps[ea ? b : a]!, 'second') <= maxSeparation;
    return model.separation(comps[a]!, comps[b]!, 'wider') <= maxSeparation;
  };
  const ids = joinable;
  const n = ids.length;
  const groups: number[][] = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) if (near(ids[a]!, ids[b]!)) groups.push([ids[a]!, ids[b]!]);
  if (model.dims === 1) {
    const order = [...ids].sort((a, b) => comps[a]!.theta[0]! - comps[b]!.theta[0]!);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n && near(order[j - 1]!, order[j]!); j++) {
        if (j - i >= 2) groups.push(order.slice(i, j + 1));
      }
    }
  } else {
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++)
        for (let c = b + 1; c < n; c++) {
          const [x, y, z] = [ids[a]!, ids[b]!, ids[c]!];
          if (near(x, y) && near(x, z) && near(y, z)) groups.push([x, y, z]);
        }
  }
  return groups;
}
