/**
 * Classical peak picking of a processed 1D spectrum, the approach of ml-gsd (Cheminfo's global spectral
 * deconvolution): lines detected as maxima of the smoothed spectrum and as minima of its second derivative (which
 * finds a shoulder beside its neighbour), every group of overlapping lines fitted together as pseudo-Voigt lines on a
 * straight local baseline (fitLines), a line split in two where the fit leaves a missing one behind (splitLines).
 * Each peak: shift (ppm), height, width (Hz) and integral from the fitted shape, and its height over the noise.
 * Positive lines only (absorption phased up).
 */
import type { Spectrum1d } from '../processing/processSpectrum1d';
import { spectrumNoise } from '../processing/spectrumNoise';
import { fitLines, fitValueAt, type Line, type LineFit } from './fitLines';
import { lineArea } from './lineshape';
import { savitzkyGolay } from './savitzkyGolay';
import { splitUnresolved } from './splitLines';

export interface PickPeaks1dOptions {
  /** Least height over the noise σ (default 5). */
  minSnr?: number;
  /**
   * Least prominence of a maximum relative to its height (default 0.01): a line must rise this much above the
   * deeper of its flanking valleys. Ripples on a line 10⁴ × the noise rise many σ but a tiny fraction of it; the
   * lines of a broad multiplet (strychnine's H22, 5.90–5.93 ppm) rise 1–2 % above their valleys.
   */
  minProminence?: number;
  /** Most lines fitted together; larger groups are split at their deepest valley (default 8). */
  maxGroup?: number;
}

export interface SpectrumPeak {
  /** ppm at the fitted centre. */
  shift: number;
  /** Fitted height above the local baseline, spectrum units. */
  height: number;
  /** Full width at half height, Hz. */
  widthHz: number;
  /** Area of the fitted line, spectrum units × Hz. */
  integral: number;
  /** height / noise σ. */
  snr: number;
  /** Lorentzian fraction of the fitted shape (1 Lorentzian, 0 Gaussian). */
  eta: number;
}

export interface PickedPeaks {
  peaks: SpectrumPeak[];
  /** The typical line width measured before fitting, points, and the smoothing half-window it chose. */
  typicalWidth: number;
  smoothing: number;
  /** Groups fitted, and candidate lines before the fits. */
  groups: number;
  candidates: number;
}

export function pickPeaks1d(spectrum: Spectrum1d, options: PickPeaks1dOptions = {}): PickedPeaks {
  const y = spectrum.real;
  const n = y.length;
  const sigma = spectrum.noise;
  const minSnr = options.minSnr ?? 5;
  const maxGroup = options.maxGroup ?? 8;
  const floor = minSnr * sigma;
  const typicalWidth = medianLineWidth(y, floor);
  // A half-window of a sixth of a line width smooths noise without merging lines half a width apart.
  const smoothing = Math.max(1, Math.min(25, Math.round(typicalWidth / 6)));
  const { smooth, secondDerivative: d2 } = savitzkyGolay(y, smoothing);
  const candidates = detectLines(
    smooth,
    d2,
    floor,
    -minSnr * spectrumNoise(d2),
    typicalWidth,
    options.minProminence ?? 0.01,
  );
  const peaks: SpectrumPeak[] = [];
  let groups = 0;
  for (const group of groupLines(candidates, maxGroup, smooth)) {
    const from = Math.max(0, Math.floor(group[0]!.x - 4 * typicalWidth));
    const to = Math.min(n - 1, Math.ceil(group[group.length - 1]!.x + 4 * typicalWidth));
    if (to - from < 4) continue;
    groups++;
    const first = fitLines(y, from, to, group, 0.8, sigma);
    const fit = splitUnresolved(y, from, to, first, sigma, floor, typicalWidth);
    // after a split the fitted lines are their own starting points (the detection saw one line there)
    const starts: Candidate[] = fit === first ? group : fit.lines.map((l) => ({ ...l, prominence: l.height }));
    fit.lines.forEach((line, k) => {
      const start = starts[k]!;
      // A fitted line that wandered more than half a width, or whose width left a sane range, lost its line to a
      // neighbour: keep what detection saw (the apex and the typical width).
      const wandered =
        !(line.x >= from && line.x <= to) ||
        Math.abs(line.x - start.x) > 0.5 * Math.max(start.width, 1) ||
        !(line.width >= 0.25 * typicalWidth && line.width <= 5 * typicalWidth) ||
        !(line.height >= 0.5 * start.height);
      // (a wandered shoulder is dropped: without its own maximum there is nothing left to stand on)
      if (wandered && start.prominence === undefined) return;
      const kept = wandered ? { x: start.x, height: apexHeight(fit, k, start, from, to), width: start.width } : line;
      if (!(kept.height >= floor)) return;
      const widthHz = kept.width * spectrum.hzPerPoint;
      const eta = wandered ? 1 : fit.eta;
      peaks.push({
        shift: ppmAt(spectrum.ppm, kept.x),
        height: kept.height,
        widthHz,
        integral: lineArea(kept.height, widthHz, eta),
        snr: kept.height / sigma,
        eta,
      });
    });
  }
  peaks.sort((a, b) => b.shift - a.shift);
  const kept = withoutRipples(peaks, spectrum.truncation, spectrum.sf);
  return {
    peaks: mergeDuplicates(kept, spectrum.hzPerPoint / spectrum.sf),
    typicalWidth,
    smoothing,
    groups,
    candidates: candidates.length,
  };
}

