// Non-negative least squares, min ‖A·x − b‖ for x ≥ 0: Lawson & Hanson's active-set method, step for step the
// algorithm of libs/physics/src/numerics/nnls.ts (its TypeScript twin, which documents it; the parity test holds them
// to the same answers). Arrays live in linear memory at byte offsets the caller chose.
import { ld, ldi32, ldu8, st, sti32, stu8 } from './memory';

// The problem and the scratch arrays of the current call (module state: one call at a time, single-threaded).
let A: usize = 0;
let B: usize = 0;
let M: i32 = 0;
let N: i32 = 0;
let X: usize = 0;
let Z: usize = 0;
let W: usize = 0;
let R: usize = 0;
let RHS: usize = 0;
let QR: usize = 0;
let PASSIVE: usize = 0;
let EXCLUDED: usize = 0;
let IDX: usize = 0;

/** Bytes of scratch nnls needs for an m × n problem (at the `scratch` offset, 8-byte aligned). */
export function nnlsScratchBytes(m: i32, n: i32): i32 {
  return 8 * (2 * n + 2 * m + m * n) + 4 * n + n + 8;
}

/** Iterations of the last call (outer steps), and 1 when it ended on the KKT conditions. */
export let nnlsIterations: i32 = 0;
export let nnlsConverged: i32 = 0;

/**
 * Solves into x (n values) and passive (n bytes: 1 where x_j > 0); with `useStart`, passive holds the columns to
 * start from. maxIterations < 0 means 3·n; tolerance < 0 means the default. Returns ‖A·x − b‖.
 */
export function nnls(
  a: usize,
  b: usize,
  m: i32,
  n: i32,
  x: usize,
  passive: usize,
  useStart: i32,
  maxIterations: i32,
  tolerance: f64,
  scratch: usize,
): f64 {
  A = a;
  B = b;
  M = m;
  N = n;
  X = x;
  PASSIVE = passive;
  Z = scratch;
  W = Z + ((<usize>n) << 3);
  R = W + ((<usize>n) << 3);
  RHS = R + ((<usize>m) << 3);
  QR = RHS + ((<usize>m) << 3);
  IDX = QR + ((<usize>(m * n)) << 3);
  EXCLUDED = IDX + ((<usize>n) << 2);
  const maxIt = maxIterations >= 0 ? maxIterations : 3 * n;
  let aNorm1 = 0.0;
  for (let j = 0; j < n; j++) {
    let col = 0.0;
    for (let i = 0; i < m; i++) col += Math.abs(ld(a, i * n + j));
    if (col > aNorm1) aNorm1 = col;
  }
  let bNorm = 0.0;
  for (let i = 0; i < m; i++) bNorm += ld(b, i) * ld(b, i);
  bNorm = Math.sqrt(bNorm);
  const tol = tolerance >= 0 ? tolerance : 10 * f64.EPSILON * aNorm1 * <f64>(m > n ? m : n) * Math.max(bNorm, 1e-300);

  for (let j = 0; j < n; j++) {
    st(x, j, 0);
    stu8(EXCLUDED, j, 0);
  }
  nnlsIterations = 0;
  nnlsConverged = 0;
  if (useStart) {
    for (let j = 0; j < n; j++) stu8(PASSIVE, j, ldu8(PASSIVE, j) ? 1 : 0);
    // Drop the columns with a non-positive coefficient until the passive solution is strictly feasible.
    for (let round = 0; round < n; round++) {
      solvePassive();
      let dropped = false;
      for (let j = 0; j < n; j++) {
        if (ldu8(PASSIVE, j) && !(ld(Z, j) > 0)) {
          stu8(PASSIVE, j, 0);
          dropped = true;
        }
      }
      if (!dropped) break;
    }
    for (let j = 0; j < n; j++) st(x, j, ldu8(PASSIVE, j) ? ld(Z, j) : 0);
  } else {
    for (let j = 0; j < n; j++) stu8(PASSIVE, j, 0);
  }
  gradient();
  let iterations = 0;
  while (iterations < maxIt) {
    let t = -1;
    let wMax = tol;
    for (let j = 0; j < n; j++) {
      if (!ldu8(PASSIVE, j) && !ldu8(EXCLUDED, j) && ld(W, j) > wMax) {
        wMax = ld(W, j);
        t = j;
      }
    }
    if (t < 0) {
      nnlsConverged = 1;
      break;
    }
    iterations++;
    stu8(PASSIVE, t, 1);
    solvePassive();
    if (!(ld(Z, t) > 0)) {
      // The column that looked most promising cannot enter (roundoff at a tie): skip it until x changes.
      stu8(PASSIVE, t, 0);
      stu8(EXCLUDED, t, 1);
      continue;
    }
    for (let j = 0; j < n; j++) stu8(EXCLUDED, j, 0);
    // Inner loop: step back toward x until the passive solution is feasible.
    for (let inner = 0; inner < 3 * n; inner++) {
      let step = Infinity;
      let leaving = -1;
      for (let j = 0; j < n; j++) {
        if (ldu8(PASSIVE, j) && ld(Z, j) <= 0) {
          const r = ld(x, j) / (ld(x, j) - ld(Z, j));
          if (r < step) {
            step = r;
            leaving = j;
          }
        }
      }
      if (leaving < 0) break;
      for (let j = 0; j < n; j++) {
        if (!ldu8(PASSIVE, j)) continue;
        st(x, j, ld(x, j) + step * (ld(Z, j) - ld(x, j)));
        if (j == leaving || ld(x, j) <= 0) {
          st(x, j, 0);
          stu8(PASSIVE, j, 0);
        }
      }
      solvePassive();
    }
    for (let j = 0; j < n; j++) st(x, j, ldu8(PASSIVE, j) ? ld(Z, j) : 0);
    gradient();
  }
  nnlsIterations = iterations;
  let r2 = 0.0;
  for (let i = 0; i < m; i++) r2 += ld(R, i) * ld(R, i);
  return Math.sqrt(r2);
}

