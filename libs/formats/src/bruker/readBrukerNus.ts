/**
 * A non-uniformly sampled (NUS) TopSpin 2D acquisition: acqus FnTYPE 2 (NusAMOUNT % of the t1 points, the
 * schedule in `nuslist`, written by TopSpin whether generated — NUSLIST <automatic> — or chosen), acqu2s TD the
 * rows actually acquired, acqu2s NusTD the rows of the full acquisition. The `ser` holds only the sampled rows,
 * in nuslist order: one row per entry for QF, two (the States or echo/antiecho pair) for phase-sensitive modes.
 * nuslist has one t1 index (0-based, complex points) per line for a 2D.
 *
 * `readBrukerNus` returns what readBrukerSpectrum2d returns for a uniform 2D (modes, widths, references, procs),
 * its `ser` the sampled rows, plus the schedule; `reconstructBrukerNus` fills in the missing t1 points by IST
 * (libs/spectra nus/istReconstruct.ts) and returns an ordinary BrukerSpectrum2d for processBrukerSpectrum2d, with
 * the reconstruction's quality. The F1 phase for the virtual echo comes from proc2s PHC0/PHC1 (PH_mod 1), turned
 * into Lapis's convention as processBrukerSpectrum2d does. TopSpin's F1 linear prediction (proc2s ME_mod 1 or 2,
 * NCOEF, LPBIN) is carried over as readBrukerSpectrum2d does, with LPBIN taken against the full acquisition's rows
 * (NusTD): TopSpin extends the reconstructed t1 that way (the bruker-data-test NUS HSQC's 2rr matches only with it).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  istReconstruct,
  nusRowsPerPoint,
  type ComplexRows,
  type F1Mode,
  type IstOptions,
  type IstQuality,
} from '@lapis/spectra';
import { FormatError } from '../acquisition';
import { readBruker, type ReadBrukerOptions } from './readBruker';
import { readVendorPeaks } from './readBrukerSpectrum';
import {
  dimensionProcs,
  exists,
  f1ModeOf,
  linearPredictionOf,
  namesOf,
  readProc2s,
  spectral2dOf,
  type BrukerSpectrum2d,
} from './readBrukerSpectrum2d';

export interface BrukerNus {
  /** The 2D as readBrukerSpectrum2d describes one; its `ser` holds the sampled rows, in schedule order. */
  spectrum: BrukerSpectrum2d;
  /** t1 index of each sampled point, in acquisition (nuslist) order. */
  schedule: Int32Array;
  /** Complex t1 points of the full acquisition. */
  t1Points: number;
  t1PointsSource: 'NusTD' | 'NusAMOUNT' | 'nuslist';
  /** acqus NusAMOUNT, %. */
  amount?: number;
  /** F1 phase (rad, processSpectrum2d's convention) from proc2s, when it has one (PH_mod 1). */
  f1Phase?: { phase0: number; phase1: number };
  warnings: string[];
}

export interface ReadBrukerNusOptions extends ReadBrukerOptions {
  /** Largest reconstruction, bytes of the full F2-transformed ser (default 2 GiB). */
  maxReconstructionBytes?: number;
}

const MAX_T1 = 16384;
/** A schedule sparser than this (1/64 ≈ 1.6 %) is not NUS a spectrometer writes. */
const MIN_SAMPLING = 1 / 64;

