/**
 * Least-squares fit of a group of overlapping lines to one stretch of a spectrum: K pseudo-Voigt lines (position,
 * height, width each; one Gaussian fraction η shared by the group) on a straight baseline, by Levenberg–Marquardt
 * with the analytic Jacobian (D. W. Marquardt, J. SIAM 11 (1963) 431). Positions and widths in points.
 */
import { choleskyInPlace, choleskySolveInPlace } from '@lapis/physics';
import { lineParts } from './lineshape';

export interface Line {
  /** Centre, points (fractional). */
  x: number;
  height: number;
  /** Full width at half height, points. */
  width: number;
}

export interface LineFit {
  lines: Line[];
  /** Gaussian fraction's complement: 1 Lorentzian, 0 Gaussian. */
  eta: number;
  /** Baseline b0 + b1·(x − centre)/halfSpan over the stretch. */
  baseline: [number, number];
  /** Residual sum of squares per point. */
  meanSquare: number;
  /** The point of the stretch with the largest |residual|, where a line the fit lacks would be. */
  worstPoint: number;
  iterations: number;
}

const MIN_WIDTH = 0.5;
/**
 * At most this many steps; a fit stops earlier when a step lowers χ² by less than GAIN of it, or by less than
 * NEGLIGIBLE·σ² (noise σ given): parameters then move by well under a tenth of their standard errors.
 */
const MAX_ITERATIONS = 40;
const GAIN = 1e-6;
const NEGLIGIBLE = 0.01;
/** …or when a step moves no line by more than this fraction of its width (nor its height or width by more). */
const SETTLED = 1e-3;

/** The model a fit of y[from..to] gives at x (points): its baseline and lines, line `skip` left out (−1: none). */
export function fitValueAt(fit: LineFit, from: number, to: number, x: number, skip = -1): number {
  const centre = (from + to) / 2;
  const halfSpan = Math.max(1, (to - from) / 2);
  let f = fit.baseline[0] + (fit.baseline[1] * (x - centre)) / halfSpan;
  for (let j = 0; j < fit.lines.length; j++) {
    if (j === skip) continue;
    const l = fit.lines[j]!;
    f += l.height * lineParts((x - l.x) / l.width, fit.eta).v;
  }
  return f;
}

/**
 * Fits `start` lines to y[from..to] (inclusive), η starting at `eta`. The stretch is sampled every `stride` points
 * when its narrowest line spans more than 12 points: a zero-filled spectrum interpolates its acquired points, so
 * ~6 points per width carry its information and the fit costs a fraction of every point's. `sigma`: the noise σ
 * of y, which lets the fit stop once its steps gain nothing the noise would notice.
 */
