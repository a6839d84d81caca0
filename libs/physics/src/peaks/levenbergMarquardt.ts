import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import type { Component, ComponentModel } from './componentModel';

const MAX_ITERATIONS = 40;

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
  let comps = start.map((c) => ({ theta: Float64Array.from(c.theta) }));
  let offset = withBeta ? betaOffset : 0;
  const evaluate = (cs: Component[], at: number) => {
    model.setBetaOffset(at);
    const sigs = cs.map((c) => model.signal(c));
    const r = Float64Array.from(target);
    cs.forEach((c, k) => {
      const a = model.amplitude(c);
      const v = sigs[k]!;
      for (let p = 0; p < s; p++) r[p]! -= a * v[p]!;
    });
    let chi2 = 0;
    for (let p = 0; p < s; p++) chi2 += r[p]! * r[p]!;
    return { sigs, r, chi2 };
  };
  let cur = evaluate(comps, offset);
  let lambda = 1e-3;
  const jac = new Float64Array(n * s);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    // Jacobian of the model (not the residual), column per parameter.
    model.setBetaOffset(offset);
    comps.forEach((c, k) => {
      const a = model.amplitude(c);
      const base = cur.sigs[k]!;
      for (let q = 0; q < P; q++) {
        const col = (k * P + q) * s;
        if (q === P - 1) {
          for (let p = 0; p < s; p++) jac[col + p] = a * base[p]!;
          continue;
        }
        const h = 1e-5;
        const moved = { theta: Float64Array.from(c.theta) };
        moved.theta[q]! += h;
        const v = model.signal(moved);
        for (let p = 0; p < s; p++) jac[col + p] = (a * (v[p]! - base[p]!)) / h;
      }
    });
    if (withBeta) {
      // The model is linear in the β offset: its column is the signals through ∂A1/∂β.
      const h = 1e-4;
      model.setBetaOffset(offset + h);
      const col = (n - 1) * s;
      jac.fill(0, col, col + s);
      comps.forEach((c, k) => {
        const a = model.amplitude(c);
        const v = model.signal(c);
        const base = cur.sigs[k]!;
        for (let p = 0; p < s; p++) jac[col + p]! += (a * (v[p]! - base[p]!)) / h;
      });
      model.setBetaOffset(offset);
    }
    const jtj = new Float64Array(n * n);
    const jtr = new Float64Array(n);
    for (let x = 0; x < n; x++) {
      const cx = x * s;
      let g = 0;
      for (let p = 0; p < s; p++) g += jac[cx + p]! * cur.r[p]!;
      jtr[x] = g;
      for (let y = 0; y <= x; y++) {
        const cy = y * s;
        let acc = 0;
        for (let p = 0; p < s; p++) acc += jac[cx + p]! * jac[cy + p]!;
        jtj[x * n + y] = acc;
        jtj[y * n + x] = acc;
      }
    }
    let improved = false;
    for (let tries = 0; tries < 8; tries++) {
      const m = Float64Array.from(jtj);
      for (let x = 0; x < n; x++) m[x * n + x]! += lambda * (jtj[x * n + x]! + 1e-12);
      if (!choleskyInPlace(m, n)) {
        lambda *= 10;
        continue;
      }
      const step = Float64Array.from(jtr);
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
      const next = evaluate(trial, trialOffset);
      if (next.chi2 < cur.chi2) {
        const gain = cur.chi2 - next.chi2;
        comps = trial;
        offset = trialOffset;
        cur = next;
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
