/**
 * Synthetic TopSpin 2D `ser` data with known peaks, in the row layout of every F1 acquisition mode the reader
 * takes (see libs/spectra process2d/f1Modes.ts), for tests and benchmarks with `writeBrukerDataset`. Each peak's
 * F2 FID is A·e^{2πiν₂t₂}·e^{−t₂/T2*} (ν = ppm·SF − (SFO1 − SF)·10⁶ Hz), delayed by the group delay g as a
 * linear-phase digital filter delays it: band-limited (a linear phase on the transform of the signal, computed
 * over twice the acquisition and zero-filled to four times it, so nothing wraps), ringing before the signal starts
 * as the real filter does. (simulatePseudo2d's circular shift of the acquired points alone would wrap the end of
 * these short, truncated 2D FIDs to their start; a hard start at g would alias.) Times a per-row factor that
 * carries t1:
 *
 * | mode               | row(s) of t1 point k, θ = 2πν₁t₁, decay d = e^{−t₁/T2*₁}          |
 * | ------------------ | ----------------------------------------------------------------- |
 * | States             | 2k: cos θ·d; 2k+1: sin θ·d (t₁ = k/SW₁)                           |
 * | States-TPPI        | the same × (−1)^k                                                 |
 * | Echo-Antiecho      | 2k: e^{−iθ}·d (echo); 2k+1: e^{+iθ}·d (antiecho)                  |
 * | QF                 | k: e^{−iθ}·d                                                      |
 * | TPPI, QSEQ         | k: cos(2π(ν₁ + SW₁/2)t₁)·d, t₁ = k/(2·SW₁)                         |
 *
 * plus an optional F2 phase error on every row and seeded complex Gaussian noise.
 */
import { createRng } from '@lapis/physics';
import { fftInPlace, ifftInPlace, type F1Mode } from '@lapis/spectra';
import type { ComplexRows } from './binary';
import type { WriteBrukerOptions } from './writeBruker';

export interface SyntheticPeak2d {
  ppm1: number;
  ppm2: number;
  /** Amplitude at t1 = t2 = 0; negative for an inverted peak (phase-sensitive modes). */
  amplitude: number;
  /** Decays, s (defaults 0.1 s in F2, 0.02 s in F1). */
  t2star2?: number;
  t2star1?: number;
}

export interface SimulateSpectrum2dOptions {
  mode: F1Mode;
  /** Complex points per row. */
  points: number;
  /** Rows of the ser (TD1): 2 per t1 point for States, States-TPPI and echo-antiecho. */
  rows: number;
  f2: { sw: number; sfo1: number; sf?: number };
  f1: { sw: number; sfo1: number; sf?: number };
  peaks: SyntheticPeak2d[];
  /** Group delay of F2, points (default 0). */
  groupDelay?: number;
  /** Zero-order phase error on every row, rad (default 0). */
  phaseError?: number;
  /** Noise σ per real and imaginary value (default 0). */
  noise?: number;
  seed?: number;
}

export function simulateSpectrum2d(o: SimulateSpectrum2dOptions): ComplexRows {
  const n = o.points;
  const g = o.groupDelay ?? 0;
  const rows = o.rows;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  const sf2 = o.f2.sf ?? o.f2.sfo1;
  const sf1 = o.f1.sf ?? o.f1.sfo1;
  const fr = new Float64Array(n);
  const fi = new Float64Array(n);
  const long = 2 ** Math.ceil(Math.log2(4 * n));
  const xr = new Float64Array(long);
  const xi = new Float64Array(long);
  const pc = Math.cos(o.phaseError ?? 0);
  const ps = Math.sin(o.phaseError ?? 0);
  for (const peak of o.peaks) {
    const nu2 = peak.ppm2 * sf2 - (o.f2.sfo1 - sf2) * 1e6;
    const nu1 = peak.ppm1 * sf1 - (o.f1.sfo1 - sf1) * 1e6;
    const decay2 = 1 / (peak.t2star2 ?? 0.1);
    const decay1 = 1 / (peak.t2star1 ?? 0.02);
    xr.fill(0);
    xi.fill(0);
    for (let m = 0; m < 2 * n; m++) {
      const t = m / o.f2.sw;
      const env = peak.amplitude * Math.exp(-t * decay2);
      const c = env * Math.cos(2 * Math.PI * nu2 * t);
      const s = env * Math.sin(2 * Math.PI * nu2 * t);
      xr[m] = c * pc - s * ps;
      xi[m] = c * ps + s * pc;
    }
    delayInto(xr, xi, g, fr, fi);
    for (let r = 0; r < rows; r++) {
      const [a, b] = rowFactor(o.mode, r, nu1, decay1, o.f1.sw);
      for (let k = 0; k < n; k++) {
        re[r * n + k]! += a * fr[k]! - b * fi[k]!;
        im[r * n + k]! += a * fi[k]! + b * fr[k]!;
      }
    }
  }
  const sigma = o.noise ?? 0;
  if (sigma > 0) {
    const rng = createRng(o.seed ?? 1);
    for (let i = 0; i < re.length; i++) {
      re[i]! += sigma * rng.normal();
      im[i]! += sigma * rng.normal();
    }
  }
  return { rows, points: n, re, im };
}

