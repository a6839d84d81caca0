/**
 * Is the fit residual white noise? docs/physics.md: a residual with structure means the model or kernel is wrong
 * (imperfect inversion, wrong echo time, an offset), however small it is.
 */

import { wasmKernels } from '../wasm/kernels';

export interface ResidualDiagnosticsOptions {
  /** |z| above which a test rejects whiteness (default 3: ~0.3 % false alarms per test for white Gaussian noise). */
  zCritical?: number;
}

export interface ResidualDiagnostics {
  /** Number of points. */
  n: number;
  /** Root-mean-square of data − fitted, data units. */
  rms: number;
  /** (rms / σ)²: ≈ 1 when the residual is the noise; ≫ 1 underfit (or σ underestimated); ≪ 1 overfit. */
  chi2PerPoint: number;
  /** ‖data − fitted‖ / ‖data‖. */
  relativeResidual: number;
  /** Mean of the residual and its z-score mean / (sd / √n): an offset the model lacks shows here. */
  mean: number;
  meanZ: number;
  /** Lag-1 autocorrelation of the (mean-removed) residual along each axis; NaN where the axis is too short (< 8 pairs). */
  lag1: number[];
  /** lag1 · √(number of pairs): ~ N(0, 1) for white noise. */
  lag1Z: number[];
  /** Wald–Wolfowitz runs of the residual's sign along the last axis, each line counted separately then pooled. */
  runs: number;
  expectedRuns: number;
  /** (runs − expected) / sd; negative: too few sign changes (slow structure), positive: too many (alternation). */
  runsZ: number;
  /**
   * Verdict: white iff |meanZ|, every defined |lag1Z| and (when defined) |runsZ| are all ≤ zCritical.
   * chi2PerPoint is not part of it: whiteness is about structure, and σ is often itself estimated from the fit.
   */
  white: boolean;
  /** Which tests rejected whiteness, in words. */
  reasons: string[];
  warnings: string[];
}

const MIN_PAIRS = 8;

/** The sums the tests are built from (one pass per statistic over the residual r = data − fitted). */
interface ResidualSums {
  /** Σr², Σdata², Σr and Σ(r − mean)². */
  ss: number;
  dd: number;
  sum: number;
  c0: number;
  /** Σ(r_k − mean)·(r_{k+stride} − mean) along each axis (0 where not wanted). */
  c1: number[];
  /** Sign runs along the last axis, pooled over lines: counted, expected for white noise, and their variance. */
  runs: number;
  expectedRuns: number;
  varRuns: number;
  /** The first index whose residual is not finite, or −1. */
  badIndex: number;
}

/** The sums, in WebAssembly where the kernels are built (src/wasm/kernels.ts): the same order, the same numbers. */
function residualSums(
  data: Float64Array,
  fitted: Float64Array,
  shape: readonly number[],
  lagWanted: boolean[],
): ResidualSums {
  const n = data.length;
  const kernels = wasmKernels();
  if (!kernels) return residualSumsTypeScript(data, fitted, shape, lagWanted);
  const arena = kernels.arena(24 * n + 16 * (shape.length + 8));
  const [dataIn, fittedIn, residual] = [arena.copy(data), arena.copy(fitted), arena.scratch(8 * n)];
  const [dims, wanted] = [arena.copy(Int32Array.from(shape)), arena.copy(Int32Array.from(lagWanted, Number))];
  const out = arena.f64(7 + shape.length);
  const axes = shape.length;
  const badIndex = kernels.exports.residualStatistics(dataIn, fittedIn, n, dims, axes, wanted, residual, out.offset);
  const v = out.view;
  return {
    ss: v[0]!,
    dd: v[1]!,
    sum: v[2]!,
    c0: v[3]!,
    runs: v[4]!,
    expectedRuns: v[5]!,
    varRuns: v[6]!,
    c1: shape.map((_, a) => v[7 + a]!),
    badIndex,
  };
}

/** The TypeScript path, where the kernels are absent. */
function residualSumsTypeScript(
  data: Float64Array,
  fitted: Float64Array,
  shape: readonly number[],
  lagWanted: boolean[],
): ResidualSums {
  const n = data.length;
  const r = new Float64Array(n);
  let ss = 0;
  let dd = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const e = data[k]! - fitted[k]!;
    if (!Number.isFinite(e)) return { ss, dd, sum, c0: 0, c1: [], runs: 0, expectedRuns: 0, varRuns: 0, badIndex: k };
    r[k] = e;
    ss += e * e;
    dd += data[k]! * data[k]!;
    sum += e;
  }
  const mean = sum / n;
  let c0 = 0;
  for (let k = 0; k < n; k++) c0 += (r[k]! - mean) ** 2;
  const c1 = shape.map((len, a) => {
    if (!lagWanted[a]) return 0;
    const stride = shape.slice(a + 1).reduce((x, y) => x * y, 1);
    let acc = 0;
    for (let k = 0; k < n; k++) {
      // k is not the last along axis a when its coordinate there is < len − 1.
      if (Math.floor(k / stride) % len === len - 1) continue;
      acc += (r[k]! - mean) * (r[k + stride]! - mean);
    }
    return acc;
  });
  const m = shape[shape.length - 1]!;
  let runs = 0;
  let expectedRuns = 0;
  let varRuns = 0;
  for (let start = 0; start < n; start += m) {
    let pos = 0;
    let neg = 0;
    let lineRuns = 0;
    let last = 0;
    for (let k = start; k < start + m; k++) {
      const s = Math.sign(r[k]!);
      if (s === 0) continue;
      if (s > 0) pos++;
      else neg++;
      if (s !== last) lineRuns++;
      last = s;
    }
    const t = pos + neg;
    if (t === 0) continue;
    runs += lineRuns;
    expectedRuns += (2 * pos * neg) / t + 1;
    if (t > 1) varRuns += (2 * pos * neg * (2 * pos * neg - t)) / (t * t * (t - 1));
  }
  return { ss, dd, sum, c0, c1, runs, expectedRuns, varRuns, badIndex: -1 };
}

