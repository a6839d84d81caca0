/**
 * A log-normal component's compressed signal and its analytic derivatives (componentModel.ts, levenbergMarquardt.ts).
 * The unit-mass cells ĝ of a component are contracted with the second axis first, u_j = ĝ·diag(z2ʲ)·A2ᵀ (j = 0..2),
 * then with the first on the kept pairs only; every derivative of ĝ is ĝ times a quadratic in the standardised
 * coordinates (z1, z2), so one component's six signal derivatives cost about two more contractions, not six.
 */
import { wasmKernels } from '../wasm/kernels';
import { jacobianWasm, projectWasm } from './componentSignalKernels';
import type { ComponentModel } from './componentModel';

/** One component sampled on its window, with what its signal and derivatives are built from (reused buffers). */
export class ComponentState {
  a0 = 0;
  na = 0;
  b0 = 0;
  nb = 0;
  w1 = 1;
  w2 = 1;
  r = 0;
  /** Whether the j = 1, 2 blocks of u belong to the current cells. */
  moments = false;
  /** Unit-mass cells ĝ over the window (na × nb, row-major). */
  g = new Float64Array(0);
  /** ĝ·z2 and ĝ·z2² per cell, interleaved (the Jacobian's scratch). */
  gz = new Float64Array(0);
  /** Per row of the window, the range of columns where ĝ is not zero (outside q < 50 it is exactly 0). */
  lo = new Int32Array(0);
  hi = new Int32Array(0);
  z1 = new Float64Array(0);
  z2 = new Float64Array(0);
  /** ĝ·diag(z2ʲ)·A2ᵀ for j = 0, 1, 2: block j at j·r2·na, entry (jj, a) at jj·na + a. */
  u = new Float64Array(0);
  /** Scratch for the Jacobian's interleaved second-axis sums (5 per entry of a u block). */
  w = new Float64Array(0);
  /** Compressed signal of unit mass on the kept pairs. */
  readonly sig: Float64Array;
  /** Σ_a u_0[j, a] per second-axis index (the β column). */
  readonly ysum: Float64Array;

  constructor(
    private readonly r2: number,
    s: number,
  ) {
    this.sig = new Float64Array(s);
    this.ysum = new Float64Array(r2);
  }

  /** Room for an na × nb window (buffers grow, never shrink: windows are mostly a few hundred cells). */
  reserve(na: number, nb: number): void {
    if (this.g.length < na * nb) {
      this.g = new Float64Array(2 * na * nb);
      this.gz = new Float64Array(4 * na * nb);
    }
    if (this.z1.length < na) {
      this.z1 = new Float64Array(2 * na);
      this.lo = new Int32Array(2 * na);
      this.hi = new Int32Array(2 * na);
      this.u = new Float64Array(6 * this.r2 * na);
      this.w = new Float64Array(10 * this.r2 * na);
    }
    if (this.z2.length < nb) this.z2 = new Float64Array(2 * nb);
  }
}

/** Samples c on its window (as ComponentModel.cells: same window, cut-off and normalisation) and projects it. */
export function evaluateState(model: ComponentModel, c: { theta: Float64Array }, st: ComponentState): void {
  const theta = c.theta;
  const two = model.dims === 2;
  const [a0, a1] = model.window(0, theta[0]!, model.width(c, 0));
  const [b0, b1] = two ? model.window(1, theta[1]!, model.width(c, 1)) : [0, 1];
  const na = a1 - a0;
  const nb = b1 - b0;
  const w1 = model.width(c, 0);
  const w2 = two ? model.width(c, 1) : 1;
  const r = model.rho(c);
  const k = 1 / (1 - r * r);
  st.a0 = a0;
  st.na = na;
  st.b0 = b0;
  st.nb = nb;
  st.w1 = w1;
  st.w2 = w2;
  st.r = r;
  st.moments = false;
  st.reserve(na, nb);
  const { z1, z2 } = st;
  const x1 = model.lg[0]!;
  for (let a = 0; a < na; a++) z1[a] = (x1[a0 + a]! - theta[0]!) / w1;
  if (two) for (let b = 0; b < nb; b++) z2[b] = (model.lg[1]![b0 + b]! - theta[1]!) / w2;
  else z2[0] = 0;
  sampleWindow(st, r, k);
  project(model, st);
}

/**
 * ĝ over the window from z1, z2 (exp(−q/2), normalised), each row's non-zero span in lo, hi; in WebAssembly where the
 * kernels are built (libs/physics/assembly/componentWindow.ts, with V8's exponential): the same numbers.
 */
