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
/** At most this many steps; a fit stops earlier when a step lowers χ² by less than GAIN of it. */
const MAX_ITERATIONS = 40;
const GAIN = 1e-6;

/** Fits `start` lines to y[from..to] (inclusive), η starting at `eta`. */
export function fitLines(y: Float64Array, from: number, to: number, start: Line[], eta = 0.8): LineFit {
  const n = to - from + 1;
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
  const jac = new Float64Array(n * p);
  const r = new Float64Array(n);
  const model = (t: Float64Array, withJacobian: boolean): number => {
    const e = Math.min(1, Math.max(0, t[3 * k]!));
    let sum = 0;
    for (let a = 0; a < n; a++) {
      const x = from + a;
      const s = (x - centre) / halfSpan;
      let f = t[3 * k + 1]! + t[3 * k + 2]! * s;
      const row = a * p;
      for (let i = 0; i < k; i++) {
        const x0 = t[3 * i]!;
        const h = t[3 * i + 1]!;
        const w = t[3 * i + 2]!;
        const u = (x - x0) / w;
        const parts = lineParts(u, e);
        f += h * parts.v;
        if (withJacobian) {
          jac[row + 3 * i] = (-h * parts.dvdu) / w;
          jac[row + 3 * i + 1] = parts.v;
          jac[row + 3 * i + 2] = (-h * parts.dvdu * u) / w;
          jac[row + 3 * k] = (jac[row + 3 * k] ?? 0) + h * (parts.l - parts.g);
        }
      }
      if (withJacobian) {
        jac[row + 3 * k + 1] = 1;
        jac[row + 3 * k + 2] = s;
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
    jtj.fill(0);
    jtr.fill(0);
    for (let a = 0; a < n; a++) {
      const row = a * p;
      const ra = r[a]!;
      for (let i = 0; i < p; i++) {
        const ji = jac[row + i]!;
        if (ji === 0) continue;
        jtr[i]! += ji * ra;
        for (let j = 0; j <= i; j++) jtj[i * p + j]! += ji * jac[row + j]!;
      }
    }
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
      for (let i = 0; i < k; i++) trial[3 * i + 2] = Math.max(trial[3 * i + 2]!, MIN_WIDTH);
      trial[3 * k] = Math.min(1, Math.max(0, trial[3 * k]!));
      const next = model(trial, false);
      if (next < chi2) {
        improved = true;
        const gain = (chi2 - next) / Math.max(chi2, 1e-300);
        theta = Float64Array.from(trial);
        chi2 = next;
        lambda = Math.max(lambda / 10, 1e-9);
        jac.fill(0);
        model(theta, true);
        if (gain < GAIN) iterations = MAX_ITERATIONS;
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
    worstPoint: from + worst,
    iterations,
  };
}
