/**
 * What every NUS reconstruction of a 2D `ser` shares, whichever solver fills in the t1 columns (IST, istColumn.ts;
 * the network, libs/inference nusNetwork.ts): the checks, the F2 transform of the sampled rows (echo-antiecho made
 * States), the noise σ, the column problems (nusColumns.ts), and at the end the measured rows put back, States made
 * echo-antiecho again and the rows transformed back; and the quality figures both report (model residual at the
 * sampled points and hold-out prediction error, each relative to noise, overall and per F2 column).
 */
import type { ComplexRows } from '../processing/complexRows';
import { fftInPlace } from '../processing/fft';
import type { F1Mode } from '../process2d/f1Modes';
import type { IstModel } from './istColumn';
import { ColumnProblem } from './nusColumns';

export interface NusDomainOptions {
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

/** Prediction of measured points the reconstruction did not see (NusDomainOptions.validation). */
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
  /** Iterations (IST) or stages (network) per column. */
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

export interface NusDomain {
  rpp: 1 | 2;
  /** Sampled t1 points. */
  m: number;
  /** Width of the F2 transform (a power of two ≥ the points per row): the number of columns. */
  P: number;
  points: number;
  t1Points: number;
  schedule: ArrayLike<number>;
  mode: F1Mode;
  /** Length of every column problem (twice the next power of two of t1Points with the virtual echo). */
  L: number;
  virtualEcho: boolean;
  model: IstModel;
  /** σ of one real value of the F2-transformed rows. */
  sigma: number;
  /** σ of one value of a column's (unnormalised) spectrum from noise alone: σ·√m, ×2 with the virtual echo. */
  spectrumSigma: number;
  problem: ColumnProblem;
  /** Channels per column: [0], or [0, 1] for States pairs without the virtual echo. */
  channels: number[];
  /** Sampled points held out for validation (schedule order), if asked. */
  held?: Uint8Array;
  heldCount: number;
  /** The full F2-transformed ser being filled (t1Points × rpp rows of P). */
  Gr: Float64Array;
  Gi: Float64Array;
  /** The F2-transformed sampled rows (States). */
  Fr: Float64Array;
  Fi: Float64Array;
  warnings: string[];
}

/** Rows per t1 point of a mode NUS reconstruction takes (2 for States, States-TPPI, echo-antiecho; 1 for QF). */
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
 * Throws RangeError on what cannot be reconstructed.
 */
export function openNusDomain(
  sampled: ComplexRows,
  schedule: ArrayLike<number>,
  mode: F1Mode,
  t1Points: number,
  options: NusDomainOptions = {},
): NusDomain {
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

  // the column domain: length L (known: the sampled points, their mirrors, zeros past the acquisition)
  const half = nextPow2(t1Points);
  const L = virtualEcho ? 2 * half : half;
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
  return {
    rpp,
    m,
    P,
    points,
    t1Points,
    schedule,
    mode,
    L,
    virtualEcho,
    model: virtualEcho ? 'real-pair' : 'magnitude',
    sigma,
    spectrumSigma: sigma * Math.sqrt(m) * (virtualEcho ? 2 : 1),
    problem,
    channels: rpp === 2 && !virtualEcho ? [0, 1] : [0],
    ...(held ? { held } : {}),
    heldCount: held ? held.reduce((a, b) => a + b, 0) : 0,
    Gr: new Float64Array(t1Points * rpp * P),
    Gi: new Float64Array(t1Points * rpp * P),
    Fr,
    Fi,
    warnings,
  };
}

/** The full ser once every column is stored: measured rows exactly as measured, the mode's rows, F2 undone. */
export function closeNusDomain(d: NusDomain): ComplexRows {
  const { Gr, Gi, Fr, Fi, P, rpp, schedule, m, points } = d;
  const fullRows = d.t1Points * rpp;
  // the virtual echo keeps only the real part of the first point: every measured row goes back as it was
  for (let j = 0; j < m; j++)
    for (let q = 0; q < rpp; q++) {
      Gr.set(Fr.subarray((j * rpp + q) * P, (j * rpp + q + 1) * P), (schedule[j]! * rpp + q) * P);
      Gi.set(Fi.subarray((j * rpp + q) * P, (j * rpp + q + 1) * P), (schedule[j]! * rpp + q) * P);
    }
  if (d.mode === 'Echo-Antiecho') echoAntiecho(Gr, Gi, fullRows, P, false);
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
  return { rows: fullRows, points, re, im };
}

/**
 * The quality figures, gathered column by column as a solver goes: per channel its data, iterations and model
 * residual, per held-out reconstruction its prediction error; then the totals (IstQuality).
 */
export class NusQualityTally {
  private readonly columnRatio: Float32Array;
  private readonly columnValidation?: Float32Array;
  // noise variance of one known value: z = a + i·b of two channels has 4σ², one channel's complex value 2σ²
  private readonly valueVariance: number;
  // noise variance of one held-out t1 point's prediction error (both channels of a States pair, or QF's one)
  private readonly pointVariance: number;
  private residual2 = 0;
  private data2 = 0;
  private noise2 = 0;
  private validation2 = 0;
  private heldData2 = 0;
  private itTotal = 0;
  private itMax = 0;
  private reconstructed = 0;
  private colRes = 0;
  private colNoise = 0;
  private colHeld = 0;
  private any = false;