export function fitLines(y: Float64Array, from: number, to: number, start: Line[], eta = 0.8, sigma = 0): LineFit {
  const narrowest = Math.min(...start.map((l) => l.width));
  // ≥ 4 points per parameter, whatever width a starting line claims
  const stride = Math.max(
    1,
    Math.min(Math.floor(narrowest / 6), Math.floor((to - from) / (4 * (3 * start.length + 3)))),
  );
  const n = Math.floor((to - from) / stride) + 1;
  const k = start.length;
  const p = 3 * k + 3; // x, h, w per line; η; b0, b1
  const centre = (from + to) / 2;
  const halfSpan = Math.max(1, (to - from) / 2);
  let theta = new Float64Array(p);
  start.forEach((l, i) => {
    theta[3 * i] = l.x;
    theta[3 * i + 1] = l.height;
    theta[3 * i + 2] = Math.max(l.width, MIN_WIDTH);
  });
  theta[3 * k] = eta;
  theta[3 * k + 1] = Math.min(y[from]!, y[to]!, 0);
  // column-major: column i holds ∂model/∂θᵢ at every sampled point
  const jac = new Float64Array(n * p);
  const r = new Float64Array(n);
  const model = (t: Float64Array, withJacobian: boolean): number => {
    const e = Math.min(1, Math.max(0, t[3 * k]!));
    let sum = 0;
    for (let a = 0; a < n; a++) {
      const x = from + a * stride;
      const s = (x - centre) / halfSpan;
      let f = t[3 * k + 1]! + t[3 * k + 2]! * s;
      for (let i = 0; i < k; i++) {
        const x0 = t[3 * i]!;
        const h = t[3 * i + 1]!;
        const w = t[3 * i + 2]!;
        const u = (x - x0) / w;
        const parts = lineParts(u, e);
        f += h * parts.v;
        if (withJacobian) {
          jac[3 * i * n + a] = (-h * parts.dvdu) / w;
          jac[(3 * i + 1) * n + a] = parts.v;
          jac[(3 * i + 2) * n + a] = (-h * parts.dvdu * u) / w;
          jac[3 * k * n + a]! += h * (parts.l - parts.g);
        }
      }
      if (withJacobian) {
        jac[(3 * k + 1) * n + a] = 1;
        jac[(3 * k + 2) * n + a] = s;
      }
      r[a] = y[x]! - f;
      sum += r[a]! * r[a]!;
    }
    return sum;
  };
  const jtj = new Float64Array(p * p);
  const jtr = new Float64Array(p);
  const trial = new Float64Array(p);
  jac.fill(0);
  let chi2 = model(theta, true);
  let lambda = 1e-3;
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    normalEquations(jac, r, n, p, jtj, jtr);
    let improved = false;
    for (let attempt = 0; attempt < 8 && !improved; attempt++) {
      const m = Float64Array.from(jtj);
      for (let i = 0; i < p; i++) m[i * p + i]! += lambda * Math.max(jtj[i * p + i]!, 1e-12) + 1e-300;
      const step = Float64Array.from(jtr);
      if (!choleskyInPlace(m, p)) {
        lambda *= 10;
        continue;
      }
      choleskySolveInPlace(m, p, step);
      for (let i = 0; i < p; i++) trial[i] = theta[i]! + step[i]!;
      // lines stay lines of this stretch: centre inside it, height ≥ 0, width between MIN_WIDTH and its span
      for (let i = 0; i < k; i++) {
        trial[3 * i] = Math.min(to, Math.max(from, trial[3 * i]!));
        trial[3 * i + 1] = Math.max(0, trial[3 * i + 1]!);
        trial[3 * i + 2] = Math.min(to - from, Math.max(trial[3 * i + 2]!, MIN_WIDTH));
      }
      trial[3 * k] = Math.min(1, Math.max(0, trial[3 * k]!));
      const next = model(trial, false);
      if (next < chi2) {
        improved = true;
        const drop = chi2 - next;
        const gain = drop / Math.max(chi2, 1e-300);
        const still = settled(trial, theta, k);
        theta = Float64Array.from(trial);
        chi2 = next;
        lambda = Math.max(lambda / 10, 1e-9);
        jac.fill(0);
        model(theta, true);
        if (gain < GAIN || drop < NEGLIGIBLE * sigma * sigma || still) iterations = MAX_ITERATIONS;
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  // residuals of the accepted parameters
  chi2 = model(theta, false);
  let worst = 0;
  for (let a = 1; a < n; a++) if (Math.abs(r[a]!) > Math.abs(r[worst]!)) worst = a;
  return {
    lines: Array.from({ length: k }, (_, i) => ({
      x: theta[3 * i]!,
      height: theta[3 * i + 1]!,
      width: theta[3 * i + 2]!,
    })),
    eta: Math.min(1, Math.max(0, theta[3 * k]!)),
    baseline: [theta[3 * k + 1]!, theta[3 * k + 2]!],
    meanSquare: chi2 / n,
    worstPoint: from + worst * stride,
    iterations,
  };
}

/** Whether a step from `before` to `after` moved every line by less than SETTLED of its width, and changed its
 * height and width by less. */
function settled(after: Float64Array, before: Float64Array, k: number): boolean {
  let tallest = 1e-300;
  for (let i = 0; i < k; i++) tallest = Math.max(tallest, Math.abs(before[3 * i + 1]!));
  for (let i = 0; i < k; i++) {
    const w = Math.max(before[3 * i + 2]!, MIN_WIDTH);
    // a line pinned near zero height is settled on the group's scale
    const h = Math.max(Math.abs(before[3 * i + 1]!), 1e-3 * tallest);
    if (Math.abs(after[3 * i]! - before[3 * i]!) > SETTLED * w) return false;
    if (Math.abs(after[3 * i + 1]! - before[3 * i + 1]!) > SETTLED * h) return false;
    if (Math.abs(after[3 * i + 2]! - before[3 * i + 2]!) > SETTLED * w) return false;
  }
  return true;
}

/** JᵀJ (lower triangle) and Jᵀr of a column-major n × p Jacobian: dot products of whole columns. */
function normalEquations(
  jac: Float64Array,
  r: Float64Array,
  n: number,
  p: number,
  jtj: Float64Array,
  jtr: Float64Array,
) {
  for (let i = 0; i < p; i++) {
    const ci = i * n;
    let sr = 0;
    for (let a = 0; a < n; a++) sr += jac[ci + a]! * r[a]!;
    jtr[i] = sr;
    for (let j = 0; j <= i; j++) {
      const cj = j * n;
      let sum = 0;
      for (let a = 0; a < n; a++) sum += jac[ci + a]! * jac[cj + a]!;
      jtj[i * p + j] = sum;
    }
  }
}
