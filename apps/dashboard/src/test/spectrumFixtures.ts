/**
 * Synthetic spectra for tests: a ¹H spectrum of Lorentzian lines with noise, computed on `points` points, reduced
 * min–max for transport as the agent does (docs/contracts.md `spectrum.reduction`), with its peaks — and the
 * `lapis-mqtt-spectrum/1` envelope around it.
 */
import { spectrumEnvelopeSchema } from '@lapis/contracts';
import { spectrumDocumentSchema } from '@lapis/contracts';
import type { SpectrumDocument, SpectrumEnvelope } from '@lapis/contracts';
import { sha } from './fixtures';

export interface Line {
  /** Centre, ppm. */
  shift: number;
  height: number;
  widthHz: number;
}

/** Ethyl acetate in CDCl3 at 400 MHz, roughly: CH2 quartet, CH3 singlet, CH3 triplet, and the solvent. */
export const ETHYL_ACETATE: Line[] = [
  ...[-1.5, -0.5, 0.5, 1.5].map((k, i) => ({
    shift: 4.12 + (k * 7.1) / 400,
    height: [1, 3, 3, 1][i]! * 2.6e6,
    widthHz: 0.9,
  })),
  { shift: 2.045, height: 2.4e7, widthHz: 0.8 },
  ...[-1, 0, 1].map((k, i) => ({ shift: 1.26 + (k * 7.1) / 400, height: [1, 2, 1][i]! * 5.9e6, widthHz: 0.9 })),
  { shift: 7.26, height: 1.1e6, widthHz: 1.0 },
];

/** The same in ¹³C at 100.6 MHz: C=O, OCH2, CH3CO, CH3 and the CDCl3 triplet. */
export const ETHYL_ACETATE_13C: Line[] = [
  { shift: 171.1, height: 3e6, widthHz: 6 },
  { shift: 60.5, height: 8e6, widthHz: 6 },
  { shift: 21.0, height: 7.5e6, widthHz: 6 },
  { shift: 14.2, height: 7.8e6, widthHz: 6 },
  ...[-1, 0, 1].map((k) => ({ shift: 77.16 + (k * 32) / 100.6, height: 4e6, widthHz: 6 })),
];

export interface SpectrumDocOptions {
  lines?: Line[];
  /** Points of the processed spectrum (default 16384). */
  points?: number;
  /** Values after the min–max reduction (default 4096); ≥ points: not reduced. */
  values?: number;
  first?: number;
  last?: number;
  frequencyMHz?: number;
  nucleus?: string;
  noise?: number;
  sample?: string;
  pulseProgram?: string;
}

/** A deterministic normal-ish noise (sum of uniforms from a Park–Miller generator). */
function noiseSource(seed = 11): () => number {
  let s = seed;
  const u = () => (s = (s * 16807) % 2147483647) / 2147483647;
  return () => u() + u() + u() + u() - 2;
}

/** Min–max buckets of 2 × step points, each giving its smallest and largest value in the order they occur. */
export function minMaxReduce(values: ArrayLike<number>, maxValues: number): { real: number[]; step: number } {
  const n = values.length;
  const step = Math.max(1, Math.ceil(n / maxValues));
  if (step === 1) return { real: Array.from(values), step };
  const real: number[] = [];
  for (let start = 0; start < n; start += 2 * step) {
    const end = Math.min(n, start + 2 * step);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    if (lo <= hi) real.push(values[lo]!, values[hi]!);
    else real.push(values[hi]!, values[lo]!);
  }
  return { real, step };
}

/** The full-resolution spectrum spectrumDoc(o) reduces (the agent keeps it; `cmd/spectrum` answers from it). */
export function spectrumPoints(o: SpectrumDocOptions = {}): { full: Float64Array; clean: Float64Array } {
  const { lines, points, first, last, sf, sigma } = withDefaults(o);
  const next = noiseSource();
  const full = new Float64Array(points);
  const clean = new Float64Array(points);
  const ppmAt = (i: number) => first + (i * (last - first)) / (points - 1);
  for (let i = 0; i < points; i++) {
    const ppm = ppmAt(i);
    let v = 0;
    for (const l of lines) {
      const half = l.widthHz / sf / 2; // half width at half height, ppm
      const d = (ppm - l.shift) / half;
      v += l.height / (1 + d * d);
    }
    clean[i] = Math.round(v);
    full[i] = Math.round(v + sigma * next());
  }
  return { full, clean };
}

/** The options with their defaults: ethyl acetate, 16384 points from 10 to −0.5 ppm at 400.13 MHz, σ 1.5·10⁴. */
function withDefaults(o: SpectrumDocOptions) {
  return {
    lines: o.lines ?? ETHYL_ACETATE,
    points: o.points ?? 16384,
    first: o.first ?? 10,
    last: o.last ?? -0.5,
    sf: o.frequencyMHz ?? 400.13,
    sigma: o.noise ?? 1.5e4,
  };
}

