/**
 * T1/T2 per peak of a T1–T2 map: ≈ 1 for free liquids, ≫ 1 for bound or solid-like components.
 */
import type { PeakLike } from './types';

export interface PeakRatiosOptions {
  /** Axis of the numerator (T1), default 0 (the rows of a T1–T2 map). */
  numeratorAxis?: number;
  /** Axis of the denominator (T2), default 1. */
  denominatorAxis?: number;
}

export interface PeakRatio {
  /** Index of the peak in the input list. */
  peak: number;
  /** position[numeratorAxis] / position[denominatorAxis] (e.g. T1/T2). */
  ratio: number;
  /** log10 of the ratio, decades. */
  log10Ratio: number;
  fraction: number;
}

/**
 * Each peak's position is its log-space centroid, so the ratio of positions equals the weighted geometric mean of
 * T1/T2 over the peak's region: no need to go back to the map.
 */
export function peakRatios(peaks: readonly PeakLike[], options: PeakRatiosOptions = {}): PeakRatio[] {
  const num = options.numeratorAxis ?? 0;
  const den = options.denominatorAxis ?? 1;
  if (!Array.isArray(peaks)) throw new TypeError('peakRatios: peaks must be an array');
  if (!Number.isInteger(num) || !Number.isInteger(den) || num < 0 || den < 0 || num === den) {
    throw new RangeError(`peakRatios: need two different axes, got ${num} and ${den}`);
  }
  return peaks.map((p, k) => {
    const a = p.position[num];
    const b = p.position[den];
    if (a === undefined || b === undefined) {
      throw new RangeError(`peakRatios: peak ${k} has ${p.position.length} coordinates, axes ${num} and ${den} asked`);
    }
    if (!(a > 0) || !(b > 0)) throw new RangeError(`peakRatios: peak ${k} has a non-positive position (${a}, ${b})`);
    const ratio = a / b;
    return { peak: k, ratio, log10Ratio: Math.log10(ratio), fraction: p.fraction };
  });
}
