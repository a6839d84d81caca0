/**
 * A 2D spectrum (HSQC, HMBC, COSY, …) from a TopSpin `ser`: every row (one t1 increment) windowed, zero-filled and
 * Fourier transformed in F2 with the digital filter's group delay removed as a linear phase (as processPseudo2d
 * does in 1D); the rows combined into the t1 signal of every F2 column by the F1 acquisition mode (f1Modes.ts:
 * QF, QSEQ, TPPI, States, States-TPPI, echo-antiecho), optionally extended by forward linear prediction
 * (linearPrediction.ts, TopSpin's ME_mod LPfc), the first point scaled (TopSpin's FCOR, default 0.5: else every F2
 * column gets an offset), windowed, zero-filled and transformed in F1. Phase-sensitive modes are phased in both
 * dimensions (given, or automatic by minimum absolute area, autoPhaseL1.ts: F2 on the t1 rows, F1 on the strongest
 * columns) and keep the real part, strongest signals positive; QF is shown in magnitude. Then the baseline (row and
 * column medians) and the noise (noise2d.ts). Axes in ppm, highest first in both dimensions: row 0 is the highest
 * F1 shift, column 0 the highest F2 shift, as TopSpin's 2rr.
 */
import type { ComplexRows } from '../processing/complexRows';
import { fftInPlace, isPowerOfTwo } from '../processing/fft';
import { apodizationWindow, type Apodization } from './apodization';
import { autoPhaseL1 } from './autoPhaseL1';
import { echoAntiechoToStates, isPhaseSensitive, isRealT1, t1Count, t1Signal, type F1Mode } from './f1Modes';
import { extendForward } from './linearPrediction';
import { noise2d, subtractBaseline2d } from './noise2d';

export interface Dimension2d {
  /** Spectral width, Hz. */
  sw: number;
  /** Transmitter frequency, MHz. */
  sfo1: number;
  /** Reference frequency SF, MHz (default sfo1: 0 ppm at the carrier). */
  sf?: number;
}

export interface Spectral2d {
  /** Direct dimension, with the digital filter's group delay in points. */
  f2: Dimension2d & { groupDelay?: number };
  f1: Dimension2d;
  mode: F1Mode;
}

/** Zero- and first-order phase, rad; φ = phase0 + phase1·f, f the frequency as a fraction of the width (0 at the carrier). */
export interface Phase2d {
  phase0: number;
  phase1: number;
}

export interface DimensionOptions {
  /** Points of the spectrum after zero filling, a power of two. */
  size?: number;
  window?: Apodization;
  /** Default automatic (phase-sensitive modes; QF is not phased). */
  phase?: Phase2d;
}

export interface ProcessSpectrum2dOptions {
  /** Default: 2× the FID (≤ 4096), sine bell squared SSB 2 (phase-sensitive) or unshifted sine (QF). */
  f2?: DimensionOptions;
  /** Default: 4× the t1 points (64–1024), the same windows as F2. */
  f1?: DimensionOptions & {
    /** Forward linear prediction to `points` t1 points (complex, or real for TPPI) with `order` coefficients. */
    linearPrediction?: { points: number; order: number };
    /** Factor on the first t1 point (TopSpin's FCOR; default 0.5). */
    firstPoint?: number;
  };
  /** Subtract row and column medians (default true). */
  baseline?: boolean;
  /** Largest rows × columns; larger sizes are halved, the larger first (default 2²²). */
  maxPoints?: number;
}

