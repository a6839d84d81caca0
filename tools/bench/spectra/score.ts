/** Scoring a peak list against known lines: one-to-one matches within half a line width, by SNR and overlap. */
import { withNearest, type TrueLine } from './cases';

export interface Picked {
  /** Point index (fractional). */
  x: number;
}

export interface Tally {
  lines: number;
  found: number;
  /** Position errors of the found lines, in their widths. */
  errors: number[];
}

export interface Score {
  bins: Record<string, Tally>;
  picked: number;
  /** Picked peaks matched to a line. */
  matched: number;
}

export const BINS = ['S/N 5–20', 'S/N 20–100', 'S/N ≥ 100', 'overlapped (≤ 1 width), S/N ≥ 20'] as const;

function binsOf(line: TrueLine): string[] {
  const snr = line.height;
  const out: string[] = [snr < 20 ? BINS[0] : snr < 100 ? BINS[1] : BINS[2]];
  if (line.nearest <= 1 && snr >= 20) out.push(BINS[3]);
  return out;
}

/**
 * The lines a picker can be asked to list: lines closer than half the wider one's width — a doublet of doublets with
 * J₁ ≈ J₂, a partner dropped beside another line of a multiplet — merged into one at their height-weighted centre with
 * their summed height (issue 23's suite asks for overlaps down to half a width; closer lines make one maximum that
 * TopSpin, ml-gsd or an eye lists once). Runs merge as chains, sorted by position.
 */
export function resolvableLines(truth: TrueLine[], minSeparation = 0.5): TrueLine[] {
  const sorted = [...truth].sort((a, b) => a.x - b.x);
  const groups: TrueLine[][] = [];
  for (const line of sorted) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev && line.x - prev.x < minSeparation * Math.max(line.width, prev.width)) last.push(line);
    else groups.push([line]);
  }
  const merged = groups.map((g) => {
    const height = g.reduce((s, l) => s + l.height, 0);
    const x = g.reduce((s, l) => s + l.height * l.x, 0) / height;
    const ppm = g.reduce((s, l) => s + l.height * l.ppm, 0) / height;
    return { ...g[0]!, x, ppm, height, width: Math.max(...g.map((l) => l.width)) };
  });
  return withNearest(merged);
}

export function scorePeaks(truth: TrueLine[], picked: Picked[], into?: Score): Score {
  const score: Score = into ?? {
    bins: Object.fromEntries(BINS.map((b) => [b, { lines: 0, found: 0, errors: [] }])),
    picked: 0,
    matched: 0,
  };
  const free = picked.map((p) => p.x).sort((a, b) => a - b);
  const used = new Uint8Array(free.length);
  score.picked += free.length;
  // strongest lines claim their nearest peak first
  for (const line of [...truth].sort((a, b) => b.height - a.height)) {
    let best = -1;
    for (let k = 0; k < free.length; k++) {
      if (used[k] || Math.abs(free[k]! - line.x) > 0.5 * line.width) continue;
      if (best < 0 || Math.abs(free[k]! - line.x) < Math.abs(free[best]! - line.x)) best = k;
    }
    for (const bin of binsOf(line)) {
      const t = score.bins[bin]!;
      t.lines++;
      if (best >= 0) {
        t.found++;
        t.errors.push(Math.abs(free[best]! - line.x) / line.width);
      }
    }
    if (best >= 0) {
      used[best] = 1;
      score.matched++;
    }
  }
  return score;
}
