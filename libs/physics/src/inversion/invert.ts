/**
 * `invert`: from an acquisition's axes and data to a distribution on an automatic log grid, with the method chosen
 * per dataset. This is what the CLI and the agent call; solvers stay usable on their own.
 *
 * - Grids: log-spaced from the acquisition's own x range (grids/autoGrid), overridable per axis.
 * - Automatic grids reach a little past what the acquisition samples. Where a population sits on the slow edge (long
 *   T1/T2, small D: it has barely decayed by the last echo or gradient step, yet the data show it), the grid is
 *   extended by a decade on that side and the data inverted again, with a warning: a population just outside the
 *   sensitive window stays on the map (flagged) instead of being pinned at the grid's end.
 * - Inversion recovery: real inversion pulses invert by (1+β)/2 with β < 1; ignoring that puts spurious long-T1
 *   intensity on the map. Unless β is given, it is estimated first from the data (the profile of the NNLS misfit over
 *   β, see estimateInversionFactor) and then used in the kernel; the estimate is reported.
 * - `method: 'auto'` picks per dataset and says why in `methodReason`.
 */
import { autoGrid } from '../grids/autoGrid';
import { kernelMatrix } from '../kernels/kernelMatrix';
import { axisNameOf, axisUnitOf, type AxisName, type KernelName, type Matrix } from '../types';
import type { RelaxationSiUnit } from '@lapis/contracts/vocabulary';
import { builtBy, rememberBuilt, type BuiltWith } from './builtWith';
import { compress } from '../numerics/compress';
import { BETA_WARNING_PREFIX, estimateInversionFactor } from './estimateInversionFactor';
import { iltNnls } from '../solvers/iltNnls';
import { iltSparse } from '../solvers/iltSparse';
import { iltTikhonov, type AlphaRule } from '../solvers/iltTikhonov';
import { iltUpen } from '../solvers/iltUpen';
import { problem1d, type Problem, type SolverResult } from '../solvers/types';
import { chooseMethod } from './chooseMethod';
import { maxAbsFinite, residualEnergy } from '../numerics/dataSums';
import { extendedRange, slowEdgeHolds } from './slowEdge';

export type Method = 'auto' | 'tikhonov' | 'upen' | 'sparse' | 'nnls';
export const METHODS: readonly Method[] = ['auto', 'tikhonov', 'upen', 'sparse', 'nnls'];

export interface InvertAxis {
  kernel: KernelName;
  /** x values: delays / echo times in s, or b in s/m². */
  values: ArrayLike<number>;
  /** Inversion efficiency for T1-IR (1 − (1+β)·e^(−τ/T1)); estimated from the data when absent. */
  beta?: number;
}

export interface InvertInput {
  axes: [InvertAxis] | [InvertAxis, InvertAxis];
  /** Row-major m1 × m2 (1D: m1). */
  data: Float64Array;
}

export interface InvertOptions {
  method?: Method;
  /** Grid points per dimension (default 64 for 2D, 128 for 1D). */
  grid?: number;
  /** Grid points of each axis, when they differ (an inversion's own grids again: its axes' lengths); overrides grid. */
  gridPoints?: number[];
  /** Explicit output range per dimension, SI units. */
  ranges?: ([number, number] | undefined)[];
  /** Noise standard deviation in data units, if known. */
  sigma?: number;
  /** Regularisation rule or fixed weight for the Tikhonov family (default: discrepancy). */
  alpha?: AlphaRule | number;
  /**
   * Extend an automatic grid past a slow edge that holds a population (default true; the extended axis gets more
   * points at the same spacing). false keeps the grids as chosen, e.g. for a network that works on a fixed n × n.
   */
  extendSlowEdge?: boolean;
}

export interface OutputAxis {
  name: AxisName;
  unit: RelaxationSiUnit;
  values: Float64Array;
  /** Range the acquisition can constrain; outside it the map is extrapolation. */
  sensitive: [number, number];
}

export interface Inversion {
  method: Exclude<Method, 'auto'>;
  /** Why this method was used (for `auto`, why it was picked). */
  methodReason: string;
  axes: OutputAxis[];
  /** n1 × n2 row-major (1D: n1), amplitude per grid cell in data units. */
  distribution: Float64Array;
  solver: SolverResult;
  /** Inversion efficiency used for T1-IR data, and whether it was estimated. */
  beta?: { value: number; estimated: boolean };
  warnings: string[];
  /** Everything from kernels to the solution, β estimation and regularisation choice included. */
  elapsedMs: number;
}

