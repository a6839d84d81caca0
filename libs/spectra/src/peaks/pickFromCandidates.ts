/**
 * Peak picking from another picker's candidate lines (the network picker of libs/inference, issue 23) with the
 * safety principle of the Laplace network: the candidates are fitted back to the spectrum (fitLines, the same
 * pseudo-Voigt group fit as the classical picker's), and in every region the classical answer (pickPeaks1d) is kept
 * where the candidates' fit explains the data worse. Pure: no model here, only positions.
 *
 * A region is a cluster of lines, candidates and classical peaks together, whose ±2.5-width spans overlap. Both
 * answers are fitted on the same stretch (each line ± 3 widths) and scored by the Bayesian information criterion
 * χ²/σ² + 3·k·ln(n) (k lines of 3 parameters, n points): more lines must buy their parameters. The candidates'
 * answer replaces the classical one only where it scores strictly better; a region without candidates stays
 * classical. Both fits drop
 * the lines that fall under the threshold, wander or change width implausibly, as the classical picker does.
 */
import type { Spectrum1d } from '../processing/processSpectrum1d';
import { fitLines, fitValueAt, type Line, type LineFit } from './fitLines';
import { lineArea } from './lineshape';
import {
  mergeDuplicates,
  pickPeaks1d,
  ppmAt,
  withoutRipples,
  type PickedPeaks,
  type PickPeaks1dOptions,
  type SpectrumPeak,
} from './pickPeaks1d';

export interface CandidateLine {
  /** Centre, points (fractional). */
  x: number;
  /** Full width at half height, points, when the candidate picker estimates it (else the typical width). */
  width?: number;
}

export interface CandidatePeaks extends PickedPeaks {
  /** Regions (clusters), and those whose answer came from the candidates and from the classical picker (which
   * include those where both agree line for line, and those without candidates). */
  regions: number;
  fromCandidates: number;
  fromClassical: number;
  /** The classical answer alone, as pickPeaks1d gave it. */
  classical: PickedPeaks;
}

/** Most lines of one answer fitted together; a larger cluster is cut at its widest gap. */
const MAX_LINES = 10;

type Tagged = Line & { net: boolean; peak?: SpectrumPeak };

export function pickPeaks1dFromCandidates(
  spectrum: Spectrum1d,
  candidates: readonly CandidateLine[],
  options: PickPeaks1dOptions = {},
): CandidatePeaks {
  const y = spectrum.real;
  const n = y.length;
  const sigma = spectrum.noise;
  const floor = (options.minSnr ?? 5) * sigma;
  const classical = pickPeaks1d(spectrum, options);
  const tw = classical.typicalWidth;
  const step = n > 1 ? spectrum.ppm[1]! - spectrum.ppm[0]! : 1;
  const lines: Tagged[] = [];
  for (const p of classical.peaks) {
    lines.push({
      x: (p.shift - spectrum.ppm[0]!) / step,
      height: p.height,
      width: p.widthHz / spectrum.hzPerPoint,
      net: false,
      peak: p,
    });
  }
  for (const c of candidates) {
    if (!(c.x >= 0 && c.x <= n - 1)) continue;
    const width = Math.min(Math.max(c.width ?? tw, 1), 200);
    lines.push({ x: c.x, height: Math.max(y[Math.round(c.x)]!, floor), width, net: true });
  }
  const peaks: SpectrumPeak[] = [];
  let fromCandidates = 0;
  let fromClassical = 0;
  const clusters = cluster(lines);
  for (const group of clusters) {
    const net = group.filter((l) => l.net);
    const old = group.filter((l) => !l.net);
    const from = Math.max(0, Math.floor(Math.min(...group.map((l) => l.x - 3 * l.width))));
    const to = Math.min(n - 1, Math.ceil(Math.max(...group.map((l) => l.x + 3 * l.width))));
    // where the candidates offer nothing, nothing replaces the classical answer; where they agree with it line for
    // line (within a quarter of a width), it stands without being fitted again
    const agree =
      net.length === old.length && old.every((l, k) => Math.abs(l.x - net[k]!.x) <= 0.25 * Math.max(l.width, 1));
    if (net.length === 0 || agree || to - from < 8) {
      old.forEach((l) => peaks.push(l.peak!));
      fromClassical++;
      continue;
    }
    const points = to - from + 1;
    const penalty = 3 * Math.log(points);
    const mine = fitSane(y, from, to, net, sigma, floor);
    const theirs = fitSane(y, from, to, old, sigma, floor);
    const cost = (fit: LineFit | undefined) =>
      residualSum(y, from, to, fit) / (sigma * sigma) + penalty * (fit?.lines.length ?? 0);
    if (cost(mine) < cost(theirs)) {
      fromCandidates++;
      for (const line of mine?.lines ?? []) {
        const widthHz = line.width * spectrum.hzPerPoint;
        peaks.push({
          shift: ppmAt(spectrum.ppm, line.x),
          height: line.height,
          widthHz,
          integral: lineArea(line.height, widthHz, mine!.eta),
          snr: line.height / sigma,
          eta: mine!.eta,
        });
      }
    } else {
      fromClassical++;
      old.forEach((l) => peaks.push(l.peak!));
    }
  }
  peaks.sort((a, b) => b.shift - a.shift);
  const kept = withoutRipples(peaks, spectrum.truncation, spectrum.sf);
  return {
    peaks: mergeDuplicates(kept, spectrum.hzPerPoint / spectrum.sf),
    typicalWidth: tw,
    smoothing: classical.smoothing,
    groups: clusters.length,
    candidates: candidates.length,
    regions: clusters.length,
    fromCandidates,
    fromClassical,
    classical,
  };
}

