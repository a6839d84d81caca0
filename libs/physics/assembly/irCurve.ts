// The inversion-recovery curve behind β's estimate: libs/physics/src/inversion/estimateInversionFactor.ts's irCurve
// (after the power iteration) and the profile's kernel 1 − (1+β)·E (their TypeScript twins, which document them), in
// the same order, so both give the same bits.
import { ld, st } from './memory';

/**
 * curve (rows) = A·w for A (rows × cols) and w = max(0, ±Aᵀu), the sign making Σ(Aᵀu) non-negative; w (cols) is
 * left there.
 */
export function matchedCurve(a: usize, rows: i32, cols: i32, u: usize, w: usize, curve: usize): void {
  for (let c = 0; c < cols; c++) st(w, c, 0);
  for (let p = 0; p < rows; p++) {
    const rp = p * cols;
    const up = ld(u, p);
    for (let c = 0; c < cols; c++) st(w, c, ld(w, c) + up * ld(a, rp + c));
  }
  let sum = 0.0;
  for (let c = 0; c < cols; c++) sum += ld(w, c);
  const sign: f64 = sum < 0 ? -1 : 1;
  for (let c = 0; c < cols; c++) st(w, c, max<f64>(0, sign * ld(w, c)));
  for (let p = 0; p < rows; p++) {
    const rp = p * cols;
    let s = 0.0;
    for (let c = 0; c < cols; c++) s += ld(w, c) * ld(a, rp + c);
    st(curve, p, s);
  }
}

/** k = 1 − (1+β)·e over len values: the inversion-recovery kernel of β from the decay kernel e. */
export function recoveryKernel(e: usize, len: i32, beta: f64, k: usize): void {
  for (let i = 0; i < len; i++) st(k, i, 1 - (1 + beta) * ld(e, i));
}
