// Whole-data passes and vector updates of libs/physics/src/numerics/dataSums.ts (their TypeScript twins, which
// document them), in the same order, so both give the same bits.
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

/** y += t·x over n values. */
export function addScaled(y: usize, t: f64, x: usize, n: i32): void {
  for (let k = 0; k < n; k++) st(y, k, ld(y, k) + t * ld(x, k));
}

/**
 * dst = the positive part of src (0 where not positive, NaN and −0 included); out[0] = Σ positive values, out[1] = −Σ
 * the others, out[2] = the largest (0 when none is positive).
 */
export function positivePart(src: usize, n: i32, dst: usize, out: usize): void {
  let total = 0.0;
  let negative = 0.0;
  let max = 0.0;
  for (let c = 0; c < n; c++) {
    const f = ld(src, c);
    if (f > 0) {
      st(dst, c, f);
      total += f;
      if (f > max) max = f;
    } else {
      st(dst, c, 0);
      negative -= f;
    }
  }
  st(out, 0, total);
  st(out, 1, negative);
  st(out, 2, max);
}

/** x[i][j] *= scale[j] for x rows × cols, row-major. */
export function scaleColumns(x: usize, rows: i32, cols: i32, scale: usize): void {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) st(x, r + j, ld(x, r + j) * ld(scale, j));
  }
}

/** a = √(a·b) over n values. */
export function geometricMean(a: usize, b: usize, n: i32): void {
  for (let k = 0; k < n; k++) st(a, k, Math.sqrt(ld(a, k) * ld(b, k)));
}

/** r = target − Σ_k amps[k]·sigs[k] (K signals of s values, in order); returns Σr². */
export function componentResidual(target: usize, s: i32, sigs: usize, amps: usize, count: i32, r: usize): f64 {
  for (let p = 0; p < s; p++) st(r, p, ld(target, p));
  for (let k = 0; k < count; k++) {
    const a = ld(amps, k);
    const v = sigs + ((<usize>(k * s)) << 3);
    for (let p = 0; p < s; p++) st(r, p, ld(r, p) - a * ld(v, p));
  }
  let chi2 = 0.0;
  for (let p = 0; p < s; p++) chi2 += ld(r, p) * ld(r, p);
  return chi2;
}

/** Σ_k (α/(sv2_k + α))²·m_k² over n pairs: the unconstrained Tikhonov residual in the compressed space. */
export function unconstrainedResidual2(sv2: usize, m: usize, n: i32, alpha: f64): f64 {
  let r = 0.0;
  for (let k = 0; k < n; k++) {
    const f = alpha / (ld(sv2, k) + alpha);
    r += f * f * ld(m, k) * ld(m, k);
  }
  return r;
}
