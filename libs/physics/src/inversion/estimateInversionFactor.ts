import { kernelMatrix } from '../kernels/kernelMatrix';
import { goldenSection } from '../linalg/goldenSection';
import { logGrid } from '../grids/logGrid';
import { nnls } from '../numerics/nnls';
import { matMulTransB } from '../linalg/matMul';
import { wasmKernels } from '../wasm/kernels';
import type { InvertInput } from './invert';

/** Where the profile is searched, and the plausible part of it (below 0.5 the data are not a plain IR curve). */
const BETA_SEARCH: [number, number] = [0.3, 1];
const BETA_PLAUSIBLE_MIN = 0.5;
/** How the warning of an estimate that failed begins (invert carries it over when it inverts again). */
export const BETA_WARNING_PREFIX = 'inversion efficiency could not be estimated';

/**
 * Inversion efficiency β of an inversion-recovery axis, S(τ) = Σ_j F_j·(1 − (1+β)·e^(−τ/T1_j)): the β whose best
 * non-negative distribution fits the IR curve best — the profile of the unregularised NNLS misfit over β, scanned
 * over 0.3–1 and refined by golden section around the best scan point (docs/physics.md, "Imperfect inversion", on the
 * estimators this replaced).
 * For 2D data the IR curve is the data weighted along the other axis by the decay they show there (irCurve).
 * A best β below 0.5 means the data are not a plain IR curve (offsets, phase errors, a saturation recovery): β = 1 is
 * used and a warning says so.
 */
export function estimateInversionFactor(input: InvertInput, axisIndex: number): { beta: number; warnings: string[] } {
  const tau = input.axes[axisIndex]!.values;
  const curve = irCurve(input, axisIndex);
  const beta = profileBeta(tau, curve);
  if (!(beta >= BETA_PLAUSIBLE_MIN)) {
    const warnings = [
      `${BETA_WARNING_PREFIX} (the best fit has beta ${Number.isFinite(beta) ? beta.toFixed(3) : 'none'}: not a plain inversion-recovery curve); assuming a perfect inversion (beta = 1)`,
    ];
    return { beta: 1, warnings };
  }
  return { beta, warnings: [] };
}

/**
 * The IR curve to estimate β from: the data themselves in 1D; in 2D the data weighted along the other axis by the
 * decay the data themselves show there (their first right singular vector, negative weights set to zero) — a matched
 * filter: every column's IR curve has the same β, and this weighting keeps the most signal over the noise.
 */
export function irCurve(input: InvertInput, axisIndex: number): Float64Array {
  const axes = input.axes;
  if (axes.length === 1) return input.data;
  const m1 = axes[0].values.length;
  const m2 = axes[1]!.values.length;
  // rows along the IR axis, contiguous: the data as they are, or transposed when the IR axis runs across them
  const rows = axisIndex === 0 ? m1 : m2;
  const cols = axisIndex === 0 ? m2 : m1;
  let a = input.data;
  if (axisIndex === 1) {
    a = new Float64Array(rows * cols);
    for (let i = 0; i < m1; i++) for (let j = 0; j < m2; j++) a[j * cols + i] = input.data[i * m2 + j]!;
  }
  // Gram matrix over the IR axis (rows × rows, small), its leading eigenvector by power iteration.
  // Upper block rows by the blocked product, 8 rows against the rows from there on (about half the full product);
  // it sums each entry in the same order as a plain dot product: the same Gram matrix, several times faster.
  const gram = new Float64Array(rows * rows);
  const block = new Float64Array(8 * rows);
  for (let p0 = 0; p0 < rows; p0 += 8) {
    const h = Math.min(8, rows - p0);
    const w = rows - p0;
    const from = a.subarray(p0 * cols);
    matMulTransB(from, from, h, cols, w, block);
    for (let p = 0; p < h; p++) {
      for (let q = p; q < w; q++) {
        const v = block[p * w + q]!;
        gram[(p0 + p) * rows + p0 + q] = v;
        gram[(p0 + q) * rows + p0 + p] = v;
      }
    }
  }
  let u = new Float64Array(rows).fill(1 / Math.sqrt(rows));
  const next = new Float64Array(rows);
  for (let it = 0; it < 100; it++) {
    let norm = 0;
    for (let p = 0; p < rows; p++) {
      let s = 0;
      for (let q = 0; q < rows; q++) s += gram[p * rows + q]! * u[q]!;
      next[p] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 0)) break;
    let change = 0;
    for (let p = 0; p < rows; p++) change += Math.abs(next[p]! / norm - u[p]!);
    u = next.map((v) => v / norm);
    if (change < 1e-12) break;
  }
  return matchedCurve(a, rows, cols, u);
}

