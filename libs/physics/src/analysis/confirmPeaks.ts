/**
 * Only populations the noise draws reproduce are listed as populations. A regularised map can break one population
 * into a main peak and a side lobe or two that a repeat of the acquisition would not show: the parametric bootstrap
 * (replicateDistributions → peakUncertainty) finds such a lobe in few of its draws. With `join` (default), a listed
 * peak found in fewer than `minDetected` of the draws is
 * - joined to the neighbour it touches on the map when that neighbour is reproduced (the draws show the two as one
 *   peak): the joined peak is their union, carrying `joined`;
 * - else, with its unreproduced neighbours, tried as one region (the draws may show that as one);
 * - else left out of the list and returned in `unconfirmed`, with a warning: the data barely support it.
 * Without `join` (another test has weighed neighbouring peaks on the data themselves), only an unreproduced peak
 * that touches no other listed peak is set aside.
 * Split populations (componentTest) have no peak of their own in the draws and are kept as they are.
 * The uncertainty is then recomputed for the final list from the same draws.
 */
import { describePeak } from './findPeaks';
import {
  findReplicatePeaks,
  peakUncertainty,
  type PeakUncertainty,
  type PeakUncertaintyOptions,
} from './peakUncertainty';
import { regionContacts } from './regionContacts';
import type { Peak } from './types';

export interface ConfirmPeaksOptions extends PeakUncertaintyOptions {
  /** Share of the draws a peak must be found in to be listed as a population on its own (default 0.5). */
  minDetected?: number;
  /** Join unreproduced peaks to their neighbours (default true); false: only isolated ones are set aside. */
  join?: boolean;
  /** Describes a joined region (default describePeak); pass one that also sets the peak's data SNR. */
  describe?: (cells: Int32Array) => Peak;
}

export interface ConfirmPeaksResult {
  peaks: Peak[];
  /** Uncertainty of each listed peak, aligned with `peaks`. */
  uncertainty: (PeakUncertainty | undefined)[];
  /** Peaks of the map the draws do not reproduce, not joinable to a reproduced neighbour: not listed. */
  unconfirmed: { peak: Peak; uncertainty: PeakUncertainty }[];
  /** How many listed peaks were joined into others. */
  joined: number;
  notes: string[];
}

export function confirmPeaks(
  peaks: readonly Peak[],
  distribution: Float64Array,
  axes: Float64Array[],
  total: number,
  replicates: readonly Float64Array[],
  options: ConfirmPeaksOptions = {},
): ConfirmPeaksResult {
  const minDetected = options.minDetected ?? 0.5;
  const describe = options.describe ?? ((cells: Int32Array) => describePeak(distribution, axes, cells, total));
  const replicatePeaks = options.replicatePeaks ?? findReplicatePeaks(axes, replicates, options.findPeaks);
  const measure = (list: readonly Peak[]) => peakUncertainty(list, axes, replicates, { ...options, replicatePeaks });
  let list = [...peaks];
  let unc = measure(list);
  const notes: string[] = [];
  if (replicates.length === 0) return { peaks: list, uncertainty: unc, unconfirmed: [], joined: 0, notes };
  const weak = (i: number) => unc[i] !== undefined && unc[i]!.detected < minDetected;
  const n2 = axes.length === 2 ? axes[1]!.length : 1;
  let joined = 0;

  const joining = options.join ?? true;
  // 1. Join each unreproduced peak to the reproduced neighbour it shares the longest border with, least found first.
  while (joining) {
    const order = list.map((_, i) => i).filter(weak);
    order.sort((a, b) => unc[a]!.detected - unc[b]!.detected || list[b]!.fraction - list[a]!.fraction);
    let pair: [number, number] | undefined;
    for (const from of order) {
      const target = bestNeighbour(list, from, (j) => !weak(j) && !list[j]!.split, n2);
      if (target >= 0) {
        pair = [target, from];
        break;
      }
    }
    if (!pair) break;
    notes.push(joinNote(list[pair[1]]!, unc[pair[1]]!, list[pair[0]]!));
    list = join(list, pair, describe).peaks;
    unc = measure(list);
    joined++;
  }

  // 2. Neighbouring unreproduced peaks tried together; what the draws still do not show is not listed.
  for (let i = 0; joining && i < list.length; i++) {
    if (!weak(i)) continue;
    const group = [i];
    for (let k = 0; k < group.length; k++) {
      for (let j = 0; j < list.length; j++) {
        if (!group.includes(j) && weak(j) && contacts(list[group[k]!]!, list[j]!, n2) > 0) group.push(j);
      }
    }
    if (group.length < 2) continue;
    const candidate = join(list, group, describe);
    const candidateUnc = measure(candidate.peaks);
    const found = candidateUnc[candidate.at];
    if (found && found.detected >= minDetected) {
      notes.push(
        `confirmPeaks: ${group.length} map peaks the noise draws did not reproduce apart are one population in ${Math.round(100 * found.detected)} % of them; listed as one`,
      );
      list = candidate.peaks;
      unc = candidateUnc;
      joined += group.length - 1;
      i = -1;
    }
  }
  const unconfirmed: ConfirmPeaksResult['unconfirmed'] = [];
  const keep: number[] = [];
  const isolated = (i: number) => list.every((q, j) => j === i || contacts(list[i]!, q, n2) === 0);
  list.forEach((p, i) => {
    if (weak(i) && (joining || isolated(i))) {
      unconfirmed.push({ peak: p, uncertainty: unc[i]! });
      notes.push(
        `confirmPeaks: a peak of the map at (${p.position.map((y) => y.toPrecision(3)).join(', ')}) with fraction ${p.fraction.toFixed(3)} is not listed as a population: it was found in ${Math.round(100 * unc[i]!.detected)} % of ${unc[i]!.replicates} noise draws (under ${Math.round(100 * minDetected)} %)`,
      );
    } else keep.push(i);
  });
  return {
    peaks: keep.map((i) => list[i]!),
    uncertainty: keep.map((i) => unc[i]),
    unconfirmed,
    joined,
    notes,
  };
}

