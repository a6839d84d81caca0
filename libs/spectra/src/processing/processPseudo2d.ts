/**
 * High-field pseudo-2D processing: every row is an FID of the same spectrum, acquired at one delay or gradient.
 * Each row, identically: zero-fill to `size`, halve the first point (else the spectrum gets an offset that scales
 * with the row's signal), exponential apodisation, FFT, removal of the digital-filter group delay as a linear phase
 * e^{+2πi·m·g/N} (m the signed frequency index, g in points, fractional allowed), a first-order phase for what the
 * group delay leaves (analog filter, pre-scan delay: given, e.g. TopSpin's PHC1, or by entropy minimisation on the
 * strongest row), the zero-order phase found on the strongest row (largest FID energy), real part kept. Then
 * signal regions from the envelope of all rows (lines of one multiplet grouped into one signal, see findRegions), a
 * polynomial baseline per row through the points outside them, and each region integrated on the real part in
 * every row (inversion-recovery signals change sign, a magnitude would fold them). Regions given in ppm (TopSpin's
 * intrng) replace the automatic ones for integration; the automatic ones still keep signal out of the baseline fit.
 *
 * Frequency convention: TopSpin stores the FID so that, after a forward FFT and fftshift, frequency rises with the
 * index; spectra are returned the way TopSpin shows them, highest ppm first. ppm = ((SFO1 − SF)·10⁶ + f)/SF.
 */
import type { ComplexRows } from './complexRows';
import { autoPhase0, autoPhaseAcme } from './autoPhase';
import { baselineCorrect } from './baselineCorrect';
import { fftInPlace, isPowerOfTwo } from './fft';
import { findRegions, type FindRegionsOptions, type IndexRegion } from './findRegions';
import { noiseSigma } from './noiseSigma';

export interface SpectralParameters {
  /** Spectral width in Hz (SW_h). */
  sw: number;
  /** Transmitter frequency in MHz (SFO1). */
  sfo1: number;
  /** Reference frequency in MHz (procs SF; default sfo1, i.e. 0 ppm at the carrier). */
  sf?: number;
  /** Digital-filter group delay in points (GRPDLY; default 0). */
  groupDelay?: number;
}

export interface ProcessPseudo2dOptions {
  /** Exponential line broadening in Hz (default 1). */
  lineBroadening?: number;
  /** Transform size, a power of two ≥ the points per row (default the next power of two). */
  size?: number;
  /** Zero-order phase in rad instead of the automatic one. */
  phase0?: number;
  /**
   * First-order phase in rad across the spectral width, zero at the carrier (φ = phase0 + phase1·ν/SW), on top of
   * the group delay (TopSpin's PHC1 in rad); default automatic (see autoPhaseAcme), 0 when phase0 is given.
   */
  phase1?: number;
  /** Baseline polynomial order 0–5 (default 1). */
  baselineOrder?: number;
  /** Row whose total integral must come out positive, e.g. the longest delay of an inversion recovery. */
  positiveRow?: number;
  /** Region finding (see findRegions). */
  regions?: FindRegionsOptions;
  /** Keep the processed real spectra, rows × size (default true). */
  keepSpectra?: boolean;
  /** Integrate these ppm ranges (e.g. TopSpin's pdata/1/intrng) instead of the automatic regions. */
  integrationRegions?: readonly { from: number; to: number }[];
  /** Group the lines of a multiplet into one region (default true); false gives one region per line. */
  groupMultiplets?: boolean;
  /**
   * Fraction of the FID's last points brought to zero by a half cosine (default 0): a truncated FID's step at its
   * end otherwise rings through the whole spectrum with the period 1/AQ.
   */
  endTaper?: number;
}

export interface Pseudo2dRegion {
  /** ppm at the high and low edge, and at the envelope maximum. */
  from: number;
  to: number;
  peak: number;
  /** ppm of the signal: the height-weighted centre of its lines (a multiplet's shift, not its tallest line). */
  shift: number;
  startIndex: number;
  endIndex: number;
  /** Integral in every row (real part × Hz per point), in row order. */
  integrals: Float64Array;
}

