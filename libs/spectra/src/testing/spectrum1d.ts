/** Test helpers: a Lorentzian line, and a Spectrum1d around given values (1 Hz and 0.01 ppm per point, SF 100 MHz). */
import type { Spectrum1d } from '../processing/processSpectrum1d';

/** Height h at x0, full width at half height w (points). */
export const lorentz = (x: number, x0: number, h: number, w: number) => h / (1 + (4 * (x - x0) ** 2) / (w * w));

export function spectrumOf(real: Float64Array, noise: number): Spectrum1d {
  const ppm = Float64Array.from({ length: real.length }, (_, i) => 10 - i * 0.01);
  return {
    ppm,
    real,
    hzPerPoint: 1,
    sf: 100,
    noise,
    phase0: 0,
    phase1: 0,
    lineBroadening: 0,
    truncation: 0,
    warnings: [],
  };
}
