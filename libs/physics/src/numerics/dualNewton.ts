import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import { wasmKernels } from '../wasm/kernels';
import { addScaled } from './dataSums';
import type { CompressedOperator } from './compressedOperator';

/**
 * The one dual solver behind non-negative Tikhonov and the non-negative elastic net in the compressed space,
 * min_{f ≥ 0} ½‖K̃f − m̃‖² + λ1·Σf + ½λ2·‖f‖² (Tikhonov: λ1 = 0, λ2 = α), through its Butler–Reeds–Dawson dual
 * (SIAM J. Numer. Anal. 18 (1981) 381): f(c) = max(0, (K̃ᵀc − λ1)/λ2), c minimising the smooth, strictly convex
 * χ(c) = ‖max(0, K̃ᵀc − λ1)‖²/(2λ2) + ½‖c‖² − cᵀm̃ (at the optimum c = m̃ − K̃f, the residual). Newton's method, each
 * direction through the s pairs or the q active cells (Woodbury), whichever is smaller, then an exact line search
 * (exactStep). Why exact steps and not CG: docs/physics.md, "The dual Newton solver".
 */
export interface DualNewtonOptions {
  /** Starting dual vector (a residual, data units). Default m̃ (the residual of f = 0). */
  start?: Float64Array;
  /**
   * Stop when ‖K̃f + c − m̃‖ ≤ tolerance, data units: f is then the exact solution for data perturbed by that much,
   * so a tolerance well below the noise (√s·σ) changes nothing a user can see. Default 1e-9·‖m̃‖.
   */
  tolerance?: number;
  maxIterations?: number;
}

export interface DualNewtonSolution {
  /** The dual vector: the compressed residual m̃ − K̃f at the optimum. */
  c: Float64Array;
  f: Float64Array;
  /** Active cells (1 where f > 0) of the returned f. */
  mask: Float64Array;
  /** ‖K̃f − m̃‖². */
  residual2: number;
  iterations: number;
  converged: boolean;
  /** Cholesky factor of the last Newton system (K̃·diag(active)·K̃ᵀ + λ2·I), if a step was taken. */
  lastFactor?: Float64Array;
  /** The active set that last factor was built on. */
  lastFactorMask?: Float64Array;
}

