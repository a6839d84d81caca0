/**
 * kernelMatrix with the WebAssembly kernels (V8's exponential reproduced) and without: the same matrix to the bit for
 * every kernel, on evenly spaced times (echo trains, built by recurrence; sizes around the 64-row anchors, close to
 * the direct exponentials) and on log-spaced ones (every entry its own exponential).
 */
import { describe, expect, it } from 'vitest';
import { logGrid } from '../grids/logGrid';
import { withoutWasmKernels } from '../wasm/kernels';
import { kernelMatrix } from './kernelMatrix';
import type { KernelSpec } from '../types';

const SPECS: KernelSpec[] = [{ kernel: 'T2' }, { kernel: 'D' }, { kernel: 'T1-IR', beta: 0.87 }, { kernel: 'T1-SR' }];

describe('kernelMatrix: evenly spaced rows, kernels = TypeScript', () => {
  it.each(SPECS.flatMap((spec) => [17, 64, 65, 129, 2000].map((m) => [spec, m] as const)))('%o, %i rows', (spec, m) => {
    const x = Float64Array.from({ length: m }, (_, i) => (spec.kernel === 'D' ? 1e8 : 2e-4) * (i + 1));
    const y = spec.kernel === 'D' ? logGrid(1e-12, 1e-8, 48) : logGrid(1e-4, 3, 48);
    const w = kernelMatrix(spec, x, y);
    const t = withoutWasmKernels(() => kernelMatrix(spec, x, y));
    expect(Array.from(w.data)).toEqual(Array.from(t.data));
    // and the recurrence is the kernel: within 1e-12 of the direct value at the last row
    const rate = (j: number) => (spec.kernel === 'D' ? y[j]! : 1 / y[j]!);
    const e = Math.exp(-x[m - 1]! * rate(47));
    const direct = spec.kernel === 'T1-IR' ? 1 - 1.87 * e : spec.kernel === 'T1-SR' ? 1 - e : e;
    expect(Math.abs(w.data[(m - 1) * 48 + 47]! - direct)).toBeLessThan(1e-12);
  });

  it.each(SPECS.flatMap((spec) => [2, 8, 48].map((m) => [spec, m] as const)))('%o, %i log-spaced times', (spec, m) => {
    const x = spec.kernel === 'D' ? logGrid(1e7, 1e10, m) : logGrid(1e-4, 8, m);
    const y = spec.kernel === 'D' ? logGrid(1e-12, 1e-8, 64) : logGrid(1e-4, 10, 64);
    const w = kernelMatrix(spec, x, y);
    expect(Array.from(w.data)).toEqual(Array.from(withoutWasmKernels(() => kernelMatrix(spec, x, y)).data));
  });
});
