/**
 * Helpers shared by the low-field vendor readers (geospec/, spinsolve/): strict numbers from text, the zero-order
 * phase of a complex decay or recovery, and the checks every axis passes before it becomes an `Acquisition`.
 */
import { FormatError, type AcquisitionAxis } from './acquisition';

// one way to match each number (no nested optional digits), so a long digit string cannot backtrack
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number as instruments write it ('12', '-1.5e-3', '1.26579e+006'); undefined for anything else. */
export function strictNumber(text: string): number | undefined {
  const t = text.trim();
  if (t.length > 64 || !NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

export interface PhasedSignal {
  /** The real part after rotation by `phase`. */
  data: Float64Array;
  /** Rotation applied, rad in (−π, π]: data = Re((re + i·im)·e^{i·phase}). */
  phase: number;
  /**
   * Share of the energy left in the imaginary part after the rotation, over the points above a fifth of the largest
   * magnitude (where the signal, not the noise, decides): 0 when the data have one phase throughout.
   */
  imaginaryFraction: number;
}

/**
 * Rotates complex data so that the signal lies along the real axis. The axis is the principal direction of the
 * points, φ = −½·arg Σ S², which holds for signals of both signs (an inversion recovery crosses zero, so a
 * |S|-weighted mean direction would be ill defined). Of the two directions the one is kept that makes
 * `reference(data)` positive: the sum for decays, the longest delays for recoveries.
 */
export function phaseSignal(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  reference: (data: Float64Array) => number = sum,
): PhasedSignal {
  let sxx = 0;
  let sxy = 0;
  let energy = 0;
  for (let k = 0; k < re.length; k++) {
    const a = re[k]!;
    const b = im[k]!;
    sxx += a * a - b * b;
    sxy += 2 * a * b;
    energy += a * a + b * b;
  }
  let phase = energy > 0 ? -0.5 * Math.atan2(sxy, sxx) : 0;
  const c = Math.cos(phase);
  const s = Math.sin(phase);
  const out = new Float64Array(re.length);
  let peak = 0;
  for (let k = 0; k < re.length; k++) {
    out[k] = re[k]! * c - im[k]! * s;
    peak = Math.max(peak, Math.hypot(re[k]!, im[k]!));
  }
  let strong = 0;
  let imag = 0;
  for (let k = 0; k < re.length; k++) {
    const a = re[k]!;
    const b = im[k]!;
    if (Math.hypot(a, b) < 0.2 * peak) continue;
    const y = a * s + b * c;
    imag += y * y;
    strong += a * a + b * b;
  }
  if (reference(out) < 0) {
    phase = phase > 0 ? phase - Math.PI : phase + Math.PI;
    for (let k = 0; k < out.length; k++) out[k] = -out[k]!;
  }
  if (phase <= -Math.PI) phase += 2 * Math.PI;
  return { data: out, phase, imaginaryFraction: strong > 0 ? imag / strong : 0 };
}

function sum(data: Float64Array): number {
  let s = 0;
  for (const v of data) s += v;
  return s;
}

/**
 * Sign reference of an inversion or saturation recovery: the mean over the entries at the longest delay (for 2D
 * data row-major with the delays down the rows, the whole row), which must come out positive (M → +M0).
 */
export function longestDelayReference(delays: ArrayLike<number>, rowLength = 1): (data: Float64Array) => number {
  let longest = 0;
  for (let i = 1; i < delays.length; i++) if (delays[i]! > delays[longest]!) longest = i;
  return (data) => {
    let s = 0;
    for (let j = longest * rowLength; j < (longest + 1) * rowLength; j++) s += data[j]!;
    return s;
  };
}

/**
 * What every axis must be before Lapis inverts it: at least two values, all finite and ≥ 0, two of them distinct and
 * positive. A FormatError naming `file` and the axis otherwise.
 */
export function checkAxis(file: string, axis: AcquisitionAxis, name: string): void {
  const v = axis.values;
  if (v.length < 2) throw new FormatError(file, `${name} has ${v.length} value(s); at least two are needed`);
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x) || x < 0) throw new FormatError(file, `${name} value ${i + 1} is ${x} (expected ≥ 0)`);
    if (x > 0) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  }
  if (!(hi > lo)) throw new FormatError(file, `${name} needs two distinct positive values`);
}

/** A FormatError when any data value is not finite. */
export function checkData(file: string, data: Float64Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw new FormatError(file, `data value ${i + 1} is not a finite number`);
  }
}

/**
 * Inversion or saturation recovery, from the data: a recovery that never changes sign and starts below half its
 * final value is a saturation recovery (an inversion recovery starts near −M0). Rows are summed for 2D data.
 */
export function recoveryKernel(delays: ArrayLike<number>, data: Float64Array, rowLength = 1): 'T1-IR' | 'T1-SR' {
  const rows = delays.length;
  const row = (r: number) => {
    let s = 0;
    for (let j = r * rowLength; j < (r + 1) * rowLength; j++) s += data[j]!;
    return s;
  };
  let first = 0;
  let last = 0;
  for (let r = 1; r < rows; r++) {
    if (delays[r]! < delays[first]!) first = r;
    if (delays[r]! > delays[last]!) last = r;
  }
  const end = row(last);
  if (!(end !== 0)) return 'T1-IR';
  for (let r = 0; r < rows; r++) {
    const v = row(r);
    if (Math.sign(v) !== Math.sign(end) && Math.abs(v) > 0.2 * Math.abs(end)) return 'T1-IR';
  }
  return Math.abs(row(first)) < 0.5 * Math.abs(end) ? 'T1-SR' : 'T1-IR';
}