export function spectrumDoc(o: SpectrumDocOptions = {}): SpectrumDocument {
  const { lines, points, first, last, sf, sigma } = withDefaults(o);
  const { full, clean } = spectrumPoints(o);
  const reduced = minMaxReduce(full, o.values ?? 4096);
  // the agent's denoised copy for display: here the lines without their noise, in the same buckets
  const quiet = minMaxReduce(clean, o.values ?? 4096);
  const peaks = [...lines]
    .sort((a, b) => b.shift - a.shift)
    .map((l) => ({
      shift: Math.round(l.shift * 1e4) / 1e4,
      height: l.height,
      widthHz: l.widthHz,
      integral: (Math.PI / 2) * l.height * l.widthHz,
      snr: Math.round(l.height / sigma),
    }));
  return {
    format: 'lapis-spectrum/1',
    dimensions: 1,
    axes: [{ name: 'shift', unit: 'ppm', nucleus: o.nucleus ?? '1H', first, last, size: points, frequencyMHz: sf }],
    spectrum: {
      real: reduced.real,
      step: reduced.step,
      ...(reduced.step > 1 ? { reduction: { method: 'min-max' as const, from: points } } : {}),
    },
    noise: sigma,
    peaks,
    denoised: {
      method: 'wavelet' as const,
      real: quiet.real,
      step: quiet.step,
      ...(quiet.step > 1 ? { reduction: { method: 'min-max' as const, from: points } } : {}),
    },
    processing: {
      lineBroadeningHz: 0.3,
      groupDelayPoints: 67.98,
      groupDelaySource: 'acqus GRPDLY',
      phase0Deg: -81.6,
      phase1Deg: 18.3,
      baseline: 'linear + whittaker',
      reference: 'procs SF',
      picker: { method: 'classical', minSnr: 5 },
    },
    vendor: { source: 'TopSpin pdata/1/peaklist.xml', peaks: peaks.length, matched: peaks.length, tolerancePpm: 0.005 },
    source: { path: '/data/ethyl-acetate/1', layout: 'bruker', pulseProgram: o.pulseProgram ?? 'zg30' },
    solvent: 'CDCl3',
    ...(o.sample ? { sample: o.sample } : {}),
    software: 'lapis 0.1.0',
    elapsedMs: 212,
    warnings: [],
  };
}

/** A cross peak of a 2D spectrum: its shifts, height (negative: an edited HSQC's CH₂) and widths. */
export interface CrossPeak {
  shift1: number;
  shift2: number;
  height: number;
  widthHz1: number;
  widthHz2: number;
}

/** Ethyl acetate's one-bond C–H correlations, multiplicity-edited (the CH₂ negative). */
export const ETHYL_ACETATE_HSQC: CrossPeak[] = [
  { shift1: 60.5, shift2: 4.12, height: -6e6, widthHz1: 60, widthHz2: 12 },
  { shift1: 21.0, shift2: 2.045, height: 1.2e7, widthHz1: 60, widthHz2: 10 },
  { shift1: 14.2, shift2: 1.26, height: 1e7, widthHz1: 60, widthHz2: 12 },
];

/** An edited ¹H–¹³C HSQC at 400 MHz: `rows` F1 (¹³C) × `columns` F2 (¹H) points, not reduced, with its peaks. */
type HsqcOptions = { peaks?: CrossPeak[]; rows?: number; columns?: number; sample?: string };

/** The options with their defaults: ethyl acetate's cross peaks on 128 × 256 points, F1 80–0, F2 6–0 ppm. */
function hsqcDefaults(o: HsqcOptions) {
  return {
    peaks: o.peaks ?? ETHYL_ACETATE_HSQC,
    rows: o.rows ?? 128,
    columns: o.columns ?? 256,
    f1: { first: 80, last: 0, sf: 100.6 },
    f2: { first: 6, last: 0, sf: 400.13 },
  };
}

/** The full-resolution matrix of hsqcDoc(o), row-major (the agent keeps it; `cmd/spectrum` answers from it). */
export function hsqcPoints(o: HsqcOptions = {}): number[] {
  const { peaks, rows, columns, f1, f2 } = hsqcDefaults(o);
  const next = noiseSource(5);
  const real: number[] = [];
  for (let r = 0; r < rows; r++) {
    const ppm1 = f1.first + (r * (f1.last - f1.first)) / (rows - 1);
    for (let c = 0; c < columns; c++) {
      const ppm2 = f2.first + (c * (f2.last - f2.first)) / (columns - 1);
      let v = HSQC_SIGMA * next();
      for (const p of peaks) {
        const d1 = (ppm1 - p.shift1) / (p.widthHz1 / f1.sf / 2);
        const d2 = (ppm2 - p.shift2) / (p.widthHz2 / f2.sf / 2);
        v += p.height / ((1 + d1 * d1) * (1 + d2 * d2));
      }
      real.push(Math.round(v));
    }
  }
  return real;
}