export async function readBrukerNus(dir: string, options: ReadBrukerNusOptions = {}): Promise<BrukerNus> {
  const nuslistPath = join(dir, 'nuslist');
  const probe = await readBruker(dir, { ...options, parametersOnly: true });
  const { acqus } = probe;
  const hasList = await exists(nuslistPath);
  if (!hasList && acqus.number('FnTYPE') !== 2)
    throw new FormatError(nuslistPath, 'no nuslist and acqus FnTYPE is not 2: not a NUS acquisition');
  if (!hasList) throw new FormatError(nuslistPath, 'missing: a NUS acquisition (FnTYPE 2) without its schedule');
  if (!probe.acqu2s || probe.layout.td1 < 1) throw new FormatError(join(dir, 'acqu2s'), 'missing: not a 2D');
  if (probe.experiment.kind !== 'unknown')
    throw new FormatError(join(dir, 'acqu2s'), `a pseudo-2D ${probe.experiment.kind} series, not a 2D spectrum`);
  const acqu2s = probe.acqu2s;
  const warnings: string[] = [];
  const proc2s = await readProc2s(dir, warnings);
  const { mode, modeSource } = f1ModeOf(acqu2s, proc2s, warnings);
  let rpp: number;
  try {
    rpp = nusRowsPerPoint(mode);
  } catch {
    throw new FormatError(acqu2s.file, `NUS with ${mode} (a real t1 series) is not reconstructed`);
  }

  // the schedule, and the full size
  const entries = parseNuslist(await readListText(nuslistPath), nuslistPath);
  const acquired = Math.floor(probe.layout.td1 / rpp);
  if (acquired < 1) throw new FormatError(acqu2s.file, `TD ${probe.layout.td1}: no complete t1 point of ${rpp} rows`);
  if (entries.length < acquired)
    throw new FormatError(nuslistPath, `${entries.length} entries for ${acquired} acquired t1 points`);
  if (entries.length > acquired)
    warnings.push(
      `nuslist has ${entries.length} entries, ${acquired} t1 points were acquired: the first ${acquired} used`,
    );
  const schedule = Int32Array.from(entries.slice(0, acquired));
  let maxIndex = 0;
  for (const t of schedule) maxIndex = Math.max(maxIndex, t);
  const amount = acqus.number('NusAMOUNT');
  const nusTd = acqu2s.number('NusTD');
  let t1Points: number;
  let t1PointsSource: BrukerNus['t1PointsSource'];
  if (nusTd !== undefined && Number.isSafeInteger(nusTd) && nusTd >= rpp) {
    t1Points = Math.floor(nusTd / rpp);
    t1PointsSource = 'NusTD';
  } else if (amount !== undefined && amount > 0 && amount <= 100) {
    t1Points = Math.round((acquired * 100) / amount);
    t1PointsSource = 'NusAMOUNT';
    warnings.push(`acqu2s NusTD ${nusTd ?? 'absent'}: full t1 taken from NusAMOUNT ${amount} % (${t1Points} points)`);
  } else {
    t1Points = maxIndex + 1;
    t1PointsSource = 'nuslist';
    warnings.push(`no NusTD or NusAMOUNT: full t1 taken as the last scheduled point + 1 (${t1Points})`);
  }
  if (!(t1Points <= MAX_T1)) throw new FormatError(acqu2s.file, `${t1Points} t1 points: more than ${MAX_T1}`);
  if (maxIndex >= t1Points)
    throw new FormatError(nuslistPath, `t1 index ${maxIndex} is past the full acquisition's ${t1Points} points`);
  if (acquired < MIN_SAMPLING * t1Points)
    throw new FormatError(
      acqu2s.file,
      `${acquired} of ${t1Points} t1 points sampled: below ${(100 * MIN_SAMPLING).toFixed(1)} %`,
    );
  if (amount !== undefined && Math.abs((100 * acquired) / t1Points - amount) > 1 + 0.05 * amount)
    warnings.push(`NusAMOUNT ${amount} % but ${acquired} of ${t1Points} t1 points sampled`);
  const bytes = t1Points * rpp * 2 ** Math.ceil(Math.log2(Math.max(probe.layout.td / 2, 2))) * 32;
  if (bytes > (options.maxReconstructionBytes ?? 2 ** 31))
    throw new FormatError(acqu2s.file, `the reconstruction would need ${bytes} bytes, over the limit`);

  const dataset = await readBruker(dir, options);
  warnings.unshift(...dataset.warnings.filter((w) => !w.startsWith('experiment not recognised')));
  if (dataset.data.rows < acquired * rpp)
    throw new FormatError(join(dir, 'ser'), `${dataset.data.rows} rows for ${acquired} t1 points of ${rpp} rows`);
  const spectrum: BrukerSpectrum2d = {
    dataset,
    ser: dataset.data,
    ...spectral2dOf(dataset.acqus, acqu2s, dataset.procs, proc2s, mode, warnings),
    modeSource,
    ...namesOf(acqus, acqu2s),
    // any power-of-two SI up to 65536 (32 × 2048 points: the sizes' bound of readBrukerSpectrum2d)
    procs: {
      f2: dimensionProcs(dataset.procs, 'procs', 2048, warnings),
      f1: dimensionProcs(proc2s, 'proc2s', 2048, warnings),
    },
    warnings,
  };
  // LPBIN against the full acquisition's rows (NusTD); no extension when it is not above them
  if (proc2s) linearPredictionOf(proc2s, t1Points * rpp, t1Points, spectrum, warnings);
  const vendor = await readVendorPeaks(dir, warnings);
  if (vendor) spectrum.vendorPeaks = vendor;

  const result: BrukerNus = { spectrum, schedule, t1Points, t1PointsSource, warnings };
  if (amount !== undefined) result.amount = amount;
  const f1 = spectrum.procs.f1;
  if (f1.phMod === 1 && f1.phc0 !== undefined) {
    const offset = mode === 'Echo-Antiecho' ? 180 : 0;
    const phc1 = f1.phc1 ?? 0;
    result.f1Phase = { phase0: ((-(f1.phc0 + phc1 / 2) + offset) * Math.PI) / 180, phase1: (phc1 * Math.PI) / 180 };
  }
  return result;
}