export interface Spectrum2d {
  /** F1 points (rows) and F2 points (columns). */
  rows: number;
  columns: number;
  /** Row-major, rows × columns: row 0 the highest F1 ppm, column 0 the highest F2 ppm. */
  real: Float64Array;
  ppm1: Float64Array;
  ppm2: Float64Array;
  hzPerPoint1: number;
  hzPerPoint2: number;
  /** Reference frequencies SF, MHz. */
  sf1: number;
  sf2: number;
  /** Noise σ of `real`. */
  noise: number;
  mode: F1Mode;
  /** QF: magnitude (all values ≥ 0 before the baseline); otherwise phase-sensitive real part. */
  magnitude: boolean;
  /** Phases applied (phase-sensitive modes), and whether they were found automatically. */
  phase2?: Phase2d & { automatic: boolean };
  phase1?: Phase2d & { automatic: boolean };
  windows: { f2: Apodization; f1: Apodization };
  /** t1 points measured and after linear prediction. */
  t1Points: number;
  linearPrediction?: { from: number; to: number; order: number };
  warnings: string[];
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

export function processSpectrum2d(
  ser: ComplexRows,
  spectral: Spectral2d,
  options: ProcessSpectrum2dOptions = {},
): Spectrum2d {
  const { mode } = spectral;
  const { rows, points } = ser;
  const sensitive = isPhaseSensitive(mode);
  const warnings: string[] = [];
  if (!(spectral.f2.sw > 0) || !(spectral.f2.sfo1 > 0) || !(spectral.f1.sw > 0) || !(spectral.f1.sfo1 > 0))
    throw new RangeError('processSpectrum2d: sw and sfo1 of both dimensions must be > 0');
  const measured = t1Count(mode, rows);
  if (measured < 2 || points < 4) throw new RangeError(`processSpectrum2d: ${rows} rows of ${points} points is no 2D`);
  const pairs = sensitive && !isRealT1(mode);
  if (pairs && rows % 2 === 1) warnings.push(`odd number of rows ${rows}: the last one is not used`);

  const lp = options.f1?.linearPrediction;
  const t1Points = lp && lp.points > measured ? Math.min(Math.floor(lp.points), 16 * measured) : measured;
  let size2 = options.f2?.size ?? clamp(nextPow2(2 * points), 64, 4096);
  let size1 = options.f1?.size ?? clamp(nextPow2(4 * (isRealT1(mode) ? t1Points / 2 : t1Points)), 64, 1024);
  for (const [name, s] of [
    ['F2', size2],
    ['F1', size1],
  ] as const)
    if (!isPowerOfTwo(s) || s < 4)
      throw new RangeError(`processSpectrum2d: ${name} size ${s} is not a power of two ≥ 4`);
  const maxPoints = options.maxPoints ?? 2 ** 22;
  while (size1 * size2 > maxPoints) {
    if (size2 >= size1) size2 /= 2;
    else size1 /= 2;
    if (size1 < 4 || size2 < 4) throw new RangeError(`processSpectrum2d: ${maxPoints} points cannot hold a 2D`);
  }
  if (size1 !== (options.f1?.size ?? size1) || size2 !== (options.f2?.size ?? size2))
    warnings.push(`spectrum reduced to ${size1} × ${size2} points (at most ${maxPoints})`);
  const defaultWindow: Apodization = sensitive ? { kind: 'sine-squared', ssb: 2 } : { kind: 'sine', ssb: 0 };
  const window2 = options.f2?.window ?? defaultWindow;
  const window1 = options.f1?.window ?? defaultWindow;

  // F2: every row.
  const g = spectral.f2.groupDelay ?? 0;
  const used2 = Math.min(points, size2);
  if (used2 < points) warnings.push(`F2: FID cut to ${used2} of ${points} points (the spectrum's size)`);
  const w2 = apodizationWindow(window2, used2, spectral.f2.sw, g);
  w2[0] = w2[0]! * 0.5;
  const re2 = new Float64Array(rows * size2);
  const im2 = new Float64Array(rows * size2);
  const rampC = new Float64Array(size2);
  const rampS = new Float64Array(size2);
  for (let j = 0; j < size2; j++) {
    const a = (2 * Math.PI * (j - size2 / 2) * g) / size2;
    rampC[j] = Math.cos(a);
    rampS[j] = Math.sin(a);
  }
  const br = new Float64Array(Math.max(size2, 2 * size1));
  const bi = new Float64Array(br.length);
  for (let r = 0; r < rows; r++) {
    const a = br.subarray(0, size2);
    const b = bi.subarray(0, size2);
    a.fill(0);
    b.fill(0);
    for (let k = 0; k < used2; k++) {
      a[k] = ser.re[r * points + k]! * w2[k]!;
      b[k] = ser.im[r * points + k]! * w2[k]!;
    }
    fftInPlace(a, b);
    shiftInto(a, b, re2, im2, r * size2, size2, rampC, rampS);
  }
  if (mode === 'Echo-Antiecho') echoAntiechoToStates(re2, im2, rows, size2);

  // F2 phase.
  const frac2 = fractions(size2);
  let phase2: (Phase2d & { automatic: boolean }) | undefined;
  if (sensitive) {
    const given = options.f2?.phase;
    phase2 = given ? { ...given, automatic: false } : { ...autoPhaseF2(re2, im2, rows, size2, frac2), automatic: true };
  }
  const c2 = new Float64Array(size2).fill(1);
  const s2 = new Float64Array(size2);
  if (phase2)
    for (let j = 0; j < size2; j++) {
      c2[j] = Math.cos(phase2.phase0 + phase2.phase1 * frac2[j]!);
      s2[j] = Math.sin(phase2.phase0 + phase2.phase1 * frac2[j]!);
    }

  // F1: every column.
  const real = isRealT1(mode);
  const fftSize = real ? 2 * size1 : size1;
  const used1 = Math.min(t1Points, fftSize);
  const sw1Sampling = real ? 2 * spectral.f1.sw : spectral.f1.sw;
  const w1 = apodizationWindow(window1, used1, sw1Sampling, 0);
  w1[0] = w1[0]! * (options.f1?.firstPoint ?? 0.5);
  const re1 = new Float64Array(size1 * size2);
  const im1 = new Float64Array(size1 * size2);
  const tr = new Float64Array(Math.max(rows, t1Points, fftSize));
  const ti = new Float64Array(tr.length);
  const colRe = new Float64Array(fftSize);
  const colIm = new Float64Array(fftSize);
  const noRamp = { c: new Float64Array(fftSize).fill(1), s: new Float64Array(fftSize) };
  for (let c = 0; c < size2; c++) {
    tr.fill(0);
    ti.fill(0);
    const n = t1Signal(mode, re2, im2, rows, size2, c, c2[c]!, s2[c]!, tr, ti);
    if (t1Points > n) extendForward(tr, ti, n, t1Points, lp!.order);
    colRe.fill(0);
    colIm.fill(0);
    for (let k = 0; k < used1; k++) {
      colRe[k] = tr[k]! * w1[k]!;
      colIm[k] = ti[k]! * w1[k]!;
    }
    fftInPlace(colRe, colIm);
    // highest first; TPPI keeps the upper half (positive frequencies 0…2·SW1/2 ↔ −SW1/2…SW1/2)
    shiftInto(colRe, colIm, tr, ti, 0, fftSize, noRamp.c, noRamp.s);
    for (let i = 0; i < size1; i++) {
      re1[i * size2 + c] = tr[i]!;
      im1[i * size2 + c] = ti[i]!;
    }
  }

  // F1 phase, then the real spectrum.
  const frac1 = fractions(size1);
  const out = new Float64Array(size1 * size2);
  let phase1: (Phase2d & { automatic: boolean }) | undefined;
  if (sensitive) {
    const given = options.f1?.phase;
    phase1 = given
      ? { ...given, automatic: false }
      : { ...autoPhaseF1(re1, im1, size1, size2, frac1), automatic: true };
    for (let i = 0; i < size1; i++) {
      const ph = phase1.phase0 + phase1.phase1 * frac1[i]!;
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      for (let j = i * size2, end = j + size2; j < end; j++) out[j] = re1[j]! * c - im1[j]! * s;
    }
    if (phase1.automatic || phase2!.automatic) {
      // the ±π left by the phasing: strongest signals positive
      let sum = 0;
      for (let j = 0; j < out.length; j++) sum += out[j]! * Math.abs(out[j]!);
      if (sum < 0) {
        for (let j = 0; j < out.length; j++) out[j] = -out[j]!;
        phase1.phase0 += Math.PI;
      }
    }
  } else {
    for (let j = 0; j < out.length; j++) out[j] = Math.hypot(re1[j]!, im1[j]!);
  }
  if (options.baseline ?? true) subtractBaseline2d(out, size1, size2);

  const sf2 = spectral.f2.sf ?? spectral.f2.sfo1;
  const sf1 = spectral.f1.sf ?? spectral.f1.sfo1;
  const result: Spectrum2d = {
    rows: size1,
    columns: size2,
    real: out,
    ppm1: ppmAxis(size1, spectral.f1.sw, spectral.f1.sfo1, sf1),
    ppm2: ppmAxis(size2, spectral.f2.sw, spectral.f2.sfo1, sf2),
    hzPerPoint1: spectral.f1.sw / size1,
    hzPerPoint2: spectral.f2.sw / size2,
    sf1,
    sf2,
    noise: noise2d(out, size1, size2),
    mode,
    magnitude: !sensitive,
    windows: { f2: window2, f1: window1 },
    t1Points: measured,
    warnings,
  };
  if (phase2) result.phase2 = phase2;
  if (phase1) result.phase1 = phase1;
  if (t1Points > measured)
    result.linearPrediction = { from: measured, to: t1Points, order: Math.max(1, Math.min(lp!.order, measured >> 2)) };
  return result;
}

/** fftshift, reversed (highest frequency first) and multiplied by the ramp, into out[offset…]. */
function shiftInto(
  a: Float64Array,
  b: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
  offset: number,
  n: number,
  c: Float64Array,
  s: Float64Array,
): void {
  const h = n / 2;
  for (let j = 0; j < n; j++) {
    const src = (j + h) % n;
    const x = a[src]!;
    const y = b[src]!;
    const o = offset + n - 1 - j;
    outRe[o] = x * c[j]! - y * s[j]!;
    outIm[o] = x * s[j]! + y * c[j]!;
  }
}

/** Frequency of output point i (highest first) as a fraction of the width, zero at the carrier. */
function fractions(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (n / 2 - 1 - i) / n);
}

