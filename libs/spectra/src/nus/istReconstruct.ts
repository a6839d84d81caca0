/**
 * Reconstruction of a non-uniformly sampled 2D `ser` by iterative soft thresholding, as hmsIST does it (Hyberts et
 * al., J. Biomol. NMR 52 (2012) 315): every sampled row Fourier transformed in F2 (no window: the transform is
 * undone exactly at the end), then every F2 column's t1 signal reconstructed on its own (istColumn.ts), then the
 * rows transformed back. The result is the full, uniformly sampled ser in the same F1 mode, measured rows
 * unchanged, for the ordinary 2D processing (process2d) with its own windows, phases and zero filling.
 *
 * F1 modes (f1Modes.ts): QF (phase-modulated, one row per t1 point) reconstructs the complex t1 signal of each
 * column as it is. States, States-TPPI and echo-antiecho (two rows per t1 point; echo-antiecho made States first,
 * C = (E + A)/2, S = i·(E − A)/2, and back at the end) give two complex t1 signals per F2 column, a = Re R₂ₖ +
 * i·Re R₂ₖ₊₁ and b = Im R₂ₖ + i·Im R₂ₖ₊₁ (R the F2-transformed rows): each is a sum of e^{iω₁t₁} with *real*
 * amplitudes (the F2 lineshape's real or imaginary part), whatever the F2 phase. TPPI and QSEQ (one real t1 series)
 * are refused.
 *
 * Virtual echo (M. Mayzel, K. Kazimierczuk, V. Y. Orekhov, Chem. Commun. 50 (2014) 8947): once the F1 phase is
 * known and removed, a and b have purely absorptive F1 spectra, but a one-sided signal's transform still carries
 * the dispersive part, whose slow 1/ν tails are anything but sparse. Extending each signal to negative times as
 * s(−t) = conj(s(t)) makes its transform real — the absorptive part alone, twice — so the model is sparser and
 * each sampled point is used twice (at t and −t). Needs the F1 phase (phase0; phase1 must be 0, the first t1 point
 * at t1 = 0); without it the complex 'magnitude' model is used. The two virtual echoes are packed into one
 * complex transform (istColumn 'real-pair').
 *
 * Threshold floor: `noiseFloor` × the σ of one spectrum value that noise alone gives, from the noise σ of the F2-
 * transformed data (robustSigma: second differences across F2, quietest bands) and the number of sampled points.
 * Columns whose zero-filled spectrum never exceeds the floor are left as they are (noise only).
 *
 * Quality: (1) the sparse model's residual at the sampled points relative to the data there, beside what noise
 * alone would leave; their ratio is ≈ 1.2 for good reconstructions of simulated data (soft thresholding shrinks
 * every line a little) and grows when the model misses signal. It cannot see errors at the unsampled points, which
 * the data do not constrain; so (2), with `validation`, every column is reconstructed once more without a tenth or
 * so of its sampled points, and the prediction error at those, relative to noise, measures exactly that (≈ 1.3 at
 * 25 % with the virtual echo on simulated data, 2.4 at 10 %; a wrong F1 phase doubles it). Per F2 column both
 * ratios are kept; nusPeakConfidence (peakConfidence.ts) turns the second into a confidence per peak.
 */
import type { ComplexRows } from '../processing/complexRows';
import { fftInPlace } from '../processing/fft';
import type { F1Mode } from '../process2d/f1Modes';
import { istColumn, type IstColumnSettings, type IstModel } from './istColumn';
import { ColumnProblem } from './nusColumns';

export interface IstOptions {
  /** Last threshold, in noise σ of one spectrum value (default 3). */
  noiseFloor?: number;
  /** Threshold multiplier per iteration (default 0.9). */
  factor?: number;
  /** Iterations at the floor before stopping (default 10). */
  finalIterations?: number;
  /** Iterations per column at most (default 400). */
  maxIterations?: number;
  /** Noise σ of one real value of the F2-transformed rows (unwindowed, unnormalised FFT), if known. */
  noise?: number;
  /**
   * F1 phase of the data, rad, in processSpectrum2d's convention (φ = phase0 + phase1·f); needed by the virtual
   * echo (phase-sensitive modes only, and only with phase1 ≈ 0).
   */
  f1Phase?: { phase0: number; phase1: number };
  /** Default: true when f1Phase is given with phase1 ≈ 0 and the mode is phase-sensitive. */
  virtualEcho?: boolean;
  /**
   * Share of the sampled points (0–0.5) to hold out in a second reconstruction of every column, which then predicts
   * them: `quality.validation` (default 0, none; costs one more reconstruction).
   */
  validation?: number;
}