export function invert(input: InvertInput, options: InvertOptions = {}): Inversion {
  const t0 = performance.now();
  const first = invertOnGrids(input, options);
  const ranges = first.axes.map((axis, d) =>
    options.extendSlowEdge !== false && options.ranges?.[d] === undefined && slowEdgeHolds(first, d)
      ? extendedRange(axis)
      : undefined,
  );
  if (ranges.every((r) => r === undefined)) return first;
  // The extended axis keeps its spacing (more points, not coarser ones: at the same count the map changed enough to
  // break broad single populations into two). β does not depend on the grid: the first estimate is used again.
  const points = first.axes.map((a, d) =>
    ranges[d]
      ? Math.round(
          ((a.values.length - 1) * Math.log(ranges[d][1] / ranges[d][0])) /
            Math.log(a.values[a.values.length - 1]! / a.values[0]!),
        ) + 1
      : a.values.length,
  );
  const again = invertOnGrids(
    input,
    {
      ...options,
      ranges: first.axes.map(
        (a, d) => ranges[d] ?? options.ranges?.[d] ?? [a.values[0]!, a.values[a.values.length - 1]!],
      ),
      gridPoints: points,
    },
    first.beta,
    // the axes not extended keep their kernels, SVDs and the data's projection
    ranges.map((r) => r === undefined),
    builtBy(first),
  );
  // …and so is what was said about it
  again.warnings.unshift(...first.warnings.filter((w) => w.startsWith(BETA_WARNING_PREFIX)));
  ranges.forEach((r, d) => {
    if (!r) return;
    const axis = again.axes[d]!;
    const slow = axis.name === 'D' ? `down to ${r[0].toPrecision(3)}` : `up to ${r[1].toPrecision(3)}`;
    again.warnings.push(
      `axis ${d} (${axis.name}): the automatic grid was extended ${slow} ${axis.unit}, past what the acquisition samples (${axis.sensitive[0].toPrecision(3)}–${axis.sensitive[1].toPrecision(3)} ${axis.unit}): the first map held a population at its slow edge; positions out there are extrapolated`,
    );
  });
  return { ...again, elapsedMs: performance.now() - t0 };
}

/**
 * One inversion on the grids the options give. `kept` and `earlier` (invert's slow-edge retry): the axes whose grid is
 * the earlier pass's, and what that pass built — their kernels and SVDs are used again.
 */
