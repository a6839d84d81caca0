/**
 * Peak picking of a processed 2D spectrum: local maxima of |value| (each point against its eight neighbours, of
 * either sign in a phase-sensitive spectrum — an edited HSQC's CH₂ peaks are negative) that stand minSnr × σ above
 * the baseline, σ the spectrum's noise or, where t1 noise runs down an F2 column, that column's own robust spread
 * (so the ridge below a strong line is not a row of peaks). Each maximum: its position refined between points by
 * a Gaussian (log-parabola) through the maximum and its two neighbours in each dimension (a parabola where a
 * neighbour has the other sign), the height from those fits, the full width at half height in each dimension
 * (walked out from the maximum along its row and column, linear between points; a side that meets a valley above
 * half height is mirrored from the other), and a model volume (a 2D Gaussian of that height and those widths). A
 * maximum within half a width (an ellipse) of a taller one of the same sign is a ripple on it and merged into it;
 * one that a much taller peak in the same row or column explains as its sidelobe or truncation ripple is dropped.
 */
import { columnSpreads } from '../process2d/noise2d';
import type { Spectrum2d } from '../process2d/processSpectrum2d';

export interface PickPeaks2dOptions {
  /** Least |height| over the noise σ (default 8). */
  minSnr?: number;
  /** 'both' signs (default for phase-sensitive spectra) or 'positive' only (default for magnitude spectra). */
  sign?: 'both' | 'positive';
  /** Measure S/N against the larger of σ and the peak's column spread, against t1 noise (default true). */
  columnNoise?: boolean;
  /** At most this many peaks, the tallest (default 5000). */
  maxPeaks?: number;
  /**
   * How much taller a peak must be to explain a weaker one 4 widths away along its row or column as its window
   * sidelobe or truncation ripple (default 20; the bound scales with the distance, see withoutRipples; 0 keeps
   * every maximum).
   */
  rippleRatio?: number;
}

export interface Peak2d {
  /** F1 (indirect) and F2 (direct) shifts, ppm. */
  shift1: number;
  shift2: number;
  /** Interpolated height, with its sign. */
  height: number;
  /** Full widths at half height, Hz. */
  widthHz1: number;
  widthHz2: number;
  /**
   * Volume of a 2D Gaussian of this height and these widths, height × widthHz1 × widthHz2 × π/(4·ln 2)
   * (spectrum units × Hz²): a model volume, which a neighbour's flank does not inflate as a sum over points would.
   */
  volume: number;
  /** |height| / the noise it was measured against. */
  snr: number;
  /** Position in points (fractional): row (F1) and column (F2). */
  row: number;
  column: number;
}

export interface PickedPeaks2d {
  peaks: Peak2d[];
  /** Local maxima above the threshold, how many were merged into taller ones, and how many dropped as ripples. */
  candidates: number;
  merged: number;
  ripples: number;
  minSnr: number;
}

interface Candidate {
  i: number;
  j: number;
  v: number;
}

export function pickPeaks2d(spectrum: Spectrum2d, options: PickPeaks2dOptions = {}): PickedPeaks2d {
  const { rows, columns, real } = spectrum;
  const minSnr = options.minSnr ?? 8;
  const both = (options.sign ?? (spectrum.magnitude ? 'positive' : 'both')) === 'both';
  const sigma = spectrum.noise > 0 ? spectrum.noise : Number.MIN_VALUE;
  const noiseOf = new Float64Array(columns).fill(sigma);
  if (options.columnNoise ?? true) {
    const spread = columnSpreads(real, rows, columns);
    for (let c = 0; c < columns; c++) noiseOf[c] = Math.max(sigma, spread[c]!);
  }
  const at = (i: number, j: number) => real[i * columns + j]!;
  const candidates: Candidate[] = [];
  for (let i = 1; i < rows - 1; i++) {
    for (let j = 1; j < columns - 1; j++) {
      const v = at(i, j);
      if (!(Math.abs(v) >= minSnr * noiseOf[j]!) || (!both && v < 0)) continue;
      const s = v > 0 ? 1 : -1;
      const a = s * v;
      // strictly above the neighbours before it, at least as high as those after: one winner on a plateau
      if (
        a > s * at(i - 1, j - 1) &&
        a > s * at(i - 1, j) &&
        a > s * at(i - 1, j + 1) &&
        a > s * at(i, j - 1) &&
        a >= s * at(i, j + 1) &&
        a >= s * at(i + 1, j - 1) &&
        a >= s * at(i + 1, j) &&
        a >= s * at(i + 1, j + 1)
      )
        candidates.push({ i, j, v });
    }
  }
  candidates.sort((x, y) => Math.abs(y.v) - Math.abs(x.v));
  const maxPeaks = options.maxPeaks ?? 5000;
  const kept: Peak2d[] = [];
  let merged = 0;
  const step1 = rows > 1 ? spectrum.ppm1[1]! - spectrum.ppm1[0]! : 0;
  const step2 = columns > 1 ? spectrum.ppm2[1]! - spectrum.ppm2[0]! : 0;
  for (const cand of candidates) {
    if (kept.length >= maxPeaks) break;
    const { i, j, v } = cand;
    const s = v > 0 ? 1 : -1;
    const f2 = refine(s * at(i, j - 1), s * v, s * at(i, j + 1));
    const f1 = refine(s * at(i - 1, j), s * v, s * at(i + 1, j));
    const peakAbs = (f2.peak * f1.peak) / (s * v);
    const w2 = halfWidth((k) => s * at(i, k), j, columns, peakAbs);
    const w1 = halfWidth((k) => s * at(k, j), i, rows, peakAbs);
    const row = i + f1.delta;
    const column = j + f2.delta;
    const duplicate = kept.some((p) => {
      if (Math.sign(p.height) !== s) return false;
      const d2 = (column - p.column) / Math.max(0.5 * (p.widthHz2 / spectrum.hzPerPoint2), 1);
      const d1 = (row - p.row) / Math.max(0.5 * (p.widthHz1 / spectrum.hzPerPoint1), 1);
      return d1 * d1 + d2 * d2 < 1;
    });
    if (duplicate) {
      merged++;
      continue;
    }
    kept.push({
      shift1: spectrum.ppm1[0]! + row * step1,
      shift2: spectrum.ppm2[0]! + column * step2,
      height: s * peakAbs,
      widthHz1: w1 * spectrum.hzPerPoint1,
      widthHz2: w2 * spectrum.hzPerPoint2,
      volume: (s * peakAbs * w1 * spectrum.hzPerPoint1 * w2 * spectrum.hzPerPoint2 * Math.PI) / (4 * Math.LN2),
      snr: peakAbs / noiseOf[j]!,
      row,
      column,
    });
  }
  const ripples = options.rippleRatio ?? 20;
  const peaks = ripples > 0 ? withoutRipples(kept, ripples, spectrum) : kept;
  peaks.sort((a, b) => b.shift2 - a.shift2 || b.shift1 - a.shift1);
  return { peaks, candidates: candidates.length, merged, ripples: kept.length - peaks.length, minSnr };
}