/**
 * Lines fitted on y[from..to]; lines that fall under `floor`, wander more than half their starting width (they lost
 * their line to a neighbour) or whose width leaves ¼–5 × the starting one are dropped and the rest fitted again.
 * (The width bound also keeps a line from hiding between the points a fit samples — fitLines samples every
 * narrowest-width/6 points — while the comparison's χ² is taken at every point.) Undefined when none is left (the
 * straight baseline alone).
 */
function fitSane(
  y: Float64Array,
  from: number,
  to: number,
  start: Line[],
  sigma: number,
  floor: number,
): LineFit | undefined {
  let lines = start;
  for (let round = 0; round < 3 && lines.length > 0; round++) {
    const fit = fitLines(y, from, to, lines, 0.8, sigma);
    const keep = fit.lines.filter(
      (l, k) =>
        l.height >= floor &&
        Math.abs(l.x - lines[k]!.x) <= 0.5 * Math.max(lines[k]!.width, 1) &&
        l.width <= 5 * Math.max(lines[k]!.width, 1) &&
        l.width >= 0.25 * lines[k]!.width,
    );
    if (keep.length === fit.lines.length) return fit;
    lines = keep;
  }
  return undefined;
}

/** Σ (y − model)² over every point of y[from..to]; no fit: the least-squares straight line alone. */
function residualSum(y: Float64Array, from: number, to: number, fit: LineFit | undefined): number {
  const centre = (from + to) / 2;
  const halfSpan = Math.max(1, (to - from) / 2);
  if (!fit) {
    let sy = 0;
    let ss = 0;
    let sys = 0;
    const m = to - from + 1;
    for (let x = from; x <= to; x++) {
      const s = (x - centre) / halfSpan;
      sy += y[x]!;
      ss += s * s;
      sys += y[x]! * s;
    }
    const b0 = sy / m;
    const b1 = ss > 0 ? sys / ss : 0;
    let sum = 0;
    for (let x = from; x <= to; x++) sum += (y[x]! - b0 - (b1 * (x - centre)) / halfSpan) ** 2;
    return sum;
  }
  let sum = 0;
  for (let x = from; x <= to; x++) sum += (y[x]! - fitValueAt(fit, from, to, x)) ** 2;
  return sum;
}

/** Lines whose ±2.5-width spans overlap, in clusters; a cluster with more than MAX_LINES of either kind is cut at
 * its widest gap. */
function cluster(lines: Tagged[]): Tagged[][] {
  const sorted = [...lines].sort((a, b) => a.x - b.x);
  const groups: Tagged[][] = [];
  let current: Tagged[] = [];
  let reach = -Infinity;
  for (const line of sorted) {
    if (current.length > 0 && line.x - 2.5 * line.width > reach) {
      groups.push(current);
      current = [];
      reach = -Infinity;
    }
    current.push(line);
    reach = Math.max(reach, line.x + 2.5 * line.width);
  }
  if (current.length > 0) groups.push(current);
  const out: Tagged[][] = [];
  const split = (g: Tagged[]): void => {
    const net = g.filter((l) => l.net).length;
    if (g.length < 2 || (net <= MAX_LINES && g.length - net <= MAX_LINES)) {
      out.push(g);
      return;
    }
    let cut = 1;
    for (let i = 2; i < g.length; i++) if (g[i]!.x - g[i - 1]!.x > g[cut]!.x - g[cut - 1]!.x) cut = i;
    split(g.slice(0, cut));
    split(g.slice(cut));
  };
  for (const g of groups) split(g);
  return out;
}
