/**
 * Synthetic 2D data with known peaks for the NUS tests and `npm run bench:nus`: the full, uniformly sampled ser in
 * one F1 mode (rows as f1Modes.ts reads them), its sampled subset in schedule order (as TopSpin stores a NUS ser),
 * a plain 2D transform to compare reconstructions on, and the figures of merit of the NUS literature — the
 * correlation of peak intensities and the relative L2-norm error (RLNE) against the fully sampled spectrum.
 *
 * Each peak: F2 FID A·e^{2πiν₂t₂ − t₂/T2₂} (t₂ = k/SW₂) times the t1 factor of its mode, θ = 2πν₁t₁, d = e^{−t₁/T2₁},
 * t₁ = k/SW₁: States 2k: cos θ·d, 2k+1: sin θ·d; States-TPPI the same × (−1)^k; echo-antiecho 2k: e^{−iθ}·d,
 * 2k+1: e^{+iθ}·d; QF k: e^{−iθ}·d. No group delay, F1 phase 0 (the first t1 point at t₁ = 0).
 */
import { createRng } from '@lapis/physics';
import type { ComplexRows } from '../processing/complexRows';
import { fftInPlace } from '../processing/fft';
import type { F1Mode } from '../process2d/f1Modes';
import { nusRowsPerPoint } from './nusDomain';
import { poissonGapSchedule } from './schedule';

export interface NusPeak {
  /** Offsets from the carriers, Hz (within ±SW/2). */
  nu1: number;
  nu2: number;
  amplitude: number;
  /** Decays T2*, s. */
  t2f1: number;
  t2f2: number;
}

export interface SimulateNusOptions {
  mode: F1Mode;
  /** Complex points per row. */
  points: number;
  /** Complex t1 points of the full acquisition. */
  t1Points: number;
  sw1: number;
  sw2: number;
  peaks: NusPeak[];
  /** σ of every real and imaginary value (default 0). */
  noise?: number;
  seed?: number;
}

export function simulateNus2d(o: SimulateNusOptions): ComplexRows {
  const rpp = nusRowsPerPoint(o.mode);
  const rows = o.t1Points * rpp;
  const n = o.points;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  const fr = new Float64Array(n);
  const fi = new Float64Array(n);
  for (const p of o.peaks) {
    for (let k = 0; k < n; k++) {
      const t = k / o.sw2;
      const env = p.amplitude * Math.exp(-t / p.t2f2);
      fr[k] = env * Math.cos(2 * Math.PI * p.nu2 * t);
      fi[k] = env * Math.sin(2 * Math.PI * p.nu2 * t);
    }
    for (let k = 0; k < o.t1Points; k++) {
      const t = k / o.sw1;
      const d = Math.exp(-t / p.t2f1);
      const th = 2 * Math.PI * p.nu1 * t;
      // (real, imaginary) factor of each row of t1 point k
      const factors: [number, number][] =
        o.mode === 'QF'
          ? [[Math.cos(th) * d, -Math.sin(th) * d]]
          : o.mode === 'Echo-Antiecho'
            ? [
                [Math.cos(th) * d, -Math.sin(th) * d],
                [Math.cos(th) * d, Math.sin(th) * d],
              ]
            : [
                [Math.cos(th) * d, 0],
                [Math.sin(th) * d, 0],
              ];
      const sign = o.mode === 'States-TPPI' && k % 2 === 1 ? -1 : 1;
      factors.forEach(([a, b], q) => {
        const off = (k * rpp + q) * n;
        for (let j = 0; j < n; j++) {
          re[off + j] = re[off + j]! + sign * (fr[j]! * a - fi[j]! * b);
          im[off + j] = im[off + j]! + sign * (fr[j]! * b + fi[j]! * a);
        }
      });
    }
  }
  if (o.noise) {
    const rng = createRng(o.seed ?? 1);
    for (let i = 0; i < re.length; i++) {
      re[i] = re[i]! + o.noise * rng.normal();
      im[i] = im[i]! + o.noise * rng.normal();
    }
  }
  return { rows, points: n, re, im };
}

