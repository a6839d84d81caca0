/**
 * One spectrum acquisition → its `lapis-spectrum/1` document: read (libs/formats: a TopSpin 1D fid or 2D ser),
 * process and pick peaks (libs/spectra), compare with the vendor's own peak list when the folder has one, and check
 * the document against its schema before anyone sees it.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import {
  LAPIS_SPECTRUM_FORMAT,
  spectrumDocumentSchema,
  type SpectrumDocument,
  type SpectrumDocument2d,
} from '@lapis/contracts';
import {
  brukerSpectrumKind,
  FormatError,
  processBrukerSpectrum,
  processBrukerSpectrum2d,
  readBrukerNus,
  readBrukerSpectrum,
  readBrukerSpectrum2d,
  reconstructBrukerNus,
  reconstructBrukerNusWith,
  usesUserPhase1,
  type BrukerSpectrum2d,
} from '@lapis/formats';
import {
  describeApodization,
  pickPeaks1d,
  pickPeaks1dFromCandidates,
  pickPeaks2d,
  type IstQuality,
  type Spectrum1d,
  type Spectrum2d,
  type SpectrumPeak,
} from '@lapis/spectra';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../version';
import { addDenoised, type DenoiseMethod } from './denoiseDocument';
import { nusNetworkModel, peakPickerModel } from './spectrumModels';

export interface ProcessSpectrumOptions {
  /** Least peak height over the noise σ (default 5 in 1D, 8 in 2D). */
  minSnr?: number;
  /** Exponential line broadening, Hz (default: procs LB, else 0.3; 1D only). */
  lineBroadening?: number;
  /** Vendor peaks count as matched within this many ppm (default 0.005; 2D: two points in each dimension). */
  tolerancePpm?: number;
  /** Add the spectrum denoised for display (`denoised`; 1D only). */
  denoise?: DenoiseMethod;
  /** 1D peak picker (default classical; network: models/lapis-pick1d's lines, fitted back, classical where better). */
  picker?: PickerMethod;
  /** NUS reconstruction (default ist; network: models/lapis-nus1d, IST where it cannot run). */
  nus?: NusMethod;
}

export type PickerMethod = 'classical' | 'network';
export type NusMethod = 'ist' | 'network';

/** The 1D peaks by the chosen picker and what the document's processing block says of it; the network picker falls
 * back to the classical one (with a warning) when its model cannot be loaded or the noise σ is unknown. */
async function pick1d(spectrum: Spectrum1d, minSnr: number, method: PickerMethod, warnings: string[]) {
  if (method === 'network') {
    try {
      if (!(spectrum.noise > 0)) throw new Error('no noise σ measured');
      const model = await peakPickerModel();
      const candidates = await model.candidates(spectrum.real, spectrum.noise);
      const picked = pickPeaks1dFromCandidates(spectrum, candidates, { minSnr });
      return {
        picked,
        picker: {
          method: 'network',
          minSnr,
          model: model.manifest.id,
          regions: picked.regions,
          fromNetwork: picked.fromCandidates,
          fromClassical: picked.fromClassical,
        },
      };
    } catch (error) {
      warnings.push(`the network peak picker could not run (${(error as Error).message}): classical picking instead`);
    }
  }
  return { picked: pickPeaks1d(spectrum, { minSnr }), picker: { method: 'classical', minSnr } };
}

/** A TopSpin experiment folder, or a file inside it (acqus, fid). */
async function experimentFolder(path: string): Promise<string> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new FormatError(path, 'no such file or folder', { cause });
  });
  if (info.isDirectory()) return path;
  if (['acqus', 'fid', 'ser'].includes(basename(path))) return dirname(path);
  throw new FormatError(path, 'not a TopSpin experiment folder (acqus + fid) or a file in one');
}

export async function processSpectrumPath(
  path: string,
  options: ProcessSpectrumOptions = {},
): Promise<SpectrumDocument> {
  const started = performance.now();
  const dir = await experimentFolder(path);
  const kind = await brukerSpectrumKind(dir);
  const doc = kind === '1d' ? await document1d(dir, options) : await document2d(dir, options, kind === 'nus');
  if (options.denoise) await addDenoised(doc, options.denoise);
  doc.elapsedMs = performance.now() - started;
  return spectrumDocumentSchema.parse(doc);
}

