/**
 * A TopSpin 1D spectrum acquisition (a `fid`: ¹H, ¹³C, any nucleus) → the FID with what processing needs: spectral
 * width, frequencies and the ppm reference (spectralReference.ts), the digital filter's delay (groupDelay.ts), the
 * user's processing parameters from pdata/1/procs (SI, LB for an exponential window, PHC1), nucleus and solvent, and
 * TopSpin's own peak list when pdata/1/peaklist.xml holds one. libs/spectra does the processing.
 */
import { join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { processSpectrum1d, type ComplexRows, type ProcessSpectrum1dOptions, type Spectrum1d } from '@lapis/spectra';
import { FormatError } from '../acquisition';
import { brukerGroupDelay } from './groupDelay';
import { parsePeakList, type VendorPeak } from './peakList';
import { readBruker, type BrukerDataset, type ReadBrukerOptions } from './readBruker';
import { userPhase1 } from './procsPhase';
import { checkOffset, referenceFrequency } from './spectralReference';

export interface BrukerSpectrum {
  dataset: BrukerDataset;
  fid: ComplexRows;
  /** Spectral width (Hz), transmitter and reference frequencies (MHz), group delay (points). */
  spectral: { sw: number; sfo1: number; sf: number; groupDelay: number };
  /** Where SF came from: pdata/1/procs, or acqus when the data were never processed. */
  referenceSource: 'procs' | 'BF1' | 'O1' | 'SFO1';
  groupDelaySource: string;
  nucleus?: string;
  solvent?: string;
  /** The user's processing parameters that apply (pdata/1/procs); phase1 in radians (procsPhase.ts). */
  procs: { size?: number; lineBroadening?: number; phase1?: number };
  /** TopSpin's peak list (pdata/1/peaklist.xml), when present. */
  vendorPeaks?: VendorPeak[];
  warnings: string[];
}

/** Window functions of procs WDW, by number. */
const WINDOWS = ['none', 'EM', 'GM', 'SINE', 'QSINE', 'TRAP', 'USER', 'SINC', 'QSINC', 'TRAF', 'TRAFS'];

export async function readBrukerSpectrum(dir: string, options: ReadBrukerOptions = {}): Promise<BrukerSpectrum> {
  const dataset = await readBruker(dir, options);
  const { acqus, procs, layout } = dataset;
  if (layout.td1 > 1) {
    throw new FormatError(
      `${dir}/acqu2s`,
      `a ${layout.td1}-row ${layout.file} (2D or pseudo-2D): readBrukerSpectrum2d reads 2D spectra; relaxation and diffusion series go to \`lapis invert\``,
    );
  }
  if (dataset.data.rows < 1) throw new FormatError(`${dir}/${layout.file}`, 'holds no complete FID');
  const sw = acqus.requireNumber('SW_h');
  const sfo1 = acqus.requireNumber('SFO1');
  if (!(sw > 0) || !(sfo1 > 0)) throw new FormatError(acqus.file, `SW_h ${sw} Hz and SFO1 ${sfo1} MHz must be > 0`);
  const warnings = [...dataset.warnings];
  const { sf, source } = referenceFrequency(acqus, procs, sfo1, warnings);
  if (procs && source === 'procs') checkOffset(procs, sfo1, sf, sw, warnings);
  const delay = brukerGroupDelay(acqus);
  if (delay.warning) warnings.push(delay.warning);
  if (delay.source === 'analog') {
    const rise = strongestPoint(dataset.data.re, dataset.data.im, Math.min(dataset.data.points, 512));
    // an analog-filter FID is largest at its first points; a digitally filtered one rises over tens of points
    if (rise >= 16)
      warnings.push(
        `acqus has no GRPDLY or DSPFVS, so no digital-filter delay is removed, yet the FID peaks at point ${rise}: it looks digitally filtered, and its spectrum will need a large first-order phase`,
      );
  }
  const result: BrukerSpectrum = {
    dataset,
    fid: dataset.data,
    spectral: { sw, sfo1, sf, groupDelay: delay.points },
    referenceSource: source,
    groupDelaySource: delay.source,
    procs: {},
    warnings,
  };
  const nucleus = acqus.string('NUC1')?.replace(/[<>]/g, '').trim();
  if (nucleus && nucleus !== 'off') result.nucleus = nucleus;
  const solvent = acqus.string('SOLVENT')?.replace(/[<>]/g, '').trim();
  if (solvent) result.solvent = solvent;
  if (procs) {
    const si = procs.number('SI');
    if (si !== undefined && Number.isSafeInteger(si) && si >= 2 && (si & (si - 1)) === 0) result.procs.size = si;
    else if (si !== undefined) warnings.push(`procs SI ${si} ignored: not a power of two`);
    const wdw = procs.number('WDW') ?? 1;
    const lb = procs.number('LB');
    if (wdw === 1 && lb !== undefined && Number.isFinite(lb) && lb >= 0 && lb <= 1000) result.procs.lineBroadening = lb;
    else if (wdw === 0) result.procs.lineBroadening = 0;
    else if (wdw !== 1) warnings.push(`procs window ${WINDOWS[wdw] ?? wdw} not applied: exponential window used`);
    const phase1 = userPhase1(procs, warnings);
    if (phase1 !== undefined) result.procs.phase1 = phase1;
  }
  const vendor = await readVendorPeaks(dir, warnings);
  if (vendor) result.vendorPeaks = vendor;
  return result;
}

/** TopSpin's peak list, pdata/1/peaklist.xml (1D or 2D), when present and not empty; ignored above 32 MB. */
export async function readVendorPeaks(dir: string, warnings: string[]): Promise<VendorPeak[] | undefined> {
  const peakList = join(dir, 'pdata', '1', 'peaklist.xml');
  const size = await stat(peakList).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (size > 32 * 1024 * 1024) warnings.push('pdata/1/peaklist.xml ignored: larger than 32 MB');
  else if (size >= 0) {
    const peaks = parsePeakList((await readFile(peakList)).toString('utf8'), 'pdata/1/peaklist.xml', warnings);
    if (peaks.length > 0) return peaks;
  }
  return undefined;
}

/**
 * The spectrum processed with the folder's own parameters — procs SI for the zero filling and LB for the window
 * (0.3 Hz without one) — and `options` on top.
 */
export function processBrukerSpectrum(read: BrukerSpectrum, options: ProcessSpectrum1dOptions = {}): Spectrum1d {
  return processSpectrum1d(read.fid, read.spectral, {
    ...(read.procs.size !== undefined ? { size: read.procs.size } : {}),
    lineBroadening: read.procs.lineBroadening ?? 0.3,
    ...(usesUserPhase1(read, options) ? { phase1: read.procs.phase1 } : {}),
    ...options,
  });
}

/** Whether processBrukerSpectrum takes the user's φ1 (procs PHC1): it does unless the caller sets either phase. */
export function usesUserPhase1(read: BrukerSpectrum, options: ProcessSpectrum1dOptions = {}): boolean {
  return read.procs.phase1 !== undefined && options.phase0 === undefined && options.phase1 === undefined;
}

/** Index of the largest |value| among the first `n` complex points. */
function strongestPoint(re: Float64Array, im: Float64Array, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (re[k]! ** 2 + im[k]! ** 2 > re[best]! ** 2 + im[best]! ** 2) best = k;
  return best;
}