export function dualNewton(
  op: CompressedOperator,
  m: Float64Array,
  lambda1: number,
  lambda2: number,
  options: DualNewtonOptions = {},
): DualNewtonSolution {
  const { s, n } = op;
  const maxIterations = options.maxIterations ?? 100;
  const c = options.start ? Float64Array.from(options.start) : Float64Array.from(m);
  const f = new Float64Array(n);
  const mask = new Float64Array(n);
  const { kf, grad, step, z, dz, idx, fx, lsCell, lsBreak } = workspace(s, n);
  // The s × s system's buffer, allocated on first use (solves that stay on the active-cell route never need it). It
  // is the returned solution's factor, so it is not taken from the shared workspace.
  let h = new Float64Array(0);
  let mNorm = 0;
  for (const v of m) mNorm += v * v;
  mNorm = Math.sqrt(mNorm);
  const tolerance = options.tolerance ?? 1e-9 * mNorm;
  // z = K̃ᵀc is carried along (z += t·dz with each step, refreshed every REFRESH steps) instead of re-applied.
  // f and mask from z, the active cells listed in idx; returns how many
  const primal = (fresh: boolean) => {
    if (fresh) op.applyT(c, z);
    return primalMap(z, lambda1, lambda2, f, mask, idx);
  };
  let iterations = 0;
  let converged = false;
  let factored = false;
  let factorMask: Float64Array | undefined;
  let factorIsDual = false;
  for (; iterations < maxIterations; iterations++) {
    const active = primal(iterations % REFRESH === 0);
    op.apply(f, kf);
    let gNorm = 0;
    for (let p = 0; p < s; p++) {
      grad[p] = kf[p]! + c[p]! - m[p]!;
      gNorm += grad[p]! * grad[p]!;
    }
    if (Math.sqrt(gNorm) <= tolerance + 1e-300) {
      converged = true;
      break;
    }
    if (active < PRIMAL_BELOW * s) {
      // Fewer active cells than pairs: the same step through the active cells' normal matrix (Woodbury),
      // (K̃_A·K̃_Aᵀ + λ2·I)⁻¹ = (I − K̃_A·(K̃_AᵀK̃_A + λ2·I)⁻¹·K̃_Aᵀ)/λ2, so d = K̃_A·x − ∇χ with
      // (K̃_AᵀK̃_A + λ2·I)·x = K̃_Aᵀ∇χ — a q × q system (q active cells) whose matrix costs O(q²·G), not O(s²·…).
      const { hq, xq } = activeSystem(active);
      factored = factorActiveSystem(op, idx, active, lambda2, hq);
      if (!factored) break;
      factorIsDual = false;
      op.applyTAt(grad, idx, active, xq);
      choleskySolveInPlace(hq, active, xq);
      fx.fill(0);
      for (let u = 0; u < active; u++) fx[idx[u]!] = xq[u]!;
      op.apply(fx, step);
      for (let p = 0; p < s; p++) step[p]! -= grad[p]!;
    } else {
      if (h.length === 0) h = new Float64Array(s * s);
      factored = factorNewtonSystem(op, mask, lambda2, h);
      if (!factored) break;
      factorIsDual = true;
      for (let p = 0; p < s; p++) step[p] = -lambda2 * grad[p]!;
      choleskySolveInPlace(h, s, step);
    }
    factorMask ??= new Float64Array(n);
    factorMask.set(mask);
    op.applyT(step, dz);
    let cd = 0;
    let dd = 0;
    let md = 0;
    for (let p = 0; p < s; p++) {
      cd += c[p]! * step[p]!;
      dd += step[p]! * step[p]!;
      md += m[p]! * step[p]!;
    }
    const t = exactStep(lambda2 * (cd - md), lambda2 * dd, z, dz, lambda1, n, lsCell, lsBreak);
    if (!(t > 0)) {
      converged = true; // no further decrease at working precision
      break;
    }
    addScaled(c, t, step);
    addScaled(z, t, dz);
  }
  primal(true);
  op.apply(f, kf);
  let residual2 = 0;
  for (let p = 0; p < s; p++) residual2 += (kf[p]! - m[p]!) ** 2;
  const solution: DualNewtonSolution = { c, f, mask, residual2, iterations: iterations + 1, converged };
  if (factored && factorMask) {
    const lastMask = factorMask;
    let dual: Float64Array | undefined = factorIsDual ? h : undefined;
    solution.lastFactorMask = lastMask;
    // The s × s factor, built on first use when the last step went through the active cells instead.
    Object.defineProperty(solution, 'lastFactor', {
      enumerable: true,
      get() {
        if (!dual) {
          dual = new Float64Array(s * s);
          factorNewtonSystem(op, lastMask, lambda2, dual);
        }
        return dual;
      },
    });
  }
  return solution;
}

/**
 * f = max(0, (z − λ1)/λ2) and its mask (1 where positive), the positive cells listed in idx; returns how many. In
 * WebAssembly where the kernels are built (libs/physics/assembly/dualNewtonSteps.ts): the same cells and values.
 */
function primalMap(
  z: Float64Array,
  lambda1: number,
  lambda2: number,
  f: Float64Array,
  mask: Float64Array,
  idx: Int32Array,
): number {
  const n = z.length;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(28 * n + 64);
    const zIn = arena.copy(z);
    const [fOut, maskOut, idxOut] = [arena.f64(n), arena.f64(n), arena.scratch(4 * n)];
    const active = kernels.exports.dualPrimal(zIn, n, lambda1, lambda2, fOut.offset, maskOut.offset, idxOut);
    f.set(fOut.view);
    mask.set(maskOut.view);
    idx.set(new Int32Array(kernels.exports.memory.buffer, idxOut, active));
    return active;
  }
  for (let k = 0; k < n; k++) {
    const v = (z[k]! - lambda1) / lambda2;
    f[k] = v > 0 ? v : 0;
    mask[k] = v > 0 ? 1 : 0;
  }
  let active = 0;
  for (let k = 0; k < n; k++) if (mask[k] === 1) idx[active++] = k;
  return active;
}

