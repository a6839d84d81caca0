/**
 * Savitzky–Golay filters (A. Savitzky and M. J. E. Golay, Anal. Chem. 36 (1964) 1627): least-squares quadratic fits
 * over a sliding window of 2m + 1 points, giving the smoothed value and the second derivative at the centre (per
 * point²). The weights are computed from the moments Σj², Σj⁴ of the window; the ends use the nearest full window.
 */
export interface SavitzkyGolay {
  smooth: Float64Array;
  secondDerivative: Float64Array;
}

export function savitzkyGolay(y: Float64Array, halfWidth: number): SavitzkyGolay {
  const n = y.length;
  const m = Math.max(1, Math.min(Math.floor(halfWidth), Math.floor((n - 1) / 2)));
  const size = 2 * m + 1;
  let s2 = 0;
  let s4 = 0;
  for (let j = -m; j <= m; j++) {
    s2 += j * j;
    s4 += j ** 4;
  }
  // y ≈ a0 + a1·j + a2·j²: a0 = Σ (S4 − S2·j²)·y_j / (N·S4 − S2²), a2 = Σ (N·j² − S2)·y_j / (N·S4 − S2²)
  const det = size * s4 - s2 * s2;
  const w0 = new Float64Array(size);
  const w2 = new Float64Array(size);
  for (let j = -m; j <= m; j++) {
    w0[j + m] = (s4 - s2 * j * j) / det;
    w2[j + m] = (2 * (size * j * j - s2)) / det;
  }
  const smooth = new Float64Array(n);
  const secondDerivative = new Float64Array(n);
  if (n < size) {
    smooth.set(y);
    return { smooth, secondDerivative };
  }
  for (let i = 0; i < n; i++) {
    const c = Math.min(Math.max(i, m), n - 1 - m);
    let a = 0;
    let b = 0;
    for (let j = 0; j < size; j++) {
      const v = y[c - m + j]!;
      a += w0[j]! * v;
      b += w2[j]! * v;
    }
    // outside the central range the window's polynomial is evaluated at the offset i − c
    const d = i - c;
    smooth[i] = d === 0 ? a : a + d * slope(y, c, m) + (d * d * b) / 2;
    secondDerivative[i] = b;
  }
  return { smooth, secondDerivative };
}

/** The first-order coefficient a1 = Σ j·y_j / Σ j² of the window centred at c. */
function slope(y: Float64Array, c: number, m: number): number {
  let num = 0;
  let den = 0;
  for (let j = -m; j <= m; j++) {
    num += j * y[c + j]!;
    den += j * j;
  }
  return num / den;
}