/**
 * The full 2D by IST: an ordinary BrukerSpectrum2d (all t1 points, in order) for processBrukerSpectrum2d, and the
 * reconstruction's quality. The virtual echo is used when proc2s gives the F1 phase (unless options say otherwise).
 */
export function reconstructBrukerNus(
  read: BrukerNus,
  options: IstOptions = {},
): { spectrum: BrukerSpectrum2d; quality: IstQuality } {
  const opts = nusOptions(read, options);
  try {
    const { spectrum } = read;
    return nusResult(read, istReconstruct(spectrum.ser, read.schedule, spectrum.spectral.mode, read.t1Points, opts));
  } catch (cause) {
    throw nusError(read, cause);
  }
}

/** A reconstruction as istReconstruct's (the NUS network's, libs/inference nusNetwork.ts). */
export type NusSolver = (
  sampled: ComplexRows,
  schedule: ArrayLike<number>,
  mode: F1Mode,
  t1Points: number,
  options: IstOptions,
) => Promise<{ ser: ComplexRows; quality: IstQuality }>;

/** reconstructBrukerNus with another solver; its RangeErrors (data it cannot take) become FormatErrors. */
export async function reconstructBrukerNusWith(
  read: BrukerNus,
  solve: NusSolver,
  options: IstOptions = {},
): Promise<{ spectrum: BrukerSpectrum2d; quality: IstQuality }> {
  const opts = nusOptions(read, options);
  try {
    const { spectrum } = read;
    return nusResult(read, await solve(spectrum.ser, read.schedule, spectrum.spectral.mode, read.t1Points, opts));
  } catch (cause) {
    throw nusError(read, cause);
  }
}

function nusOptions(read: BrukerNus, options: IstOptions): IstOptions {
  const opts: IstOptions = { ...options };
  if (!opts.f1Phase && read.f1Phase && read.spectrum.spectral.mode !== 'QF') opts.f1Phase = read.f1Phase;
  return opts;
}

function nusResult(
  read: BrukerNus,
  { ser, quality }: { ser: ComplexRows; quality: IstQuality },
): { spectrum: BrukerSpectrum2d; quality: IstQuality } {
  const { spectrum } = read;
  return { spectrum: { ...spectrum, ser, warnings: [...spectrum.warnings, ...quality.warnings] }, quality };
}

function nusError(read: BrukerNus, cause: unknown): unknown {
  if (!(cause instanceof RangeError)) return cause;
  return new FormatError(join(read.spectrum.dataset.dir, 'nuslist'), `cannot reconstruct: ${cause.message}`, { cause });
}

async function readListText(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FormatError(path, 'not a file');
    if (info.size > 4 * 1024 * 1024) throw new FormatError(path, `${info.size} bytes: too large for a 2D schedule`);
    return (await readFile(path)).toString('latin1');
  } catch (cause) {
    if (cause instanceof FormatError) throw cause;
    throw new FormatError(path, 'unreadable', { cause });
  }
}

/** One non-negative integer per line (blank lines skipped); distinct. */
export function parseNuslist(text: string, file: string): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length > 1)
      throw new FormatError(
        file,
        `line ${i + 1}: ${fields.length} indices, a schedule of more than one indirect dimension`,
      );
    if (!/^\d{1,9}$/.test(fields[0]!))
      throw new FormatError(file, `line ${i + 1}: ${JSON.stringify(fields[0]!.slice(0, 20))} is not a t1 index`);
    const t = Number(fields[0]);
    if (seen.has(t)) throw new FormatError(file, `line ${i + 1}: t1 index ${t} listed twice`);
    seen.add(t);
    out.push(t);
  }
  if (out.length === 0) throw new FormatError(file, 'empty schedule');
  return out;
}
