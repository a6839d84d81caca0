import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import { componentResidual } from '../numerics/dataSums';
import { wasmKernels } from '../wasm/kernels';
import type { Component, ComponentModel } from './componentModel';
import { evaluateState, jacobianColumns, type ComponentState } from './componentSignal';

// A cap, not a stopping rule: fits stop when a step gains less than the tolerance. Δχ² compares two fits, so both
// must have converged — at 40 the fit of IR_bunter's (nmrinversions GeoSpec, T1 IR, β refitted) listed peaks stopped at
// χ² 9× its optimum (47 iterations with the analytic Jacobian, 78 with the former finite differences), and the split
// fit, converged, then "gained" hundreds of σ² over it: a spurious split whose positions depended on where it stopped.
const MAX_ITERATIONS = 100;

/** A joint fit: the fitted components, their χ² (data units²) and the β offset it ended at. */
export interface ComponentFit {
  components: Component[];
  chi2: number;
  betaOffset: number;
}

/**
 * Levenberg–Marquardt on all components' parameters jointly (and the β offset when the model fits β, from
 * `betaOffset`); χ² = ‖target − Σ a_k·v_k‖². Leaves the model at the fitted β offset.
 */
export function levenbergMarquardt(
  model: ComponentModel,
  target: Float64Array,
  start: Component[],
  tolerance: number,
  betaOffset = 0,
): ComponentFit {
  const s = model.s;
  const P = model.perComponent;
  const withBeta = model.fitsBeta;
  const n = model.freeParameters(start.length);
  const K = start.length;
  let comps = start.map((c) => ({ theta: Float64Array.from(c.theta) }));
  let offset = withBeta ? betaOffset : 0;
  // Two sets of sampled components and residuals: the accepted point's and a trial's, swapped on acceptance.
  const pool = model.states(2 * K);
  let curStates = pool.slice(0, K);
  let trialStates = pool.slice(K, 2 * K);
  const residuals = [new Float64Array(s), new Float64Array(s)];
  let spare = 1;
  const evaluate = (cs: Component[], at: number, states: ComponentState[], r: Float64Array) => {
    model.setBetaOffset(at);
    for (let k = 0; k < K; k++) evaluateState(model, cs[k]!, states[k]!);
    const amps = cs.slice(0, K).map((c) => model.amplitude(c));
    const chi2 = componentResidual(
      target,
      states.slice(0, K).map((st) => st.sig),
      amps,
      r,
    );
    return { r, chi2 };
  };
  let cur = evaluate(comps, offset, curStates, residuals[0]!);
  let lambda = 1e-3;
  const jac = new Float64Array(n * s);
  const jtj = new Float64Array(n * n);
  const jtr = new Float64Array(n);
  const m = new Float64Array(n * n);
  const step = new Float64Array(n);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    // Jacobian of the model (not the residual), column per parameter, analytic (componentSignal.ts).
    model.setBetaOffset(offset);
    const betaCol = withBeta ? (n - 1) * s : -1;
    if (withBeta) jac.fill(0, betaCol, betaCol + s);
    for (let k = 0; k < K; k++) {
      const c = comps[k]!;
      jacobianColumns(model, c, curStates[k]!, model.amplitude(c), jac, k * P * s, betaCol);
    }
    normalEquations(jac, cur.r, n, s, jtj, jtr);
    let improved = false;
    for (let tries = 0; tries < 8; tries++) {
      m.set(jtj);
      for (let x = 0; x < n; x++) m[x * n + x]! += lambda * (jtj[x * n + x]! + 1e-12);
      if (!choleskyInPlace(m, n)) {
        lambda *= 10;
        continue;
      }
      step.set(jtr);
      choleskySolveInPlace(m, n, step);
      const trial = comps.map((c, k) => {
        const theta = Float64Array.from(c.theta);
        for (let q = 0; q < P; q++) {
          // Bounded steps: at most 0.3 decade in a centre, a factor e² in a width or amplitude.
          const lim = q < model.dims ? 0.3 : 2;
          theta[q]! += Math.max(-lim, Math.min(lim, step[k * P + q]!));
        }
        return { theta };
      });
      // β moves at most 0.02 a step and stays within ±0.1 of the inversion's.
      const trialOffset = withBeta
        ? Math.max(-0.1, Math.min(0.1, offset + Math.max(-0.02, Math.min(0.02, step[n - 1]!))))
        : 0;
      const next = evaluate(trial, trialOffset, trialStates, residuals[spare]!);
      if (next.chi2 < cur.chi2) {
        const gain = cur.chi2 - next.chi2;
        comps = trial;
        offset = trialOffset;
        cur = next;
        [curStates, trialStates] = [trialStates, curStates];
        spare = 1 - spare;
        lambda = Math.max(lambda / 3, 1e-9);
        improved = true;
        if (gain < tolerance) it = MAX_ITERATIONS;
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  model.setBetaOffset(offset);
  return { components: comps, chi2: cur.chi2, betaOffset: offset };
}

/**
 * JᵀJ (n × n, both triangles) and Jᵀr of a column-major Jacobian (n columns of s): two by four columns at a time.
 * In WebAssembly where the kernels are built (src/wasm/kernels.ts): the same sums, the same numbers.
 */
export function normalEquations(
  jac: Float64Array,
  r: Float64Array,
  n: number,
  s: number,
  jtj: Float64Array,
  jtr: Float64Array,
): void {
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (n * s + s + n * n + n) + 32);
    const [jacIn, rIn] = [arena.copy(jac.subarray(0, n * s)), arena.copy(r.subarray(0, s))];
    const [jtjOut, jtrOut] = [arena.f64(n * n), arena.f64(n)];
    kernels.exports.normalEquations(jacIn, rIn, n, s, jtjOut.offset, jtrOut.offset);
    jtj.set(jtjOut.view);
    jtr.set(jtrOut.view);
    return;
  }
  for (let x = 0; x < n; x++) {
    const cx = x * s;
    let g = 0;
    for (let p = 0; p < s; p++) g += jac[cx + p]! * r[p]!;
    jtr[x] = g;
  }
  for (let x = 0; x < n; x += 2) {
    const pair = x + 1 < n;
    const cx = x * s;
    const cx1 = pair ? cx + s : cx;
    let y = 0;
    // Entries (x, y) and (x + 1, y) for y ≤ x in blocks of four; the last (x + 1, x + 1) after.
    for (; y <= x; y += 4) {
      const w = Math.min(4, x + 1 - y);
      const c0 = y * s;
      const c1 = (w > 1 ? y + 1 : y) * s;
      const c2 = (w > 2 ? y + 2 : y) * s;
      const c3 = (w > 3 ? y + 3 : y) * s;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let p = 0; p < s; p++) {
        const v = jac[cx + p]!;
        const t = jac[cx1 + p]!;
        const y0 = jac[c0 + p]!;
        const y1 = jac[c1 + p]!;
        const y2 = jac[c2 + p]!;
        const y3 = jac[c3 + p]!;
        a0 += v * y0;
        a1 += v * y1;
        a2 += v * y2;
        a3 += v * y3;
        b0 += t * y0;
        b1 += t * y1;
        b2 += t * y2;
        b3 += t * y3;
      }
      for (let d = 0; d < w; d++) {
        const v = d === 0 ? a0 : d === 1 ? a1 : d === 2 ? a2 : a3;
        jtj[x * n + y + d] = jtj[(y + d) * n + x] = v;
        if (!pair) continue;
        const t = d === 0 ? b0 : d === 1 ? b1 : d === 2 ? b2 : b3;
        jtj[(x + 1) * n + y + d] = jtj[(y + d) * n + x + 1] = t;
      }
    }
    if (pair) {
      let acc = 0;
      for (let p = 0; p < s; p++) acc += jac[cx1 + p]! * jac[cx1 + p]!;
      jtj[(x + 1) * n + x + 1] = acc;
    }
  }
}
