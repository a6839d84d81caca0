/**
 * Robust noise standard deviation of a spectrum: the median absolute first difference / (0.6745·√2). Differences
 * cancel the baseline and sparse peaks hardly move a median, so the answer is the noise even on a crowded spectrum.
 */
import { medianInPlace } from './selectInPlace';

export function noiseSigma(y: Float64Array, from = 0, to = y.length): number {
  const n = to - from - 1;
  if (n < 1) return 0;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.abs(y[from + i + 1]! - y[from + i]!);
  return medianInPlace(d) / (0.6745 * Math.SQRT2);
}
