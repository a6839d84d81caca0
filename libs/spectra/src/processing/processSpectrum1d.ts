/**
 * One FID → its processed spectrum, the way processPseudo2d treats each row (the same transform: zero filling,
 * exponential window, FFT, digital-filter delay removed as a linear phase, first-order phase by ACME and zero-order
 * by the absorption criterion, polynomial baseline through the points outside the signal regions), then a Whittaker
 * baseline, with the noise measured as spectrumNoise does and the axis in ppm, highest first.
 */
import type { ComplexRows } from './complexRows';
import { exponentialWindow, processPseudo2d, type SpectralParameters } from './processPseudo2d';
import { spectrumNoise } from './spectrumNoise';
import { whittakerBaseline } from './whittakerBaseline';

export interface ProcessSpectrum1dOptions {
  /** Points after zero filling, a power of two ≥ the FID's (default: the next power of two above twice the FID). */
  size?: number;
  /** Exponential line broadening, Hz (default 0.3). */
  lineBroadening?: number;
  /** Zero- and first-order phase, rad (default automatic). */
  phase0?: number;
  phase1?: number;
  /**
   * When the windowed FID still holds more than 0.5 % of its signal at the end (truncated: the step to the zero
   * filling rings through the spectrum with the period 1/AQ, ripples a picker takes for peaks), taper its last 10 %
   * to zero (default true; reported in the warnings).
   */
  untruncate?: boolean;
  /** Baseline polynomial order 0–5 (default 1) through the points outside the signal regions. */
  baselineOrder?: number;
  /** 'whittaker' (default): that polynomial, then an asymmetric-least-squares baseline (whittakerBaseline.ts). */
  baseline?: 'whittaker' | 'linear';
}

export interface Spectrum1d {
  /** ppm of each point, highest first. */
  ppm: Float64Array;
  /** The processed real spectrum (phased, baseline corrected), in the FID's units × points. */
  real: Float64Array;
  /** Hz between neighbouring points. */
  hzPerPoint: number;
  /** Reference frequency SF, MHz (ppm × SF = Hz). */
  sf: number;
  /** Noise σ of `real` (spectrumNoise). */
  noise: number;
  /** Phases applied, rad (the first-order one across the spectral width, zero at the carrier). */
  phase0: number;
  phase1: number;
  lineBroadening: number;
  /**
   * How much signal the FID still had when acquisition stopped, after the window: the RMS of its last 2 % over its
   * largest value. Above ~0.005 the spectrum carries sinc wiggles around strong lines (pickPeaks1d discounts them).
   */
  truncation: number;
  warnings: string[];
}

export function processSpectrum1d(
  fid: ComplexRows,
  spectral: SpectralParameters,
  options: ProcessSpectrum1dOptions = {},
): Spectrum1d {
  if (fid.rows !== 1) throw new RangeError(`processSpectrum1d: one FID expected, got ${fid.rows} rows`);
  const lineBroadening = options.lineBroadening ?? 0.3;
  const truncation = truncationOf(fid, spectral, lineBroadening);
  const taper = (options.untruncate ?? true) && truncation > 0.005 ? 0.1 : 0;
  const size = options.size ?? 2 ** Math.ceil(Math.log2(2 * fid.points));
  const processed = processPseudo2d(fid, spectral, {
    size: Math.max(size, 2 ** Math.ceil(Math.log2(fid.points))),
    lineBroadening,
    ...(options.phase0 !== undefined ? { phase0: options.phase0 } : {}),
    ...(options.phase1 !== undefined ? { phase1: options.phase1 } : {}),
    baselineOrder: options.baselineOrder ?? 1,
    groupMultiplets: false,
    endTaper: taper,
  });
  const real = processed.spectra!;
  const warnings = processed.warnings.filter((w) => w !== 'no signal region above the noise');
  if (taper > 0)
    warnings.push(
      `FID truncated (${(100 * truncation).toFixed(1)} % of its signal left at the end after the window): its last ` +
        `${100 * taper} % tapered to zero against the ripple the step would put through the spectrum`,
    );
  // The straight baseline through the quiet points leaves the broad rolls of a ¹H spectrum with a 10⁵ dynamic
  // range (tens of σ on the bruker-data-test spectra): a Whittaker asymmetric-least-squares baseline takes them out.
  if (options.baseline !== 'linear') {
    const z = whittakerBaseline(real);
    for (let i = 0; i < real.length; i++) real[i]! -= z[i]!;
  }
  return {
    ppm: processed.ppm,
    real,
    hzPerPoint: spectral.sw / processed.size,
    sf: spectral.sf ?? spectral.sfo1,
    noise: spectrumNoise(real),
    phase0: processed.phase0,
    phase1: processed.phase1,
    lineBroadening,
    truncation,
    warnings,
  };
}

/** RMS of the windowed FID's last 2 % (at least 8 points) over its largest magnitude. */
function truncationOf(fid: ComplexRows, spectral: SpectralParameters, lineBroadening: number): number {
  const n = fid.points;
  const window = exponentialWindow(n, lineBroadening, spectral.groupDelay ?? 0, spectral.sw);
  let peak = 0;
  for (let k = 0; k < n; k++) peak = Math.max(peak, Math.hypot(fid.re[k]!, fid.im[k]!) * window[k]!);
  const tail = Math.max(8, Math.floor(0.02 * n));
  let sum = 0;
  for (let k = Math.max(0, n - tail); k < n; k++) sum += (fid.re[k]! ** 2 + fid.im[k]! ** 2) * window[k]! ** 2;
  return peak > 0 ? Math.sqrt(sum / Math.min(tail, n)) / peak : 0;
}