/** k = 1 − (1+β)·e, in WebAssembly where the kernels are built. */
function recoveryKernel(e: Float64Array, beta: number, k: Float64Array): void {
  const kernels = wasmKernels();
  if (!kernels) {
    for (let i = 0; i < e.length; i++) k[i] = 1 - (1 + beta) * e[i]!;
    return;
  }
  const arena = kernels.arena(16 * e.length + 32);
  const [eIn, out] = [arena.copy(e), arena.f64(e.length)];
  kernels.exports.recoveryKernel(eIn, e.length, beta, out.offset);
  k.set(out.view);
}

/** A·w for w = Aᵀu with one sign, negative weights dropped; in WebAssembly where the kernels are built. */
function matchedCurve(a: Float64Array, rows: number, cols: number, u: Float64Array): Float64Array {
  const curve = new Float64Array(rows);
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (rows * cols + 2 * rows + cols) + 64);
    const [aIn, uIn] = [arena.copy(a.subarray(0, rows * cols)), arena.copy(u)];
    const [w, out] = [arena.f64(cols), arena.f64(rows)];
    kernels.exports.matchedCurve(aIn, rows, cols, uIn, w.offset, out.offset);
    curve.set(out.view);
    return curve;
  }
  const w = new Float64Array(cols);
  for (let p = 0; p < rows; p++) {
    const rp = p * cols;
    for (let c = 0; c < cols; c++) w[c]! += u[p]! * a[rp + c]!;
  }
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += w[c]!;
  const sign = sum < 0 ? -1 : 1;
  for (let c = 0; c < cols; c++) w[c] = Math.max(0, sign * w[c]!);
  for (let p = 0; p < rows; p++) {
    const rp = p * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[c]! * a[rp + c]!;
    curve[p] = s;
  }
  return curve;
}

/**
 * argmin over β of min_{F ≥ 0} ‖(1 − (1+β)·E)·F − curve‖, E = e^(−τ/T1) on 48 log-spaced T1 from τ_min to
 * 2·τ_max — not the output grid, which may reach far past the delays: a T1 ≫ τ_max only adds a constant −β·F, and a
 * T1 ≪ τ_min an offset, both trading against β itself (a grid to 20·τ_max took β 0.836 to 0.660). The misfit is
 * smooth but not always unimodal over the whole range, hence a 9-point scan first; 10 golden-section steps then
 * shrink the ±0.0875 bracket to 1.4e-3 (14 steps changed no error at the third decimal on 128 cases).
 */
function profileBeta(tau: ArrayLike<number>, curve: Float64Array): number {
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < tau.length; i++) {
    if (tau[i]! > 0) {
      lo = Math.min(lo, tau[i]!);
      hi = Math.max(hi, tau[i]!);
    }
  }
  const n = 48;
  const g = logGrid(lo, hi * 2, n);
  // K(β) = 1 − (1+β)·E with E built once.
  const e = kernelMatrix({ kernel: 'T2' }, tau, g).data;
  const k = new Float64Array(e.length);
  // Each fit starts from the previous one's passive set: the profile's points lie close together and their supports
  // barely differ, so a fit takes a few active-set steps instead of one per column (same minimum, to rounding).
  let passive: Uint8Array | undefined;
  const misfit = (b: number) => {
    recoveryKernel(e, b, k);
    const fit = nnls(k, curve, tau.length, n, passive ? { start: passive } : {});
    passive = fit.passive;
    return fit.residualNorm;
  };
  const [bLo, bHi] = BETA_SEARCH;
  const steps = 9;
  const h = (bHi - bLo) / (steps - 1);
  let best = bHi;
  let bestMisfit = Infinity;
  for (let i = steps - 1; i >= 0; i--) {
    const b = bLo + i * h;
    const v = misfit(b);
    if (v < bestMisfit) {
      bestMisfit = v;
      best = b;
    }
  }
  return goldenSection(misfit, Math.max(bLo, best - h), Math.min(bHi, best + h), 10);
}