/** The peaks `indices` of `list` replaced by their union (placed in fraction order, at index `at`). */
function join(
  list: readonly Peak[],
  indices: number[],
  describe: (cells: Int32Array) => Peak,
): { peaks: Peak[]; at: number } {
  const parts = indices.map((i) => list[i]!);
  const cells = new Int32Array(parts.reduce((a, p) => a + p.region.length, 0));
  let k = 0;
  for (const p of parts) {
    cells.set(p.region, k);
    k += p.region.length;
  }
  cells.sort();
  const joinedPeaks = parts.reduce((a, p) => a + (p.joined?.peaks ?? p.merged?.peaks ?? 1), 0);
  const peak: Peak = { ...describe(cells), joined: { peaks: joinedPeaks } };
  const merged = parts.find((p) => p.merged)?.merged;
  if (merged) peak.merged = merged;
  const rest = list.filter((_, i) => !indices.includes(i));
  rest.push(peak);
  rest.sort((a, b) => b.fraction - a.fraction || a.maxIndex - b.maxIndex);
  return { peaks: rest, at: rest.indexOf(peak) };
}

/** Index of the peak satisfying `ok` that shares the most cell borders with peak `i` (−1: none touches it). */
function bestNeighbour(list: readonly Peak[], i: number, ok: (j: number) => boolean, n2: number): number {
  let best = -1;
  let bestContacts = 0;
  list.forEach((p, j) => {
    if (j === i || !ok(j)) return;
    const c = contacts(list[i]!, p, n2);
    if (c > bestContacts || (c === bestContacts && c > 0 && p.amplitude > list[best]!.amplitude)) {
      best = j;
      bestContacts = c;
    }
  });
  return best;
}

/** Cell borders between the regions of a and b (regionContacts). */
function contacts(a: Peak, b: Peak, n2: number): number {
  return regionContacts(a.region, b.region, n2);
}

function joinNote(from: Peak, u: PeakUncertainty, into: Peak): string {
  const at = (p: Peak) => `(${p.position.map((y) => y.toPrecision(3)).join(', ')})`;
  return `confirmPeaks: the map's peak at ${at(from)} (fraction ${from.fraction.toFixed(3)}) was found on its own in ${Math.round(100 * u.detected)} % of ${u.replicates} noise draws: joined to its neighbour at ${at(into)}, which the draws show as one population with it`;
}