export interface Pseudo2dResult {
  rows: number;
  size: number;
  /** ppm of each spectrum point, highest first. */
  ppm: Float64Array;
  /** Processed real spectra, rows × size, when kept. */
  spectra?: Float64Array;
  regions: Pseudo2dRegion[];
  /** 'given': the regions are `integrationRegions`; 'automatic': found in the spectra. */
  regionSource: 'automatic' | 'given';
  phase0: number;
  /** First-order phase applied, rad across the spectral width (zero at the carrier). */
  phase1: number;
  strongestRow: number;
  /** Noise σ of the strongest row's real spectrum. */
  noise: number;
  warnings: string[];
}

/** Exponential apodisation e^{−π·LB·t}, t counted from the top of the filtered FID (g points in), per FID point. */
export function exponentialWindow(
  points: number,
  lineBroadening: number,
  groupDelay: number,
  sw: number,
): Float64Array {
  const win = new Float64Array(points);
  for (let k = 0; k < points; k++) win[k] = Math.exp((-Math.PI * lineBroadening * Math.max(0, k - groupDelay)) / sw);
  return win;
}

export function processPseudo2d(
  data: ComplexRows,
  spectral: SpectralParameters,
  options: ProcessPseudo2dOptions = {},
): Pseudo2dResult {
  const { rows, points } = data;
  if (rows < 1 || points < 2)
    throw new RangeError(`processPseudo2d: need ≥ 1 row of ≥ 2 points, got ${rows}×${points}`);
  if (!(spectral.sw > 0) || !(spectral.sfo1 > 0)) throw new RangeError('processPseudo2d: sw and sfo1 must be > 0');
  let size = options.size ?? 2 ** Math.ceil(Math.log2(points));
  if (!isPowerOfTwo(size) || size < points) {
    throw new RangeError(`processPseudo2d: size ${size} must be a power of two ≥ ${points} points`);
  }
  size = Math.max(size, 2);
  const warnings: string[] = [];
  const lb = options.lineBroadening ?? 1;
  const g = spectral.groupDelay ?? 0;
  const sw = spectral.sw;
  const sf = spectral.sf ?? spectral.sfo1;

  // Window, once for all rows (the first point halved: else the spectrum gets an offset).
  const win = exponentialWindow(points, lb, g, sw);
  win[0] = win[0]! * 0.5;
  const taper = Math.floor(Math.min(Math.max(options.endTaper ?? 0, 0), 0.5) * points);
  for (let j = 0; j < taper; j++) win[points - 1 - j]! *= 0.5 - 0.5 * Math.cos((Math.PI * (j + 0.5)) / taper);
  let strongestRow = 0;
  let best = -1;
  for (let r = 0; r < rows; r++) {
    let e = 0;
    for (let k = r * points, end = k + points; k < end; k++) e += data.re[k]! * data.re[k]! + data.im[k]! * data.im[k]!;
    if (e > best) {
      best = e;
      strongestRow = r;
    }
  }

  // A row's spectrum at n points (zero filled), highest ppm first, group delay and first-order phase removed as one
  // linear phase over the shifted index j (m = j − n/2), not yet zero-order phased. Ramps and buffers per size.
  const ramps = new Map<number, { phase1: number; c: Float64Array; s: Float64Array }>();
  const buffers = new Map<number, { bre: Float64Array; bim: Float64Array; sre: Float64Array; sim: Float64Array }>();
  const rowSpectrum = (r: number, n: number, phase1: number) => {
    let ramp = ramps.get(n);
    if (!ramp || ramp.phase1 !== phase1) {
      ramp = { phase1, c: new Float64Array(n), s: new Float64Array(n) };
      for (let j = 0; j < n; j++) {
        const a = (2 * Math.PI * (j - n / 2) * g) / n + (phase1 * (j - n / 2)) / n;
        ramp.c[j] = Math.cos(a);
        ramp.s[j] = Math.sin(a);
      }
      ramps.set(n, ramp);
    }
    let b = buffers.get(n);
    if (!b) {
      b = { bre: new Float64Array(n), bim: new Float64Array(n), sre: new Float64Array(n), sim: new Float64Array(n) };
      buffers.set(n, b);
    }
    const { bre, bim, sre, sim } = b;
    bre.fill(0);
    bim.fill(0);
    const base = r * points;
    for (let k = 0; k < points; k++) {
      bre[k] = data.re[base + k]! * win[k]!;
      bim[k] = data.im[base + k]! * win[k]!;
    }
    fftInPlace(bre, bim);
    const h = n / 2;
    for (let j = 0; j < n; j++) {
      const src = (j + h) % n; // fftshift
      const a = bre[src]!;
      const bb = bim[src]!;
      const out = n - 1 - j; // highest ppm first
      sre[out] = a * ramp.c[j]! - bb * ramp.s[j]!;
      sim[out] = a * ramp.s[j]! + bb * ramp.c[j]!;
    }
    return { sre, sim };
  };

  let phase1 = options.phase1 ?? 0;
  if (options.phase1 === undefined && options.phase0 === undefined) {
    // The first-order phase is found on the spectrum without zero filling: the phase is the same (it is a fraction
    // of the width), the criterion costs what the points cost (a 4× zero-filled ¹H spectrum: 4× less).
    const n = Math.min(size, Math.max(2, 2 ** Math.ceil(Math.log2(points))));
    const low = rowSpectrum(strongestRow, n, 0);
    // frequency of output point i as a fraction of the width: (j − n/2)/n with j = n − 1 − i
    phase1 = autoPhaseAcme(low.sre, low.sim, (n - 1 - n / 2) / n, -1 / n, autoPhase0(low.sre, low.sim)).phase1;
  }
  const strongest = rowSpectrum(strongestRow, size, phase1);
  const phase0 = options.phase0 ?? autoPhase0(strongest.sre, strongest.sim);
  const pc = Math.cos(phase0);
  const ps = Math.sin(phase0);
  const spectra = new Float64Array(rows * size);
  for (let r = 0; r < rows; r++) {
    const { sre, sim } = rowSpectrum(r, size, phase1);
    const base = r * size;
    for (let i = 0; i < size; i++) spectra[base + i] = sre[i]! * pc - sim[i]! * ps;
  }

  // ppm axis (highest first): output index i ↔ shifted index j = size − 1 − i.
  const ppm = new Float64Array(size);
  const refHz = (spectral.sfo1 - sf) * 1e6;
  for (let i = 0; i < size; i++) ppm[i] = (refHz + ((size - 1 - i - size / 2) * sw) / size) / sf;

  // Constant offset per row first (median of a subsample), so the envelope sees signal, not offset.
  for (let r = 0; r < rows; r++) {
    const row = spectra.subarray(r * size, (r + 1) * size);
    const step = Math.max(1, Math.floor(size / 4096));
    const sample: number[] = [];
    for (let i = 0; i < size; i += step) sample.push(row[i]!);
    sample.sort((a, b) => a - b);
    const med = sample[sample.length >> 1]!;
    for (let i = 0; i < size; i++) row[i] = row[i]! - med;
  }
  const noise = noiseSigma(spectra.subarray(strongestRow * size, (strongestRow + 1) * size));
  const envelope = new Float64Array(size);
  for (let r = 0; r < rows; r++) {
    const base = r * size;
    for (let i = 0; i < size; i++) {
      const v = Math.abs(spectra[base + i]!);
      if (v > envelope[i]!) envelope[i] = v;
    }
  }
  const hzPerPoint = sw / size;
  const regionOptions = { ...options.regions };
  if (options.groupMultiplets ?? true) {
    regionOptions.hzPerPoint ??= hzPerPoint;
    regionOptions.spectra ??= spectra;
  }
  const found = findRegions(envelope, noise, regionOptions);
  const given = options.integrationRegions
    ? givenRegions(options.integrationRegions, ppm, envelope, warnings)
    : undefined;
  if (!given && found.length === 0) warnings.push('no signal region above the noise');
  const order = options.baselineOrder ?? 1;
  const masked = given ? [...found, ...given] : found;
  for (let r = 0; r < rows; r++) baselineCorrect(spectra.subarray(r * size, (r + 1) * size), masked, order);

  const regions: Pseudo2dRegion[] = (given ?? found).map((f) => {
    const integrals = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const base = r * size;
      for (let i = f.start; i <= f.end; i++) s += spectra[base + i]!;
      integrals[r] = s * hzPerPoint;
    }
    const center = f.center ?? f.peak;
    return {
      from: ppm[f.start]!,
      to: ppm[f.end]!,
      peak: ppm[f.peak]!,
      shift: ppm[0]! + (center * (ppm[size - 1]! - ppm[0]!)) / (size - 1),
      startIndex: f.start,
      endIndex: f.end,
      integrals,
    };
  });

  let phase = phase0;
  if (options.positiveRow !== undefined && regions.length > 0) {
    const pr = options.positiveRow;
    if (!(pr >= 0 && pr < rows)) throw new RangeError(`positiveRow ${pr} outside 0…${rows - 1}`);
    let total = 0;
    for (const reg of regions) total += reg.integrals[pr]!;
    if (total < 0) {
      for (let i = 0; i < spectra.length; i++) spectra[i] = -spectra[i]!;
      for (const reg of regions) for (let r = 0; r < rows; r++) reg.integrals[r] = -reg.integrals[r]!;
      phase += Math.PI;
    }
  }

  const regionSource = given ? 'given' : 'automatic';
  const result: Pseudo2dResult = {
    rows,
    size,
    ppm,
    regions,
    regionSource,
    phase0: phase,
    phase1,
    strongestRow,
    noise,
    warnings,
  };
  if (options.keepSpectra ?? true) result.spectra = spectra;
  return result;
}