/** Prediction of measured points the reconstruction did not see (IstOptions.validation). */
export interface IstValidation {
  /** t1 points held out (every column). */
  points: number;
  /** ‖prediction − data‖/‖data‖ at the held-out points, over all columns. */
  error: number;
  /** The same ratio for noise alone: what a perfect reconstruction leaves. */
  noise: number;
  /** error / noise: ≈ 1 when the unsampled points are as good as the noise allows. */
  errorToNoise: number;
  /** error/noise of every F2 column, ordered as columnResidualToNoise. */
  columnErrorToNoise: Float32Array;
}

export interface IstQuality {
  /** ‖model − data‖/‖data‖ at the sampled points, over all F2 columns (a column left alone has model 0). */
  residual: number;
  /** The same ratio that noise alone would leave: σ·√(values)/‖data‖. */
  noiseResidual: number;
  /** residual / noiseResidual: ≈ 1 (or a little less) when the model explains everything but the noise. */
  residualToNoise: number;
  /**
   * residual/noise of every F2 column, in the order of a processed spectrum's columns (highest frequency first,
   * `columns.total` of them, the width of the ser's F2 transform); 0 for columns left alone.
   */
  columnResidualToNoise: Float32Array;
  /** σ of one real value of the F2-transformed rows (given, or estimated). */
  noise: number;
  iterations: { mean: number; max: number };
  columns: { total: number; reconstructed: number };
  /** Sampled t1 points / all t1 points. */
  sampling: number;
  model: IstModel;
  virtualEcho: boolean;
  validation?: IstValidation;
  milliseconds: number;
  warnings: string[];
}

export interface IstResult {
  /** All t1Points × rowsPerPoint rows in t1 order, `points` per row, the mode of the input. */
  ser: ComplexRows;
  quality: IstQuality;
}

/** Rows per t1 point of a mode IST takes (2 for States, States-TPPI, echo-antiecho; 1 for QF). */
export function nusRowsPerPoint(mode: F1Mode): 1 | 2 {
  if (mode === 'TPPI' || mode === 'QSEQ')
    throw new RangeError(
      `istReconstruct: ${mode} (a real t1 series) is not reconstructed; QF, States, States-TPPI and echo-antiecho are`,
    );
  return mode === 'QF' ? 1 : 2;
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 2)));

/** Every k-th sampled point (k = 1/fraction, at least 2; never t1 = 0) marked to be held out; none for 0. */
function heldOut(schedule: ArrayLike<number>, fraction: number): Uint8Array | undefined {
  if (!(fraction > 0)) return undefined;
  if (!(fraction <= 0.5)) throw new RangeError(`istReconstruct: validation ${fraction} not in 0…0.5`);
  const k = Math.max(2, Math.round(1 / fraction));
  const held = Uint8Array.from({ length: schedule.length }, (_, j) => (j % k === k >> 1 && schedule[j] !== 0 ? 1 : 0));
  return held.some((h) => h === 1) ? held : undefined;
}

/**
 * `sampled`: the measured rows in schedule order (rowsPerPoint per schedule entry, as TopSpin stores a NUS ser);
 * `schedule`: the t1 index (0 … t1Points − 1) of each; `t1Points`: complex t1 points of the full acquisition.
 */
