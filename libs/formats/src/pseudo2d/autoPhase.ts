/**
 * Zero-order phase of a spectrum whose peaks are all of one sign (the strongest row of a pseudo-2D): the angle φ
 * that makes Σ Re(e^{iφ}·S_k)·|S_k| largest, φ = −arg Σ S_k·|S_k|. Weighting by |S| keeps noise out; dispersion
 * is odd about each line and drops out of the sum, so the sum's angle is the phase error of the absorption part.
 */
export function autoPhase0(re: Float64Array, im: Float64Array): number {
  let sr = 0;
  let si = 0;
  for (let k = 0; k < re.length; k++) {
    const a = re[k]!;
    const b = im[k]!;
    const m = Math.hypot(a, b);
    sr += a * m;
    si += b * m;
  }
  return -Math.atan2(si, sr);
}