const HSQC_SIGMA = 2e4;

/** An edited HSQC document; with `pool`, its matrix pooled by largest magnitude in blocks as the agent sends it. */
export function hsqcDoc(o: HsqcOptions & { pool?: [number, number] } = {}) {
  const { peaks, rows, columns, f1, f2 } = hsqcDefaults(o);
  const sigma = HSQC_SIGMA;
  const full = hsqcPoints(o);
  const [p1, p2] = o.pool ?? [1, 1];
  const real: number[] = [];
  for (let a = 0; a < Math.ceil(rows / p1); a++)
    for (let b = 0; b < Math.ceil(columns / p2); b++) {
      let best = 0;
      for (let r = a * p1; r < Math.min(rows, (a + 1) * p1); r++)
        for (let c = b * p2; c < Math.min(columns, (b + 1) * p2); c++)
          if (Math.abs(full[r * columns + c]!) > Math.abs(best)) best = full[r * columns + c]!;
      real.push(best);
    }
  const pooled = p1 > 1 || p2 > 1;
  return spectrumDocumentSchema.parse({
    format: 'lapis-spectrum/1',
    dimensions: 2,
    axes: [
      { name: 'shift', unit: 'ppm', nucleus: '13C', first: f1.first, last: f1.last, size: rows, frequencyMHz: f1.sf },
      { name: 'shift', unit: 'ppm', nucleus: '1H', first: f2.first, last: f2.last, size: columns, frequencyMHz: f2.sf },
    ],
    spectrum: pooled
      ? {
          rows: Math.ceil(rows / p1),
          columns: Math.ceil(columns / p2),
          real,
          step: [p1, p2],
          reduction: { method: 'max-abs', from: [rows, columns] },
        }
      : { rows, columns, real, step: [1, 1] },
    noise: sigma,
    peaks: peaks.map((p) => ({
      shift1: p.shift1,
      shift2: p.shift2,
      height: p.height,
      widthHz: p.widthHz2,
      widthHz1: p.widthHz1,
      integral: (Math.PI / 2) ** 2 * p.height * p.widthHz1 * p.widthHz2,
      snr: Math.round(Math.abs(p.height) / sigma),
    })),
    processing: {
      mode: 'Echo-Antiecho',
      magnitude: false,
      groupDelayPoints: 67.98,
      groupDelaySource: 'acqus GRPDLY',
      f2: { window: 'QSINE SSB 2', phase0Deg: 12.5, phase1Deg: -3.1, phaseSource: 'automatic', reference: 'procs SF' },
      f1: {
        window: 'QSINE SSB 2',
        phase0Deg: 90,
        phase1Deg: -180,
        phaseSource: 'given',
        reference: 'procs SF',
        linearPrediction: { from: 128, to: 256, order: 32 },
      },
      baseline: 'none',
      picker: { method: 'classical', minSnr: 8 },
    },
    vendor: { source: 'TopSpin pdata/1/peaklist.xml', peaks: 3, matched: 3, tolerancePpm: 0.02, tolerancePpm1: 0.3 },
    source: { path: '/data/ethyl-acetate/3', layout: 'bruker', pulseProgram: 'hsqcedetgpsisp2.3' },
    solvent: 'CDCl3',
    ...(o.sample ? { sample: o.sample } : {}),
    software: 'lapis 0.1.0',
    elapsedMs: 840,
    warnings: [],
  });
}

export interface SpectrumEnvelopeOptions {
  instrument?: string;
  seed?: string;
  producedAt?: string;
  path?: string;
  document?: SpectrumDocument;
}

/** A valid `lapis-mqtt-spectrum/1` envelope; `seed` makes the key unique. */
export function spectrumEnvelope(o: SpectrumEnvelopeOptions = {}): SpectrumEnvelope {
  const instrument = o.instrument ?? 'minispec-1';
  const seed = o.seed ?? 'a';
  return spectrumEnvelopeSchema.parse({
    format: 'lapis-mqtt-spectrum/1',
    key: sha(`spectrum/${instrument}/${seed}`),
    instrument,
    path: o.path ?? `/data/${instrument}/ethyl-acetate/1`,
    producedAt: o.producedAt ?? '2026-11-21T10:00:00.000Z',
    historical: false,
    provenance: {
      rawDataHash: sha(`raw-spectrum/${seed}`),
      softwareVersion: '0.1.0',
      pipelineVersion: 's1',
      method: 'spectrum',
      parameters: { minSnr: 5 },
      reader: 'bruker',
    },
    document: o.document ?? spectrumDoc(),
  });
}