/**
 * ppm ranges → index regions on the axis (highest ppm first): the points inside each range, its peak the envelope
 * maximum there. Ranges outside the spectrum or narrower than a point are dropped, a range overlapping the one
 * before is clipped to start after it (each point is integrated once), all with a warning.
 */
function givenRegions(
  ranges: readonly { from: number; to: number }[],
  ppm: Float64Array,
  envelope: Float64Array,
  warnings: string[],
): IndexRegion[] {
  const n = ppm.length;
  const step = n > 1 ? ppm[0]! - ppm[1]! : 1;
  const sorted = ranges
    .filter((r) => Number.isFinite(r.from) && Number.isFinite(r.to))
    .map((r) => ({ from: Math.max(r.from, r.to), to: Math.min(r.from, r.to) }))
    .sort((a, b) => b.from - a.from);
  const out: IndexRegion[] = [];
  for (const r of sorted) {
    const label = `${r.from.toFixed(3)}…${r.to.toFixed(3)} ppm`;
    let start = Math.max(0, Math.ceil((ppm[0]! - r.from) / step - 1e-9));
    const end = Math.min(n - 1, Math.floor((ppm[0]! - r.to) / step + 1e-9));
    const prev = out[out.length - 1];
    if (prev && start <= prev.end) {
      warnings.push(`integral region ${label} overlaps the one before: clipped`);
      start = prev.end + 1;
    }
    if (start > end) {
      warnings.push(`integral region ${label} holds no point of the spectrum: ignored`);
      continue;
    }
    let peak = start;
    for (let i = start; i <= end; i++) if (envelope[i]! > envelope[peak]!) peak = i;
    // centre: the points above half the maximum, weighted by height (the main lines of a multiplet)
    let sum = 0;
    let moment = 0;
    for (let i = start; i <= end; i++) {
      if (envelope[i]! < envelope[peak]! / 2) continue;
      sum += envelope[i]!;
      moment += envelope[i]! * i;
    }
    out.push({ start, end, peak, height: envelope[peak]!, center: sum > 0 ? moment / sum : peak });
  }
  return out;
}
