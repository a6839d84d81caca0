// UPEN's roughness operator and weights: libs/physics/src/solvers/upenPenalty.ts (its TypeScript twin, which
// documents them), each value computed in the same order, so both give the same bits. n2 = 1 is 1D.
import { ld, st } from './memory';

/** out = L·f (zero-padded second differences; 2D: 5-point Laplacian). */
export function laplacian(n1: i32, n2: i32, f: usize, out: usize): void {
  for (let a = 0; a < n1; a++) {
    const row = a * n2;
    for (let b = 0; b < n2; b++) {
      const k = row + b;
      const v = ld(f, k);
      let acc = (a > 0 ? ld(f, k - n2) : 0) + (a < n1 - 1 ? ld(f, k + n2) : 0) - 2 * v;
      if (n2 > 1) acc += (b > 0 ? ld(f, k - 1) : 0) + (b < n2 - 1 ? ld(f, k + 1) : 0) - 2 * v;
      st(out, k, acc);
    }
  }
}

/** out = L·diag(λ)·L·v; work holds n values. */
export function applyPenalty(n1: i32, n2: i32, lambda: usize, v: usize, out: usize, work: usize): void {
  laplacian(n1, n2, v, work);
  const n = n1 * n2;
  for (let k = 0; k < n; k++) st(work, k, ld(work, k) * ld(lambda, k));
  laplacian(n1, n2, work, out);
}

/** diag(P)_k = Σ_j λ_j·L[j,k]². */
export function penaltyDiagonal(n1: i32, n2: i32, lambda: usize, out: usize): void {
  const centre: f64 = n2 > 1 ? 16 : 4;
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      let acc = centre * ld(lambda, k);
      if (a > 0) acc += ld(lambda, k - n2);
      if (a < n1 - 1) acc += ld(lambda, k + n2);
      if (n2 > 1) {
        if (b > 0) acc += ld(lambda, k - 1);
        if (b < n2 - 1) acc += ld(lambda, k + 1);
      }
      st(out, k, acc);
    }
  }
}

/** The UPEN weights λ (into out) of f; work holds 3·n values. */
export function upenWeights(
  n1: i32,
  n2: i32,
  f: usize,
  energy: f64,
  beta0: f64,
  betaP: f64,
  betaC: f64,
  out: usize,
  work: usize,
): void {
  const n = n1 * n2;
  const curv = work;
  const loc = work + ((<usize>n) << 3);
  const tmp = loc + ((<usize>n) << 3);
  laplacian(n1, n2, f, curv);
  let fMax = 0.0;
  for (let k = 0; k < n; k++) if (ld(f, k) > fMax) fMax = ld(f, k);
  const scale2 = fMax > 0 ? fMax * fMax : 1;
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      const up = a > 0 ? ld(f, k - n2) : 0;
      const down = a < n1 - 1 ? ld(f, k + n2) : 0;
      const dv = down - up;
      let p2 = 0.25 * (dv * dv);
      if (n2 > 1) {
        const left = b > 0 ? ld(f, k - 1) : 0;
        const right = b < n2 - 1 ? ld(f, k + 1) : 0;
        const dh = right - left;
        p2 += 0.25 * (dh * dh);
      }
      const c = ld(curv, k);
      st(loc, k, betaP * p2 + betaC * (c * c));
    }
  }
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      let m = ld(loc, k);
      if (b > 0 && ld(loc, k - 1) > m) m = ld(loc, k - 1);
      if (b < n2 - 1 && ld(loc, k + 1) > m) m = ld(loc, k + 1);
      st(tmp, k, m);
    }
  }
  const floor = beta0 * scale2;
  const numerator = energy / <f64>n;
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      let m = ld(tmp, k);
      if (a > 0 && ld(tmp, k - n2) > m) m = ld(tmp, k - n2);
      if (a < n1 - 1 && ld(tmp, k + n2) > m) m = ld(tmp, k + n2);
      st(out, k, numerator / (floor + m));
    }
  }
}
