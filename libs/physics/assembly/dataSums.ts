// Whole-data passes of libs/physics/src/numerics/dataSums.ts (their TypeScript twins, which document them), in the
// same order, so both give the same bits.
import { ld, st } from './memory';

/** The largest |value| of data[0, n), or −(1 + the index) of the first value that is not finite. */
export function maxAbsFinite(data: usize, n: i32): f64 {
  let max = 0.0;
  for (let i = 0; i < n; i++) {
    const v = ld(data, i);
    if (!isFinite(v)) return -1.0 - <f64>i;
    const a = abs<f64>(v);
    if (a > max) max = a;
  }
  return max;
}

/** out[0] = Σ(data − fitted)², out[1] = Σdata² over n values. */
export function residualEnergy(data: usize, fitted: usize, n: i32, out: usize): void {
  let rr = 0.0;
  let dd = 0.0;
  for (let i = 0; i < n; i++) {
    const d = ld(data, i);
    const r = d - ld(fitted, i);
    rr += r * r;
    dd += d * d;
  }
  st(out, 0, rr);
  st(out, 1, dd);
}

/** out[0] = Σdata², out[1] = the largest |value| (NaN skipped by the comparison, as in the TypeScript). */
export function squaresAndMaxAbs(data: usize, n: i32, out: usize): void {
  let s = 0.0;
  let max = 0.0;
  for (let i = 0; i < n; i++) {
    const v = ld(data, i);
    s += v * v;
    const a = abs<f64>(v);
    if (a > max) max = a;
  }
  st(out, 0, s);
  st(out, 1, max);
}