/**
 * The exact minimiser t ≥ 0 of the convex piecewise quadratic λ2·χ(c + t·d) along a Newton direction: the root of
 *   φ'(t) = a0 + a1·t + Σ_k max(0, v_k + t·dz_k)·dz_k,   v_k = z_k − λ1,
 * which is piecewise linear and increasing. Cells whose sign never changes for t > 0 are summed once; the others
 * (breakpoints b_k = −v_k/dz_k > 0) are kept in a list that shrinks with the bracket: a Newton step on φ' from t = 1
 * (bisection when it leaves the bracket), after which every cell whose breakpoint lies outside the bracket is folded
 * into the linear part. One pass over the grid, then passes over ever fewer switching cells; once none is left
 * inside the bracket φ' is linear there and the next step lands on its root exactly. (Newton passes over the whole
 * grid with a tight tolerance took up to 40 passes on warm starts from a coarser grid's solution.) Runs as
 * WebAssembly where the kernels are built (src/wasm/kernels.ts): the same steps, the same t.
 */
export function exactStep(
  a0: number,
  a1: number,
  z: Float64Array,
  dz: Float64Array,
  lambda1: number,
  n: number,
  cell: Int32Array,
  brk: Float64Array,
): number {
  const kernels = wasmKernels();
  if (!kernels) return exactStepTypeScript(a0, a1, z, dz, lambda1, n, cell, brk);
  const arena = kernels.arena(28 * n + 32);
  const [zIn, dzIn] = [arena.copy(z.subarray(0, n)), arena.copy(dz.subarray(0, n))];
  const [cellIn, brkIn] = [arena.scratch(4 * n), arena.scratch(8 * n)];
  return kernels.exports.exactStep(a0, a1, zIn, dzIn, lambda1, n, cellIn, brkIn);
}

/** The TypeScript path, where the kernels are absent. */
function exactStepTypeScript(
  a0: number,
  a1: number,
  z: Float64Array,
  dz: Float64Array,
  lambda1: number,
  n: number,
  cell: Int32Array,
  brk: Float64Array,
): number {
  let count = 0;
  for (let k = 0; k < n; k++) {
    const d = dz[k]!;
    if (d === 0) continue;
    const v = z[k]! - lambda1;
    const b = -v / d;
    if (b > 0) {
      cell[count] = k;
      brk[count++] = b;
    } else if (d > 0) {
      // active for every t > 0
      a0 += v * d;
      a1 += d * d;
    }
  }
  let tLo = 0;
  let tHi = Infinity;
  let t = 1;
  for (let pass = 0; pass < 60; pass++) {
    let d1 = a0 + a1 * t;
    let d2 = a1;
    for (let u = 0; u < count; u++) {
      const k = cell[u]!;
      const d = dz[k]!;
      if (d > 0 ? t > brk[u]! : t < brk[u]!) {
        d1 += (z[k]! - lambda1 + t * d) * d;
        d2 += d * d;
      }
    }
    if (d1 > 0) tHi = t;
    else tLo = t;
    if (d1 === 0 || (count === 0 && pass > 0)) break;
    // Fold the cells whose breakpoint left the bracket into the linear part.
    let kept = 0;
    for (let u = 0; u < count; u++) {
      const b = brk[u]!;
      const k = cell[u]!;
      if (b > tLo && b < tHi) {
        cell[kept] = k;
        brk[kept++] = b;
        continue;
      }
      const d = dz[k]!;
      // Active across the bracket: entering (d > 0) before it, or leaving (d < 0) after it.
      if ((d > 0 && b <= tLo) || (d < 0 && b >= tHi)) {
        a0 += (z[k]! - lambda1) * d;
        a1 += d * d;
      }
    }
    count = kept;
    let next = d2 > 0 ? t - d1 / d2 : NaN;
    if (!(next > tLo && next < tHi)) next = Number.isFinite(tHi) ? 0.5 * (tLo + tHi) : 2 * t;
    if (Math.abs(next - t) <= 1e-12 * t) break;
    t = next;
  }
  return t;
}