  constructor(private readonly d: NusDomain) {
    this.columnRatio = new Float32Array(d.P);
    if (d.held) this.columnValidation = new Float32Array(d.P);
    this.valueVariance = (d.virtualEcho ? 4 : 2) * d.sigma * d.sigma;
    this.pointVariance = 2 * d.rpp * d.sigma * d.sigma;
  }

  /** One channel solved: Σ|data|² at its measured points, their count, iterations (0: left alone), residual². */
  channel(data2: number, dataCount: number, iterations: number, residual2: number): void {
    this.data2 += data2;
    this.noise2 += this.valueVariance * dataCount;
    this.itTotal += iterations;
    this.itMax = Math.max(this.itMax, iterations);
    this.residual2 += iterations > 0 ? residual2 : data2;
    if (iterations > 0) {
      this.any = true;
      this.colRes += residual2;
      this.colNoise += this.valueVariance * dataCount;
    }
  }

  /** One channel's held-out reconstruction: its squared prediction error and Σ|data|² at the held-out points. */
  heldOut(error2: number, data2: number): void {
    this.colHeld += error2;
    this.heldData2 += data2;
  }

  /** Column c done. */
  endColumn(c: number): void {
    const { P } = this.d;
    const at = (P - 1 - c + P / 2) % P;
    if (this.any) {
      this.reconstructed++;
      this.columnRatio[at] = this.colNoise > 0 ? Math.sqrt(this.colRes / this.colNoise) : 0;
    }
    if (this.columnValidation) {
      // a column left alone predicts 0 at the held-out points: its validation error is its data there
      this.validation2 += this.colHeld;
      this.columnValidation[at] = Math.sqrt(this.colHeld / (this.pointVariance * this.d.heldCount));
    }
    this.colRes = this.colNoise = this.colHeld = 0;
    this.any = false;
  }

  quality(milliseconds: number): IstQuality {
    const { d } = this;
    const residual = this.data2 > 0 ? Math.sqrt(this.residual2 / this.data2) : 0;
    const noiseResidual = this.data2 > 0 ? Math.sqrt(this.noise2 / this.data2) : 0;
    const columnsUsed = d.channels.length * d.P;
    let validation: IstValidation | undefined;
    if (this.columnValidation && this.heldData2 > 0) {
      const noiseHeld = Math.sqrt((this.pointVariance * d.heldCount * d.P) / this.heldData2);
      const error = Math.sqrt(this.validation2 / this.heldData2);
      validation = {
        points: d.heldCount,
        error,
        noise: noiseHeld,
        errorToNoise: error / noiseHeld,
        columnErrorToNoise: this.columnValidation,
      };
    }
    return {
      ...(validation ? { validation } : {}),
      residual,
      noiseResidual,
      residualToNoise: noiseResidual > 0 ? residual / noiseResidual : 0,
      columnResidualToNoise: this.columnRatio,
      noise: d.sigma,
      iterations: { mean: this.itTotal / columnsUsed, max: this.itMax },
      columns: { total: d.P, reconstructed: this.reconstructed },
      sampling: d.m / d.t1Points,
      model: d.model,
      virtualEcho: d.virtualEcho,
      milliseconds,
      warnings: d.warnings,
    };
  }
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