/** Offset (−½…½) and height of the maximum through (l, c, r), c the largest: log-parabola, else parabola. */
function refine(l: number, c: number, r: number): { delta: number; peak: number } {
  if (l > 0 && r > 0) {
    const a = Math.log(l);
    const b = Math.log(c);
    const d = Math.log(r);
    const den = a - 2 * b + d;
    if (den < 0) {
      const delta = Math.max(-0.5, Math.min(0.5, (0.5 * (a - d)) / den));
      // a neighbour near zero makes the log-parabola steep: half a point from c cannot more than double a line
      return { delta, peak: Math.min(2 * c, Math.exp(b - 0.25 * (a - d) * delta)) };
    }
  }
  const den = l - 2 * c + r;
  if (!(den < 0)) return { delta: 0, peak: c };
  const delta = Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / den));
  return { delta, peak: c - 0.25 * (l - r) * delta };
}

/** Full width at half of `height` (points) around index `at` of a trace read by `y` (values of the peak's sign). */
function halfWidth(y: (k: number) => number, at: number, n: number, height: number): number {
  const half = height / 2;
  // a point sharper than its interpolated height (refine's bound) has no measurable width: one point
  if (!(y(at) > half)) return 1;
  const side = (dir: 1 | -1): number | undefined => {
    let k = at;
    while (k + dir >= 0 && k + dir < n) {
      const next = y(k + dir);
      if (next <= half) {
        const cur = y(k);
        return Math.abs(k - at) + (cur - half) / Math.max(cur - next, Number.MIN_VALUE);
      }
      if (next > y(k)) return undefined; // a valley above half height: a neighbour overlaps
      k += dir;
    }
    return undefined;
  };
  const left = side(-1);
  const right = side(1);
  if (left !== undefined && right !== undefined) return left + right;
  if (left !== undefined || right !== undefined) return 2 * (left ?? right)!;
  return 1;
}

/**
 * Peaks not explained as a window sidelobe or truncation ripple of a taller peak: along its row or column (within
 * one of its widths across) a ripple d widths away is at most 1/(k·max(d, 2)) of it (sidelobes fall as 1/d), near
 * its corners (within 3 widths in both dimensions: products of the two dimensions' sidelobes) at most 10/k²,
 * k = ratio/4 (the default 20: 1/10 at 1–2 widths, 1/80 at 16, 1/50 at the corners).
 */
function withoutRipples(peaks: Peak2d[], ratio: number, spectrum: Spectrum2d): Peak2d[] {
  const k = ratio / 4;
  const strong = [...peaks].sort((a, b) => Math.abs(b.height) - Math.abs(a.height));
  return peaks.filter((p) => {
    for (const q of strong) {
      const r = Math.abs(q.height) / Math.abs(p.height);
      if (r < 2 * k) break;
      const d1 = Math.abs(p.row - q.row) / Math.max(q.widthHz1 / spectrum.hzPerPoint1, 1);
      const d2 = Math.abs(p.column - q.column) / Math.max(q.widthHz2 / spectrum.hzPerPoint2, 1);
      if (d2 <= 1 && r >= k * Math.max(d1, 2)) return false;
      if (d1 <= 1 && r >= k * Math.max(d2, 2)) return false;
      if (d1 <= 3 && d2 <= 3 && r >= (k * k) / 10 && (d1 > 1 || d2 > 1)) return false;
    }
    return true;
  });
}
