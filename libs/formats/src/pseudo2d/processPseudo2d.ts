/**
 * High-field pseudo-2D processing: every row is an FID of the same spectrum, acquired at one delay or gradient.
 * Each row, identically: zero-fill to `size`, halve the first point (else the spectrum gets an offset that scales
 * with the row's signal), exponential apodisation, FFT, removal of the digital-filter group delay as a linear phase
 * e^{+2πi·m·g/N} (m the signed frequency index, g in points, fractional allowed), the zero-order phase found on the
 * strongest row (largest FID energy), real part kept. Then signal regions from the envelope of all rows, a
 * polynomial baseline per row through the points outside them, and each region integrated on the real part in
 * every row (inversion-recovery signals change sign, a magnitude would fold them).
 *
 * Frequency convention: TopSpin stores the FID so that, after a forward FFT and fftshift, frequency rises with the
 * index; spectra are returned the way TopSpin shows them, highest ppm first. ppm = ((SFO1 − SF)·10⁶ + f)/SF.
 */
import type { ComplexRows } from '../bruker/binary';
import { autoPhase0 } from './autoPhase';
import { baselineCorrect } from './baselineCorrect';
import { fftInPlace, isPowerOfTwo } from './fft';
import { findRegions, type FindRegionsOptions } from './findRegions';
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
  /** Baseline polynomial order 0–5 (default 1). */
  baselineOrder?: number;
  /** Row whose total integral must come out positive, e.g. the longest delay of an inversion recovery. */
  positiveRow?: number;
  /** Region finding (see findRegions). */
  regions?: FindRegionsOptions;
  /** Keep the processed real spectra, rows × size (default true). */
  keepSpectra?: boolean;
}

export interface Pseudo2dRegion {
  /** ppm at the high and low edge, and at the envelope maximum. */
  from: number;
  to: number;
  peak: number;
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
  phase0: number;
  strongestRow: number;
  /** Noise σ of the strongest row's real spectrum. */
  noise: number;
  warnings: string[];
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

  // Window, once for all rows: exponential decay counted from the top of the filtered FID.
  const win = new Float64Array(points);
  for (let k = 0; k < points; k++) win[k] = Math.exp((-Math.PI * lb * Math.max(0, k - g)) / sw);
  win[0] = win[0]! * 0.5;
  // Group-delay phase ramp over the shifted spectrum index j (m = j − N/2).
  const half = size / 2;
  const rampC = new Float64Array(size);
  const rampS = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const a = (2 * Math.PI * (j - half) * g) / size;
    rampC[j] = Math.cos(a);
    rampS[j] = Math.sin(a);
  }

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

  const bre = new Float64Array(size);
  const bim = new Float64Array(size);
  const sre = new Float64Array(size);
  const sim = new Float64Array(size);
  // Into sre/sim: the row's spectrum, highest ppm first, group delay removed, not yet phased.
  const transform = (r: number): void => {
    bre.fill(0);
    bim.fill(0);
    const base = r * points;
    for (let k = 0; k < points; k++) {
      bre[k] = data.re[base + k]! * win[k]!;
      bim[k] = data.im[base + k]! * win[k]!;
    }
    fftInPlace(bre, bim);
    for (let j = 0; j < size; j++) {
      const src = (j + half) % size; // fftshift
      const a = bre[src]!;
      const b = bim[src]!;
      const c = rampC[j]!;
      const s = rampS[j]!;
      const out = size - 1 - j; // highest ppm first
      sre[out] = a * c - b * s;
      sim[out] = a * s + b * c;
    }
  };

  transform(strongestRow);
  const phase0 = options.phase0 ?? autoPhase0(sre, sim);
  const pc = Math.cos(phase0);
  const ps = Math.sin(phase0);
  const spectra = new Float64Array(rows * size);
  for (let r = 0; r < rows; r++) {
    transform(r);
    const base = r * size;
    for (let i = 0; i < size; i++) spectra[base + i] = sre[i]! * pc - sim[i]! * ps;
  }

  // ppm axis (highest first): output index i ↔ shifted index j = size − 1 − i.
  const ppm = new Float64Array(size);
  const refHz = (spectral.sfo1 - sf) * 1e6;
  for (let i = 0; i < size; i++) ppm[i] = (refHz + ((size - 1 - i - half) * sw) / size) / sf;

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
  const found = findRegions(envelope, noise, options.regions ?? {});
  if (found.length === 0) warnings.push('no signal region above the noise');
  const order = options.baselineOrder ?? 1;
  for (let r = 0; r < rows; r++) baselineCorrect(spectra.subarray(r * size, (r + 1) * size), found, order);

  const hzPerPoint = sw / size;
  const regions: Pseudo2dRegion[] = found.map((f) => {
    const integrals = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const base = r * size;
      for (let i = f.start; i <= f.end; i++) s += spectra[base + i]!;
      integrals[r] = s * hzPerPoint;
    }
    return {
      from: ppm[f.start]!,
      to: ppm[f.end]!,
      peak: ppm[f.peak]!,
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

  const result: Pseudo2dResult = { rows, size, ppm, regions, phase0: phase, strongestRow, noise, warnings };
  if (options.keepSpectra ?? true) result.spectra = spectra;
  return result;
}