async function document1d(dir: string, options: ProcessSpectrumOptions): Promise<SpectrumDocument> {
  const read = await readBrukerSpectrum(dir);
  const minSnr = options.minSnr ?? 5;
  const processing = options.lineBroadening !== undefined ? { lineBroadening: options.lineBroadening } : {};
  const spectrum = processBrukerSpectrum(read, processing);
  const warnings = [...read.warnings, ...spectrum.warnings];
  const { picked, picker } = await pick1d(spectrum, minSnr, options.picker ?? 'classical', warnings);
  const doc: SpectrumDocument = {
    format: LAPIS_SPECTRUM_FORMAT,
    dimensions: 1,
    axes: [
      {
        name: 'shift',
        unit: 'ppm',
        ...(read.nucleus ? { nucleus: read.nucleus } : {}),
        first: spectrum.ppm[0]!,
        last: spectrum.ppm[spectrum.ppm.length - 1]!,
        size: spectrum.real.length,
        frequencyMHz: spectrum.sf,
      },
    ],
    spectrum: { real: Array.from(spectrum.real), step: 1 },
    noise: spectrum.noise,
    peaks: picked.peaks.map(peakOf),
    processing: {
      lineBroadeningHz: spectrum.lineBroadening,
      groupDelayPoints: read.spectral.groupDelay,
      groupDelaySource: read.groupDelaySource,
      phase0Deg: degrees(spectrum.phase0),
      phase1Deg: degrees(spectrum.phase1),
      phaseSource: usesUserPhase1(read, processing) ? 'procs PHC1, zero order automatic' : 'automatic',
      baseline: 'linear + whittaker',
      reference: read.referenceSource === 'procs' ? 'procs SF' : `acqus ${read.referenceSource} (no procs SF)`,
      picker,
    },
    ...sharedFields(dir, read, warnings),
  };
  if (read.vendorPeaks) {
    const tolerance = options.tolerancePpm ?? 0.005;
    const shifts = picked.peaks.map((p) => p.shift).sort((a, b) => a - b);
    const matched = read.vendorPeaks.filter((v) => nearest(shifts, v.shift) <= tolerance).length;
    doc.vendor = {
      source: 'TopSpin pdata/1/peaklist.xml',
      peaks: read.vendorPeaks.length,
      matched,
      tolerancePpm: tolerance,
    };
  }
  return doc;
}

/** What a 1D and a 2D document share: where they came from, by what, and the acquisition's own labels. */
function sharedFields(
  dir: string,
  read: Pick<BrukerSpectrum2d, 'dataset' | 'solvent'>,
  warnings: string[],
): Pick<
  SpectrumDocument,
  'source' | 'software' | 'elapsedMs' | 'warnings' | 'instrument' | 'sample' | 'acquiredAt' | 'solvent'
> {
  const meta = read.dataset.metadata;
  const program = read.dataset.experiment.pulseProgram;
  return {
    source: { path: dir, layout: 'bruker', ...(program ? { pulseProgram: program } : {}) },
    software: `${LAPIS_SOFTWARE} ${LAPIS_VERSION}`,
    elapsedMs: 0,
    warnings,
    ...(meta.instrument ? { instrument: meta.instrument } : {}),
    ...(meta.sample ? { sample: meta.sample } : {}),
    ...(meta.acquiredAt ? { acquiredAt: meta.acquiredAt } : {}),
    ...(read.solvent ? { solvent: read.solvent } : {}),
  };
}

/** 6 significant digits: a relative error ≤ 5·10⁻⁷, far below any 2D spectrum's noise, and ⅔ of a double's text. */
const round6 = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(6)));

/**
 * A 2D ser as read, or, for a non-uniformly sampled one (a nuslist), its full reconstruction by IST (libs/spectra
 * nus, docs/nus.md) with what the processing block reports of it.
 */
/**
 * Largest residual at the sampled points, over the noise, at which the NUS network's reconstruction is kept: IST
 * leaves 1.2–1.7 on simulated and real data, the network 1.1–2.1 where it is right (docs/nus.md).
 */
const NUS_NETWORK_MAX_RESIDUAL = 25;

async function read2d(
  dir: string,
  isNus: boolean,
  method: NusMethod,
  warnings: string[],
): Promise<{ read: BrukerSpectrum2d; nus?: Record<string, unknown> }> {
  if (!isNus) return { read: await readBrukerSpectrum2d(dir) };
  const sampled = await readBrukerNus(dir);
  let result: { spectrum: BrukerSpectrum2d; quality: IstQuality } | undefined;
  let model: string | undefined;
  if (method === 'network') {
    try {
      const network = await nusNetworkModel();
      const r = await reconstructBrukerNusWith(sampled, network.reconstruct);
      // the safety net: a model that does not explain the measured points is not trusted with the others
      if (r.quality.residualToNoise <= NUS_NETWORK_MAX_RESIDUAL) {
        result = r;
        model = network.manifest.id;
      } else
        warnings.push(
          `the NUS network's reconstruction misses the measured points (residual ${r.quality.residualToNoise.toFixed(1)} × the noise, more than ${NUS_NETWORK_MAX_RESIDUAL}): IST instead`,
        );
    } catch (error) {
      warnings.push(`the NUS network could not run (${(error as Error).message}): IST instead`);
    }
  }
  const { spectrum, quality } = result ?? reconstructBrukerNus(sampled);
  const nus = {
    method: model ? 'network (learned IST, virtual echo)' : quality.virtualEcho ? 'IST with virtual echo' : 'IST',
    ...(model ? { model } : {}),
    sampling: quality.sampling,
    ...(sampled.amount !== undefined ? { amountPercent: sampled.amount } : {}),
    residualToNoise: quality.residualToNoise,
    iterations: quality.iterations.mean,
  };
  return { read: { ...spectrum, warnings: [...sampled.warnings, ...spectrum.warnings] }, nus };
}