/**
 * HSQC-like peaks: `count` of them within ±0.45 of both widths, amplitudes spread over two decades (10^U(0, 2)),
 * T2* 20–60 ms in F2 and 15–40 ms in F1, and every fourth peak set beside the previous one, about one F1 line width
 * and less than one F2 line width away (overlapped).
 */
export function hsqcLikePeaks(seed: number, count: number, sw1: number, sw2: number): NusPeak[] {
  const rng = createRng(seed);
  const peaks: NusPeak[] = [];
  for (let i = 0; i < count; i++) {
    const t2f2 = rng.uniform(0.02, 0.06);
    const t2f1 = rng.uniform(0.015, 0.04);
    const amplitude = 10 ** rng.uniform(0, 2);
    const prev = peaks[peaks.length - 1];
    if (i % 4 === 3 && prev) {
      const w1 = 1 / (Math.PI * prev.t2f1);
      const w2 = 1 / (Math.PI * prev.t2f2);
      peaks.push({
        nu1: prev.nu1 + rng.uniform(0.8, 1.5) * w1,
        nu2: prev.nu2 + rng.uniform(-0.7, 0.7) * w2,
        amplitude,
        t2f1,
        t2f2,
      });
    } else {
      peaks.push({ nu1: rng.uniform(-0.45, 0.45) * sw1, nu2: rng.uniform(-0.45, 0.45) * sw2, amplitude, t2f1, t2f2 });
    }
  }
  return peaks;
}

/** The rows of the t1 points in `schedule`, in its order: what a NUS acquisition stores. */
export function sampleRows(full: ComplexRows, schedule: ArrayLike<number>, mode: F1Mode): ComplexRows {
  const rpp = nusRowsPerPoint(mode);
  const n = full.points;
  const rows = schedule.length * rpp;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  for (let j = 0; j < schedule.length; j++)
    for (let q = 0; q < rpp; q++) {
      const from = (schedule[j]! * rpp + q) * n;
      if (from + n > full.re.length) throw new RangeError(`sampleRows: t1 point ${schedule[j]} is past the data`);
      re.set(full.re.subarray(from, from + n), (j * rpp + q) * n);
      im.set(full.im.subarray(from, from + n), (j * rpp + q) * n);
    }
  return { rows, points: n, re, im };
}

export interface PlainSpectrum2d {
  /** F1 points (rows) × F2 points (columns), both in FFT order (bin 0 at the carrier). */
  rows: number;
  columns: number;
  data: Float64Array;
}

/**
 * A plain 2D spectrum to compare reconstructions on: cosine² windows in both dimensions (first t1 point × ½),
 * F2 zero-filled to a power of two, F1 to `f1Size` (default 2 × t1 points); the real part with phase 0 (States,
 * States-TPPI, echo-antiecho) or the magnitude (QF). Only for data with no group delay and F1 phase 0.
 */
