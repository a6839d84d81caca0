/**
 * The peaks of an inversion's map as `lapis invert` and the agent list them (inversionPeaks), and the listing kept to
 * what the noise draws reproduce (confirmInversionPeaks). docs/physics.md, "Reading a result".
 */
import { confirmPeaks, type ConfirmPeaksOptions, type ConfirmPeaksResult } from '../analysis/confirmPeaks';
import { describePeak, findPeaks, type FindPeaksOptions, type FindPeaksResult } from '../analysis/findPeaks';
import { builtFor } from '../inversion/builtWith';
import type { InvertInput } from '../inversion/invert';
import type { CompressedProblem } from '../numerics/compress';
import { ComponentModel } from './componentModel';
import { componentCandidates, componentTest, type ComponentTestOptions } from './componentTest';
import { estimatedIrBeta, inversionCompressed, inversionKernels, usableSigma, type InvertedMap } from './invertedMap';
import { mergeTest, type MergeTestOptions } from './mergeTest';
import { peakDataSnr } from './peakDataSnr';

export interface InversionPeaksOptions extends Omit<FindPeaksOptions, 'dataSnr'> {
  /**
   * The data's say on the listing — the merge test (mergeTest: map peaks that are one population in the data are
   * listed as one) and then the component test (componentTest: a map peak that holds two is split): true (default),
   * false to list the map's peaks as they are, or their options.
   */
  components?: boolean | (ComponentTestOptions & MergeTestOptions);
}

export interface InversionPeaksResult extends FindPeaksResult {
  /** What the component test did (absent when it did not run: switched off, or no usable σ). */
  componentTest?: { tested: number; split: number; elapsedMs: number };
  /**
   * What the merge test did (absent when it did not run: fewer than two peaks, switched off, or no usable σ);
   * `judged`: whether the log-normal components described the data well enough to weigh.
   */
  mergeTest?: { tested: number; merged: number; judged: boolean; elapsedMs: number };
}

/**
 * The peaks of an inversion's map as `lapis invert` and the agent list them: findPeaks on its grids, with each peak's
 * data SNR (peakDataSnr) attached and the peaks the data do not show left out; then the data decide what the map's
 * peaks are: map peaks that one log-normal population explains as well are listed as one (mergeTest; such a peak
 * carries `merged`), and a peak whose data demand two populations is split (componentTest; each carries `split`).
 * A warning says so for each.
 */
export function inversionPeaks(
  input: InvertInput,
  inversion: InvertedMap,
  options: InversionPeaksOptions = {},
): InversionPeaksResult {
  const { components = true, ...findOptions } = options;
  const sigma = inversion.solver.sigma;
  const built = builtFor(inversion, input.data, sigma);
  const kernels = built?.kernels ?? inversionKernels(input, inversion);
  const grids = inversion.axes.map((a) => a.values);
  const dataSnr = peakDataSnr(input, inversion, kernels);
  const found = findPeaks(inversion.distribution, grids, { ...findOptions, dataSnr });
  if (components === false || !usableSigma(sigma) || found.peaks.length === 0) return found;
  // An estimated β of an inversion-recovery first axis is fitted again by the tests (a nuisance parameter).
  const irBeta = estimatedIrBeta(input, inversion);
  const testOptions = { ...(irBeta === undefined ? {} : { irBeta }), ...(components === true ? {} : components) };
  // Compressed once for both tests, and only when one of them runs (σ usable: checked above).
  let compressed: CompressedProblem | undefined;
  const compressedOnce = () => (compressed ??= inversionCompressed(input, inversion, kernels)!);
  // One component model for both tests: its buffers, and the fit of the listed peaks when the merge test keeps them.
  let model: ComponentModel | undefined;
  const modelOnce = () => (model ??= new ComponentModel(compressedOnce(), grids, testOptions.irBeta));
  let result: InversionPeaksResult = found;
  if (found.peaks.length >= 2) {
    const cp = compressedOnce();
    const describe = (cells: Int32Array) => {
      const peak = describePeak(inversion.distribution, grids, cells, found.total);
      const snr = dataSnr(cells);
      return Number.isFinite(snr) ? { ...peak, dataSnr: snr } : peak;
    };
    const merge = mergeTest(cp, grids, found.peaks, describe, testOptions, modelOnce());
    const merged = found.peaks.length - merge.peaks.length;
    result = {
      ...found,
      peaks: merge.peaks,
      warnings: [...found.warnings, ...merge.notes],
      mergeTest: { tested: merge.tested, merged, judged: merge.judged, elapsedMs: merge.elapsedMs },
    };
  }
  // No peak to test: no compression either.
  if (componentCandidates(result.peaks, testOptions).length === 0) return result;
  const t0 = performance.now();
  const test = componentTest(compressedOnce(), grids, result.peaks, found.total, testOptions, modelOnce());
  const split = test.peaks.length - result.peaks.length;
  return {
    ...result,
    peaks: test.peaks,
    warnings: [...result.warnings, ...test.notes],
    componentTest: { tested: test.tested, split, elapsedMs: performance.now() - t0 },
  };
}

/**
 * The listed peaks of an inversion, kept to the populations its noise draws reproduce (confirmPeaks), with each one's
 * uncertainty from the same draws. Neighbouring map peaks are joined on the draws' evidence only where the merge test
 * could not weigh them (its log-normal components do not describe the data: real populations of other shapes); where
 * it did, its χ² verdict stands — the draws, inverted around an already smoothed fit, merge a close pair that the
 * data resolve (bench:physics D–T2 at SNR 100: a true pair 0.74 decade apart joined into one). Joined peaks get their
 * data SNR as findPeaks gives it. What `lapis invert` and the agent list.
 */
export function confirmInversionPeaks(
  input: InvertInput,
  inversion: InvertedMap,
  listed: Pick<InversionPeaksResult, 'peaks' | 'total' | 'mergeTest'>,
  replicates: readonly Float64Array[],
  options: ConfirmPeaksOptions = {},
): ConfirmPeaksResult {
  const grids = inversion.axes.map((a) => a.values);
  let snr: ((cells: ArrayLike<number>) => number) | undefined;
  const describe = (cells: Int32Array) => {
    const peak = describePeak(inversion.distribution, grids, cells, listed.total);
    const s = (snr ??= peakDataSnr(input, inversion, builtFor(inversion, input.data, inversion.solver.sigma)?.kernels))(
      cells,
    );
    return Number.isFinite(s) ? { ...peak, dataSnr: s } : peak;
  };
  const join = options.join ?? listed.mergeTest?.judged !== true;
  return confirmPeaks(listed.peaks, inversion.distribution, grids, listed.total, replicates, {
    describe,
    ...options,
    join,
  });
}
