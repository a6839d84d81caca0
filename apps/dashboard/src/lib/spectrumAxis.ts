/**
 * The arithmetic of the spectrum viewer's ppm axis, apart from drawing so that it can be tested: round tick values
 * for a visible range, how many decimals a shift needs at a zoom, zooming about a point and panning within the
 * spectrum's extent, and where peak labels go when lines crowd (spread apart, each kept near its line).
 */

export interface PpmRange {
  /** Low and high ppm shown (hi > lo); high is drawn on the left. */
  lo: number;
  hi: number;
}

/** The ppm range an axis spans, from its first and last point in either order. */
export function axisRange(axis: { first: number; last: number }): PpmRange {
  return { lo: Math.min(axis.first, axis.last), hi: Math.max(axis.first, axis.last) };
}

/** Major ticks for [lo, hi]: multiples of 1, 2 or 5 × 10^k, about `target` of them, and the decimals they need. */
export function niceTicks(lo: number, hi: number, target = 8): { values: number[]; step: number; decimals: number } {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return { values: [], step: 0, decimals: 0 };
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag) as number;
  const values: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
    // k × step, not a running sum: no drift (0.30000000000000004)
    values.push(Number((k * step).toPrecision(12)));
  }
  return { values, step, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/** Decimals for a peak's shift label: 3 once the view is narrower than 1 ppm, else 2. */
export function shiftDecimals(range: PpmRange): number {
  return range.hi - range.lo < 1 ? 3 : 2;
}

/**
 * `range` scaled by `factor` (< 1 zooms in) about `at` (ppm), kept inside `full` and no narrower than `minSpan`.
 */
export function zoomAbout(range: PpmRange, at: number, factor: number, full: PpmRange, minSpan: number): PpmRange {
  const fullSpan = full.hi - full.lo;
  const span = Math.min(fullSpan, Math.max(minSpan, (range.hi - range.lo) * factor));
  const t = range.hi > range.lo ? (at - range.lo) / (range.hi - range.lo) : 0.5;
  return clampRange({ lo: at - t * span, hi: at - t * span + span }, full);
}

/** `range` moved by `delta` ppm, stopping at the spectrum's ends (its span unchanged). */
export function panBy(range: PpmRange, delta: number, full: PpmRange): PpmRange {
  return clampRange({ lo: range.lo + delta, hi: range.hi + delta }, full);
}

/** `range` shifted (not shrunk) to lie inside `full`; cut to `full` when wider. */
export function clampRange(range: PpmRange, full: PpmRange): PpmRange {
  const span = Math.min(range.hi - range.lo, full.hi - full.lo);
  let lo = range.lo;
  if (lo < full.lo) lo = full.lo;
  if (lo + span > full.hi) lo = full.hi - span;
  return { lo, hi: lo + span };
}

/**
 * Label positions for marks at `xs` (ascending, pixels): each label `gap` pixels from its neighbours, as near its
 * mark as that allows, within [min, max]; undefined when they do not fit.
 */
export function spreadLabels(xs: readonly number[], gap: number, min: number, max: number): number[] | undefined {
  const n = xs.length;
  if (n === 0) return [];
  if ((n - 1) * gap > max - min) return undefined;
  // clusters of labels that touch, each centred on its marks, merged until none overlap (a standard layout)
  type Cluster = { start: number; count: number; pos: number };
  const clusters: Cluster[] = [];
  for (let i = 0; i < n; i++) {
    clusters.push({ start: i, count: 1, pos: xs[i]! });
    for (;;) {
      const c = clusters.at(-1)!;
      c.pos = Math.min(Math.max(c.pos, min), max - (c.count - 1) * gap);
      const prev = clusters.at(-2);
      if (!prev || prev.pos + prev.count * gap <= c.pos) break;
      // merge: the joint cluster centred on the mean of its marks
      const count = prev.count + c.count;
      let mean = 0;
      for (let k = prev.start; k < prev.start + count; k++) mean += xs[k]!;
      mean /= count;
      clusters.splice(-2, 2, { start: prev.start, count, pos: mean - ((count - 1) * gap) / 2 });
    }
  }
  return clusters.flatMap((c) => Array.from({ length: c.count }, (_, k) => c.pos + k * gap));
}

/** A number (ppm, Hz, degrees) with `digits` decimals and a true minus sign: −0.50, not -0.50. */
export function formatSigned(v: number, digits: number): string {
  const s = v.toFixed(digits);
  // -0.00 is 0.00
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s.replace('-', '\u2212');
}