function sampleWindow(st: ComponentState, r: number, k: number): void {
  const { g, z1, z2, lo, hi, na, nb } = st;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (na + Math.max(nb, 1) + na * nb) + 8 * na + 64);
    const [z1In, z2In] = [arena.copy(z1.subarray(0, na)), arena.copy(z2.subarray(0, Math.max(nb, 1)))];
    const gOut = arena.f64(na * nb);
    const [loOut, hiOut] = [arena.scratch(4 * na), arena.scratch(4 * na)];
    kernels.exports.componentWindow(z1In, na, z2In, nb, r, k, gOut.offset, loOut, hiOut);
    g.set(gOut.view);
    const memory = kernels.exports.memory.buffer;
    lo.set(new Int32Array(memory, loOut, na));
    hi.set(new Int32Array(memory, hiOut, na));
    return;
  }
  let sum = 0;
  for (let a = 0; a < na; a++) {
    const za = z1[a]!;
    const row = a * nb;
    let first = nb;
    let last = 0;
    for (let b = 0; b < nb; b++) {
      const zb = z2[b]!;
      const q = (za * za - 2 * r * za * zb + zb * zb) * k;
      const v = q < 50 ? Math.exp(-0.5 * q) : 0;
      g[row + b] = v;
      sum += v;
      if (v !== 0) {
        if (first === nb) first = b;
        last = b + 1;
      }
    }
    lo[a] = first;
    hi[a] = first === nb ? first : last;
  }
  if (sum > 0) for (let i = 0; i < na * nb; i++) g[i]! /= sum;
}

/**
 * u_0 = ĝ·A2ᵀ and the unit signal A1·u_0 on the kept pairs, at the model's current A1; in WebAssembly where the
 * kernels are built (src/wasm/kernels.ts): the same sums, the same numbers.
 */
function project(model: ComponentModel, st: ComponentState): void {
  const kernels = wasmKernels();
  if (kernels) return projectWasm(kernels, model, st);
  const { r2, n2, a2: A2 } = model.cp;
  const { g, lo, hi, u, na, nb, b0 } = st;
  for (let a = 0; a < na; a++) {
    const row = a * nb;
    const from = lo[a]!;
    const to = hi[a]!;
    // Two rows of A2 at a time: one load of ĝ serves both.
    let jj = 0;
    for (; jj + 1 < r2; jj += 2) {
      const ar = jj * n2 + b0;
      const ar1 = ar + n2;
      let acc = 0;
      let acc1 = 0;
      for (let b = from; b < to; b++) {
        const v = g[row + b]!;
        acc += v * A2[ar + b]!;
        acc1 += v * A2[ar1 + b]!;
      }
      u[jj * na + a] = acc;
      u[(jj + 1) * na + a] = acc1;
    }
    if (jj < r2) {
      const ar = jj * n2 + b0;
      let acc = 0;
      for (let b = from; b < to; b++) acc += g[row + b]! * A2[ar + b]!;
      u[jj * na + a] = acc;
    }
  }
  const { a1: A1 } = model;
  const n1 = model.cp.n1;
  const { pi, pj, s } = model;
  const sig = st.sig;
  const base = st.a0;
  for (let p = 0; p < s; p++) {
    const ar = pi[p]! * n1 + base;
    const ur = pj[p]! * na;
    let acc = 0;
    for (let a = 0; a < na; a++) acc += A1[ar + a]! * u[ur + a]!;
    sig[p] = acc;
  }
}

/**
 * The Jacobian columns of amplitude · signal for c's parameters (per axis centre, log width, then tilt in 2D, then
 * log amplitude), written to jac at column `col` onward (s entries each), and amplitude · ∂signal/∂β added to the
 * column at `betaCol` (≥ 0: the model fits β). The window is held fixed, as a finite difference would see it.
 * Needs the model at the β the state was evaluated at.
 */
