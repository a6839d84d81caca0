import type { KernelName } from '../types';
import { logGrid } from './logGrid';
import { maxAxisValue, outputLimits } from './physicalLimits';

export interface AutoGridOptions {
  /** Number of grid points (default 64). */
  n?: number;
  /** Explicit range [min, max] in SI units; overrides the automatic choice. */
  range?: [number, number];
  /**
   * How far beyond what the acquisition samples the grid reaches, as a factor on each side (default 2 for
   * relaxation: shortest time / 2 … longest time × 2).
   */
  extend?: number;
}

export interface AutoGrid {
  values: Float64Array;
  /** The range the acquisition can actually constrain, SI units; outside it the map is extrapolation. */
  sensitive: [number, number];
}

/**
 * Output grid chosen from the acquisition's own x range. Relaxation: a component with T well below the first
 * delay/echo has gone before anything is sampled, one with T well above the last has not yet moved; the resolvable
 * range is about [x_min, x_max] (first non-zero x), extended a little on both sides so that edge peaks are not clipped.
 * Diffusion: exp(−bD) is informative for 1/b_max ≲ D ≲ 1/b_min.
 */
export function autoGrid(kernel: KernelName, x: ArrayLike<number>, options: AutoGridOptions = {}): AutoGrid {
  const n = options.n ?? 64;
  let lo = Infinity;
  let hi = 0;
  let positive = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > 0) {
      positive++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (positive < 2 || !(hi > lo)) {
    throw new RangeError(`autoGrid: the ${kernel} axis needs at least two distinct positive values`);
  }
  const axisMax = maxAxisValue(kernel);
  if (hi > axisMax.max) {
    throw new RangeError(
      `autoGrid: the ${kernel} axis reaches ${hi.toPrecision(3)} ${axisMax.unit}, beyond any acquisition (≤ ${axisMax.max} ${axisMax.unit}): wrong unit?`,
    );
  }
  let sensitive: [number, number];
  if (kernel === 'D') {
    sensitive = [1 / hi, 1 / lo];
  } else {
    sensitive = [lo, hi];
  }
  if (kernel === 'T2' && hi / lo < 20) {
    // A short echo train: components much longer than the train barely decay but still are resolvable to ~×5.
    sensitive = [lo, hi * 5];
  }
  const extend = options.extend ?? (kernel === 'D' ? 3 : 2);
  if (options.range) checkRange(kernel, options.range, sensitive);
  const range = options.range ?? [sensitive[0] / extend, sensitive[1] * extend];
  return { values: logGrid(range[0], range[1], n), sensitive };
}

/** How far outside what the acquisition samples a requested range may lie and still overlap something it sees. */
const RANGE_REACH = 1000;

/** A requested range must be physical and reach within three decades of what the acquisition samples. */
function checkRange(kernel: KernelName, range: [number, number], sensitive: [number, number]): void {
  const [lo, hi] = range;
  const { limits, unit } = outputLimits(kernel);
  const text = `${lo.toPrecision(3)}–${hi.toPrecision(3)} ${unit}`;
  if (!(lo > 0 && hi > lo && Number.isFinite(hi)))
    throw new RangeError(`autoGrid: the ${kernel} range ${text} is not an increasing pair of positive numbers`);
  if (lo < limits[0] || hi > limits[1])
    throw new RangeError(
      `autoGrid: the ${kernel} range ${text} is outside what is physical (${limits[0]}–${limits[1]} ${unit})`,
    );
  if (hi < sensitive[0] / RANGE_REACH || lo > sensitive[1] * RANGE_REACH)
    throw new RangeError(
      `autoGrid: the ${kernel} range ${text} lies far outside what this acquisition can see (${sensitive[0].toPrecision(3)}–${sensitive[1].toPrecision(3)} ${unit})`,
    );
}
