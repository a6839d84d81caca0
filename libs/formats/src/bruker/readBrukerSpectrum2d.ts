/**
 * A TopSpin 2D spectrum acquisition (a `ser` of an HSQC, HMBC, COSY, …: a real second frequency dimension, not a
 * relaxation or diffusion series) → the rows with what processing needs: both dimensions' spectral widths,
 * frequencies and ppm references (spectralReference.ts; F1's width is acqu2s SW in ppm × SFO1, TopSpin's own
 * rule, as acqu2s SW_h is often a placeholder), the F1 acquisition mode (acqu2s FnMODE, else proc2s MC2), the F2
 * digital filter's delay (groupDelay.ts), the user's processing parameters (procs and proc2s: SI, WDW with LB, GB,
 * SSB, PHC0/PHC1, and in F1 FCOR and linear prediction ME_mod/NCOEF/LPBIN), nuclei, solvent, and TopSpin's 2D
 * peak list when pdata/1/peaklist.xml holds one. Refused, each with one line: non-uniformly sampled data (a
 * nuslist, or acqus FnTYPE 2: NUS needs a reconstruction Lapis does not do) and pseudo-2D series (their pulse
 * program or lists say relaxation or diffusion: `lapis invert`). libs/spectra does the processing.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  apodizationOf,
  FNMODE_MODES,
  isRealT1,
  MC2_MODES,
  processSpectrum2d,
  t1Count,
  type Apodization,
  type ComplexRows,
  type F1Mode,
  type ProcessSpectrum2dOptions,
  type Spectral2d,
  type Spectrum2d,
} from '@lapis/spectra';
import { FormatError } from '../acquisition';
import { brukerGroupDelay } from './groupDelay';
import type { BrukerParameters } from './parameters';
import type { VendorPeak } from './peakList';
import { readBruker, readBrukerParameters, type BrukerDataset, type ReadBrukerOptions } from './readBruker';
import { readVendorPeaks } from './readBrukerSpectrum';
import { checkOffset, referenceFrequency } from './spectralReference';

/** The user's processing parameters of one dimension (procs for F2, proc2s for F1), as far as Lapis applies them. */
export interface BrukerDimensionProcs {
  size?: number;
  window?: Apodization;
  /** TopSpin's phases, degrees, and PH_mod (1: phased, 2: magnitude, 0: none). */
  phc0?: number;
  phc1?: number;
  phMod?: number;
}

