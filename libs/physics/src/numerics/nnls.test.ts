import { describe, expect, it } from 'vitest';
import { createRng } from '../simulate/rng';
import { nnls } from './nnls';

/** w = Aᵀ(b − Ax). */
function dualGradient(a: Float64Array, b: Float64Array, x: Float64Array, m: number, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    let r = b[i]!;
    for (let j = 0; j < n; j++) r -= a[i * n + j]! * x[j]!;
    for (let j = 0; j < n; j++) w[j]! += a[i * n + j]! * r;
  }
  return w;
}

function objective(a: Float64Array, b: Float64Array, x: ArrayLike<number>, m: number, n: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) {
    let r = b[i]!;
    for (let j = 0; j < n; j++) r -= a[i * n + j]! * x[j]!;
    s += r * r;
  }
  return s;
}

/** Unconstrained least squares on the columns in `set` by normal equations (tiny, well-conditioned cases only). */
function subsetLeastSquares(a: Float64Array, b: Float64Array, m: number, n: number, set: number[]): number[] | null {
  const p = set.length;
  const g = new Float64Array(p * p);
  const h = new Float64Array(p);
  for (let u = 0; u < p; u++) {
    for (let v = 0; v < p; v++) for (let i = 0; i < m; i++) g[u * p + v]! += a[i * n + set[u]!]! * a[i * n + set[v]!]!;
    for (let i = 0; i < m; i++) h[u]! += a[i * n + set[u]!]! * b[i]!;
  }
  // Gaussian elimination with partial pivoting
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(g[r * p + c]!) > Math.abs(g[piv * p + c]!)) piv = r;
    if (Math.abs(g[piv * p + c]!) < 1e-12) return null;
    for (let k = 0; k < p; k++) [g[c * p + k], g[piv * p + k]] = [g[piv * p + k]!, g[c * p + k]!];
    [h[c], h[piv]] = [h[piv]!, h[c]!];
    for (let r = c + 1; r < p; r++) {
      const f = g[r * p + c]! / g[c * p + c]!;
      for (let k = c; k < p; k++) g[r * p + k]! -= f * g[c * p + k]!;
      h[r]! -= f * h[c]!;
    }
  }
  const z = new Array<number>(p).fill(0);
  for (let c = p - 1; c >= 0; c--) {
    let acc = h[c]!;
    for (let k = c + 1; k < p; k++) acc -= g[c * p + k]! * z[k]!;
    z[c] = acc / g[c * p + c]!;
  }
  return z;
}

describe('nnls (Lawson–Hanson)', () => {
  it('solves a hand-checkable 3 × 2 case', () => {
    // Unconstrained optimum (4/3, −5/3) is infeasible; with x2 = 0, (x1 − 1)² + x1² is least at x1 = 1/2.
    const a = new Float64Array([1, 0, 0, 1, 1, 1]);
    const b = new Float64Array([1, -2, 0]);
    const r = nnls(a, b, 3, 2);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(0.5, 12);
    expect(r.x[1]).toBe(0);
    expect(r.residualNorm).toBeCloseTo(Math.sqrt(4.5), 12);
  });

  it('returns the unconstrained solution when it is already non-negative', () => {
    const a = new Float64Array([2, 0, 0, 4]);
    const r = nnls(a, new Float64Array([2, 2]), 2, 2);
    expect(Array.from(r.x)).toEqual([1, 0.5]);
    expect(r.residualNorm).toBeCloseTo(0, 14);
  });

  it('meets the KKT conditions and the brute-force optimum over all passive sets on random problems', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 40; trial++) {
      const m = 4 + rng.int(0, 8);
      const n = 6;
      const a = Float64Array.from({ length: m * n }, () => rng.normal());
      const b = Float64Array.from({ length: m }, () => rng.normal());
      const r = nnls(a, b, m, n);
      expect(r.converged).toBe(true);
      const w = dualGradient(a, b, r.x, m, n);
      const scale = 1e-9 * (1 + Math.max(...Array.from(w, Math.abs)));
      for (let j = 0; j < n; j++) {
        expect(r.x[j]).toBeGreaterThanOrEqual(0);
        if (r.x[j]! > 0)
          expect(Math.abs(w[j]!)).toBeLessThan(scale); // stationarity on the passive set
        else expect(w[j]!).toBeLessThan(scale); // no descent direction into the feasible set
      }
      // Exhaustive: the best feasible unconstrained LS over all 2^n column subsets is the global optimum.
      let best = objective(a, b, new Float64Array(n), m, n);
      for (let mask = 1; mask < 1 << n; mask++) {
        const set = Array.from({ length: n }, (_, j) => j).filter((j) => mask & (1 << j));
        if (set.length > m) continue;
        const z = subsetLeastSquares(a, b, m, n, set);
        if (!z || z.some((v) => v < 0)) continue;
        const x = new Float64Array(n);
        set.forEach((j, k) => (x[j] = z[k]!));
        best = Math.min(best, objective(a, b, x, m, n));
      }
      expect(objective(a, b, r.x, m, n)).toBeCloseTo(best, 9);
    }
  });

  it('rejects shapes that do not match', () => {
    expect(() => nnls(new Float64Array(5), new Float64Array(2), 2, 3)).toThrow(RangeError);
    expect(() => nnls(new Float64Array(6), new Float64Array(3), 2, 3)).toThrow(RangeError);
  });
});
