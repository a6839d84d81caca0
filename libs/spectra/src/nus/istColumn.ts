/**
 * Iterative soft thresholding (IST) of one non-uniformly sampled t1 signal, the inner loop of an hmsIST-style
 * reconstruction (S. G. Hyberts, A. G. Milbradt, A. B. Wagner, H. Arthanari, G. Wagner, "Application of iterative
 * soft thresholding for fast reconstruction of NMR data non-uniformly sampled with multidimensional Poisson Gap
 * scheduling", J. Biomol. NMR 52 (2012) 315). The signal (length L, a power of two) is known at some positions
 * (the sampled t1 points; zeros past the acquisition count as known too) and unknown elsewhere (zero to start).
 * Each iteration: Fourier transform; soft-threshold the spectrum (shrink every value towards 0 by λ, those below λ
 * become 0: the sparse model); inverse transform; put the measured values back at the known positions. λ starts
 * just under the spectrum's maximum and falls by `factor` per iteration to `floor` (a few noise σ), so the strongest
 * lines enter the model first and their sampling artifacts are explained away before weaker lines are looked for;
 * `finalIterations` more at the floor let it settle. The result keeps every measured value exactly; the unsampled
 * points come from the model.
 *
 * Two spectrum models:
 * - 'magnitude': a complex spectrum, thresholded on |X| (phase-modulated data, or phase-sensitive data whose F1
 *   phase is unknown);
 * - 'real-pair': two signals packed as one, z = a + i·b, each built as a virtual echo (see istReconstruct.ts) so its
 *   spectrum is real: FFT(z) = A + i·B with A, B real, so Re and Im are thresholded separately, as two real spectra,
 *   at the cost of one complex transform of length L.
 *
 * No allocation: the caller owns the buffers. Forward transforms are fftInPlace(re, im); the inverse is the same
 * transform on (im, re) — swapping the parts conjugates on both sides — with the 1/L folded into the thresholding.
 */
import { fftInPlace } from '../processing/fft';

export type IstModel = 'magnitude' | 'real-pair';

export interface IstColumnSettings {
  model: IstModel;
  /** Lowest threshold, in units of the unnormalised spectrum (a few σ of its noise). */
  floor: number;
  /** Threshold multiplier per iteration, 0 < factor < 1. */
  factor: number;
  /** Iterations at the floor before stopping. */
  finalIterations: number;
  maxIterations: number;
}

export interface IstColumnResult {
  /** 0 when the spectrum never rose above the floor (nothing to reconstruct: the zero-filled data are returned). */
  iterations: number;
  /** Squared residual of the last sparse model at the known positions (before the data were put back). */
  residual2: number;
}

/**
 * Reconstructs in place: on entry (re, im) are ignored; `known[0…count)` are positions with values (kr, ki). On
 * return (re, im) hold the reconstructed signal (measured values at the known positions).
 */
export function istColumn(
  re: Float64Array,
  im: Float64Array,
  known: Int32Array,
  kr: Float64Array,
  ki: Float64Array,
  count: number,
  s: IstColumnSettings,
): IstColumnResult {
  const L = re.length;
  re.fill(0);
  im.fill(0);
  for (let j = 0; j < count; j++) {
    re[known[j]!] = kr[j]!;
    im[known[j]!] = ki[j]!;
  }
  fftInPlace(re, im);
  const pair = s.model === 'real-pair';
  let top = 0;
  for (let k = 0; k < L; k++) {
    const v = pair ? Math.max(Math.abs(re[k]!), Math.abs(im[k]!)) : re[k]! * re[k]! + im[k]! * im[k]!;
    if (v > top) top = v;
  }
  if (!pair) top = Math.sqrt(top);
  if (!(top > s.floor)) {
    re.fill(0);
    im.fill(0);
    for (let j = 0; j < count; j++) {
      re[known[j]!] = kr[j]!;
      im[known[j]!] = ki[j]!;
    }
    return { iterations: 0, residual2: 0 };
  }
  const scale = 1 / L;
  let lambda = Math.max(s.floor, top * s.factor);
  let atFloor = 0;
  let iterations = 0;
  let residual2 = 0;
  for (;;) {
    iterations++;
    if (pair) softThresholdPair(re, im, lambda, scale);
    else softThresholdMagnitude(re, im, lambda, scale);
    fftInPlace(im, re); // inverse (scaled above)
    const last = (lambda <= s.floor && atFloor + 1 >= s.finalIterations) || iterations >= s.maxIterations;
    if (last) {
      residual2 = 0;
      for (let j = 0; j < count; j++) {
        const dr = re[known[j]!]! - kr[j]!;
        const di = im[known[j]!]! - ki[j]!;
        residual2 += dr * dr + di * di;
      }
    }
    for (let j = 0; j < count; j++) {
      re[known[j]!] = kr[j]!;
      im[known[j]!] = ki[j]!;
    }
    if (last) break;
    fftInPlace(re, im);
    if (lambda <= s.floor) atFloor++;
    lambda = Math.max(s.floor, lambda * s.factor);
  }
  return { iterations, residual2 };
}

function softThresholdMagnitude(re: Float64Array, im: Float64Array, lambda: number, scale: number): void {
  const l2 = lambda * lambda;
  for (let k = 0; k < re.length; k++) {
    const m2 = re[k]! * re[k]! + im[k]! * im[k]!;
    if (m2 <= l2) {
      re[k] = 0;
      im[k] = 0;
    } else {
      const f = (1 - lambda / Math.sqrt(m2)) * scale;
      re[k] = re[k]! * f;
      im[k] = im[k]! * f;
    }
  }
}

function softThresholdPair(re: Float64Array, im: Float64Array, lambda: number, scale: number): void {
  for (let k = 0; k < re.length; k++) {
    const a = re[k]!;
    const b = im[k]!;
    re[k] = a > lambda ? (a - lambda) * scale : a < -lambda ? (a + lambda) * scale : 0;
    im[k] = b > lambda ? (b - lambda) * scale : b < -lambda ? (b + lambda) * scale : 0;
  }
}
