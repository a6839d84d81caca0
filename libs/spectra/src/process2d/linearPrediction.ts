/**
 * Forward linear prediction of a complex time signal, the way TopSpin extends a short indirect dimension (proc2s
 * ME_mod LPfc, NCOEF coefficients, LPBIN points): the signal is modelled as autoregressive, x[n] = −Σ a_j·x[n−j],
 * with coefficients from Burg's method (J. P. Burg, "Maximum entropy spectral analysis", 1967; the complex form in
 * S. M. Kay and S. L. Marple, Proc. IEEE 69 (1981) 1380), and the missing points are predicted one after the
 * other. Burg's reflection coefficients are all below 1 in magnitude, so the predictor is stable: the extension
 * decays instead of exploding on noisy columns, without the root reflection a least-squares predictor needs. Its
 * bias on damped signals is small when the decay over one increment is (T2 ≫ 1/SW1, the usual case in t1).
 */

/** Burg coefficients a[0..order] (a[0] = 1) of x[0..n). */
export function burgCoefficients(
  xr: Float64Array,
  xi: Float64Array,
  n: number,
  order: number,
): { ar: Float64Array; ai: Float64Array } {
  const p = Math.max(0, Math.min(order, n - 1));
  const ar = new Float64Array(p + 1);
  const ai = new Float64Array(p + 1);
  ar[0] = 1;
  const fr = Float64Array.from(xr.subarray(0, n));
  const fi = Float64Array.from(xi.subarray(0, n));
  const br = Float64Array.from(fr);
  const bi = Float64Array.from(fi);
  const tr = new Float64Array(p + 1);
  const ti = new Float64Array(p + 1);
  for (let m = 1; m <= p; m++) {
    let numr = 0;
    let numi = 0;
    let den = 0;
    for (let k = m; k < n; k++) {
      // f[k]·conj(b[k−1])
      numr += fr[k]! * br[k - 1]! + fi[k]! * bi[k - 1]!;
      numi += fi[k]! * br[k - 1]! - fr[k]! * bi[k - 1]!;
      den += fr[k]! * fr[k]! + fi[k]! * fi[k]! + br[k - 1]! * br[k - 1]! + bi[k - 1]! * bi[k - 1]!;
    }
    if (!(den > 0)) break;
    const kr = (-2 * numr) / den;
    const ki = (-2 * numi) / den;
    tr.set(ar);
    ti.set(ai);
    // a[j] += K·conj(a[m − j])
    for (let j = 1; j <= m; j++) {
      const cr = tr[m - j]!;
      const ci = -ti[m - j]!;
      ar[j] = tr[j]! + kr * cr - ki * ci;
      ai[j] = ti[j]! + kr * ci + ki * cr;
    }
    // f[k] ← f[k] + K·b[k−1], b[k] ← b[k−1] + conj(K)·f[k] (from the end, so b[k−1] is still the old one)
    for (let k = n - 1; k >= m; k--) {
      const fkr = fr[k]!;
      const fki = fi[k]!;
      const bkr = br[k - 1]!;
      const bki = bi[k - 1]!;
      fr[k] = fkr + kr * bkr - ki * bki;
      fi[k] = fki + kr * bki + ki * bkr;
      br[k] = bkr + kr * fkr + ki * fki;
      bi[k] = bki + kr * fki - ki * fkr;
    }
  }
  return { ar, ai };
}

/**
 * Extends x (its first `n` values measured) in place to `total` values by forward prediction of the given order
 * (complex coefficients: TopSpin's NCOEF 32 for 128 points is 16 of them), capped at a quarter of the measured
 * points: more fit the noise of an empty column and predict narrow lines that are not there (16 of 32 points put
 * 8σ peaks into an empty synthetic column).
 */
export function extendForward(xr: Float64Array, xi: Float64Array, n: number, total: number, order: number): void {
  if (total <= n || n < 4) return;
  const { ar, ai } = burgCoefficients(xr, xi, n, Math.max(1, Math.min(order, Math.floor(n / 4))));
  const p = ar.length - 1;
  for (let k = n; k < total; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 1; j <= p; j++) {
      const yr = xr[k - j]!;
      const yi = xi[k - j]!;
      sr -= ar[j]! * yr - ai[j]! * yi;
      si -= ar[j]! * yi + ai[j]! * yr;
    }
    xr[k] = sr;
    xi[k] = si;
  }
}
