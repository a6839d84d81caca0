/**
 * Reconstruction of a non-uniformly sampled 2D `ser` by iterative soft thresholding, as hmsIST does it (Hyberts et
 * al., J. Biomol. NMR 52 (2012) 315): every sampled row Fourier transformed in F2 (no window: the transform is
 * undone exactly at the end), then every F2 column's t1 signal reconstructed on its own (istColumn.ts), then the
 * rows transformed back. The result is the full, uniformly sampled ser in the same F1 mode, measured rows
 * unchanged, for the ordinary 2D processing (process2d) with its own windows, phases and zero filling.
 *
 * F1 modes (f1Modes.ts): QF (phase-modulated, one row per t1 point) reconstructs the complex t1 signal of each
 * column as it is. States, States-TPPI and echo-antiecho (two rows per t1 point; echo-antiecho made States first,
 * C = (E + A)/2, S = i·(E − A)/2, and back at the end) give two complex t1 signals per F2 column, a = Re R₂ₖ +
 * i·Re R₂ₖ₊₁ and b = Im R₂ₖ + i·Im R₂ₖ₊₁ (R the F2-transformed rows): each is a sum of e^{iω₁t₁} with *real*
 * amplitudes (the F2 lineshape's real or imaginary part), whatever the F2 phase. TPPI and QSEQ (one real t1 series)
 * are refused.
 *
 * Virtual echo (M. Mayzel, K. Kazimierczuk, V. Y. Orekhov, Chem. Commun. 50 (2014) 8947): once the F1 phase is
 * known and removed, a and b have purely absorptive F1 spectra, but a one-sided signal's transform still carries
 * the dispersive part, whose slow 1/ν tails are anything but sparse. Extending each signal to negative times as
 * s(−t) = conj(s(t)) makes its transform real — the absorptive part alone, twice — so the model is sparser and
 * each sampled point is used twice (at t and −t). Needs the F1 phase (phase0; phase1 must be 0, the first t1 point
 * at t1 = 0); without it the complex 'magnitude' model is used. The two virtual echoes are packed into one
 * complex transform (istColumn 'real-pair').
 *
 * Threshold floor: `noiseFloor` × the σ of one spectrum value that noise alone gives, from the noise σ of the F2-
 * transformed data (robustSigma: second differences across F2, quietest bands) and the number of sampled points.
 * Columns whose zero-filled spectrum never exceeds the floor are left as they are (noise only).
 *
 * Quality: (1) the sparse model's residual at the sampled points relative to the data there, beside what noise
 * alone would leave; their ratio is ≈ 1.2 for good reconstructions of simulated data (soft thresholding shrinks
 * every line a little) and grows when the model misses signal. It cannot see errors at the unsampled points, which
 * the data do not constrain; so (2), with `validation`, every column is reconstructed once more without a tenth or
 * so of its sampled points, and the prediction error at those, relative to noise, measures exactly that (≈ 1.3 at
 * 25 % with the virtual echo on simulated data, 2.4 at 10 %; a wrong F1 phase doubles it). Per F2 column both
 * ratios are kept; nusPeakConfidence (peakConfidence.ts) turns the second into a confidence per peak.
 */
import type { ComplexRows } from '../processing/complexRows';
import type { F1Mode } from '../process2d/f1Modes';
import { istColumn, type IstColumnSettings } from './istColumn';
import { closeNusDomain, NusQualityTally, openNusDomain, type IstQuality, type NusDomainOptions } from './nusDomain';

export { nusRowsPerPoint } from './nusDomain';
export type { IstQuality, IstValidation } from './nusDomain';

export interface IstOptions extends NusDomainOptions {
  /** Last threshold, in noise σ of one spectrum value (default 3). */
  noiseFloor?: number;
  /** Threshold multiplier per iteration (default 0.9). */
  factor?: number;
  /** Iterations at the floor before stopping (default 10). */
  finalIterations?: number;
  /** Iterations per column at most (default 400). */
  maxIterations?: number;
}

export interface IstResult {
  /** All t1Points × rowsPerPoint rows in t1 order, `points` per row, the mode of the input. */
  ser: ComplexRows;
  quality: IstQuality;
}

/**
 * `sampled`: the measured rows in schedule order (rowsPerPoint per schedule entry, as TopSpin stores a NUS ser);
 * `schedule`: the t1 index (0 … t1Points − 1) of each; `t1Points`: complex t1 points of the full acquisition.
 */
export function istReconstruct(
  sampled: ComplexRows,
  schedule: ArrayLike<number>,
  mode: F1Mode,
  t1Points: number,
  options: IstOptions = {},
): IstResult {
  const t0 = performance.now();
  const d = openNusDomain(sampled, schedule, mode, t1Points, options);
  const { L, P, problem, held } = d;
  const xr = new Float64Array(L);
  const xi = new Float64Array(L);
  const xr2 = new Float64Array(L);
  const xi2 = new Float64Array(L);
  const settings: IstColumnSettings = {
    model: d.model,
    floor: (options.noiseFloor ?? 3) * d.spectrumSigma,
    factor: options.factor ?? 0.9,
    finalIterations: options.finalIterations ?? 10,
    maxIterations: options.maxIterations ?? 400,
  };
  if (!(settings.factor > 0 && settings.factor < 1))
    throw new RangeError(`istReconstruct: factor ${settings.factor} not in (0, 1)`);
  const tally = new NusQualityTally(d);
  for (let c = 0; c < P; c++) {
    for (const channel of d.channels) {
      const [outR, outI] = channel === 0 ? [xr, xi] : [xr2, xi2];
      if (held) {
        problem.fill(c, channel, held);
        istColumn(outR, outI, problem.known, problem.kr, problem.ki, problem.count, settings);
        tally.heldOut(problem.heldOutError2(c, channel, held, outR, outI), problem.heldNorm2);
      }
      problem.fill(c, channel);
      const d2 = problem.dataNorm2();
      const r = istColumn(outR, outI, problem.known, problem.kr, problem.ki, problem.count, settings);
      tally.channel(d2, problem.dataCount, r.iterations, r.residual2);
    }
    problem.store(c, d.Gr, d.Gi, xr, xi, xr2, xi2);
    tally.endColumn(c);
  }
  const ser = closeNusDomain(d);
  return { ser, quality: tally.quality(performance.now() - t0) };
}
