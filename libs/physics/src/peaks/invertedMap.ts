/** What the peak listing needs from an inversion: its kernels, its compressed data and its estimated β. */
import { kernelMatrix } from '../kernels/kernelMatrix';
import type { Matrix } from '../types';
import { builtFor } from '../inversion/builtWith';
import type { Inversion, InvertInput } from '../inversion/invert';
import { compress, type CompressedProblem } from '../numerics/compress';
import { problem1d } from '../solvers/types';

/** What the peaks of a map need from its inversion (a classical one, or the network's on the same grids). */
export type InvertedMap = Pick<Inversion, 'axes' | 'distribution' | 'solver' | 'beta'>;

/** The kernels of the inversion on its own grids (T1-IR with the β it used). */
export function inversionKernels(input: InvertInput, inversion: InvertedMap): Matrix[] {
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

export const usableSigma = (sigma: number) => sigma > 0 && Number.isFinite(sigma);

/**
 * The β the inversion estimated for an inversion-recovery first axis — what the component and merge tests refit as a
 * nuisance parameter (`irBeta`); undefined where β was given or there is no such axis.
 */
export function estimatedIrBeta(input: InvertInput, inversion: InvertedMap): number | undefined {
  return inversion.beta?.estimated && input.axes[0]?.kernel === 'T1-IR' ? inversion.beta.value : undefined;
}
