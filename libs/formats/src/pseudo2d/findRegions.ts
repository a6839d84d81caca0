/**
 * Signal regions of a set of real spectra: points where the envelope max_r |y_r| rises above `threshold`·σ and
 * `minHeight` × the tallest point seed a region; each grows outward while the envelope stays above both `edge`·σ
 * and `edgeFraction` × the seed's height (Lorentzian wings of a strong line stay above a few σ for hundreds of Hz,
 * so a noise criterion alone would merge a whole spectrum), then widens by `padding` × its width on each side
 * (the wings carry area). Growth also stops in a valley, where the envelope climbs back above 1.5 × its lowest
 * value so far (the next line begins), and padded regions that overlap are cut at the envelope minimum between
 * their peaks, so neighbouring lines keep separate regions. The envelope over all rows finds lines that
 * are strong in any row, e.g. ones that have nulled in the strongest row of an inversion recovery.
 */
export interface FindRegionsOptions {
  /** Seed level in noise σ (default 10). */
  threshold?: number;
  /** Growth stops below this level in σ (default 3). */
  edge?: number;
  /** Seeds must also reach this fraction of the tallest envelope point (default 0.005). */
  minHeight?: number;
  /** Growth also stops below this fraction of the seed's height (default 0.01). */
  edgeFraction?: number;
  /** Extra width on each side as a fraction of the region's width (default 0.5). */
  padding?: number;
  /** Regions narrower than this many points are dropped as spikes (default 3). */
  minWidth?: number;
  /** Keep at most this many regions, the highest first (default 64). */
  maxRegions?: number;
}

export interface IndexRegion {
  /** First index (inclusive). */
  start: number;
  /** Last index (inclusive). */
  end: number;
  /** Index of the envelope maximum. */
  peak: number;
  /** Envelope maximum. */
  height: number;
}

export function findRegions(envelope: Float64Array, sigma: number, options: FindRegionsOptions = {}): IndexRegion[] {
  const threshold = options.threshold ?? 10;
  const edge = options.edge ?? 3;
  const padding = options.padding ?? 0.5;
  const minHeight = options.minHeight ?? 0.005;
  const edgeFraction = options.edgeFraction ?? 0.01;
  const minWidth = options.minWidth ?? 3;
  const maxRegions = options.maxRegions ?? 64;
  if (!(sigma > 0)) return [];
  const n = envelope.length;
  let tallest = 0;
  for (let k = 0; k < n; k++) if (envelope[k]! > tallest) tallest = envelope[k]!;
  const seedLevel = Math.max(threshold * sigma, minHeight * tallest);
  const seeds: IndexRegion[] = [];
  let i = 0;
  while (i < n) {
    if (envelope[i]! <= seedLevel) {
      i++;
      continue;
    }
    let start = i;
    let end = i;
    while (end + 1 < n && envelope[end + 1]! > seedLevel) end++;
    let peak = start;
    for (let k = start; k <= end; k++) if (envelope[k]! > envelope[peak]!) peak = k;
    const stop = Math.max(edge * sigma, edgeFraction * envelope[peak]!);
    start = grow(envelope, start, -1, stop, sigma * edge);
    end = grow(envelope, end, 1, stop, sigma * edge);
    seeds.push({ start, end, peak, height: envelope[peak]! });
    i = end + 1;
  }
  const padded = seeds
    .filter((r) => r.end - r.start + 1 >= minWidth)
    .map((r) => {
      const pad = Math.ceil((r.end - r.start + 1) * padding);
      return { ...r, start: Math.max(0, r.start - pad), end: Math.min(n - 1, r.end + pad) };
    });
  const merged: IndexRegion[] = [];
  for (const r of padded) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) {
      let cut = last.peak;
      for (let k = last.peak; k <= r.peak; k++) if (envelope[k]! < envelope[cut]!) cut = k;
      last.end = Math.max(last.peak, cut - 1);
      merged.push({ ...r, start: Math.min(r.peak, cut) });
    } else merged.push({ ...r });
  }
  if (merged.length <= maxRegions) return merged;
  return merged
    .slice()
    .sort((a, b) => b.height - a.height)
    .slice(0, maxRegions)
    .sort((a, b) => a.start - b.start);
}

/** Walks from `from` in direction `dir` while above `stop` and not climbing out of a valley; returns the last index. */
function grow(env: Float64Array, from: number, dir: 1 | -1, stop: number, noiseFloor: number): number {
  let k = from;
  let low = env[from]!;
  while (k + dir >= 0 && k + dir < env.length) {
    const v = env[k + dir]!;
    if (v <= stop || v > 1.5 * low + noiseFloor) break;
    k += dir;
    if (v < low) low = v;
  }
  return k;
}