export function istReconstruct(
  sampled: ComplexRows,
  schedule: ArrayLike<number>,
  mode: F1Mode,
  t1Points: number,
  options: IstOptions = {},
): IstResult {
  const t0 = performance.now();
  const rpp = nusRowsPerPoint(mode);
  const m = schedule.length;
  const { points } = sampled;
  if (!Number.isSafeInteger(t1Points) || t1Points < 2 || t1Points > 65536)
    throw new RangeError(`istReconstruct: t1Points ${t1Points} must be an integer in 2…65536`);
  if (m < 1 || sampled.rows < m * rpp)
    throw new RangeError(`istReconstruct: ${sampled.rows} rows cannot hold ${m} t1 points of ${rpp} row(s)`);
  if (points < 1) throw new RangeError('istReconstruct: no points per row');
  const seen = new Uint8Array(t1Points);
  for (let j = 0; j < m; j++) {
    const t = schedule[j]!;
    if (!Number.isInteger(t) || t < 0 || t >= t1Points || seen[t])
      throw new RangeError(`istReconstruct: schedule entry ${j} (${t}) is not a new index in 0…${t1Points - 1}`);
    seen[t] = 1;
  }
  const warnings: string[] = [];
  const phase = options.f1Phase;
  const flatPhase = phase !== undefined && Math.abs(phase.phase1) < 1e-3;
  if (phase && !flatPhase && options.virtualEcho !== false)
    warnings.push(
      `F1 phase1 ${phase.phase1.toFixed(3)} rad is not 0: no virtual echo (the first t1 point is not at t1 = 0)`,
    );
  const virtualEcho = rpp === 2 && flatPhase && options.virtualEcho !== false;
  if (options.virtualEcho && !virtualEcho && rpp === 2 && !phase)
    warnings.push('virtual echo asked for without an F1 phase: not used');
  const model: IstModel = virtualEcho ? 'real-pair' : 'magnitude';

  // F2 transform of the sampled rows (zero-filled to a power of two)
  const P = nextPow2(points);
  const rows = m * rpp;
  const Fr = new Float64Array(rows * P);
  const Fi = new Float64Array(rows * P);
  for (let r = 0; r < rows; r++) {
    const a = Fr.subarray(r * P, (r + 1) * P);
    const b = Fi.subarray(r * P, (r + 1) * P);
    a.set(sampled.re.subarray(r * points, (r + 1) * points));
    b.set(sampled.im.subarray(r * points, (r + 1) * points));
    fftInPlace(a, b);
  }
  if (mode === 'Echo-Antiecho') echoAntiecho(Fr, Fi, rows, P, true);
  const sigma = options.noise ?? robustSigma(Fr, Fi, P);
  if (!(sigma > 0)) warnings.push('noise σ is 0: every column reconstructed down to the iteration limit');

  // the IST domain: length L (known: the sampled points, their mirrors, zeros past the acquisition)
  const half = nextPow2(t1Points);
  const L = virtualEcho ? 2 * half : half;
  const xr = new Float64Array(L);
  const xi = new Float64Array(L);
  const xr2 = new Float64Array(L);
  const xi2 = new Float64Array(L);
  const settings: IstColumnSettings = {
    model,
    floor: (options.noiseFloor ?? 3) * sigma * Math.sqrt(m) * (virtualEcho ? 2 : 1),
    factor: options.factor ?? 0.9,
    finalIterations: options.finalIterations ?? 10,
    maxIterations: options.maxIterations ?? 400,
  };
  if (!(settings.factor > 0 && settings.factor < 1))
    throw new RangeError(`istReconstruct: factor ${settings.factor} not in (0, 1)`);
  const problem = new ColumnProblem({
    Fr,
    Fi,
    P,
    schedule,
    rpp,
    virtualEcho,
    L,
    t1Points,
    cos: Math.cos(phase?.phase0 ?? 0),
    sin: Math.sin(phase?.phase0 ?? 0),
  });
  const held = heldOut(schedule, options.validation ?? 0);
  const heldCount = held ? held.reduce((a, b) => a + b, 0) : 0;
  const channels = rpp === 2 && !virtualEcho ? [0, 1] : [0];
  // noise variance of one known value: z = a + i·b of two channels has 4σ², one channel's complex value 2σ²
  const valueVariance = (virtualEcho ? 4 : 2) * sigma * sigma;
  // noise variance of one held-out t1 point's prediction error (both channels of a States pair, or QF's one)
  const pointVariance = 2 * rpp * sigma * sigma;

  const fullRows = t1Points * rpp;
  const Gr = new Float64Array(fullRows * P);
  const Gi = new Float64Array(fullRows * P);
  const columnRatio = new Float32Array(P);
  const columnValidation = held ? new Float32Array(P) : undefined;
  let [residual2, data2, noise2, validation2, heldData2, itTotal, itMax, reconstructed] = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let c = 0; c < P; c++) {
    let colRes = 0;
    let colNoise = 0;
    let colHeld = 0;
    let any = false;
    for (const channel of channels) {
      const [outR, outI] = channel === 0 ? [xr, xi] : [xr2, xi2];
      if (held) {
        problem.fill(c, channel, held);
        const r = istColumn(outR, outI, problem.known, problem.kr, problem.ki, problem.count, settings);
        void r;
        colHeld += problem.heldOutError2(c, channel, held, outR, outI);
        heldData2 += problem.heldNorm2;
      }
      problem.fill(c, channel);
      const d2 = problem.dataNorm2();
      const r = istColumn(outR, outI, problem.known, problem.kr, problem.ki, problem.count, settings);
      data2 += d2;
      noise2 += valueVariance * problem.dataCount;
      itTotal += r.iterations;
      itMax = Math.max(itMax, r.iterations);
      residual2 += r.iterations > 0 ? r.residual2 : d2;
      if (r.iterations > 0) {
        any = true;
        colRes += r.residual2;
        colNoise += valueVariance * problem.dataCount;
      }
    }
    problem.store(c, Gr, Gi, xr, xi, xr2, xi2);
    const at = (P - 1 - c + P / 2) % P;
    if (any) {
      reconstructed++;
      columnRatio[at] = colNoise > 0 ? Math.sqrt(colRes / colNoise) : 0;
    }
    if (columnValidation) {
      // a column left alone predicts 0 at the held-out points: its validation error is its data there
      validation2 += colHeld;
      columnValidation[at] = Math.sqrt(colHeld / (pointVariance * heldCount));
    }
  }
  // measured rows exactly as measured (the virtual echo keeps only the real part of the first point)
  for (let j = 0; j < m; j++)
    for (let q = 0; q < rpp; q++) {
      Gr.set(Fr.subarray((j * rpp + q) * P, (j * rpp + q + 1) * P), (schedule[j]! * rpp + q) * P);
      Gi.set(Fi.subarray((j * rpp + q) * P, (j * rpp + q + 1) * P), (schedule[j]! * rpp + q) * P);
    }
  if (mode === 'Echo-Antiecho') echoAntiecho(Gr, Gi, fullRows, P, false);

  const re = new Float64Array(fullRows * points);
  const im = new Float64Array(fullRows * points);
  for (let r = 0; r < fullRows; r++) {
    const a = Gr.subarray(r * P, (r + 1) * P);
    const b = Gi.subarray(r * P, (r + 1) * P);
    fftInPlace(b, a); // inverse, unnormalised
    for (let k = 0; k < points; k++) {
      re[r * points + k] = a[k]! / P;
      im[r * points + k] = b[k]! / P;
    }
  }
  const residual = data2 > 0 ? Math.sqrt(residual2 / data2) : 0;
  const noiseResidual = data2 > 0 ? Math.sqrt(noise2 / data2) : 0;
  const columnsUsed = rpp === 2 && !virtualEcho ? 2 * P : P;
  let validation: IstValidation | undefined;
  if (columnValidation && heldData2 > 0) {
    const noiseHeld = Math.sqrt((pointVariance * heldCount * P) / heldData2);
    const error = Math.sqrt(validation2 / heldData2);
    validation = {
      points: heldCount,
      error,
      noise: noiseHeld,
      errorToNoise: error / noiseHeld,
      columnErrorToNoise: columnValidation,
    };
  }
  return {
    ser: { rows: fullRows, points, re, im },
    quality: {
      ...(validation ? { validation } : {}),
      residual,
      noiseResidual,
      residualToNoise: noiseResidual > 0 ? residual / noiseResidual : 0,
      columnResidualToNoise: columnRatio,
      noise: sigma,
      iterations: { mean: itTotal / columnsUsed, max: itMax },
      columns: { total: P, reconstructed },
      sampling: m / t1Points,
      model,
      virtualEcho,
      milliseconds: performance.now() - t0,
      warnings,
    },
  };
}