/** R = b − A·x and W = Aᵀ·R. */
function gradient(): void {
  for (let i = 0; i < M; i++) {
    let acc = ld(B, i);
    const row = i * N;
    for (let j = 0; j < N; j++) acc -= ld(A, row + j) * ld(X, j);
    st(R, i, acc);
  }
  for (let j = 0; j < N; j++) st(W, j, 0);
  for (let i = 0; i < M; i++) {
    const r = ld(R, i);
    if (r == 0) continue;
    const row = i * N;
    for (let j = 0; j < N; j++) st(W, j, ld(W, j) + ld(A, row + j) * r);
  }
}

/** Z_P = argmin ‖A_P·z − b‖ by Householder QR of the passive columns; Z = 0 elsewhere. */
function solvePassive(): void {
  let p = 0;
  for (let j = 0; j < N; j++) {
    if (ldu8(PASSIVE, j)) {
      sti32(IDX, p, j);
      p++;
    }
  }
  for (let i = 0; i < M; i++) for (let c = 0; c < p; c++) st(QR, i * p + c, ld(A, i * N + ldi32(IDX, c)));
  for (let i = 0; i < M; i++) st(RHS, i, ld(B, i));
  const k = p < M ? p : M;
  for (let c = 0; c < k; c++) {
    let norm = 0.0;
    for (let i = c; i < M; i++) norm += ld(QR, i * p + c) * ld(QR, i * p + c);
    norm = Math.sqrt(norm);
    if (norm == 0) continue;
    const alpha = ld(QR, c * p + c) > 0 ? -norm : norm;
    const v0 = ld(QR, c * p + c) - alpha;
    // Householder vector v = (v0, QR[c+1..M, c]); H = I − 2vvᵀ/(vᵀv)
    let vv = v0 * v0;
    for (let i = c + 1; i < M; i++) vv += ld(QR, i * p + c) * ld(QR, i * p + c);
    if (vv == 0) continue;
    for (let col = c + 1; col < p; col++) {
      let dot = v0 * ld(QR, c * p + col);
      for (let i = c + 1; i < M; i++) dot += ld(QR, i * p + c) * ld(QR, i * p + col);
      const f = (2 * dot) / vv;
      st(QR, c * p + col, ld(QR, c * p + col) - f * v0);
      for (let i = c + 1; i < M; i++) st(QR, i * p + col, ld(QR, i * p + col) - f * ld(QR, i * p + c));
    }
    let dot = v0 * ld(RHS, c);
    for (let i = c + 1; i < M; i++) dot += ld(QR, i * p + c) * ld(RHS, i);
    const f = (2 * dot) / vv;
    st(RHS, c, ld(RHS, c) - f * v0);
    for (let i = c + 1; i < M; i++) st(RHS, i, ld(RHS, i) - f * ld(QR, i * p + c));
    st(QR, c * p + c, alpha);
  }
  for (let j = 0; j < N; j++) st(Z, j, 0);
  // Back substitution on R (k × p); a rank-deficient trailing part (p > M or zero pivots) is left at zero.
  for (let c = k - 1; c >= 0; c--) {
    const d = ld(QR, c * p + c);
    if (Math.abs(d) <= 1e-14 * Math.abs(ld(QR, 0))) continue;
    let acc = ld(RHS, c);
    for (let col = c + 1; col < k; col++) acc -= ld(QR, c * p + col) * ld(Z, ldi32(IDX, col));
    st(Z, ldi32(IDX, c), acc / d);
  }
}
