/**
 * Classical denoising of a 1D spectrum for display: the undecimated (à trous) B3-spline wavelet transform — the
 * "starlet" of J.-L. Starck, J. Fadili, F. Murtagh, IEEE Trans. Image Process. 16 (2007) 297 — with each scale's
 * coefficients kept where they stand above `k` times that scale's own noise (estimated from the scale by the median
 * absolute deviation, so correlated noise from zero filling is measured, not assumed) and over the footprint around
 * them. The reconstruction is the sum of the kept scales and the coarse residual; the coarse part carries every
 * line's area and each kept footprint sums to zero, so integrals are kept but for the noise left in them.
 */

export interface WaveletDenoiseOptions {
  /** Scales (default 6: structures up to ~2⁶ points wide are denoised; broader ones pass through). */
  scales?: number;
  /** Threshold in units of each scale's noise σ (default 3; the finest scale gets one more). */
  k?: number;
}

/** The denoised spectrum, and each scale's noise σ (MAD-estimated), finest first. */
export function waveletDenoise(
  real: ArrayLike<number>,
  options: WaveletDenoiseOptions = {},
): { real: Float64Array; scaleNoise: number[] } {
  const n = real.length;
  const scales = options.scales ?? 6;
  const k = options.k ?? 3;
  let smooth: Float64Array = Float64Array.from(real);
  const out = new Float64Array(n);
  const scaleNoise: number[] = [];
  for (let j = 0; j < scales; j++) {
    const next = b3Smooth(smooth, 1 << j);
    const detail = new Float64Array(n);
    for (let i = 0; i < n; i++) detail[i] = smooth[i]! - next[i]!;
    const sigma = madSigma(detail);
    scaleNoise.push(sigma);
    const threshold = (j === 0 ? k + 1 : k) * sigma;
    // A line's coefficients sum to zero over its footprint (a positive core, negative flanks below the threshold):
    // keep the whole footprint around every significant coefficient, or the cut flanks would add area to the line.
    const reach = 4 << j;
    let keepUntil = -1;
    for (let i = 0; i < n; i++) {
      if (Math.abs(detail[i]!) > threshold) {
        for (let m = Math.max(keepUntil + 1, i - reach); m < i; m++) out[m]! += detail[m]!;
        keepUntil = Math.max(keepUntil, i + reach);
      }
      if (i <= keepUntil) out[i]! += detail[i]!;
    }
    smooth = next;
  }
  for (let i = 0; i < n; i++) out[i]! += smooth[i]!;
  return { real: out, scaleNoise };
}

/** One à trous step: the B3-spline kernel [1, 4, 6, 4, 1]/16 with holes of `gap` points, mirrored at the ends. */
function b3Smooth(y: Float64Array, gap: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  const at = (i: number) => {
    let m = i < 0 ? -i : i;
    if (m >= n) m = Math.max(0, 2 * (n - 1) - m);
    return y[m]!;
  };
  for (let i = 0; i < n; i++) {
    out[i] = (6 * y[i]! + 4 * (at(i - gap) + at(i + gap)) + at(i - 2 * gap) + at(i + 2 * gap)) / 16;
  }
  return out;
}

/** σ of a scale's noise: the median absolute deviation / 0.6745, robust to the few large coefficients of lines. */
function madSigma(d: Float64Array): number {
  const a = Float64Array.from(d, Math.abs).sort();
  return a[a.length >> 1]! / 0.6745;
}
