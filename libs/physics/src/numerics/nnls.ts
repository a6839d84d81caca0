/**
 * Dense non-negative least squares, min ‖A·x − b‖ subject to x ≥ 0, by the active-set method of Lawson & Hanson
 * (Solving Least Squares Problems, 1974, ch. 23). A is m × n row-major.
 *
 * Each least-squares subproblem on the passive set is solved by Householder QR of the passive columns (not normal
 * equations: Laplace kernels are ill-conditioned enough that squaring the condition number loses the small
 * components). Meant for small problems (n up to ~1000): every subproblem costs O(m·|P|²). Runs as WebAssembly where
 * the kernels are built (src/wasm/kernels.ts), else as the TypeScript below; both give the same numbers.
 */
import { wasmKernels, type Kernels } from '../wasm/kernels';

export interface NnlsOptions {
  /** Outer iteration limit (default 3·n). */
  maxIterations?: number;
  /** Dual-feasibility tolerance on w = Aᵀ(b − Ax) (default 10·ε·‖A‖₁·max(m, n)·‖b‖). */
  tolerance?: number;
  /**
   * Columns to start from (a neighbouring problem's `passive`, e.g. the previous point of a profile): they enter at
   * once, and those whose least-squares coefficient is not positive are dropped until all are; the iteration then
   * goes on from that feasible point as from x = 0, to the same solution in a few steps instead of one per column.
   */
  start?: Uint8Array;
}

export interface NnlsResult {
  x: Float64Array;
  /** ‖A·x − b‖. */
  residualNorm: number;
  iterations: number;
  /** False when the iteration limit stopped it before the KKT conditions held. */
  converged: boolean;
  /** 1 for the columns in the final passive set (x_j > 0): a warm start for a neighbouring problem. */
  passive: Uint8Array;
}

export function nnls(a: Float64Array, b: Float64Array, m: number, n: number, options: NnlsOptions = {}): NnlsResult {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) {
    throw new RangeError(`nnls: bad shape ${m}×${n}`);
  }
  if (a.length !== m * n) throw new RangeError(`nnls: A has ${a.length} values, expected ${m}×${n} = ${m * n}`);
  if (b.length !== m) throw new RangeError(`nnls: b has ${b.length} values, expected ${m}`);
  if (options.start && options.start.length !== n) {
    throw new RangeError(`nnls: start has ${options.start.length} values, expected ${n}`);
  }
  const kernels = wasmKernels();
  return kernels ? nnlsWasm(kernels, a, b, m, n, options) : nnlsTypeScript(a, b, m, n, options);
}

/** The same algorithm compiled to WebAssembly (libs/physics/assembly/nnls.ts): the same numbers, sooner. */
function nnlsWasm(
  k: Kernels,
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  options: NnlsOptions,
): NnlsResult {
  const e = k.exports;
  const scratchBytes = e.nnlsScratchBytes(m, n);
  const arena = k.arena(8 * (m * n + m + n) + n + scratchBytes);
  const [aIn, bIn, x] = [arena.copy(a), arena.copy(b), arena.f64(n)];
  const passive = arena.u8(n);
  const scratch = arena.scratch(scratchBytes);
  if (options.start) passive.view.set(options.start);
  const residualNorm = e.nnls(
    aIn,
    bIn,
    m,
    n,
    x.offset,
    passive.offset,
    options.start ? 1 : 0,
    options.maxIterations ?? -1,
    options.tolerance ?? -1,
    scratch,
  );
  return {
    x: x.view.slice(),
    residualNorm,
    iterations: e.nnlsIterations.value as number,
    converged: e.nnlsConverged.value === 1,
    passive: passive.view.slice(),
  };
}

