/**
 * The component test's model (docs/physics.md, "Two populations in one peak"): log-normal components on the
 * inversion grid, seen through the compressed kernel, fitted jointly by Levenberg–Marquardt (levenbergMarquardt.ts).
 */
import type { Peak } from '../analysis/types';
import type { CompressedProblem } from '../numerics/compress';
import { addScaled } from '../numerics/dataSums';
import type { ComponentTestOptions } from './componentTest';
import { ComponentState, evaluateState } from './componentSignal';
import { levenbergMarquardt, type ComponentFit } from './levenbergMarquardt';

export interface Component {
  /** Per axis: centre (log10 SI), log of (width − minimum width), then tilt (2D), then log amplitude. */
  theta: Float64Array;
}

/** What a component fit starts from: a peak's position, width (standard deviation, decades) and amplitude. */
export type ComponentStart = Pick<Peak, 'position' | 'widthDecades' | 'amplitude'>;

/**
 * The joint Levenberg–Marquardt fit of one log-normal component per given start (the component test's model), to the
 * compressed data: its χ² (‖m̃ − Σ a_k·v_k‖², data units²) and the fitted components. Comparing two models' χ² asks
 * whether the data tell them apart — e.g. a benchmark's true populations against the peaks listed: where the truth
 * fits better by less than the test's threshold, no listing could have justified it.
 */
export function fitComponents(
  cp: CompressedProblem,
  grids: Float64Array[],
  starts: readonly ComponentStart[],
  options: Pick<ComponentTestOptions, 'irBeta'> = {},
): { chi2: number; parameters: number; components: ComponentStart[] } {
  const model = new ComponentModel(cp, grids, options.irBeta);
  const fit = model.fit(
    cp.m,
    starts.map((p) => model.fromPeak(p)),
    0.1 * cp.sigma * cp.sigma,
  );
  return {
    chi2: fit.chi2,
    parameters: model.freeParameters(starts.length),
    components: fit.components.map((c) => ({
      position: Array.from({ length: model.dims }, (_, d) => 10 ** c.theta[d]!),
      widthDecades: Array.from({ length: model.dims }, (_, d) => model.width(c, d)),
      amplitude: model.amplitude(c),
    })),
  };
}

/**
 * Log-normal components on the inversion grid, through the compressed kernel: a component is a Gaussian in log10
 * of each axis sampled at the grid's cells and normalised to unit mass (the map's own convention: amplitudes are cell
 * masses), so its compressed signal is A1·G·A2ᵀ on the kept pairs, computed over the cells it covers only.
 */
export class ComponentModel {
  readonly dims: number;
  readonly n2: number;
  readonly lg: Float64Array[];
  /** Per axis, whether its log grid strictly increases (windows are then found by bisection). */
  private readonly ascending: boolean[];
  readonly minWidth: number[];
  readonly perComponent: number;
  /** Whether the fits carry the global β offset (an inversion-recovery first axis whose β was estimated). */
  readonly fitsBeta: boolean;
  /** Each kept pair's first- and second-axis index. */
  readonly pi: Int32Array;
  readonly pj: Int32Array;
  /** Number of kept pairs (the compressed data's length). */
  readonly s: number;
  /** ∂A1/∂β = −U1ᵀE (r1 × n1), E = e^(−τ/T1) on the grid; set when fitsBeta. */
  readonly da1?: Float64Array;
  /** U1ᵀ1 (r1) and the inversion's β, when fitsBeta (the Jacobian's β column from the signal itself). */
  readonly u1Sums = new Float64Array(0);
  private readonly irBeta: number = 0;
  /** A1 at the current β offset (cp.a1 when it is 0; else one of the two shifted buffers). */
  a1: Float64Array;
  /** The last two shifted A1s and their offsets: a fit alternates between its point's β and a trial's. */
  private readonly shifted: { offset: number; a1: Float64Array }[] = [];
  private betaOffset = 0;
  /** Sampled components' buffers, reused across fits (componentSignal.ts). */
  private readonly pool: ComponentState[] = [];
  private lastPeaksFit?: { peaks: readonly ComponentStart[]; tolerance: number; fit: ComponentFit };

