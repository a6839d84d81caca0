import { type KernelSpec, type Matrix, matrix } from '../types';
import { kernelValue } from './kernelValue';

/**
 * Kernel matrix K (x.length × y.length), K[i][j] = k(x_i, y_j), so that the noiseless signal of a distribution f on
 * the grid y is K·f.
 */
export function kernelMatrix(spec: KernelSpec, x: ArrayLike<number>, y: ArrayLike<number>, output?: Matrix): Matrix {
  const beta = spec.beta ?? 1;
  if (spec.kernel === 'T1-IR' && !(beta > 0 && beta <= 1.5)) {
    throw new RangeError(`kernelMatrix: inversion factor beta must be in (0, 1.5], got ${beta}`);
  }
  const out = output ?? matrix(x.length, y.length);
  if (out.rows !== x.length || out.cols !== y.length) throw new RangeError('kernelMatrix: output has the wrong shape');
  const n = y.length;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) out.data[row + j] = kernelValue(spec, xi, y[j]!);
  }
  return out;
}