/** The TypeScript path, where the kernels are absent. */
function nnlsTypeScript(a: Float64Array, b: Float64Array, m: number, n: number, options: NnlsOptions = {}): NnlsResult {
  const maxIterations = options.maxIterations ?? 3 * n;
  let aNorm1 = 0;
  for (let j = 0; j < n; j++) {
    let col = 0;
    for (let i = 0; i < m; i++) col += Math.abs(a[i * n + j]!);
    if (col > aNorm1) aNorm1 = col;
  }
  let bNorm = 0;
  for (const v of b) bNorm += v * v;
  bNorm = Math.sqrt(bNorm);
  const tol = options.tolerance ?? 10 * Number.EPSILON * aNorm1 * Math.max(m, n) * Math.max(bNorm, 1e-300);

  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const passive = new Uint8Array(n);
  const excluded = new Uint8Array(n); // columns whose LS coefficient came out ≤ 0 on entry (numerical ties)
  const resid = new Float64Array(m);
  const idx: number[] = [];
  const qr = new Float64Array(m * n);
  const rhs = new Float64Array(m);

  const gradient = () => {
    for (let i = 0; i < m; i++) {
      let acc = b[i]!;
      for (let j = 0; j < n; j++) acc -= a[i * n + j]! * x[j]!;
      resid[i] = acc;
    }
    w.fill(0);
    for (let i = 0; i < m; i++) {
      const r = resid[i]!;
      if (r === 0) continue;
      for (let j = 0; j < n; j++) w[j]! += a[i * n + j]! * r;
    }
  };
  // z_P = argmin ‖A_P z − b‖ by Householder QR of the passive columns; z = 0 elsewhere.
  const solvePassive = () => {
    idx.length = 0;
    for (let j = 0; j < n; j++) if (passive[j]) idx.push(j);
    const p = idx.length;
    for (let i = 0; i < m; i++) for (let c = 0; c < p; c++) qr[i * p + c] = a[i * n + idx[c]!]!;
    rhs.set(b);
    const k = Math.min(p, m);
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let i = c; i < m; i++) norm += qr[i * p + c]! ** 2;
      norm = Math.sqrt(norm);
      if (norm === 0) continue;
      const alpha = qr[c * p + c]! > 0 ? -norm : norm;
      const v0 = qr[c * p + c]! - alpha;
      // Householder vector v = (v0, qr[c+1..m, c]); H = I − 2vvᵀ/(vᵀv)
      let vv = v0 * v0;
      for (let i = c + 1; i < m; i++) vv += qr[i * p + c]! ** 2;
      if (vv === 0) continue;
      for (let col = c + 1; col < p; col++) {
        let dot = v0 * qr[c * p + col]!;
        for (let i = c + 1; i < m; i++) dot += qr[i * p + c]! * qr[i * p + col]!;
        const f = (2 * dot) / vv;
        qr[c * p + col]! -= f * v0;
        for (let i = c + 1; i < m; i++) qr[i * p + col]! -= f * qr[i * p + c]!;
      }
      let dot = v0 * rhs[c]!;
      for (let i = c + 1; i < m; i++) dot += qr[i * p + c]! * rhs[i]!;
      const f = (2 * dot) / vv;
      rhs[c]! -= f * v0;
      for (let i = c + 1; i < m; i++) rhs[i]! -= f * qr[i * p + c]!;
      qr[c * p + c] = alpha;
    }
    z.fill(0);
    // Back substitution on R (k × p); a rank-deficient trailing part (p > m or zero pivots) is left at zero.
    for (let c = k - 1; c >= 0; c--) {
      const d = qr[c * p + c]!;
      if (Math.abs(d) <= 1e-14 * Math.abs(qr[0]!)) continue;
      let acc = rhs[c]!;
      for (let col = c + 1; col < k; col++) acc -= qr[c * p + col]! * z[idx[col]!]!;
      z[idx[c]!] = acc / d;
    }
  };

  let iterations = 0;
  let converged = false;
  if (options.start) {
    for (let j = 0; j < n; j++) passive[j] = options.start[j]! ? 1 : 0;
    // Drop the columns with a non-positive coefficient until the passive solution is strictly feasible.
    for (let round = 0; round < n; round++) {
      solvePassive();
      let dropped = false;
      for (let j = 0; j < n; j++) {
        if (passive[j] && !(z[j]! > 0)) {
          passive[j] = 0;
          dropped = true;
        }
      }
      if (!dropped) break;
    }
    for (let j = 0; j < n; j++) x[j] = passive[j] ? z[j]! : 0;
  }
  gradient();
  while (iterations < maxIterations) {
    let t = -1;
    let wMax = tol;
    for (let j = 0; j < n; j++) {
      if (!passive[j] && !excluded[j] && w[j]! > wMax) {
        wMax = w[j]!;
        t = j;
      }
    }
    if (t < 0) {
      converged = true;
      break;
    }
    iterations++;
    passive[t] = 1;
    solvePassive();
    if (!(z[t]! > 0)) {
      // The column that looked most promising cannot enter (roundoff at a tie): skip it until x changes.
      passive[t] = 0;
      excluded[t] = 1;
      continue;
    }
    excluded.fill(0);
    // Inner loop: step back toward x until the passive solution is feasible.
    for (let inner = 0; inner < 3 * n; inner++) {
      let step = Infinity;
      let leaving = -1;
      for (let j = 0; j < n; j++) {
        if (passive[j] && z[j]! <= 0) {
          const r = x[j]! / (x[j]! - z[j]!);
          if (r < step) {
            step = r;
            leaving = j;
          }
        }
      }
      if (leaving < 0) break;
      for (let j = 0; j < n; j++) {
        if (!passive[j]) continue;
        x[j]! += step * (z[j]! - x[j]!);
        if (j === leaving || x[j]! <= 0) {
          x[j] = 0;
          passive[j] = 0;
        }
      }
      solvePassive();
    }
    for (let j = 0; j < n; j++) x[j] = passive[j] ? z[j]! : 0;
    gradient();
  }
  let r2 = 0;
  for (const v of resid) r2 += v * v;
  return { x, residualNorm: Math.sqrt(r2), iterations, converged, passive };
}
