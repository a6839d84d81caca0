// PLACEHOLDER — the orchestrator is being written; its signature is fixed here so callers can be written against it.
import type { AxisName, KernelName } from '../types';
import type { SolverResult } from './types';

export type Method = 'auto' | 'tikhonov' | 'upen' | 'sparse' | 'nnls';

export interface InvertAxis {
  kernel: KernelName;
  /** x values: delays / echo times in s, or b in s/m². */
  values: ArrayLike<number>;
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
  /** Explicit output range per dimension, SI units. */
  ranges?: ([number, number] | undefined)[];
  sigma?: number;
}

export interface OutputAxis {
  name: AxisName;
  unit: 's' | 'm2/s';
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
  /** Estimated inversion efficiency for T1-IR data. */
  beta?: number;
  warnings: string[];
  elapsedMs: number;
}

export declare function invert(input: InvertInput, options?: InvertOptions): Inversion;