/** Echo-antiecho pairs ↔ States pairs in place: C = (E + A)/2, S = i·(E − A)/2; back: E = C − i·S, A = C + i·S. */
function echoAntiecho(re: Float64Array, im: Float64Array, rows: number, P: number, toStates: boolean): void {
  for (let k = 0; k + 1 < rows; k += 2)
    for (let j = 0; j < P; j++) {
      const e = k * P + j;
      const a = e + P;
      const [xr, xi, yr, yi] = [re[e]!, im[e]!, re[a]!, im[a]!];
      if (toStates) {
        re[e] = (xr + yr) / 2;
        im[e] = (xi + yi) / 2;
        re[a] = -(xi - yi) / 2;
        im[a] = (xr - yr) / 2;
      } else {
        // i·S = (−Si) + i·Sr
        re[e] = xr + yi;
        im[e] = xi - yr;
        re[a] = xr - yi;
        im[a] = xi + yr;
      }
    }
}

/**
 * σ of one real value, from the second differences across F2 columns (x[c−1] − 2x[c] + x[c+1], σ·√6 for white
 * noise, where the unwindowed lines' long, smooth tails cancel): their median absolute value in each of 32 bands of
 * F2 columns over (a sample of) the rows, and of those the lower quartile — noise is the same in every band, signal
 * only adds, and real spectra crowd their lines into a few bands (a median over all columns was 1.5× the noise of
 * the quiet bands on the bruker-data-test NUS HSQC).
 */
function robustSigma(re: Float64Array, im: Float64Array, P: number): number {
  const rows = re.length / P;
  const rowStep = Math.max(1, Math.floor((2 * rows * P) / 262_144));
  const bands = Math.max(1, Math.min(32, Math.floor(P / 8)));
  const width = P / bands;
  const estimates: number[] = [];
  for (let b = 0; b < bands; b++) {
    const v: number[] = [];
    const from = Math.max(1, Math.floor(b * width));
    const to = Math.min(P - 1, Math.floor((b + 1) * width));
    for (let r = 0; r < rows; r += rowStep)
      for (let c = from, i = r * P + from; c < to; c++, i++)
        v.push(Math.abs(re[i - 1]! - 2 * re[i]! + re[i + 1]!), Math.abs(im[i - 1]! - 2 * im[i]! + im[i + 1]!));
    if (v.length > 0) estimates.push(Float64Array.from(v).sort()[v.length >> 1]!);
  }
  const s = Float64Array.from(estimates).sort();
  return s.length ? (s[Math.floor((s.length - 1) / 4)]! * 1.4826) / Math.sqrt(6) : 0;
}
