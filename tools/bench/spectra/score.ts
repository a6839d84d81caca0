/** Scoring a peak list against known lines: one-to-one matches within half a line width, by SNR and overlap. */
import type { TrueLine } from './cases';

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
