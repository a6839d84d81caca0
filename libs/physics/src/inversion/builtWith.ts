import type { Matrix } from '../types';
import type { CompressedProblem } from '../numerics/compress';

/**
 * What `invert` built on the way to a map — its kernels on the output grids and the data's full SVD compression —
 * kept beside the Inversion it returned, so that the peak listing (peakDataSnr's Gram matrices, the component test's
 * compressed problem) does not build them again (docs/physics.md, "Reusing invert's kernels and compression").
 * Weakly held: gone with the Inversion. A caller that passes other data, or an inversion whose σ is not the
 * compression's (GCV's own estimate where the data leave too few points for one), gets nothing and builds its own.
 */
export interface BuiltWith {
  data: Float64Array;
  kernels: Matrix[];
  compressed?: CompressedProblem;
}

const built = new WeakMap<object, BuiltWith>();

export function rememberBuilt(inversion: object, entry: BuiltWith): void {
  built.set(inversion, entry);
}

/** Everything remembered for an inversion (invert's slow-edge retry reads its first pass's). */
export function builtBy(inversion: object): BuiltWith | undefined {
  return built.get(inversion);
}

/** The kernels invert used for these data, and its compression if it was made with this σ. */
export function builtFor(
  inversion: object,
  data: Float64Array,
  sigma: number,
): { kernels: Matrix[]; compressed?: CompressedProblem } | undefined {
  const hit = built.get(inversion);
  if (!hit || hit.data !== data) return undefined;
  return hit.compressed && hit.compressed.sigma === sigma
    ? { kernels: hit.kernels, compressed: hit.compressed }
    : { kernels: hit.kernels };
}