function invertOnGrids(
  input: InvertInput,
  options: InvertOptions,
  known?: Inversion['beta'],
  kept: boolean[] = [],
  earlier?: BuiltWith,
): Inversion {
  const t0 = performance.now();
  const { axes, data } = input;
  const dims = axes.length;
  if (dims !== 1 && dims !== 2) throw new RangeError(`invert: 1 or 2 axes, got ${dims}`);
  const m1 = axes[0].values.length;
  const m2 = dims === 2 ? axes[1]!.values.length : 1;
  if (data.length !== m1 * m2) {
    throw new RangeError(`invert: data has ${data.length} values, axes need ${m1}${dims === 2 ? `×${m2}` : ''}`);
  }
  const dataMaxAbs = maxAbsFinite(data);
  if (dataMaxAbs === 0) throw new RangeError('invert: the data are all zero: no signal');
  if (options.sigma !== undefined && !(options.sigma >= dataMaxAbs * MIN_RELATIVE_SIGMA && options.sigma < Infinity))
    throw new RangeError(
      `invert: σ ${options.sigma} is below ${MIN_RELATIVE_SIGMA} of the data's largest value (${dataMaxAbs.toPrecision(3)}): no acquisition is that quiet`,
    );
  const n = options.grid ?? (dims === 2 ? 64 : 128);
  if (!Number.isInteger(n) || n < 8 || n > 512) throw new RangeError(`invert: grid must be 8–512 points, got ${n}`);
  const warnings: string[] = [];

  const outAxes: OutputAxis[] = axes.map((axis, d) => {
    const range = options.ranges?.[d];
    const nd = options.gridPoints?.[d] ?? n;
    if (!Number.isInteger(nd) || nd < 8 || nd > 1024)
      throw new RangeError(`invert: axis ${d} grid must be 8–1024 points, got ${nd}`);
    const g = autoGrid(axis.kernel, axis.values, range ? { n: nd, range } : { n: nd });
    const name = axisNameOf(axis.kernel);
    return { name, unit: axisUnitOf(name), values: g.values, sensitive: g.sensitive };
  });

  let beta: Inversion['beta'];
  const kernels: Matrix[] = axes.map((axis, d) => {
    const same = kept[d] && earlier ? earlier.kernels[d] : undefined;
    if (same && axis.kernel !== 'T1-IR') return same;
    if (axis.kernel !== 'T1-IR') return kernelMatrix({ kernel: axis.kernel }, axis.values, outAxes[d]!.values);
    if (axis.beta !== undefined) {
      beta = { value: axis.beta, estimated: false };
    } else if (known?.estimated) {
      beta = known;
    } else {
      const est = estimateInversionFactor(input, d);
      beta = { value: est.beta, estimated: true };
      warnings.push(...est.warnings);
    }
    // (the earlier pass's kernel was made with the same β: `known` is its β)
    return same && known ? same : kernelMatrix({ kernel: 'T1-IR', beta: beta.value }, axis.values, outAxes[d]!.values);
  });
  const problem: Problem = dims === 2 ? { k1: kernels[0]!, k2: kernels[1]!, data } : problem1d(kernels[0]!, data);

  // The compression (and its noise estimate) comes first: 2D `auto` decides on the data's SNR, every solver but
  // NNLS works in the compressed space, and the peak listing reuses it (builtWith).
  const requested = options.method ?? 'auto';
  const reuse =
    dims === 2 && earlier?.compressed && earlier.data === data && kept.some(Boolean)
      ? { compressed: earlier.compressed, k1: kept[0] === true, k2: kept[1] === true }
      : undefined;
  const compressed =
    requested === 'nnls'
      ? undefined
      : compress(problem, {
          ...(options.sigma === undefined ? {} : { sigma: options.sigma }),
          ...(reuse ? { reuse } : {}),
        });
  const { method, reason } = chooseMethod(requested, {
    dims,
    points: m1 * m2,
    grid: outAxes.map((a) => a.values.length),
    alphaGiven: options.alpha !== undefined,
    ...(compressed && dims === 2
      ? { snr: compressed.sigma > 0 ? compressed.dataMaxAbs / compressed.sigma : Infinity }
      : {}),
  });
  const shared = {
    ...(options.sigma === undefined ? {} : { sigma: options.sigma }),
    ...(compressed ? { compressed } : {}),
  };
  let solver: SolverResult;
  switch (method) {
    case 'tikhonov':
      solver = iltTikhonov(problem, { ...shared, ...(options.alpha === undefined ? {} : { alpha: options.alpha }) });
      break;
    case 'upen':
      solver = iltUpen(problem, shared);
      break;
    case 'sparse':
      solver = iltSparse(problem, shared);
      break;
    case 'nnls':
      solver = iltNnls(problem, options.sigma === undefined ? {} : { sigma: options.sigma });
      break;
  }
  const elapsedMs = performance.now() - t0;
  warnings.push(...solver.warnings);
  for (const [d, axis] of outAxes.entries()) {
    if (axis.values[0]! < axis.sensitive[0] || axis.values[axis.values.length - 1]! > axis.sensitive[1]) {
      // Expected with the default grid (which reaches past the data on purpose); only worth saying for narrow data.
      if (axis.sensitive[1] / axis.sensitive[0] < 10) {
        warnings.push(
          `axis ${d} (${axis.name}): the acquisition spans less than a decade; the map is poorly constrained`,
        );
      }
    }
  }
  const inversion: Inversion = {
    method,
    methodReason: reason,
    axes: outAxes,
    distribution: solver.distribution,
    solver,
    ...(beta ? { beta } : {}),
    warnings,
    elapsedMs,
  };
  checkExplained(data, solver);
  rememberBuilt(inversion, { data, kernels, ...(compressed ? { compressed } : {}) });
  return inversion;
}

/** A given σ below this fraction of the data's largest value would be an SNR of 10¹⁰ (and χ² beyond a double). */
const MIN_RELATIVE_SIGMA = 1e-10;

/**
 * Above this share of the signal's energy (what the data hold beyond the noise) left in the residual, the map does
 * not describe the data: the kernel, the axis or its unit is wrong, or the file is not what it claims. A right fit
 * leaves the noise (share ≈ 0); β or shape errors leave a few per cent.
 */
export const MAX_UNEXPLAINED_SIGNAL = 0.25;

/** The fit leaves too much of the signal unexplained: `share` of its energy beyond the noise. */
export class UnexplainedDataError extends RangeError {
  constructor(
    message: string,
    readonly share: number,
  ) {
    super(message);
    this.name = 'UnexplainedDataError';
  }
}

/** An UnexplainedDataError when the fit leaves more than MAX_UNEXPLAINED_SIGNAL of the signal unexplained. */
function checkExplained(data: Float64Array, solver: SolverResult): void {
  const { fitted, sigma } = solver;
  if (!(sigma > 0) || !Number.isFinite(sigma)) return;
  const { rr, dd } = residualEnergy(data, fitted);
  const noise = data.length * sigma * sigma;
  const share = (rr - noise) / (dd - noise);
  if (dd > noise && share > MAX_UNEXPLAINED_SIGNAL)
    throw new UnexplainedDataError(
      `invert: the fit leaves ${Math.round(share * 100)} % of the signal unexplained (residual ${((100 * Math.sqrt(rr)) / Math.sqrt(dd)).toFixed(0)} % of the data): the kernel, the axis values or their unit do not describe these data`,
      share,
    );
}
