/**
 * The signal of a Spinsolve experiment from its loaded data: echoes' acquired points summed, complex echo data
 * rotated onto the real axis, or the FIDs of a spectroscopic experiment transformed and summed over their regions.
 */
import { FormatError } from '../acquisition';
import type { ComplexRows } from '../bruker/binary';
import { phaseSignal } from '../lowField';
import { processPseudo2d } from '@lapis/spectra';
import type { Loaded } from './dataFiles';
import type { SpinsolveParameters } from './parameters';

/** Sum of the data: the reference sign of an echo decay. */
export const sumOf = (data: Float64Array) => data.reduce((a, v) => a + v, 0);

/** Replaces each echo's `perEcho` acquired points by their sum. */
export function sumEchoPoints(d: Loaded, perEcho: number): void {
  const cols = d.cols / perEcho;
  const sum = (v: Float64Array) => {
    const out = new Float64Array(d.rows * cols);
    for (let k = 0; k < out.length; k++) {
      let s = 0;
      for (let j = 0; j < perEcho; j++) s += v[k * perEcho + j]!;
      out[k] = s;
    }
    return out;
  };
  d.re = sum(d.re);
  if (d.im) d.im = sum(d.im);
  d.cols = cols;
}

/** Spectroscopic steps: each FID transformed, phased, and its signal regions summed. */
export function bulkIntegrals(
  d: Loaded,
  p: SpinsolveParameters,
  positiveRow: number | undefined,
  warnings: string[],
  notes: string[],
): Float64Array {
  const dwell = p.number('dwellTime');
  const bandwidth = p.number('bandwidth');
  const sw =
    dwell !== undefined && dwell > 0 ? 1e6 / dwell : bandwidth !== undefined && bandwidth > 0 ? bandwidth * 1e3 : NaN;
  const sfo1 = p.number('b1Freq') ?? p.number('b1Freq1H') ?? NaN;
  if (!(sw > 0) || !(sfo1 > 0)) {
    throw new FormatError(p.file, 'a spectroscopic experiment needs dwellTime (or bandwidth) and b1Freq');
  }
  if (!d.im) throw new FormatError(d.files[0]!, 'FIDs must be complex');
  const rows: ComplexRows = { rows: d.rows, points: d.cols, re: d.re, im: d.im };
  let result;
  try {
    result = processPseudo2d(
      rows,
      { sw, sfo1 },
      { keepSpectra: false, ...(positiveRow === undefined ? {} : { positiveRow }) },
    );
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new FormatError(d.files[0]!, `cannot process the FIDs: ${cause.message}`, { cause });
  }
  warnings.push(...result.warnings);
  if (result.regions.length === 0) throw new FormatError(d.files[0]!, 'no signal found in the spectra');
  const out = new Float64Array(d.rows);
  for (const r of result.regions) for (let i = 0; i < d.rows; i++) out[i] = out[i]! + r.integrals[i]!;
  notes.push(
    `bulk signal: ${d.rows} FIDs of ${d.cols} points transformed and summed over ${result.regions.length} region(s), ` +
      result.regions.map((r) => `${r.from.toFixed(2)}…${r.to.toFixed(2)} ppm from the carrier`).join(', '),
  );
  return out;
}

/** Echo data along the real axis; real-only data negative overall are negated (a receiver phase of π). */
export function realSignal(
  d: Loaded,
  reference: (data: Float64Array) => number,
  warnings: string[],
): { data: Float64Array; phase?: number } {
  if (d.im) {
    const ph = phaseSignal(d.re, d.im, reference);
    if (ph.imaginaryFraction > 0.05) {
      warnings.push(
        `${(100 * ph.imaginaryFraction).toFixed(0)} % of the signal stays imaginary after phasing: the phase varies through the data`,
      );
    }
    return { data: ph.data, phase: ph.phase };
  }
  const data = Float64Array.from(d.re);
  if (reference(data) < 0) {
    for (let i = 0; i < data.length; i++) data[i] = -data[i]!;
    warnings.push('the real signal was negative overall: negated (a receiver phase of 180°)');
  }
  return { data };
}
