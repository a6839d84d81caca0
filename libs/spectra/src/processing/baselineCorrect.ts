/**
 * Polynomial baseline through the points outside the signal regions, subtracted in place. x is scaled to [−1, 1]
 * so the normal equations stay well conditioned up to order 5; points are subsampled to at most `maxPoints`.
 */
import type { IndexRegion } from './findRegions';

export function baselineCorrect(y: Float64Array, regions: IndexRegion[], order = 1, maxPoints = 4096): number[] {
  if (!Number.isInteger(order) || order < 0 || order > 5)
    throw new RangeError(`baseline order must be 0–5, got ${order}`);
  const n = y.length;
  const inRegion = new Uint8Array(n);
  for (const r of regions) inRegion.fill(1, r.start, r.end + 1);
  let free = 0;
  for (let i = 0; i < n; i++) if (!inRegion[i]) free++;
  if (free <= order) return [];
  const step = Math.max(1, Math.floor(free / maxPoints));
  const m = order + 1;
  const ata = new Float64Array(m * m);
  const atb = new Float64Array(m);
  const pow = new Float64Array(m);
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (inRegion[i]) continue;
    if (seen++ % step !== 0) continue;
    const x = (2 * i) / (n - 1) - 1;
    pow[0] = 1;
    for (let p = 1; p < m; p++) pow[p] = pow[p - 1]! * x;
    for (let a = 0; a < m; a++) {
      atb[a] = atb[a]! + pow[a]! * y[i]!;
      for (let b = 0; b < m; b++) ata[a * m + b] = ata[a * m + b]! + pow[a]! * pow[b]!;
    }
  }
  const c = solveSmall(ata, atb, m);
  for (let i = 0; i < n; i++) {
    const x = (2 * i) / (n - 1) - 1;
    let v = 0;
    for (let p = m - 1; p >= 0; p--) v = v * x + c[p]!;
    y[i] = y[i]! - v;
  }
  return c;
}

/** Gaussian elimination with partial pivoting for the tiny normal equations. */
function solveSmall(a: Float64Array, b: Float64Array, m: number): number[] {
  const A = Float64Array.from(a);
  const B = Float64Array.from(b);
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r * m + col]!) > Math.abs(A[piv * m + col]!)) piv = r;
    if (piv !== col) {
      for (let k = 0; k < m; k++) {
        const t = A[col * m + k]!;
        A[col * m + k] = A[piv * m + k]!;
        A[piv * m + k] = t;
      }
      const t = B[col]!;
      B[col] = B[piv]!;
      B[piv] = t;
    }
    const d = A[col * m + col]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = col + 1; r < m; r++) {
      const f = A[r * m + col]! / d;
      for (let k = col; k < m; k++) A[r * m + k] = A[r * m + k]! - f * A[col * m + k]!;
      B[r] = B[r]! - f * B[col]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    let s = B[r]!;
    for (let k = r + 1; k < m; k++) s -= A[r * m + k]! * x[k]!;
    const d = A[r * m + r]!;
    x[r] = Math.abs(d) < 1e-300 ? 0 : s / d;
  }
  return x;
}