/**
 * The height of a maximum whose line the fit lost: what the spectrum shows at its apex less what the fit's other lines
 * and baseline put there, between its prominence (the least it has) and the apex itself (the most).
 */
function apexHeight(fit: LineFit, k: number, start: Candidate, from: number, to: number): number {
  const rest = fitValueAt(fit, from, to, start.x, k);
  return Math.min(start.height, Math.max(start.prominence!, start.height - rest));
}

/** A detected line; a maximum carries its prominence, a shoulder none. */
type Candidate = Line & { prominence?: number };

/**
 * Candidate lines: the maxima of the smoothed spectrum that rise at least √2·`floor` (and `minProminence` of their
 * height) above the deeper of their two flanking valleys (within 3 typical widths) — the peaks a user sees — and the
 * shoulders: minima of the second derivative with a curvature beyond `curvatureFloor`, no maximum within 0.3 of a
 * width and at least a tenth of the curvature of a maximum within two widths. Positions by a parabola through three
 * points; widths from the curvature of a Lorentzian, y''(0)/y(0) = −8/w², bounded by the typical width.
 */
function detectLines(
  smooth: Float64Array,
  d2: Float64Array,
  floor: number,
  curvatureFloor: number,
  typicalWidth: number,
  minProminence: number,
): Candidate[] {
  const n = smooth.length;
  const reach = Math.max(2, Math.round(3 * typicalWidth));
  const lines: Candidate[] = [];
  const widthAt = (i: number) => {
    const w = d2[i]! < 0 ? Math.sqrt((-8 * smooth[i]!) / d2[i]!) : typicalWidth;
    return Math.min(Math.max(w, 0.5 * typicalWidth), 3 * typicalWidth);
  };
  for (let i = 1; i < n - 1; i++) {
    const v = smooth[i]!;
    if (v < floor || v <= smooth[i - 1]! || v < smooth[i + 1]!) continue;
    let left = v;
    for (let j = i - 1; j >= Math.max(0, i - reach) && smooth[j]! <= v; j--) left = Math.min(left, smooth[j]!);
    let right = v;
    for (let j = i + 1; j <= Math.min(n - 1, i + reach) && smooth[j]! <= v; j++) right = Math.min(right, smooth[j]!);
    // the difference of two noisy values: √2 σ
    const prominence = v - Math.max(left, right);
    if (prominence < Math.max(Math.SQRT2 * floor, minProminence * v)) continue;
    lines.push({ x: i + vertex(smooth, i), height: v, width: widthAt(i), prominence });
  }
  const maxima = lines.map((l) => l.x);
  let next = 0;
  for (let i = 1; i < n - 1; i++) {
    const c = d2[i]!;
    if (!(c < curvatureFloor) || c > d2[i - 1]! || c > d2[i + 1]! || smooth[i]! < floor) continue;
    while (next < maxima.length && maxima[next]! < i - typicalWidth) next++;
    const close = maxima.slice(next, next + 3);
    if (close.some((x) => Math.abs(x - i) < 0.3 * typicalWidth)) continue;
    // beside a maximum, a shoulder's curvature must reach a tenth of the maximum's: a lineshape that is not quite
    // the model's (a tapered or shimmed line) bends its flank by less
    const strongest = close
      .filter((x) => Math.abs(x - i) < 2 * typicalWidth)
      .reduce((m, x) => Math.min(m, d2[Math.round(x)]!), 0);
    if (c > 0.1 * strongest) continue;
    lines.push({ x: i + vertex(d2, i, -1), height: smooth[i]!, width: widthAt(i) });
  }
  return lines.sort((a, b) => a.x - b.x);
}

/** Offset (−½…½) of the vertex of the parabola through y[i−1], y[i], y[i+1] (sign −1: of a minimum). */
function vertex(y: Float64Array, i: number, sign = 1): number {
  const a = sign * y[i - 1]!;
  const b = sign * y[i]!;
  const c = sign * y[i + 1]!;
  const den = a - 2 * b + c;
  return den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
}

/**
 * Drops the peaks that truncation wiggles of a much stronger line can explain. Cutting a FID whose signal is still
 * a fraction r of its start adds ripples of about H·r·w/(2·|Δν|) at |Δν| Hz from a line of height H and width w
 * (Hz); a peak below three times the sum of those, over the lines 30 × taller, is taken for a ripple.
 */