export function plainSpectrum2d(ser: ComplexRows, mode: F1Mode, f1Size?: number): PlainSpectrum2d {
  const rpp = nusRowsPerPoint(mode);
  const n = ser.points;
  const t1 = Math.floor(ser.rows / rpp);
  const P = 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
  const N = f1Size ?? 2 ** Math.ceil(Math.log2(2 * t1));
  const cos2 = (k: number, len: number) => Math.cos((Math.PI * k) / (2 * len)) ** 2;
  const Fr = new Float64Array(ser.rows * P);
  const Fi = new Float64Array(ser.rows * P);
  for (let r = 0; r < ser.rows; r++) {
    const a = Fr.subarray(r * P, (r + 1) * P);
    const b = Fi.subarray(r * P, (r + 1) * P);
    for (let k = 0; k < n; k++) {
      const w = cos2(k, n) * (k === 0 ? 0.5 : 1);
      a[k] = ser.re[r * n + k]! * w;
      b[k] = ser.im[r * n + k]! * w;
    }
    fftInPlace(a, b);
  }
  const data = new Float64Array(N * P);
  const cr = new Float64Array(N);
  const ci = new Float64Array(N);
  for (let c = 0; c < P; c++) {
    cr.fill(0);
    ci.fill(0);
    for (let k = 0; k < Math.min(t1, N); k++) {
      const w = cos2(k, t1) * (k === 0 ? 0.5 : 1);
      const s = mode === 'States-TPPI' && k % 2 === 1 ? -1 : 1;
      if (rpp === 1) {
        cr[k] = Fr[k * P + c]! * w;
        ci[k] = Fi[k * P + c]! * w;
      } else if (mode === 'Echo-Antiecho') {
        // C = (E + A)/2 and S = i·(E − A)/2, real parts: the States pair
        const e = 2 * k * P + c;
        cr[k] = ((Fr[e]! + Fr[e + P]!) / 2) * w;
        ci[k] = (-(Fi[e]! - Fi[e + P]!) / 2) * w;
      } else {
        cr[k] = s * Fr[2 * k * P + c]! * w;
        ci[k] = s * Fr[(2 * k + 1) * P + c]! * w;
      }
    }
    fftInPlace(cr, ci);
    for (let i = 0; i < N; i++) data[i * P + c] = rpp === 1 ? Math.hypot(cr[i]!, ci[i]!) : cr[i]!;
  }
  return { rows: N, columns: P, data };
}

/** The spectrum's value at the point nearest each peak (F1 mirrored for QF, whose t1 factor is e^{−iθ}). */
export function peakIntensities(
  s: PlainSpectrum2d,
  peaks: NusPeak[],
  sw1: number,
  sw2: number,
  mode: F1Mode,
): Float64Array {
  const wrap = (x: number, n: number) => ((Math.round(x) % n) + n) % n;
  return Float64Array.from(peaks, (p) => {
    const i = wrap(((mode === 'QF' ? -p.nu1 : p.nu1) / sw1) * s.rows, s.rows);
    const j = wrap((p.nu2 / sw2) * s.columns, s.columns);
    return s.data[i * s.columns + j]!;
  });
}

/** Pearson correlation. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Relative L2-norm error ‖x − ref‖/‖ref‖. */
export function rlne(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < ref.length; i++) {
    d += (x[i]! - ref[i]!) ** 2;
    r += ref[i]! ** 2;
  }
  return Math.sqrt(d / r);
}

export interface NusCaseOptions {
  mode: F1Mode;
  seed: number;
  /** Share of the t1 points sampled (Poisson gaps, sine-weighted). */
  fraction: number;
  t1Points: number;
  points: number;
  sw1: number;
  sw2: number;
  /** HSQC-like peaks drawn (hsqcLikePeaks). */
  peaks: number;
  noise: number;
}

/** A seeded NUS test case: HSQC-like peaks, the fully sampled ser with noise, a schedule and its sampled rows. */
export function nusCase(o: NusCaseOptions) {
  const peaks = hsqcLikePeaks(o.seed, o.peaks, o.sw1, o.sw2);
  const sim = { mode: o.mode, points: o.points, t1Points: o.t1Points, sw1: o.sw1, sw2: o.sw2, peaks };
  const full = simulateNus2d({ ...sim, noise: o.noise, seed: o.seed });
  const schedule = poissonGapSchedule(o.t1Points, Math.round(o.fraction * o.t1Points), o.seed);
  return { peaks, full, schedule, sampled: sampleRows(full, schedule, o.mode) };
}

/** Correlation of the peak intensities and RLNE of a reconstruction against the fully sampled ser (plain transforms). */
export function compareNus(
  c: { mode: F1Mode; sw1: number; sw2: number },
  peaks: NusPeak[],
  full: ComplexRows,
  rec: ComplexRows,
): { correlation: number; rlne: number } {
  const ref = plainSpectrum2d(full, c.mode);
  const out = plainSpectrum2d(rec, c.mode);
  return {
    correlation: pearson(
      peakIntensities(out, peaks, c.sw1, c.sw2, c.mode),
      peakIntensities(ref, peaks, c.sw1, c.sw2, c.mode),
    ),
    rlne: rlne(out.data, ref.data),
  };
}
