// The per-update loops of UPEN: iltUpen in libs/physics/src/solvers/iltUpen.ts (its TypeScript twin, which documents
// them), each value computed in the same order, so both give the same bits. n2 = 1 is 1D.
import { ld, ldu8, st, stu8 } from './memory';

/** Whether cell k has a positive neighbour (8-neighbourhood in 2D, 2 in 1D). */
function touchesSupport(n1: i32, n2: i32, f: usize, k: i32): bool {
  const a = k / n2;
  const b = k % n2;
  for (let da = -1; da <= 1; da++) {
    const aa = a + da;
    if (aa < 0 || aa >= n1) continue;
    for (let db = -1; db <= 1; db++) {
      const bb = b + db;
      if (bb < 0 || bb >= n2 || (da == 0 && db == 0)) continue;
      if (ld(f, aa * n2 + bb) > 0) return true;
    }
  }
  return false;
}

/**
 * The primal–dual active-set prediction: free[k] = 1 where f_k − (g_k + pf_k)/(kDiag_k + pDiag_k) > 0 and the cell is
 * in or next to the support. Returns how many cells changed.
 */
export function upenFreeSet(
  n1: i32,
  n2: i32,
  f: usize,
  g: usize,
  pf: usize,
  kDiag: usize,
  pDiag: usize,
  free: usize,
): i32 {
  const n = n1 * n2;
  let changed = 0;
  for (let k = 0; k < n; k++) {
    const h = ld(kDiag, k) + ld(pDiag, k);
    let next: u8 = ld(f, k) - (ld(g, k) + ld(pf, k)) / h > 0 ? 1 : 0;
    if (next && !(ld(f, k) > 0) && !touchesSupport(n1, n2, f, k)) next = 0;
    if (next != ldu8(free, k)) changed++;
    stu8(free, k, next);
  }
  return changed;
}

/** out = [Σ(f − previous)², Σf², clipped negative mass, positive mass, free cells] after an update. */
export function upenProgress(f: usize, previous: usize, free: usize, n: i32, out: usize): void {
  let change = 0.0;
  let size = 0.0;
  let negative = 0.0;
  let positive = 0.0;
  let freeCount = 0.0;
  for (let k = 0; k < n; k++) {
    const d = ld(f, k) - ld(previous, k);
    change += d * d;
    size += ld(f, k) * ld(f, k);
    if (ld(f, k) < 0) negative -= ld(f, k);
    else positive += ld(f, k);
    freeCount += <f64>ldu8(free, k);
  }
  st(out, 0, change);
  st(out, 1, size);
  st(out, 2, negative);
  st(out, 3, positive);
  st(out, 4, freeCount);
}
