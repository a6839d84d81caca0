/**
 * Noise σ of a processed spectrum, as a user would measure it in an empty stretch: the spectrum cut into 64
 * segments, each segment's robust spread (median absolute deviation from its median / 0.6745), and the 25th
 * percentile of those — the quiet segments. Unlike point-to-point differences (noiseSigma), it is not fooled by
 * zero filling and apodisation, which correlate neighbouring points (4× zero filling made differences read σ ≈ 8×
 * too small on TopSpin ¹H data).
 */
import { medianInPlace } from './selectInPlace';

export function spectrumNoise(y: Float64Array, segments = 64): number {
  const n = y.length;
  const count = Math.max(1, Math.min(segments, Math.floor(n / 16)));
  const size = Math.floor(n / count);
  if (size < 2) return 0;
  const spreads = new Float64Array(count);
  const buffer = new Float64Array(size);
  for (let s = 0; s < count; s++) {
    buffer.set(y.subarray(s * size, (s + 1) * size));
    const med = medianInPlace(buffer);
    for (let i = 0; i < size; i++) buffer[i] = Math.abs(buffer[i]! - med);
    spreads[s] = medianInPlace(buffer) / 0.6745;
  }
  spreads.sort();
  return spreads[Math.floor((count - 1) / 4)]!;
}