export function jacobianColumns(
  model: ComponentModel,
  c: { theta: Float64Array },
  st: ComponentState,
  amplitude: number,
  jac: Float64Array,
  col: number,
  betaCol: number,
): void {
  const kernels = wasmKernels();
  const coef = jacobianCoefficients(model, c, st, amplitude);
  if (kernels) return jacobianWasm(kernels, model, st, amplitude, coef, jac, col, betaCol);
  const { r2, n2, n1, a2: A2 } = model.cp;
  const { g, lo, hi, u, na, nb, b0, z1, z2, sig } = st;
  const two = model.dims === 2;
  const blk = r2 * na;
  // Moments ⟨z1⟩, ⟨z2⟩, ⟨z1²⟩, ⟨z1z2⟩, ⟨z2²⟩ of ĝ; (2D) ĝ·z2 and ĝ·z2² interleaved per cell, then u_1, u_2 from them.
  const fresh = two && !st.moments;
  const gz = st.gz;
  let m10 = 0;
  let m01 = 0;
  let m20 = 0;
  let m11 = 0;
  let m02 = 0;
  for (let a = 0; a < na; a++) {
    const row = a * nb;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let b = lo[a]!; b < hi[a]!; b++) {
      const v = g[row + b]!;
      const zv = v * z2[b]!;
      const zzv = zv * z2[b]!;
      s0 += v;
      s1 += zv;
      s2 += zzv;
      if (fresh) {
        gz[2 * (row + b)] = zv;
        gz[2 * (row + b) + 1] = zzv;
      }
    }
    const za = z1[a]!;
    m10 += za * s0;
    m20 += za * za * s0;
    m01 += s1;
    m11 += za * s1;
    m02 += s2;
  }
  if (fresh) {
    for (let a = 0; a < na; a++) {
      const row = a * nb;
      const from = lo[a]!;
      const to = hi[a]!;
      for (let jj = 0; jj < r2; jj += 2) {
        // Two rows of A2 at a time (the last one twice when r2 is odd: same sums, written twice).
        const j1 = jj + 1 < r2 ? jj + 1 : jj;
        const ar = jj * n2 + b0;
        const ar1 = j1 * n2 + b0;
        let acc1 = 0;
        let acc2 = 0;
        let bcc1 = 0;
        let bcc2 = 0;
        for (let b = from, o = 2 * (row + from); b < to; b++, o += 2) {
          const y = A2[ar + b]!;
          const y1 = A2[ar1 + b]!;
          const v1 = gz[o]!;
          const v2 = gz[o + 1]!;
          acc1 += v1 * y;
          acc2 += v2 * y;
          bcc1 += v1 * y1;
          bcc2 += v2 * y1;
        }
        u[blk + jj * na + a] = acc1;
        u[2 * blk + jj * na + a] = acc2;
        u[blk + j1 * na + a] = bcc1;
        u[2 * blk + j1 * na + a] = bcc2;
      }
    }
    st.moments = true;
  }
  const { a1: A1 } = model;
  const { pi, pj, s } = model;
  const base = st.a0;
  const P = model.perComponent;
  // The β column needs no sums of its own: ∂A1/∂β = (A1(β) − S·1ᵀ)/(1 + β), S = U1ᵀ1 (componentModel.ts), so on a
  // pair it is (L_0 − S_i·Σ_a u_0[j, a])/(1 + β), with β the one the signals are at.
  const S = model.u1Sums;
  const Y = st.ysum;
  const betaScale = betaCol >= 0 ? amplitude / (1 + model.betaAt) : 0;
  if (betaCol >= 0) {
    for (let jj = 0; jj < r2; jj++) {
      let y = 0;
      for (let a = 0; a < na; a++) y += u[jj * na + a]!;
      Y[jj] = y;
    }
  }
  if (!two) {
    // 1D: q = z1², columns centre and log width.
    const cm = coef[0]!;
    const cl = coef[1]!;
    const mm = -cm * m10;
    const ml = -cl * m20;
    for (let p = 0; p < s; p++) {
      const ar = pi[p]! * n1 + base;
      const ur = pj[p]! * na;
      let l10 = 0;
      let l20 = 0;
      for (let a = 0; a < na; a++) {
        const y0 = u[ur + a]!;
        const xz = A1[ar + a]! * z1[a]!;
        l10 += xz * y0;
        l20 += xz * z1[a]! * y0;
      }
      const l00 = sig[p]!;
      jac[col + p] = cm * l10 + mm * l00;
      jac[col + s + p] = cl * l20 + ml * l00;
      jac[col + 2 * s + p] = amplitude * l00;
      if (betaCol >= 0) jac[betaCol + p]! += betaScale * (l00 - S[pi[p]!]! * Y[pj[p]!]!);
    }
    return;
  }
  const [c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b, c5a, c5b, c5c] = coef as unknown as Coefficients2d;
  const k1 = -(c1a * m10 + c1b * m01);
  const k2 = -(c2a * m10 + c2b * m01);
  const k3 = -(c3a * m20 + c3b * m11);
  const k4 = -(c4a * m11 + c4b * m02);
  const k5 = -(c5a * m20 + c5b * m11 + c5c * m02);
  // The second-axis side of each pair's five sums, interleaved per (jj, a): u0·z1, u0·z1², u1, u1·z1, u2, u0.
  const wv = st.w;
  for (let i = 0; i < blk; i++) {
    const z = z1[i % na]!;
    const y0 = u[i]!;
    const y1 = u[blk + i]!;
    const o = 5 * i;
    wv[o] = y0 * z;
    wv[o + 1] = y0 * z * z;
    wv[o + 2] = y1;
    wv[o + 3] = y1 * z;
    wv[o + 4] = u[2 * blk + i]!;
  }
  const j1 = col;
  const j2 = j1 + s;
  const j3 = j2 + s;
  const j4 = j3 + s;
  const j5 = j4 + s;
  const j6 = col + (P - 1) * s;
  for (let p = 0; p < s; p++) {
    const ar = pi[p]! * n1 + base;
    const ur = 5 * pj[p]! * na;
    let l10 = 0;
    let l20 = 0;
    let l01 = 0;
    let l11 = 0;
    let l02 = 0;
    for (let a = 0, o = ur; a < na; a++, o += 5) {
      const x = A1[ar + a]!;
      l10 += x * wv[o]!;
      l20 += x * wv[o + 1]!;
      l01 += x * wv[o + 2]!;
      l11 += x * wv[o + 3]!;
      l02 += x * wv[o + 4]!;
    }
    const l00 = sig[p]!;
    jac[j1 + p] = c1a * l10 + c1b * l01 + k1 * l00;
    jac[j2 + p] = c2a * l10 + c2b * l01 + k2 * l00;
    jac[j3 + p] = c3a * l20 + c3b * l11 + k3 * l00;
    jac[j4 + p] = c4a * l11 + c4b * l02 + k4 * l00;
    jac[j5 + p] = c5a * l20 + c5b * l11 + c5c * l02 + k5 * l00;
    jac[j6 + p] = amplitude * l00;
    if (betaCol >= 0) jac[betaCol + p]! += betaScale * (l00 - S[pi[p]!]! * Y[pj[p]!]!);
  }
}

