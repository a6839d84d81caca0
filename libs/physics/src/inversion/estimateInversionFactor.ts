import { kernelMatrix } from '../kernels/kernelMatrix';
import { goldenSection } from '../linalg/goldenSection';
import { kernelSvd } from '../linalg/kernelSvd';
import { matMul } from '../linalg/matMul';
import { logGrid } from '../grids/logGrid';
import { nnls } from './nnls';
import type { InvertInput } from './invert';

/** Where the profile is searched, and the plausible part of it (below 0.5 the data are not a plain IR curve). */
const BETA_SEARCH: [number, number] = [0.3, 1];
const BETA_PLAUSIBLE_MIN = 0.5;

/**
 * Inversion efficiency β of an inversion-recovery axis, S(τ) = Σ_j F_j·(1 − (1+β)·e^(−τ/T1_j)): the β whose best
 * non-negative distribution fits the IR curve best — the profile of the unregularised NNLS misfit over β, scanned
 * over 0.3–1 and refined by golden section around the best scan point (docs/physics.md: the earlier linear estimate
 * with a ±0.06 refinement missed by up to 0.33 on held-out 2D data, and capped at 1 whenever it overshot).
 * For 2D data the IR curve is taken along the first right singular vector of the other kernel (a positive weighting
 * of the columns, so it is still an IR curve with the same β).
 * A best β below 0.5 means the data are not a plain IR curve (offsets, phase errors, a saturation recovery): β = 1 is
 * used and a warning says so.
 */
export function estimateInversionFactor(
  input: InvertInput,
  axisIndex: number,
  grid: Float64Array,
): { beta: number; warnings: string[] } {
  const tau = input.axes[axisIndex]!.values;
  const curve = irCurve(input, axisIndex, grid);
  const beta = profileBeta(tau, curve);
  if (!(beta >= BETA_PLAUSIBLE_MIN)) {
    const warnings = [
      `inversion efficiency could not be estimated (the best fit has beta ${Number.isFinite(beta) ? beta.toFixed(3) : 'none'}: not a plain inversion-recovery curve); assuming a perfect inversion (beta = 1)`,
    ];
    return { beta: 1, warnings };
  }
  return { beta, warnings: [] };
}

/** The IR curve to estimate β from: the data themselves in 1D, a positive weighting of the other axis in 2D. */
function irCurve(input: InvertInput, axisIndex: number, grid: Float64Array): Float64Array {
  const axes = input.axes;
  if (axes.length === 1) return input.data;
  const other = axes[1 - axisIndex]!;
  const otherGrid = Float64Array.from(grid); // any sensible grid for the weighting; the scale does not matter
  const k = kernelMatrix({ kernel: other.kernel }, other.values, widenToAxis(otherGrid, other.values, other.kernel));
  const u = kernelSvd(k, { maxRank: 1 }).u; // m_other × 1, all one sign
  const sign = u.reduce((a, v) => a + v, 0) < 0 ? -1 : 1;
  const m1 = axes[0].values.length;
  const m2 = axes[1]!.values.length;
  if (axisIndex === 0) return matMul(input.data, u, m1, m2, 1).map((v) => v * sign);
  const curve = new Float64Array(m2);
  for (let i = 0; i < m1; i++) for (let j = 0; j < m2; j++) curve[j]! += sign * u[i]! * input.data[i * m2 + j]!;
  return curve;
}

/**
 * argmin over β of min_{F ≥ 0} ‖(1 − (1+β)·E)·F − curve‖, E = e^(−τ/T1) on 48 log-spaced T1 from τ_min/2 to
 * 2·τ_max — not the output grid, which may reach far past the delays: a T1 ≫ τ_max only adds a constant −β·F, which
 * trades against β itself (a grid to 20·τ_max took β 0.836 to 0.660). The misfit is smooth but not always unimodal
 * over the whole range, hence a 9-point scan first; 14 golden-section steps then shrink the ±0.0875 bracket to 4e-4.
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
  const g = logGrid(lo / 2, hi * 2, n);
  // K(β) = 1 − (1+β)·E with E built once.
  const e = kernelMatrix({ kernel: 'T2' }, tau, g).data;
  const k = new Float64Array(e.length);
  const misfit = (b: number) => {
    for (let i = 0; i < e.length; i++) k[i] = 1 - (1 + b) * e[i]!;
    return nnls(k, curve, tau.length, n).residualNorm;
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
  return goldenSection(misfit, Math.max(bLo, best - h), Math.min(bHi, best + h), 14);
}

/** A grid over the other axis's own sensitive range (the weighting only needs to span the signal). */
function widenToAxis(_grid: Float64Array, x: ArrayLike<number>, kernel: string): Float64Array {
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v > 0) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const [a, b] = kernel === 'D' ? [1 / hi, 1 / lo] : [lo, hi];
  const out = new Float64Array(32);
  for (let i = 0; i < 32; i++) out[i] = 10 ** (Math.log10(a / 2) + (i * (Math.log10(b * 2) - Math.log10(a / 2))) / 31);
  return out;
}