interface Workspace {
  kf: Float64Array;
  grad: Float64Array;
  step: Float64Array;
  z: Float64Array;
  dz: Float64Array;
  idx: Int32Array;
  fx: Float64Array;
  lsCell: Int32Array;
  lsBreak: Float64Array;
}

let pool: { s: number; n: number; work: Workspace } | undefined;
/** The active-cell system (q × q) and its right-hand side, shared like the workspace and grown on demand. */
let activeBuffers = { hq: new Float64Array(0), xq: new Float64Array(0) };

/**
 * Working arrays for one solve, shared by successive solves (dualNewton does not call itself, and JavaScript runs one
 * solve at a time): an α path runs a dozen solves per map, and fresh arrays for each came to ~0.4 MB a solve of
 * garbage on a 64 × 64 grid. Views of the right lengths over buffers grown to the largest problem seen.
 */
function workspace(s: number, n: number): Workspace {
  if (!pool || pool.s < s || pool.n < n) {
    const ps = Math.max(s, pool?.s ?? 0);
    const pn = Math.max(n, pool?.n ?? 0);
    pool = {
      s: ps,
      n: pn,
      work: {
        kf: new Float64Array(ps),
        grad: new Float64Array(ps),
        step: new Float64Array(ps),
        z: new Float64Array(pn),
        dz: new Float64Array(pn),
        idx: new Int32Array(pn),
        fx: new Float64Array(pn),
        lsCell: new Int32Array(pn),
        lsBreak: new Float64Array(pn),
      },
    };
  }
  const w = pool.work;
  return {
    kf: w.kf.subarray(0, s),
    grad: w.grad.subarray(0, s),
    step: w.step.subarray(0, s),
    z: w.z.subarray(0, n),
    dz: w.dz.subarray(0, n),
    idx: w.idx.subarray(0, n),
    fx: w.fx.subarray(0, n),
    lsCell: w.lsCell.subarray(0, n),
    lsBreak: w.lsBreak.subarray(0, n),
  };
}

/** The shared q × q system buffers, grown (with room to spare) when q outgrows them. */
function activeSystem(q: number): { hq: Float64Array; xq: Float64Array } {
  if (activeBuffers.hq.length < q * q) {
    const room = Math.ceil(q * 1.25);
    activeBuffers = { hq: new Float64Array(room * room), xq: new Float64Array(room) };
  }
  return activeBuffers;
}

/** K̃ᵀc is recomputed from c every REFRESH Newton steps (in between it is updated with the step's own K̃ᵀd). */
const REFRESH = 8;

/** Below this ratio of active cells to pairs a Newton step goes through the active cells (Woodbury). */
const PRIMAL_BELOW = 1;

/**
 * Cholesky factor of K̃_AᵀK̃_A + shift·I (q × q, A the q cells in idx) into h, with the same one-off extra shift as
 * factorNewtonSystem when the shift is below the Gram matrix's rounding level.
 */
export function factorActiveSystem(
  op: CompressedOperator,
  idx: Int32Array,
  q: number,
  shift: number,
  h: Float64Array,
): boolean {
  for (const extra of [0, 1e-13 * op.normSquared]) {
    op.cellGram(idx, q, h);
    for (let u = 0; u < q; u++) h[u * q + u]! += shift + extra;
    if (choleskyInPlace(h, q)) return true;
  }
  return false;
}

/**
 * Cholesky factor of K̃·diag(mask)·K̃ᵀ + shift·I into h. When the shift is below the rounding level of the Gram
 * matrix the factorisation can fail; a diagonal shift of 1e-13·‖K̃‖² (invisible against any useful weight) is then
 * added once.
 */
export function factorNewtonSystem(
  op: CompressedOperator,
  mask: Float64Array,
  shift: number,
  h: Float64Array,
): boolean {
  const s = op.s;
  op.gram(mask, h);
  for (let p = 0; p < s; p++) h[p * s + p]! += shift;
  if (choleskyInPlace(h, s)) return true;
  op.gram(mask, h);
  const bigger = shift + 1e-13 * op.normSquared;
  for (let p = 0; p < s; p++) h[p * s + p]! += bigger;
  return choleskyInPlace(h, s);
}