async function document2d(dir: string, options: ProcessSpectrumOptions, isNus: boolean): Promise<SpectrumDocument2d> {
  const nusWarnings: string[] = [];
  const { read, nus } = await read2d(dir, isNus, options.nus ?? 'ist', nusWarnings);
  const minSnr = options.minSnr ?? 8;
  const spectrum = processBrukerSpectrum2d(read);
  const picked = pickPeaks2d(spectrum, { minSnr });
  const warnings = [...read.warnings, ...spectrum.warnings, ...nusWarnings];
  if (options.lineBroadening !== undefined) warnings.push('--lb applies to 1D spectra: the 2D windows are procs WDW');
  if (options.picker === 'network')
    warnings.push('the network peak picker is for 1D spectra: 2D peaks are local maxima');
  const real: number[] = new Array<number>(spectrum.real.length);
  for (let i = 0; i < real.length; i++) real[i] = round6(spectrum.real[i]!);
  const reference = (source: string, file: string, params: string) =>
    source === 'procs' ? `${file} SF` : `${params} ${source} (no ${file} SF)`;
  const doc: SpectrumDocument2d = {
    format: LAPIS_SPECTRUM_FORMAT,
    dimensions: 2,
    axes: [axisOf(spectrum.ppm1, spectrum.sf1, read.nucleus.f1), axisOf(spectrum.ppm2, spectrum.sf2, read.nucleus.f2)],
    spectrum: { rows: spectrum.rows, columns: spectrum.columns, real, step: [1, 1] },
    noise: spectrum.noise,
    peaks: picked.peaks.map((p) => ({
      shift1: p.shift1,
      shift2: p.shift2,
      height: p.height,
      widthHz: p.widthHz2,
      widthHz1: p.widthHz1,
      integral: p.volume,
      snr: p.snr,
    })),
    processing: {
      mode: spectrum.mode,
      magnitude: spectrum.magnitude,
      groupDelayPoints: read.spectral.f2.groupDelay ?? 0,
      groupDelaySource: read.groupDelaySource,
      f2: {
        window: describeApodization(spectrum.windows.f2),
        ...phaseOf(spectrum.phase2),
        reference: reference(read.referenceSource.f2, 'procs', 'acqus'),
      },
      f1: {
        window: describeApodization(spectrum.windows.f1),
        ...phaseOf(spectrum.phase1),
        reference: reference(read.referenceSource.f1, 'proc2s', 'acqu2s'),
        ...(spectrum.linearPrediction ? { linearPrediction: spectrum.linearPrediction } : {}),
      },
      baseline: 'row and column medians',
      picker: { method: 'local maxima', minSnr },
      ...(nus ? { nus } : {}),
    },
    ...sharedFields(dir, read, warnings),
  };
  if (read.vendorPeaks) {
    // two points in each dimension (a vendor list of 2D peaks names F2 `shift` and F1 `shift1`)
    const tol2 = options.tolerancePpm ?? (2 * spectrum.hzPerPoint2) / spectrum.sf2;
    const tol1 = (2 * spectrum.hzPerPoint1) / spectrum.sf1;
    const vendor2d = read.vendorPeaks.filter((v) => v.shift1 !== undefined);
    const matched = vendor2d.filter((v) =>
      picked.peaks.some((p) => Math.abs(p.shift2 - v.shift) <= tol2 && Math.abs(p.shift1 - v.shift1!) <= tol1),
    ).length;
    doc.vendor = {
      source: 'TopSpin pdata/1/peaklist.xml',
      peaks: vendor2d.length,
      matched,
      tolerancePpm: tol2,
      tolerancePpm1: tol1,
    };
  }
  return doc;
}

function axisOf(ppm: Float64Array, sf: number, nucleus: string | undefined) {
  return {
    name: 'shift' as const,
    unit: 'ppm' as const,
    ...(nucleus ? { nucleus } : {}),
    first: ppm[0]!,
    last: ppm[ppm.length - 1]!,
    size: ppm.length,
    frequencyMHz: sf,
  };
}

function phaseOf(phase: Spectrum2d['phase2']) {
  if (!phase) return {};
  return {
    phase0Deg: degrees(phase.phase0),
    phase1Deg: degrees(phase.phase1),
    phaseSource: phase.automatic ? 'automatic' : 'given',
  };
}

function peakOf(p: SpectrumPeak) {
  return { shift: p.shift, height: p.height, widthHz: p.widthHz, integral: p.integral, snr: p.snr };
}

function degrees(rad: number): number {
  const d = (rad * 180) / Math.PI;
  return ((((d + 180) % 360) + 360) % 360) - 180;
}

/** Distance from x to the nearest of the sorted values. */
function nearest(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  let best = Infinity;
  for (const k of [lo - 1, lo]) if (k >= 0 && k < sorted.length) best = Math.min(best, Math.abs(sorted[k]! - x));
  return best;
}
