/**
 * componentSignal.ts's loops in WebAssembly (libs/physics/assembly/componentProject.ts, componentJacobian.ts): the
 * state's arrays copied into the kernels' memory, the loop run there, the results copied back into the state. The
 * same sums in the same order, so the same numbers (src/wasm/kernels.test.ts).
 */
import type { Kernels } from '../wasm/kernels';
import type { ComponentModel } from './componentModel';
import type { ComponentState } from './componentSignal';

/** u_0 = ĝ·A2ᵀ and the unit signal A1·u_0 on the kept pairs (componentSignal.ts project). */
export function projectWasm(kernels: Kernels, model: ComponentModel, st: ComponentState): void {
  const { r2, n2, a2: A2 } = model.cp;
  const { g, lo, hi, u, na, nb, b0 } = st;
  const { a1, pi, pj, s } = model;
  const arena = kernels.arena(8 * (na * nb + A2.length + a1.length + r2 * na + s) + 4 * (2 * na + 2 * s) + 128);
  const [gIn, loIn, hiIn] = [
    arena.copy(g.subarray(0, na * nb)),
    arena.copy(lo.subarray(0, na)),
    arena.copy(hi.subarray(0, na)),
  ];
  const [a2In, a1In, piIn, pjIn] = [arena.copy(A2), arena.copy(a1), arena.copy(pi), arena.copy(pj)];
  const [uOut, sigOut] = [arena.f64(r2 * na), arena.f64(s)];
  const n1 = model.cp.n1;
  kernels.exports.componentProject(
    gIn,
    loIn,
    hiIn,
    na,
    nb,
    b0,
    a2In,
    r2,
    n2,
    a1In,
    n1,
    st.a0,
    piIn,
    pjIn,
    s,
    uOut.offset,
    sigOut.offset,
  );
  u.set(uOut.view);
  st.sig.set(sigOut.view);
}

/** jacobianColumns in WebAssembly (libs/physics/assembly/componentJacobian.ts): the same sums, the same columns. */
export function jacobianWasm(
  kernels: Kernels,
  model: ComponentModel,
  st: ComponentState,
  amplitude: number,
  /** jacobianCoefficients (componentSignal.ts): computed in JavaScript, tanh among them. */
  coef: Float64Array,
  jac: Float64Array,
  col: number,
  betaCol: number,
): void {
  const { r2, n2, n1, a2 } = model.cp;
  const { na, nb } = st;
  const two = model.dims === 2;
  const fresh = two && !st.moments;
  const blk = r2 * na;
  const betaScale = betaCol >= 0 ? amplitude / (1 + model.betaAt) : 0;
  const { a1, pi, pj, s, u1Sums } = model;
  const cells = na * nb;
  const bytes = 8 * (3 * cells + na + nb + 8 * blk + a2.length + a1.length + s + u1Sums.length + r2 + 16 + jac.length);
  const arena = kernels.arena(bytes + 4 * (2 * na + 2 * s) + 256);
  const [gIn, loIn, hiIn] = [
    arena.copy(st.g.subarray(0, cells)),
    arena.copy(st.lo.subarray(0, na)),
    arena.copy(st.hi.subarray(0, na)),
  ];
  const [z1In, z2In, gz] = [
    arena.copy(st.z1.subarray(0, na)),
    arena.copy(st.z2.subarray(0, Math.max(nb, 1))),
    arena.scratch(16 * cells),
  ];
  const uIn = arena.f64(3 * blk);
  uIn.view.set(st.u.subarray(0, 3 * blk));
  const [a2In, a1In, piIn, pjIn] = [arena.copy(a2), arena.copy(a1), arena.copy(pi), arena.copy(pj)];
  const [sigIn, sumsIn, ysum, wv] = [arena.copy(st.sig), arena.copy(u1Sums), arena.f64(r2), arena.scratch(40 * blk)];
  const coefIn = arena.copy(coef);
  const jacIn = arena.f64(jac.length);
  jacIn.view.set(jac);
  kernels.exports.componentJacobian(
    gIn,
    loIn,
    hiIn,
    z1In,
    z2In,
    gz,
    uIn.offset,
    na,
    nb,
    st.b0,
    a2In,
    r2,
    n2,
    a1In,
    n1,
    st.a0,
    piIn,
    pjIn,
    s,
    sigIn,
    sumsIn,
    ysum.offset,
    wv,
    two ? 1 : 0,
    fresh ? 1 : 0,
    coefIn,
    amplitude,
    betaScale,
    jacIn.offset,
    col,
    betaCol,
    model.perComponent,
  );
  jac.set(jacIn.view);
  if (fresh) {
    st.u.set(uIn.view.subarray(blk, 3 * blk), blk);
    st.moments = true;
  }
  if (betaCol >= 0) st.ysum.set(ysum.view);
}
