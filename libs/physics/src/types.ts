/**
 * Shared shapes of libs/physics. Everything is row-major Float64Array with explicit dimensions, SI units.
 * The names (kernels, axes, units) are the one vocabulary of @lapis/contracts (libs/contracts/src/vocabulary.ts).
 */
import type { KernelName, RelaxationAxisName, RelaxationSiUnit } from '@lapis/contracts/vocabulary';

/** Kernel families of Laplace NMR. `x` is what the sequence varied, `y` the unknown relaxation time or D. */
export type { KernelName };

/** Name of the output (unknown) axis a kernel resolves. */
export type AxisName = RelaxationAxisName;

export interface KernelSpec {
  kernel: KernelName;
  /**
   * Inversion efficiency β of an inversion-recovery experiment: K = 1 − (1+β)·exp(−τ/T1).
   * β = 1 is a perfect 180° pulse; real pulses give 0.8–1. Ignored by other kernels.
   */
  beta?: number;
}

/** A dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
  /**
   * KᵀK (cols × cols, row-major) when it is known in closed form — kernelMatrix sets it for evenly spaced
   * acquisitions — so that kernelSvd can skip the rows·cols² product. Must describe `data` exactly.
   */
  gram?: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix: bad shape ${rows}×${cols}`);
  }
  if (data && data.length !== rows * cols) {
    throw new RangeError(`matrix: ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

export function axisNameOf(kernel: KernelName): AxisName {
  return kernel === 'T1-IR' || kernel === 'T1-SR' ? 'T1' : kernel === 'T2' ? 'T2' : 'D';
}

export function axisUnitOf(axis: AxisName): RelaxationSiUnit {
  return axis === 'D' ? 'm2/s' : 's';
}
