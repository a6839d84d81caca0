/**
 * One spectrum acquisition → its `lapis-spectrum/1` document: read (libs/formats: a TopSpin 1D fid), process and pick
 * peaks (libs/spectra), compare with the vendor's own peak list when the folder has one, and check the document
 * against its schema before anyone sees it.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { LAPIS_SPECTRUM_FORMAT, spectrumDocumentSchema, type SpectrumDocument } from '@lapis/contracts';
import { FormatError, processBrukerSpectrum, readBrukerSpectrum } from '@lapis/formats';
import { pickPeaks1d, type SpectrumPeak } from '@lapis/spectra';
import { LAPIS_SOFTWARE, LAPIS_VERSION } from '../version';

export interface ProcessSpectrumOptions {
  /** Least peak height over the noise σ (default 5). */
  minSnr?: number;
  /** Exponential line broadening, Hz (default: procs LB, else 0.3). */
  lineBroadening?: number;
  /** Vendor peaks count as matched within this many ppm (default 0.005). */
  tolerancePpm?: number;
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
  const read = await readBrukerSpectrum(dir);
  const minSnr = options.minSnr ?? 5;
  const spectrum = processBrukerSpectrum(
    read,
    options.lineBroadening !== undefined ? { lineBroadening: options.lineBroadening } : {},
  );
  const picked = pickPeaks1d(spectrum, { minSnr });
  const warnings = [...read.warnings, ...spectrum.warnings];
  const meta = read.dataset.metadata;
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
      baseline: 'linear + whittaker',
      reference: read.referenceSource === 'procs' ? 'procs SF' : `acqus ${read.referenceSource} (no procs SF)`,
      picker: { method: 'classical', minSnr },
    },
    source: {
      path: dir,
      layout: 'bruker',
      ...(read.dataset.experiment.pulseProgram ? { pulseProgram: read.dataset.experiment.pulseProgram } : {}),
    },
    software: `${LAPIS_SOFTWARE} ${LAPIS_VERSION}`,
    elapsedMs: 0,
    warnings,
  };
  if (meta.instrument) doc.instrument = meta.instrument;
  if (meta.sample) doc.sample = meta.sample;
  if (meta.acquiredAt) doc.acquiredAt = meta.acquiredAt;
  if (read.solvent) doc.solvent = read.solvent;
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
  doc.elapsedMs = performance.now() - started;
  return spectrumDocumentSchema.parse(doc);
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
