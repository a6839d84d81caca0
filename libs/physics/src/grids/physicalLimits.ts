/**
 * What a Laplace NMR acquisition and its answer can physically be, SI units. Wide on purpose — they exist to turn
 * a wrong unit, a corrupt file or a typo (a delay of 1e297 s, a T1 range of 1e-300 s) into a clear error instead of
 * a confident map.
 */
import type { KernelName } from '../types';

/** Longest delay or echo time: a day (hyperpolarised T1s reach hours, nothing waits longer). */
export const MAX_ACQUISITION_TIME = 86_400;
/** Largest b-value: 1e14 s/m² is far beyond the strongest diffusion probes (≈ 1e12 s/m²). */
export const MAX_B_VALUE = 1e14;

/** Relaxation times an output grid may span: 10 ns (below any dead time) to 1e5 s. */
export const RELAXATION_TIME_LIMITS: readonly [number, number] = [1e-8, 1e5];
/** Diffusion coefficients an output grid may span: 1e-18 m²/s (solids, polymers) to 1e-4 m²/s (gases). */
export const DIFFUSION_LIMITS: readonly [number, number] = [1e-18, 1e-4];

/** The output-axis limits of `kernel` with their unit, for messages. */
export function outputLimits(kernel: KernelName): { limits: readonly [number, number]; unit: string } {
  return kernel === 'D' ? { limits: DIFFUSION_LIMITS, unit: 'm²/s' } : { limits: RELAXATION_TIME_LIMITS, unit: 's' };
}

/** The largest acquisition-axis value of `kernel` (a time or a b-value) with its unit, for messages. */
export function maxAxisValue(kernel: KernelName): { max: number; unit: string } {
  return kernel === 'D' ? { max: MAX_B_VALUE, unit: 's/m²' } : { max: MAX_ACQUISITION_TIME, unit: 's' };
}