/** The complex factor (re, im) of row r for a peak at ν₁ Hz. */
function rowFactor(mode: F1Mode, r: number, nu1: number, decay1: number, sw1: number): [number, number] {
  if (mode === 'TPPI' || mode === 'QSEQ') {
    const t1 = r / (2 * sw1);
    return [Math.cos(2 * Math.PI * (nu1 + sw1 / 2) * t1) * Math.exp(-t1 * decay1), 0];
  }
  const k = mode === 'QF' ? r : r >> 1;
  const t1 = k / sw1;
  const d = Math.exp(-t1 * decay1);
  const theta = 2 * Math.PI * nu1 * t1;
  switch (mode) {
    case 'QF':
      return [d * Math.cos(theta), -d * Math.sin(theta)];
    case 'Echo-Antiecho':
      return r % 2 === 0 ? [d * Math.cos(theta), -d * Math.sin(theta)] : [d * Math.cos(theta), d * Math.sin(theta)];
    default: {
      const sign = mode === 'States-TPPI' && k % 2 === 1 ? -1 : 1;
      return [sign * d * (r % 2 === 0 ? Math.cos(theta) : Math.sin(theta)), 0];
    }
  }
}

/** The first y.length points of x delayed by g points, band-limited: e^{−2πi·m·g/N} on x's transform (in place on x). */
function delayInto(xr: Float64Array, xi: Float64Array, g: number, yr: Float64Array, yi: Float64Array): void {
  const n = xr.length;
  if (g !== 0) {
    fftInPlace(xr, xi);
    for (let k = 0; k < n; k++) {
      const m = k < n / 2 ? k : k - n;
      const ph = (-2 * Math.PI * m * g) / n;
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      const x = xr[k]!;
      const y = xi[k]!;
      xr[k] = x * c - y * s;
      xi[k] = x * s + y * c;
    }
    ifftInPlace(xr, xi);
  }
  yr.set(xr.subarray(0, yr.length));
  yi.set(xi.subarray(0, yi.length));
}

/** acqu2s FnMODE and proc2s MC2 of each mode. */
const FNMODE: Record<F1Mode, number> = { QF: 1, QSEQ: 2, TPPI: 3, States: 4, 'States-TPPI': 5, 'Echo-Antiecho': 6 };

/**
 * A whole TopSpin 2D folder for `writeBrukerDataset`: acqus (¹H F2, GRPDLY), acqu2s (FnMODE, SW in ppm, SFO1,
 * BF1 — SW_h a placeholder, as TopSpin 2 left it), and, unless `procs` is false, procs and proc2s with SI, the
 * windows (QSINE SSB 2 phase-sensitive, SINE SSB 0 for QF) and SF.
 */
export function spectrum2dFolder(
  o: SimulateSpectrum2dOptions & {
    nuclei?: [string, string];
    pulseProgram?: string;
    procs?: boolean;
    size?: [number, number];
  },
  data: ComplexRows = simulateSpectrum2d(o),
): WriteBrukerOptions {
  const [n1, n2] = o.nuclei ?? ['13C', '1H'];
  const sf2 = o.f2.sf ?? o.f2.sfo1;
  const sf1 = o.f1.sf ?? o.f1.sfo1;
  const acqus: Record<string, number | string> = {
    PULPROG: o.pulseProgram ?? 'hsqcedetgpsp.3',
    NUC1: n2,
    SOLVENT: 'CDCl3',
    SW_h: o.f2.sw,
    SW: o.f2.sw / o.f2.sfo1,
    SFO1: o.f2.sfo1,
    BF1: sf2,
    O1: (o.f2.sfo1 - sf2) * 1e6,
    DSPFVS: 20,
    DECIM: 16,
    GRPDLY: o.groupDelay ?? 0,
  };
  const acqu2s = {
    NUC1: n1,
    FnMODE: FNMODE[o.mode],
    SW: o.f1.sw / o.f1.sfo1,
    SW_h: 2000,
    SFO1: o.f1.sfo1,
    BF1: sf1,
    O1: (o.f1.sfo1 - sf1) * 1e6,
  };
  const out: WriteBrukerOptions = { acqus, acqu2s, data, dataFile: 'ser' };
  if (o.procs !== false) {
    const window = o.mode === 'QF' ? { WDW: 3, SSB: 0 } : { WDW: 4, SSB: 2 };
    const pow2 = (x: number) => 2 ** Math.ceil(Math.log2(x));
    const [si1, si2] = o.size ?? [pow2((o.mode === 'QF' ? 4 : 2) * o.rows), pow2(2 * o.points)];
    out.procs = { SF: sf2, SI: si2, ...window, PHC0: 0, PHC1: 0, PH_mod: o.mode === 'QF' ? 0 : 1 };
    out.proc2s = { SF: sf1, SI: si1, ...window, MC2: FNMODE[o.mode] - 1, PH_mod: o.mode === 'QF' ? 2 : 1 };
  }
  return out;
}