export function withoutRipples(peaks: SpectrumPeak[], r: number, sf: number): SpectrumPeak[] {
  const strong = [...peaks].sort((a, b) => b.height - a.height);
  return peaks.filter((p) => {
    let ripple = 0;
    for (const q of strong) {
      if (q.height < 30 * p.height) break;
      const dHz = Math.max(Math.abs(q.shift - p.shift) * sf, q.widthHz);
      ripple += (q.height * r * q.widthHz) / (2 * dHz);
    }
    return p.height >= 3 * ripple;
  });
}

/** ppm at a fractional point index (the axis is linear). */
export function ppmAt(ppm: Float64Array, x: number): number {
  const step = ppm.length > 1 ? ppm[1]! - ppm[0]! : 0;
  return ppm[0]! + x * step;
}

/**
 * Median full width at half height of the 30 tallest lines (maxima of their ±16-point neighbourhood above `floor`
 * and 5 % of the tallest), points: the lines' own scale, which sets the smoothing (zero filling, line broadening and
 * field quality all change it). The tallest, because noise riding on a broad signal makes many small maxima whose
 * half height is far away.
 */
function medianLineWidth(y: Float64Array, floor: number): number {
  const maxima: number[] = [];
  for (let i = 16; i < y.length - 16; i++) {
    const v = y[i]!;
    if (v < floor || v <= y[i - 1]! || v < y[i + 1]!) continue;
    let top = true;
    for (let j = i - 16; j <= i + 16 && top; j++) if (y[j]! > v) top = false;
    if (top) maxima.push(i);
  }
  maxima.sort((a, b) => y[b]! - y[a]!);
  const widths: number[] = [];
  // lines of at least 5 % of the tallest: smaller maxima may sit on its tails, above their own half height
  const strong = maxima.filter((i) => y[i]! >= 0.05 * y[maxima[0]!]!);
  for (const i of strong.slice(0, 30)) {
    const half = y[i]! / 2;
    let l = i;
    while (l > 0 && y[l]! > half) l--;
    let r = i;
    while (r < y.length - 1 && y[r]! > half) r++;
    if (l === 0 || r === y.length - 1) continue;
    // interpolated crossings
    const left = l + (half - y[l]!) / (y[l + 1]! - y[l]!);
    const right = r - (half - y[r]!) / (y[r - 1]! - y[r]!);
    widths.push(right - left);
  }
  if (widths.length === 0) return 4;
  widths.sort((a, b) => a - b);
  return Math.max(1, widths[widths.length >> 1]!);
}

/**
 * Lines whose ±2.5-width spans overlap go in one group (sorted by position); a group larger than maxGroup is cut
 * at the lowest point of the smoothed spectrum between two of its lines.
 */
function groupLines<T extends Line>(lines: T[], maxGroup: number, smooth: Float64Array): T[][] {
  const sorted = [...lines].sort((a, b) => a.x - b.x);
  const groups: T[][] = [];
  let current: T[] = [];
  let reach = -Infinity;
  for (const line of sorted) {
    if (current.length > 0 && line.x - 2.5 * line.width > reach) {
      groups.push(current);
      current = [];
    }
    current.push(line);
    reach = Math.max(current.length > 1 ? reach : -Infinity, line.x + 2.5 * line.width);
  }
  if (current.length > 0) groups.push(current);
  const out: T[][] = [];
  const split = (g: T[]): void => {
    if (g.length <= maxGroup) {
      out.push(g);
      return;
    }
    let cut = 1;
    let lowest = Infinity;
    for (let i = 1; i < g.length; i++) {
      let valley = Infinity;
      for (let x = Math.ceil(g[i - 1]!.x); x <= Math.floor(g[i]!.x); x++) valley = Math.min(valley, smooth[x]!);
      if (valley < lowest) {
        lowest = valley;
        cut = i;
      }
    }
    split(g.slice(0, cut));
    split(g.slice(cut));
  };
  for (const g of groups) split(g);
  return out;
}

/** Two fitted lines closer than a point are one: heights added, position and width height-weighted. */
export function mergeDuplicates(peaks: SpectrumPeak[], ppmPerPoint: number): SpectrumPeak[] {
  const out: SpectrumPeak[] = [];
  for (const p of peaks) {
    const prev = out[out.length - 1];
    if (prev && Math.abs(prev.shift - p.shift) < ppmPerPoint) {
      const h = prev.height + p.height;
      prev.shift = (prev.shift * prev.height + p.shift * p.height) / h;
      prev.widthHz = (prev.widthHz * prev.height + p.widthHz * p.height) / h;
      prev.integral += p.integral;
      prev.snr += p.snr;
      prev.height = h;
      continue;
    }
    out.push({ ...p });
  }
  return out;
}