  constructor(
    readonly cp: CompressedProblem,
    grids: Float64Array[],
    irBeta?: number,
  ) {
    this.a1 = cp.a1;
    this.fitsBeta = irBeta !== undefined && Number.isFinite(irBeta);
    if (this.fitsBeta) {
      // K1(β) = 1 − (1+β)·E, so on the kept subspace U1ᵀK1(β + δ) = A1 − δ·U1ᵀE with U1ᵀE = (U1ᵀ1·1ᵀ − A1)/(1+β).
      const { r1, n1 } = cp;
      const u = cp.svd1.u;
      const m1 = cp.svd1.rows;
      const da1 = new Float64Array(r1 * n1);
      const sums = new Float64Array(r1);
      for (let i = 0; i < r1; i++) {
        let sum = 0;
        for (let t = 0; t < m1; t++) sum += u[t * r1 + i]!;
        sums[i] = sum;
        for (let k = 0; k < n1; k++) da1[i * n1 + k] = -(sum - cp.a1[i * n1 + k]!) / (1 + irBeta!);
      }
      this.da1 = da1;
      this.u1Sums = sums;
      this.irBeta = irBeta!;
    }
    this.dims = grids.length;
    this.n2 = cp.n2;
    this.lg = grids.map((g) => Float64Array.from(g, Math.log10));
    this.ascending = this.lg.map((x) => x.every((v, i) => i === 0 || v > x[i - 1]!));
    // Narrower than ~a third of a cell the sampled Gaussian is one cell whatever its width: no information.
    this.minWidth = this.lg.map((x) =>
      x.length > 1 ? (0.35 * Math.abs(x[x.length - 1]! - x[0]!)) / (x.length - 1) : 0.01,
    );
    this.perComponent = this.dims === 2 ? 6 : 3;
    this.s = cp.pairs.length;
    this.pi = new Int32Array(this.s);
    this.pj = new Int32Array(this.s);
    for (let p = 0; p < this.s; p++) {
      this.pi[p] = Math.floor(cp.pairs[p]! / cp.r2);
      this.pj[p] = cp.pairs[p]! % cp.r2;
    }
  }

  /** The β the signals are computed at (the inversion's plus the offset). */
  get betaAt(): number {
    return this.irBeta + this.betaOffset;
  }

  /** The β offset the signals are computed at (0: the inversion's own β). */
  setBetaOffset(offset: number): void {
    if (!this.da1 || offset === this.betaOffset) return;
    this.betaOffset = offset;
    if (offset === 0) {
      this.a1 = this.cp.a1;
      return;
    }
    const hit = this.shifted.find((x) => x.offset === offset);
    if (hit) {
      this.a1 = hit.a1;
      return;
    }
    // Reuse the older buffer (the one not just in use).
    const slot =
      this.shifted.length < 2
        ? { offset, a1: new Float64Array(this.cp.a1.length) }
        : this.shifted.find((x) => x.a1 !== this.a1)!;
    if (this.shifted.length < 2) this.shifted.push(slot);
    slot.offset = offset;
    const a1 = slot.a1;
    a1.set(this.cp.a1);
    addScaled(a1, offset, this.da1);
    this.a1 = a1;
  }

  /** At least `count` reusable component buffers. */
  states(count: number): ComponentState[] {
    const { r2 } = this.cp;
    while (this.pool.length < count) this.pool.push(new ComponentState(r2, this.s));
    return this.pool;
  }

  /** Free parameters of a fit of `components` components (and the β offset when fitsBeta). */
  freeParameters(components: number): number {
    return components * this.perComponent + (this.fitsBeta ? 1 : 0);
  }

  fromPeak(p: ComponentStart): Component {
    const theta = new Float64Array(this.perComponent);
    for (let d = 0; d < this.dims; d++) {
      theta[d] = Math.log10(p.position[d]!);
      theta[this.dims + d] = Math.log(Math.max(p.widthDecades[d]! - this.minWidth[d]!, 0.2 * this.minWidth[d]!));
    }
    if (this.dims === 2) theta[4] = 0;
    theta[this.perComponent - 1] = Math.log(Math.max(p.amplitude, 1e-300));
    return { theta };
  }

  width(c: Component, d: number): number {
    return this.minWidth[d]! + Math.exp(c.theta[this.dims + d]!);
  }

  rho(c: Component): number {
    return this.dims === 2 ? 0.95 * Math.tanh(c.theta[4]!) : 0;
  }

  amplitude(c: Component): number {
    return Math.exp(c.theta[this.perComponent - 1]!);
  }

  /** Both centres inside the grid (not extrapolated past its ends). */
  inside(c: Component): boolean {
    for (let d = 0; d < this.dims; d++) {
      const x = this.lg[d]!;
      const lo = Math.min(x[0]!, x[x.length - 1]!);
      const hi = Math.max(x[0]!, x[x.length - 1]!);
      if (!(c.theta[d]! > lo && c.theta[d]! < hi)) return false;
    }
    return true;
  }