/**
 * @param data measured data, row-major with the given shape (1D: [m], 2D: [m1, m2]; more axes work the same way)
 * @param fitted the model's data, same shape
 * @param sigma noise standard deviation, data units (> 0)
 */
export function residualDiagnostics(
  data: Float64Array,
  fitted: Float64Array,
  sigma: number,
  shape: readonly number[],
  options: ResidualDiagnosticsOptions = {},
): ResidualDiagnostics {
  const fn = 'residualDiagnostics';
  if (!(data instanceof Float64Array) || !(fitted instanceof Float64Array)) {
    throw new TypeError(`${fn}: data and fitted must be Float64Arrays`);
  }
  if (!Array.isArray(shape) || shape.length < 1 || shape.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new RangeError(`${fn}: bad shape [${String(shape)}]`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n || fitted.length !== n) {
    throw new RangeError(
      `${fn}: shape [${shape.join(', ')}] needs ${n} points, got data ${data.length}, fitted ${fitted.length}`,
    );
  }
  if (!(sigma > 0) || !Number.isFinite(sigma))
    throw new RangeError(`${fn}: sigma must be a positive number, got ${sigma}`);
  const zCritical = options.zCritical ?? 3;
  if (!(zCritical > 0)) throw new RangeError(`${fn}: zCritical must be positive, got ${zCritical}`);

  const warnings: string[] = [];
  // Lag-1 autocorrelation along each axis (pairs of neighbours along it).
  const pairsOf = shape.map((len) => (n / len) * (len - 1));
  const sums = residualSums(
    data,
    fitted,
    shape,
    pairsOf.map((pairs) => pairs >= MIN_PAIRS),
  );
  if (sums.badIndex >= 0) throw new RangeError(`${fn}: non-finite residual at index ${sums.badIndex}`);
  const { ss, dd, sum, c0, runs, expectedRuns, varRuns } = sums;
  const rms = Math.sqrt(ss / n);
  const mean = sum / n;
  const sd = n > 1 ? Math.sqrt(c0 / (n - 1)) : 0;
  const meanZ = sd > 0 ? mean / (sd / Math.sqrt(n)) : mean === 0 ? 0 : Number.POSITIVE_INFINITY * Math.sign(mean);

  const lag1: number[] = [];
  const lag1Z: number[] = [];
  for (let a = 0; a < shape.length; a++) {
    const pairs = pairsOf[a]!;
    if (pairs < MIN_PAIRS || !(c0 > 0)) {
      lag1.push(Number.NaN);
      lag1Z.push(Number.NaN);
      warnings.push(`${fn}: axis ${a} is too short (or the residual is constant) for an autocorrelation test`);
      continue;
    }
    const rho = sums.c1[a]! / pairs / (c0 / n);
    lag1.push(rho);
    lag1Z.push(rho * Math.sqrt(pairs));
  }

  // Runs of sign along the last axis, pooled over lines; exact zeros carry no sign and are skipped.
  let runsZ = Number.NaN;
  if (varRuns > 0) runsZ = (runs - expectedRuns) / Math.sqrt(varRuns);
  else warnings.push(`${fn}: the residual's sign never varies along the last axis; no runs test`);

  const reasons: string[] = [];
  if (Math.abs(meanZ) > zCritical) reasons.push(`offset: mean ${mean.toPrecision(3)} (z = ${meanZ.toFixed(1)})`);
  lag1Z.forEach((z, a) => {
    if (Math.abs(z) > zCritical) {
      reasons.push(`correlated along axis ${a}: lag-1 autocorrelation ${lag1[a]!.toFixed(3)} (z = ${z.toFixed(1)})`);
    }
  });
  if (Math.abs(runsZ) > zCritical) {
    reasons.push(
      `sign runs along the last axis: ${runs} vs ${expectedRuns.toFixed(1)} expected (z = ${runsZ.toFixed(1)})`,
    );
  }
  return {
    n,
    rms,
    chi2PerPoint: (rms / sigma) ** 2,
    relativeResidual: dd > 0 ? Math.sqrt(ss / dd) : Number.NaN,
    mean,
    meanZ,
    lag1,
    lag1Z,
    runs,
    expectedRuns,
    runsZ,
    white: reasons.length === 0,
    reasons,
    warnings,
  };
}