/** jacobianCoefficients' eleven values of a 2D component. */
type Coefficients2d = [number, number, number, number, number, number, number, number, number, number, number];

/**
 * The Jacobian's scalar coefficients, each times f = −½·amplitude: 2D per column μ1 (z1, z2), μ2 (z1, z2),
 * ℓ1 (z1², z1z2), ℓ2 (z1z2, z2²), τ (z1², z1z2, z2²) — 11 values; 1D centre and log width — 2. From ∂q/∂θ as
 * coefficients of z1, z2, z1², z1z2, z2² (q = k·(z1² − 2r·z1z2 + z2²), z = (x − μ)/w, w = w_min + e^ℓ), with
 * ∂ĝ/∂θ = −½·ĝ·(∂q/∂θ − ⟨∂q/∂θ⟩), so a column is −½·A·(Σ c_m·L_m − (Σ c_m·⟨m⟩)·L_0), L_m = L(ĝ·m). Shared by both
 * paths (the WebAssembly one has no tanh of V8's bits).
 */
export function jacobianCoefficients(
  model: ComponentModel,
  c: { theta: Float64Array },
  st: ComponentState,
  amplitude: number,
): Float64Array {
  const { w1, w2, r } = st;
  const k = 1 / (1 - r * r);
  const e1 = (w1 - model.minWidth[0]!) / w1;
  const f = -0.5 * amplitude;
  if (model.dims !== 2) return Float64Array.of((-2 / w1) * f, -2 * e1 * f);
  const e2 = (w2 - model.minWidth[1]!) / w2;
  const dr = 0.95 * (1 - Math.tanh(c.theta[4]!) ** 2);
  const rk2 = 2 * r * k * k;
  return Float64Array.of(
    ((-2 * k) / w1) * f,
    ((2 * k * r) / w1) * f,
    ((2 * k * r) / w2) * f,
    ((-2 * k) / w2) * f,
    -2 * k * e1 * f,
    2 * k * r * e1 * f,
    2 * k * r * e2 * f,
    -2 * k * e2 * f,
    dr * rk2 * f,
    -dr * (4 * r * r * k * k + 2 * k) * f,
    dr * rk2 * f,
  );
}