  /** Distance between the centres in widths along the line joining them: their mean, the wider's, or b's own. */
  separation(a: Component, b: Component, scale: 'mean' | 'wider' | 'second' = 'mean'): number {
    const dx = Array.from({ length: this.dims }, (_, d) => b.theta[d]! - a.theta[d]!);
    const dist = Math.hypot(...dx);
    if (dist === 0) return 0;
    const u = dx.map((v) => v / dist);
    const along = (c: Component) => {
      const w = [this.width(c, 0), this.dims === 2 ? this.width(c, 1) : 0];
      const r = this.rho(c);
      const v =
        this.dims === 2
          ? u[0]! ** 2 * w[0]! ** 2 + 2 * r * u[0]! * u[1]! * w[0]! * w[1]! + u[1]! ** 2 * w[1]! ** 2
          : w[0]! ** 2;
      return Math.sqrt(v);
    };
    const width =
      scale === 'mean' ? 0.5 * (along(a) + along(b)) : scale === 'wider' ? Math.max(along(a), along(b)) : along(b);
    return dist / width;
  }

  /** Two starts for splitting c: along its major axis and along the minor one, each half its amplitude. */
  splitStarts(c: Component): [Component, Component][] {
    const w = [this.width(c, 0), this.dims === 2 ? this.width(c, 1) : 0];
    const r = this.rho(c);
    const cxx = w[0]! ** 2;
    const cyy = w[1]! ** 2;
    const cxy = r * w[0]! * w[1]!;
    const disc = Math.sqrt(0.25 * (cxx - cyy) ** 2 + cxy * cxy);
    const axes: [number, number, number][] = [];
    if (this.dims === 1) axes.push([1, 0, Math.sqrt(cxx)]);
    else {
      const lmax = 0.5 * (cxx + cyy) + disc;
      const lmin = Math.max(0.5 * (cxx + cyy) - disc, 0);
      let ex = cxy;
      let ey = lmax - cxx;
      if (Math.hypot(ex, ey) < 1e-12) [ex, ey] = cxx >= cyy ? [1, 0] : [0, 1];
      const nrm = Math.hypot(ex, ey);
      axes.push([ex / nrm, ey / nrm, Math.sqrt(lmax)], [-ey / nrm, ex / nrm, Math.sqrt(lmin)]);
    }
    return axes.map(([ex, ey, sd]) => {
      const h = 0.8 * Math.max(sd, this.minWidth[0]!);
      const make = (sign: number): Component => {
        const theta = Float64Array.from(c.theta);
        theta[0]! += sign * h * ex;
        if (this.dims === 2) theta[1]! += sign * h * ey;
        for (let d = 0; d < this.dims; d++) {
          theta[this.dims + d] = Math.log(Math.max(0.6 * w[d]! - this.minWidth[d]!, 0.2 * this.minWidth[d]!));
        }
        if (this.dims === 2) theta[4] = 0;
        theta[this.perComponent - 1]! += Math.log(0.5);
        return { theta };
      };
      return [make(-1), make(1)];
    });
  }

  /** One component with the joint mass, centre and spread (per axis) of several: where a merge fit starts. */
  joined(comps: Component[]): Component {
    const w = comps.map((c) => this.amplitude(c));
    const total = w.reduce((x, y) => x + y, 0);
    const theta = new Float64Array(this.perComponent);
    for (let d = 0; d < this.dims; d++) {
      const mu = comps.reduce((acc, c, k) => acc + w[k]! * c.theta[d]!, 0) / total;
      const spread =
        comps.reduce((acc, c, k) => acc + w[k]! * (this.width(c, d) ** 2 + (c.theta[d]! - mu) ** 2), 0) / total;
      theta[d] = mu;
      theta[this.dims + d] = Math.log(Math.max(Math.sqrt(spread) - this.minWidth[d]!, 0.2 * this.minWidth[d]!));
    }
    if (this.dims === 2) theta[4] = 0;
    theta[this.perComponent - 1] = Math.log(Math.max(total, 1e-300));
    return { theta };
  }

  /** The component as a peak of the map it was found in (its parent's region and extent). */
  toPeak(c: Component, parent: Peak, total: number, deltaChi2: number): Peak {
    const amplitude = this.amplitude(c);
    const cells = this.cells(c);
    let best = 0;
    let maxIndex = parent.maxIndex;
    for (let a = cells.a0; a < cells.a1; a++) {
      for (let b = cells.b0; b < cells.b1; b++) {
        const v = cells.g[(a - cells.a0) * (cells.b1 - cells.b0) + (b - cells.b0)]!;
        if (v > best) {
          best = v;
          maxIndex = a * this.n2 + b;
        }
      }
    }
    const signal = this.signal(c);
    let norm = 0;
    for (let p = 0; p < this.s; p++) norm += signal[p]! ** 2;
    return {
      position: Array.from({ length: this.dims }, (_, d) => 10 ** c.theta[d]!),
      fraction: amplitude / total,
      amplitude,
      height: amplitude * best,
      maxIndex,
      extent: parent.extent.map(([lo, hi]) => [lo, hi] as [number, number]),
      widthDecades: Array.from({ length: this.dims }, (_, d) => this.width(c, d)),
      region: parent.region,
      atEdge: parent.atEdge,
      dataSnr: (amplitude * Math.sqrt(norm)) / this.cp.sigma,
      split: { deltaChi2 },
    };
  }

