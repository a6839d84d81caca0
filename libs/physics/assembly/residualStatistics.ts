// The sums behind libs/physics/src/analysis/residualDiagnostics.ts (its TypeScript twin, which documents the tests),
// accumulated in the same order, so both give the same bits.
import { ld, ldi32, st } from './memory';

/**
 * Residual r = data − fitted of an array with `axes` axes (lengths at `shape`, i32). Writes to out:
 * [0] Σr², [1] Σdata², [2] Σr, [3] Σ(r − mean)², [4] runs, [5] expected runs, [6] runs variance,
 * [7 + a] the lag-1 sum along axis a (left 0 where skipped: `lagWanted` 0). Returns the first index whose residual
 * is not finite, or −1. r is left at `residual` (n values).
 */
export function residualStatistics(
  data: usize,
  fitted: usize,
  n: i32,
  shape: usize,
  axes: i32,
  lagWanted: usize,
  residual: usize,
  out: usize,
): i32 {
  let ss = 0.0;
  let dd = 0.0;
  let sum = 0.0;
  for (let k = 0; k < n; k++) {
    const e = ld(data, k) - ld(fitted, k);
    if (!isFinite(e)) return k;
    st(residual, k, e);
    ss += e * e;
    dd += ld(data, k) * ld(data, k);
    sum += e;
  }
  const mean = sum / <f64>n;
  let c0 = 0.0;
  for (let k = 0; k < n; k++) {
    const d = ld(residual, k) - mean;
    c0 += d * d;
  }
  st(out, 0, ss);
  st(out, 1, dd);
  st(out, 2, sum);
  st(out, 3, c0);
  let stride = n;
  for (let a = 0; a < axes; a++) {
    const len = ldi32(shape, a);
    stride = stride / len;
    let c1 = 0.0;
    if (ldi32(lagWanted, a)) {
      // k ascending over every index but the last along axis a (the TypeScript's skip test, without a division)
      const block = stride * len;
      for (let base = 0; base < n; base += block) {
        const end = base + block - stride;
        for (let k = base; k < end; k++) c1 += (ld(residual, k) - mean) * (ld(residual, k + stride) - mean);
      }
    }
    st(out, 7 + a, c1);
  }
  const m = ldi32(shape, axes - 1);
  let runs = 0.0;
  let expectedRuns = 0.0;
  let varRuns = 0.0;
  for (let start = 0; start < n; start += m) {
    let pos = 0.0;
    let neg = 0.0;
    let lineRuns = 0.0;
    let last = 0;
    for (let k = start; k < start + m; k++) {
      const v = ld(residual, k);
      const s = v > 0 ? 1 : v < 0 ? -1 : 0;
      if (s == 0) continue;
      if (s > 0) pos++;
      else neg++;
      if (s != last) lineRuns++;
      last = s;
    }
    const t = pos + neg;
    if (t == 0) continue;
    runs += lineRuns;
    expectedRuns += (2 * pos * neg) / t + 1;
    if (t > 1) varRuns += (2 * pos * neg * (2 * pos * neg - t)) / (t * t * (t - 1));
  }
  st(out, 4, runs);
  st(out, 5, expectedRuns);
  st(out, 6, varRuns);
  return -1;
}
