/**
 * How strongly a population of the map shows in the data: the norm of the signal it contributes, ‖K·f_P‖ (f_P the
 * map restricted to the peak's cells), over the noise σ — a peak's SNR in data space, summed over every data point.
 *
 * The map's fractions are amplitudes at t = 0 (b = 0): a component shorter than the first echo, or diffusing so
 * fast that it has gone by the first gradient step, carries a fraction that is extrapolated through the kernel. On
 * noisy data a regularised solver can leave a few per cent of the map in such a corner — spread thinly over many
 * insensitive cells — whose whole contribution to the data is below one σ: the data do not show it, however large its
 * fraction reads. Measured on the bench:physics 2D suite (Tikhonov): such corner peaks had a data SNR of 0.6–0.7,
 * the smallest true population 74 (a 37 % peak at SNR 50). findPeaks drops peaks under `minDataSnr` (default 5) when
 * given this function.
 *
 * ‖K1·F_P·K2ᵀ‖² = Σ f_ij·f_kl·(K1ᵀK1)_ik·(K2ᵀK2)_jl over the peak's cells, with the kernels' Gram matrices (closed form
 * for evenly spaced echo trains): no pass over the data.
 */
import { confirmPeaks, type ConfirmPeaksOptions, type ConfirmPeaksResult } from '../analysis/confirmPeaks';
import { describePeak, findPeaks, type FindPeaksOptions, type FindPeaksResult } from '../analysis/findPeaks';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { gramOf } from '../linalg/kernelSvd';
import type { Matrix } from '../types';
import { builtFor } from './builtWith';
import { compress, type CompressedProblem } from './compress';
import {
  componentCandidates,
  componentTest,
  mergeTest,
  type ComponentTestOptions,
  type MergeTestOptions,
} from './componentTest';
import type { Inversion, InvertInput } from './invert';
import { problem1d } from './types';

/** What the peaks of a map need from its inversion (a classical one, or the network's on the same grids). */
export type InvertedMap = Pick<Inversion, 'axes' | 'distribution' | 'solver' | 'beta'>;

/** The kernels of the inversion on its own grids (T1-IR with the β it used). */
function inversionKernels(input: InvertInput, inversion: InvertedMap): Matrix[] {
  return input.axes.map((axis, d) => {
    const grid = inversion.axes[d]!.values;
    const spec =
      axis.kernel === 'T1-IR'
        ? { kernel: axis.kernel, beta: inversion.beta?.value ?? axis.beta ?? 1 }
        : { kernel: axis.kernel };
    return kernelMatrix(spec, axis.values, grid);
  });
}

/**
 * The inversion's data in the compressed space of its own grids and σ — the space the component test fits in: what
 * invert built if it can be reused (builtWith), else made afresh (from `kernels` when the caller has them).
 * Undefined where the inversion has no usable σ.
 */
export function inversionCompressed(
  input: InvertInput,
  inversion: InvertedMap,
  kernels?: Matrix[],
): CompressedProblem | undefined {
  const sigma = inversion.solver.sigma;
  if (!usableSigma(sigma)) return undefined;
  const built = builtFor(inversion, input.data, sigma);
  if (built?.compressed) return built.compressed;
  const k = kernels ?? built?.kernels ?? inversionKernels(input, inversion);
  const problem = k.length === 2 ? { k1: k[0]!, k2: k[1]!, data: input.data } : problem1d(k[0]!, input.data);
  return compress(problem, { sigma });
}

const usableSigma = (sigma: number) => sigma > 0 && Number.isFinite(sigma);

/**
 * The β the inversion estimated for an inversion-recovery first axis — what the component and merge tests refit as a
 * nuisance parameter (`irBeta`); undefined where β was given or there is no such axis.
 */
export function estimatedIrBeta(input: InvertInput, inversion: InvertedMap): number | undefined {
  return inversion.beta?.estimated && input.axes[0]?.kernel === 'T1-IR' ? inversion.beta.value : undefined;
}

/** Infinity (nothing to compare with) where the inversion has no finite σ > 0; findPeaks then attaches nothing. */
export function peakDataSnr(
  input: InvertInput,
  inversion: InvertedMap,
  kernels?: Matrix[],
): (region: ArrayLike<number>) => number {
  const sigma = inversion.solver.sigma;
  if (!usableSigma(sigma)) return () => Infinity;
  const grams = (kernels ?? inversionKernels(input, inversion)).map((k) => gramOf(k));
  const n2 = input.axes.length === 2 ? inversion.axes[1]!.values.length : 1;
  const n1 = inversion.axes[0]!.values.length;
  const g1 = grams[0]!;
  const g2 = grams[1];
  const f = inversion.distribution;
  return (region) => {
    const cells = Array.from(region).filter((c) => f[c]! > 0);
    let energy = 0;
    for (const a of cells) {
      const i = Math.floor(a / n2);
      const j = a - i * n2;
      const fa = f[a]!;
      for (const b of cells) {
        const k = Math.floor(b / n2);
        const l = b - k * n2;
        energy += fa * f[b]! * g1[i * n1 + k]! * (g2 ? g2[j * n2 + l]! : 1);
      }
    }
    return Math.sqrt(Math.max(energy, 0)) / sigma;
  };
}

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
  /** What the merge test did (absent when it did not run: fewer than two peaks, switched off, or no usable σ). */
  /** What the merge test did; `judged`: whether the log-normal components described the data well enough to weigh. */
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
  let result: InversionPeaksResult = found;
  if (found.peaks.length >= 2) {
    const cp = compressedOnce();
    const describe = (cells: Int32Array) => {
      const peak = describePeak(inversion.distribution, grids, cells, found.total);
      const snr = dataSnr(cells);
      return Number.isFinite(snr) ? { ...peak, dataSnr: snr } : peak;
    };
    const merge = mergeTest(cp, grids, found.peaks, describe, testOptions);
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
  const test = componentTest(compressedOnce(), grids, result.peaks, found.total, testOptions);
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