  /** The component's unit-mass cells on the grid, over the window it covers (±5 widths). */
  cells(c: Component): { g: Float64Array; a0: number; a1: number; b0: number; b1: number } {
    const [a0, a1] = this.window(0, c.theta[0]!, this.width(c, 0));
    const [b0, b1] = this.dims === 2 ? this.window(1, c.theta[1]!, this.width(c, 1)) : [0, 1];
    const nb = b1 - b0;
    const g = new Float64Array(Math.max(0, (a1 - a0) * nb));
    const w1 = this.width(c, 0);
    const w2 = this.dims === 2 ? this.width(c, 1) : 1;
    const r = this.rho(c);
    const k = 1 / (1 - r * r);
    let sum = 0;
    for (let a = a0; a < a1; a++) {
      const z1 = (this.lg[0]![a]! - c.theta[0]!) / w1;
      for (let b = b0; b < b1; b++) {
        const z2 = this.dims === 2 ? (this.lg[1]![b]! - c.theta[1]!) / w2 : 0;
        const q = (z1 * z1 - 2 * r * z1 * z2 + z2 * z2) * k;
        const v = q < 50 ? Math.exp(-0.5 * q) : 0;
        g[(a - a0) * nb + (b - b0)] = v;
        sum += v;
      }
    }
    if (sum > 0) for (let i = 0; i < g.length; i++) g[i]! /= sum;
    return { g, a0, a1, b0, b1 };
  }

  /** The cells within ±5 widths of mu along axis d, [first, last + 1) (the nearest one when none is). */
  window(d: number, mu: number, w: number): [number, number] {
    const x = this.lg[d]!;
    const t = 5 * w;
    let lo = x.length;
    let hi = 0;
    if (this.ascending[d]) {
      // |x_i − mu| ≤ t ⇔ −t ≤ x_i − mu ≤ t, each side monotone in i: two bisections (NaN fails both, as below).
      lo = firstIndex(x, (v) => v - mu >= -t);
      hi = firstIndex(x, (v) => v - mu > t);
    } else {
      for (let i = 0; i < x.length; i++) {
        if (Math.abs(x[i]! - mu) <= t) {
          if (i < lo) lo = i;
          hi = i + 1;
        }
      }
    }
    if (lo >= hi) {
      // Outside the grid: the nearest cell carries it (the fit pulls it back or the test rejects it).
      let near = 0;
      for (let i = 1; i < x.length; i++) if (Math.abs(x[i]! - mu) < Math.abs(x[near]! - mu)) near = i;
      return [near, near + 1];
    }
    return [lo, hi];
  }

  /** Compressed signal of one unit of the component's mass (a fresh array). */
  signal(c: Component): Float64Array {
    const st = new ComponentState(this.cp.r2, this.s);
    evaluateState(this, c, st);
    return st.sig;
  }

  /**
   * The fit of one component per peak from the peaks themselves (both tests start there): remembered for the last
   * `peaks` array, so that the component test, given the merge test's list unchanged, does not fit it again.
   */
  fitPeaks(peaks: readonly ComponentStart[], tolerance: number): ComponentFit {
    const last = this.lastPeaksFit;
    if (last?.peaks !== peaks || last.tolerance !== tolerance) {
      const fit = this.fit(
        this.cp.m,
        peaks.map((p) => this.fromPeak(p)),
        tolerance,
      );
      this.lastPeaksFit = { peaks, tolerance, fit };
      return copyFit(fit);
    }
    this.setBetaOffset(last.fit.betaOffset);
    return copyFit(last.fit);
  }

  /**
   * Levenberg–Marquardt on all components' parameters jointly (and the β offset when fitsBeta, from `betaOffset`);
   * χ² = ‖target − Σ a_k·v_k‖². Leaves the model at the fitted β offset.
   */
  fit(target: Float64Array, start: Component[], tolerance: number, betaOffset = 0): ComponentFit {
    return levenbergMarquardt(this, target, start, tolerance, betaOffset);
  }
}

/** The first index whose value satisfies a predicate that holds from some index on (x.length when none). */
function firstIndex(x: Float64Array, holds: (v: number) => boolean): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(x[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const copyFit = (f: ComponentFit): ComponentFit => ({
  components: f.components.map((c) => ({ theta: Float64Array.from(c.theta) })),
  chi2: f.chi2,
  betaOffset: f.betaOffset,
});
