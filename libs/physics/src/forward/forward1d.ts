import type { Matrix } from '../types';

/** Noiseless 1D signal s = K·f for a kernel K (m × n) and a distribution f (n). */
export function forward1d(k: Matrix, f: ArrayLike<number>, output?: Float64Array): Float64Array {
  if (f.length !== k.cols) throw new RangeError(`forward1d: kernel has ${k.cols} columns, distribution ${f.length}`);
  const out = output ?? new Float64Array(k.rows);
  const n = k.cols;
  for (let i = 0; i < k.rows; i++) {
    let s = 0;
    const r = i * n;
    for (let j = 0; j < n; j++) s += k.data[r + j]! * f[j]!;
    out[i] = s;
  }
  return out;
}