export interface BrukerSpectrum2d {
  dataset: BrukerDataset;
  ser: ComplexRows;
  spectral: Spectral2d;
  modeSource: 'FnMODE' | 'MC2';
  groupDelaySource: string;
  /** Where each dimension's SF came from (see referenceFrequency). */
  referenceSource: { f2: 'procs' | 'BF1' | 'O1' | 'SFO1'; f1: 'procs' | 'BF1' | 'O1' | 'SFO1' };
  nucleus: { f2?: string; f1?: string };
  solvent?: string;
  procs: {
    f2: BrukerDimensionProcs;
    /** linearPrediction: t1 points after it, and `order` proc2s NCOEF as TopSpin counts it (real coefficients). */
    f1: BrukerDimensionProcs & { linearPrediction?: { points: number; order: number }; firstPoint?: number };
  };
  vendorPeaks?: VendorPeak[];
  warnings: string[];
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const cleanName = (p: BrukerParameters | undefined, key: string) => {
  const v = p?.string(key)?.replace(/[<>]/g, '').trim();
  return v && v !== 'off' ? v : undefined;
};

/**
 * What a TopSpin experiment folder holds, from its parameters alone (no data read): a 1D fid, a 2D spectrum
 * (`readBrukerSpectrum2d`, `lapis process`), a pseudo-2D relaxation or diffusion series (`lapis invert`), or a
 * non-uniformly sampled 2D (refused). Throws the FormatError of an unreadable acqus.
 */
export async function brukerSpectrumKind(dir: string): Promise<'1d' | '2d' | 'pseudo-2d' | 'nus'> {
  const probe = await readBruker(dir, { parametersOnly: true });
  if (probe.layout.td1 <= 1) return '1d';
  if ((await exists(join(dir, 'nuslist'))) || probe.acqus.number('FnTYPE') === 2) return 'nus';
  return probe.experiment.kind === 'unknown' ? '2d' : 'pseudo-2d';
}

export async function readBrukerSpectrum2d(dir: string, options: ReadBrukerOptions = {}): Promise<BrukerSpectrum2d> {
  if (await exists(join(dir, 'nuslist')))
    throw new FormatError(join(dir, 'nuslist'), 'non-uniformly sampled (NUS) 2D: Lapis does not reconstruct NUS data');
  const probe = await readBruker(dir, { ...options, parametersOnly: true });
  if (probe.layout.td1 <= 1) throw new FormatError(join(dir, 'acqus'), 'a 1D acquisition, not a 2D ser');
  if (probe.acqus.number('FnTYPE') === 2)
    throw new FormatError(
      probe.acqus.file,
      'FnTYPE 2: non-uniformly sampled (NUS) 2D, which Lapis does not reconstruct',
    );
  const kind = probe.experiment.kind;
  if (kind !== 'unknown')
    throw new FormatError(
      join(dir, 'acqu2s'),
      `a pseudo-2D ${kind} series (${probe.experiment.reason}): relaxation and diffusion series go to \`lapis invert\``,
    );
  const acqu2s = probe.acqu2s!;
  const warnings: string[] = [];
  const proc2s = await readProc2s(dir, warnings);
  const { mode, modeSource } = f1ModeOf(acqu2s, proc2s, warnings);

  const nc = probe.acqus.number('NC') ?? 0;
  if (Math.abs(nc) > 64) throw new FormatError(probe.acqus.file, `NC ${nc}: the data would be scaled by 2^${nc}`);
  const dataset = await readBruker(dir, options);
  warnings.unshift(...dataset.warnings.filter((w) => !w.startsWith('experiment not recognised')));
  const { acqus, procs } = dataset;
  const ser = dataset.data;
  for (const part of [ser.re, ser.im])
    for (let i = 0; i < part.length; i++)
      if (!(Math.abs(part[i]!) <= 1e100))
        throw new FormatError(join(dir, 'ser'), `value ${part[i]} at ${i}: not a measured signal`);
  if (t1Count(mode, ser.rows) < 2)
    throw new FormatError(join(dir, 'ser'), `${ser.rows} rows: too few t1 increments for a ${mode} 2D`);
  const spectral = spectral2dOf(acqus, acqu2s, procs, proc2s, mode, warnings);

  const result: BrukerSpectrum2d = {
    dataset,
    ser,
    ...spectral,
    modeSource,
    ...namesOf(acqus, acqu2s),
    procs: {
      f2: dimensionProcs(procs, 'procs', ser.points, warnings),
      f1: dimensionProcs(proc2s, 'proc2s', Math.max(ser.rows, 4), warnings),
    },
    warnings,
  };
  if (proc2s) linearPredictionOf(proc2s, ser.rows, t1Count(mode, ser.rows), result, warnings, 2);
  const vendor = await readVendorPeaks(dir, warnings);
  if (vendor) result.vendorPeaks = vendor;
  return result;
}

/** pdata/1/proc2s when there is one; unreadable, ignored with a warning. */
export async function readProc2s(dir: string, warnings: string[]): Promise<BrukerParameters | undefined> {
  const path = join(dir, 'pdata', '1', 'proc2s');
  if (!(await exists(path))) return undefined;
  try {
    return await readBrukerParameters(path);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    warnings.push(`pdata/1/proc2s unreadable, ignored: ${e.message}`);
    return undefined;
  }
}

/** The F1 acquisition mode: acqu2s FnMODE, else proc2s MC2 (TopSpin's order), a disagreement warned of. */
export function f1ModeOf(acqu2s: BrukerParameters, proc2s: BrukerParameters | undefined, warnings: string[]) {
  const fnmode = acqu2s.number('FnMODE');
  const mc2 = proc2s?.number('MC2');
  if (fnmode !== undefined && FNMODE_MODES[fnmode]) {
    const mode = FNMODE_MODES[fnmode]!;
    if (mc2 !== undefined && MC2_MODES[mc2] !== mode)
      warnings.push(`proc2s MC2 ${mc2} disagrees with acqu2s FnMODE ${fnmode} (${mode}): FnMODE used, as TopSpin does`);
    return { mode, modeSource: 'FnMODE' as const };
  }
  if (mc2 !== undefined && MC2_MODES[mc2]) return { mode: MC2_MODES[mc2]!, modeSource: 'MC2' as const };
  throw new FormatError(
    acqu2s.file,
    `F1 acquisition mode unknown: FnMODE ${fnmode ?? 'absent'} and proc2s MC2 ${mc2 ?? 'absent'}`,
  );
}

/** NUC1 of both dimensions (F2 from acqus, F1 from acqu2s) and the solvent, where set. */
export function namesOf(
  acqus: BrukerParameters,
  acqu2s: BrukerParameters,
): Pick<BrukerSpectrum2d, 'nucleus' | 'solvent'> {
  const out: Pick<BrukerSpectrum2d, 'nucleus' | 'solvent'> = { nucleus: {} };
  const n2 = cleanName(acqus, 'NUC1');
  const n1 = cleanName(acqu2s, 'NUC1');
  const solvent = cleanName(acqus, 'SOLVENT');
  if (n2) out.nucleus.f2 = n2;
  if (n1) out.nucleus.f1 = n1;
  if (solvent) out.solvent = solvent;
  return out;
}

/**
 * Widths, frequencies, references and the F2 group delay of both dimensions, checked: SW_h and SFO1 > 0, the F1
 * width from acqu2s SW (ppm) or SW_h, each reference within 1 % of its carrier, widths between 1 Hz and half the
 * frequency; proc2s SW_p differing from the acquisition's warned of.
 */
export function spectral2dOf(
  acqus: BrukerParameters,
  acqu2s: BrukerParameters,
  procs: BrukerParameters | undefined,
  proc2s: BrukerParameters | undefined,
  mode: F1Mode,
  warnings: string[],
): Pick<BrukerSpectrum2d, 'spectral' | 'groupDelaySource' | 'referenceSource'> {
  const sw2 = acqus.requireNumber('SW_h');
  const sfo1 = acqus.requireNumber('SFO1');
  if (!(sw2 > 0) || !(sfo1 > 0)) throw new FormatError(acqus.file, `SW_h ${sw2} Hz and SFO1 ${sfo1} MHz must be > 0`);
  const sfo1F1 = acqu2s.requireNumber('SFO1');
  if (!(sfo1F1 > 0) || !(sfo1F1 < 1e5)) throw new FormatError(acqu2s.file, `SFO1 ${sfo1F1} MHz must be > 0`);
  const swPpm = acqu2s.number('SW');
  const sw1 = swPpm !== undefined && swPpm > 0 && Number.isFinite(swPpm) ? swPpm * sfo1F1 : acqu2s.number('SW_h');
  if (!(sw1 !== undefined && sw1 > 0 && Number.isFinite(sw1)))
    throw new FormatError(acqu2s.file, `no F1 spectral width: SW ${swPpm} ppm, SW_h ${acqu2s.number('SW_h')} Hz`);
  const swp = proc2s?.number('SW_p');
  if (swp !== undefined && swp > 0 && Math.abs(swp - sw1) > 0.005 * sw1)
    warnings.push(`proc2s SW_p ${swp} Hz differs from acqu2s SW × SFO1 = ${sw1.toFixed(2)} Hz: the acquisition's used`);

  const { sf: sf2, source: source2 } = referenceFrequency(acqus, procs, sfo1, warnings);
  if (procs && source2 === 'procs') checkOffset(procs, sfo1, sf2, sw2, warnings);
  const f1Warnings: string[] = [];
  const { sf: sf1, source: source1 } = referenceFrequency(acqu2s, proc2s, sfo1F1, f1Warnings);
  if (proc2s && source1 === 'procs') checkOffset(proc2s, sfo1F1, sf1, sw1, f1Warnings);
  // 1 % of the frequency is 10 000 ppm: no spectrum is referenced that far from its carrier
  for (const [sf, f, file] of [
    [sf2, sfo1, procs?.file ?? acqus.file],
    [sf1, sfo1F1, proc2s?.file ?? acqu2s.file],
  ] as const)
    if (!(Math.abs(f - sf) <= 0.01 * sf))
      throw new FormatError(file, `SF ${sf} MHz is not within 1 % of SFO1 ${f} MHz: no ppm axis`);
  if (!(sw2 >= 1 && sw2 < 0.5 * sfo1 * 1e6) || !(sw1 >= 1 && sw1 < 0.5 * sfo1F1 * 1e6))
    throw new FormatError(acqus.file, `spectral widths ${sw2} and ${sw1} Hz: not between 1 Hz and half the frequency`);
  warnings.push(...f1Warnings.map((w) => `F1: ${w.replaceAll('procs', 'proc2s')}`));
  const delay = brukerGroupDelay(acqus);
  if (delay.warning) warnings.push(delay.warning);
  return {
    spectral: {
      f2: { sw: sw2, sfo1, sf: sf2, groupDelay: delay.points },
      f1: { sw: sw1, sfo1: sfo1F1, sf: sf1 },
      mode,
    },
    groupDelaySource: delay.source,
    referenceSource: { f2: source2, f1: source1 },
  };
}

/** SI (a power of two, at most 32 × the points measured: more zero filling shows nothing), the window, phases. */
export function dimensionProcs(
  p: BrukerParameters | undefined,
  name: string,
  points: number,
  warnings: string[],
): BrukerDimensionProcs {
  const out: BrukerDimensionProcs = {};
  if (!p) return out;
  const si = p.number('SI');
  const most = Math.min(65536, 2 ** Math.ceil(Math.log2(32 * points)));
  if (si !== undefined && Number.isSafeInteger(si) && si >= 4 && si <= most && (si & (si - 1)) === 0) out.size = si;
  else if (si !== undefined) warnings.push(`${name} SI ${si} ignored: not a power of two in 4–${most}`);
  const wdw = p.number('WDW');
  if (wdw !== undefined) {
    const a = apodizationOf({ wdw, lb: p.number('LB'), gb: p.number('GB'), ssb: p.number('SSB') });
    if (a.apodization) out.window = a.apodization;
    else warnings.push(`${name}: ${a.problem}: the default window used`);
  }
  const phc0 = p.number('PHC0');
  const phc1 = p.number('PHC1');
  if (phc0 !== undefined && Number.isFinite(phc0) && Math.abs(phc0) <= 1e5) out.phc0 = phc0;
  if (phc1 !== undefined && Number.isFinite(phc1) && Math.abs(phc1) <= 1e5) out.phc1 = phc1;
  const phMod = p.number('PH_mod');
  if (phMod !== undefined) out.phMod = phMod;
  return out;
}

/**
 * proc2s FCOR, and forward linear prediction (ME_mod 1 LPfr, 2 LPfc) with NCOEF coefficients: the `measured` t1
 * points scale by LPBIN/`rows` (LPBIN counts rows, as TD1), at most 4×. When LPBIN is not above `rows`, t1 is
 * extended to twice its points when `fallback` is 2 (with a warning), or not at all without one.
 */
export function linearPredictionOf(
  proc2s: BrukerParameters,
  rows: number,
  measured: number,
  result: BrukerSpectrum2d,
  warnings: string[],
  fallback?: 2,
): void {
  const fcor = proc2s.number('FCOR');
  if (fcor !== undefined && Number.isFinite(fcor) && fcor >= 0 && fcor <= 1) result.procs.f1.firstPoint = fcor;
  const me = proc2s.number('ME_mod') ?? 0;
  if (me === 0) return;
  if (me !== 1 && me !== 2) {
    warnings.push(`proc2s ME_mod ${me}: only forward linear prediction (LPfr, LPfc) is done; none applied`);
    return;
  }
  const ncoef = proc2s.number('NCOEF') ?? 32;
  const lpbin = proc2s.number('LPBIN') ?? 0;
  let factor = lpbin / rows;
  if (!(lpbin > rows)) {
    if (fallback === undefined) return; // nothing to extend past the acquisition
    factor = fallback;
    warnings.push(`proc2s LPBIN ${lpbin} not above TD1 ${rows}: t1 extended to twice its points`);
  }
  const points = Math.round(measured * Math.min(factor, 4));
  const order = Math.round(Math.min(Math.max(Number.isFinite(ncoef) ? ncoef : 32, 4), 256));
  result.procs.f1.linearPrediction = { points, order };
}

/**
 * The spectrum processed with the folder's own parameters (SI, windows, F1 linear prediction and FCOR) and
 * `options` on top. TopSpin's NCOEF counts real coefficients: on a complex t1 (all modes but TPPI and QSEQ) its
 * predictor has NCOEF/2 complex ones (the bruker-data-test cyclosporin HMBC's 2rr matches only with 16 of NCOEF
 * 32, r 0.9999 against 0.980 with 32; the COSY's 1.0000 against 0.9990, the HSQC's 0.9990 against 0.9978).
 * Phases are automatic unless `phase: 'procs'` asks for TopSpin's (dimensions with PH_mod 1):
 * φ0 = −(PHC0 + PHC1/2), φ1 = PHC1 in Lapis's convention, measured on the bruker-data-test spectra, plus for
 * echo-antiecho −90° in F2 and 180° in F1 (TopSpin's echo-antiecho combination differs from Lapis's by those).
 */
export function processBrukerSpectrum2d(
  read: BrukerSpectrum2d,
  options: ProcessSpectrum2dOptions & { phase?: 'auto' | 'procs' } = {},
): Spectrum2d {
  const { f2, f1 } = read.procs;
  const ea = read.spectral.mode === 'Echo-Antiecho';
  const topspin = (p: BrukerDimensionProcs, offsetDeg: number) =>
    options.phase === 'procs' && p.phMod === 1 && p.phc0 !== undefined
      ? {
          phase: {
            phase0: (-(p.phc0 + (p.phc1 ?? 0) / 2) + offsetDeg) * (Math.PI / 180),
            phase1: ((p.phc1 ?? 0) * Math.PI) / 180,
          },
        }
      : {};
  const merged: ProcessSpectrum2dOptions = {
    ...options,
    f2: {
      ...(f2.size !== undefined ? { size: f2.size } : {}),
      ...(f2.window ? { window: f2.window } : {}),
      ...topspin(f2, ea ? -90 : 0),
      ...options.f2,
    },
    f1: {
      ...(f1.size !== undefined ? { size: f1.size } : {}),
      ...(f1.window ? { window: f1.window } : {}),
      ...(f1.linearPrediction ? { linearPrediction: complexOrder(f1.linearPrediction, read.spectral.mode) } : {}),
      ...(f1.firstPoint !== undefined ? { firstPoint: f1.firstPoint } : {}),
      ...topspin(f1, ea ? 180 : 0),
      ...options.f1,
    },
  };
  try {
    const spectrum = processSpectrum2d(read.ser, read.spectral, merged);
    if (options.phase === 'procs' && (f2.phMod !== 1 || f1.phMod !== 1) && read.spectral.mode !== 'QF')
      spectrum.warnings.push('procs phases asked for, but a dimension has PH_mod ≠ 1: that one phased automatically');
    return spectrum;
  } catch (cause) {
    // Misuse errors from the processing mean the parameters on disk were impossible: report them as the file's.
    if (!(cause instanceof RangeError)) throw cause;
    throw new FormatError(read.dataset.acqus.file, `cannot process: ${cause.message}`, { cause });
  }
}

/** proc2s NCOEF (real coefficients) → the predictor's order: half as many complex coefficients on a complex t1. */
function complexOrder(lp: { points: number; order: number }, mode: F1Mode): { points: number; order: number } {
  return isRealT1(mode) ? lp : { points: lp.points, order: Math.max(1, Math.round(lp.order / 2)) };
}