function ppmAxis(n: number, sw: number, sfo1: number, sf: number): Float64Array {
  const refHz = (sfo1 - sf) * 1e6;
  return Float64Array.from({ length: n }, (_, i) => (refHz + ((n / 2 - 1 - i) * sw) / n) / sf);
}

/**
 * F2 phase from the t1 rows with the most signal, whole rows (the criterion needs the lines' tails: on the
 * strongest columns alone it prefers the dispersion, which is zero at a line's centre), ≤ 60 000 values.
 */
function autoPhaseF2(re: Float64Array, im: Float64Array, rows: number, size: number, frac: Float64Array): Phase2d {
  const energy = new Float64Array(rows);
  for (let r = 0; r < rows; r++)
    for (let j = r * size, end = j + size; j < end; j++) energy[r]! += re[j]! * re[j]! + im[j]! * im[j]!;
  const chosen = topIndices(energy, Math.max(1, Math.floor(60_000 / size)));
  return autoPhaseL1({
    re: chosen.map((r) => re.subarray(r * size, (r + 1) * size)),
    im: chosen.map((r) => im.subarray(r * size, (r + 1) * size)),
    frac,
  });
}

/** F1 phase from the 32 columns with the strongest F1 signal, over the whole F1 width (φ1 up to ±1.2π: half-dwell). */
function autoPhaseF1(re: Float64Array, im: Float64Array, rows: number, size: number, frac: Float64Array): Phase2d {
  const score = new Float64Array(size);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < size; j++) score[j] = Math.max(score[j]!, Math.hypot(re[i * size + j]!, im[i * size + j]!));
  const columns = topIndices(score, Math.min(32, size));
  const vre = columns.map((j) => Float64Array.from({ length: rows }, (_, i) => re[i * size + j]!));
  const vim = columns.map((j) => Float64Array.from({ length: rows }, (_, i) => im[i * size + j]!));
  return autoPhaseL1({ re: vre, im: vim, frac }, { maxPhase1: 1.2 * Math.PI });
}

/** Indices of the k largest values, in ascending index order. */
function topIndices(score: Float64Array, k: number): number[] {
  const order = Array.from(score.keys()).sort((a, b) => score[b]! - score[a]!);
  return order.slice(0, Math.min(k, order.length)).sort((a, b) => a - b);
}
