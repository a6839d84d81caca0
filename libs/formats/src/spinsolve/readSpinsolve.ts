/**
 * A Magritek Spinsolve relaxation or diffusion experiment folder → Acquisition. acqu.par (parameters.ts) says the
 * experiment and gives the axes (axes.ts); the data come from, in this order:
 * - data.2d / data.1d, Prospa binaries (read with libs/formats/src/prospa): echo trains (T2Bulk; T1IRT2 and DT2 as
 *   nrEchoes × steps, x fastest), or FIDs of a spectroscopic T1, T2 or PGSTE (nrPnts × steps), which are Fourier
 *   transformed per step (libs/formats/src/pseudo2d) and summed over their signal regions into one bulk curve;
 * - 1D_T1IRT2/NNNN/data.1d, one echo train per inversion delay (with timeT1_s.dat and timeT2_s.dat, checked against
 *   acqu.par);
 * - the text exports (textExport.ts): T1IRT2.dat, DT2.dat, T1/T2 .dat/.csv, pgste.dat, DiffusionPlot.csv.
 * Experiments: T2Bulk/T2 → T2, T1 → T1 (inversion recovery), T1IRT2 → T1–T2, DT2 (PFG–CPMG) → D–T2, PGSTE → D.
 * Complex echo data are rotated onto the real axis (lowField.ts); recoveries keep their sign as measured, ending
 * positive. A file axis (data.1d's x, a text export's first column, a list file) is checked against acqu.par:
 * when it agrees acqu.par's exact values are used, when not the file's, with a warning.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseUnit } from '@lapis/contracts/units';
import type { KernelName } from '@lapis/physics';
import { checkAcquisition } from '../checkAcquisition';
import { FormatError, type Acquisition, type AcquisitionAxis, type Experiment } from '../acquisition';
import type { ComplexRows } from '../bruker/binary';
import { checkAxis, checkData, longestDelayReference, phaseSignal, recoveryKernel } from '../lowField';
import { parseProspa, type ProspaData } from '../prospa/prospa';
import { processPseudo2d } from '../pseudo2d/processPseudo2d';
import {
  T1_DELAYS,
  T1IRT2_DELAYS,
  bValues,
  cpmgAxis,
  delayAxis,
  diffusionTiming,
  gradientSteps,
  nucleusOf,
  stepCpmgAxis,
} from './axes';
import { MAX_PARAMETER_BYTES, parseSpinsolveParameters, type SpinsolveParameters } from './parameters';
import { parseCurve1d, parseDecays2d, parseList } from './textExport';

export interface ReadSpinsolveOptions {
  /** Refuse data files larger than this, all together (default 512 MiB). */
  maxBytes?: number;
}

export type SpinsolveKind = 'T2' | 'T1' | 'T1IRT2' | 'DT2' | 'D';

/** acqu.par `experiment` → what Lapis reads it as (case-insensitive). */
export const SPINSOLVE_EXPERIMENTS: Readonly<Record<string, SpinsolveKind>> = {
  t2bulk: 'T2',
  t2: 'T2',
  cpmg: 'T2',
  t1: 'T1',
  t1bulk: 'T1',
  t1ir: 'T1',
  t1irt2: 'T1IRT2',
  dt2: 'DT2',
  pfgcpmg: 'DT2',
  pgste: 'D',
  pgse: 'D',
};

export function spinsolveKind(experiment: string | undefined): SpinsolveKind | undefined {
  return experiment === undefined ? undefined : SPINSOLVE_EXPERIMENTS[experiment.trim().toLowerCase()];
}

const TEXT_EXTENSIONS = /\.(dat|csv|txt)$/i;
/** Files of a Spinsolve folder that are lists or parameters, never the data. */
const NOT_DATA = /^(acqu\.par(\.bak)?|proc\.par|gradients\.par|timeT[12]_s\.dat|delayTimes\.txt|processing\.script)$/i;

interface Loaded {
  /** Steps (delays or gradients) down the rows; 1 for a single curve. */
  rows: number;
  /** Points per row: echoes, FID points, or the points of a 1D curve. */
  cols: number;
  re: Float64Array;
  im?: Float64Array;
  /** The file's own axis of a 1D curve (data.1d x, a text export's x column), in the file's unit. */
  x?: Float64Array;
  /** Rows are FIDs of a spectroscopic experiment. */
  fids: boolean;
  files: string[];
  notes: string[];
}

class Budget {
  used = 0;
  constructor(readonly limit: number) {}
  async read(file: string): Promise<Buffer> {
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new FormatError(file, 'not a file');
      size = s.size;
    } catch (cause) {
      if (cause instanceof FormatError) throw cause;
      throw new FormatError(file, 'missing or unreadable', { cause });
    }
    this.used += size;
    if (this.used > this.limit) throw new FormatError(file, `data exceed the limit of ${this.limit} bytes`);
    return readFile(file);
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readProspaFile(file: string, budget: Budget): Promise<ProspaData> {
  const bytes = await budget.read(file);
  const p = parseProspa(bytes, { file, maxBytes: budget.limit });
  if (p.dims[2] * p.dims[3] !== 1) throw new FormatError(file, `a ${p.dims.join('×')} data set: expected 1D or 2D`);
  return p;
}

/** The 1D_T1IRT2/NNNN/data.1d folders, in step order; undefined when there are none. */
async function stepFolders(dir: string): Promise<string[] | undefined> {
  const root = join(dir, '1D_T1IRT2');
  if (!(await isDir(root))) return undefined;
  const names = (await readdir(root)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  const files: string[] = [];
  for (const n of names) if (await exists(join(root, n, 'data.1d'))) files.push(join(root, n, 'data.1d'));
  return files.length > 0 ? files : undefined;
}

/** The text export of a folder without binaries: named after the experiment first, then the known names. */
async function textExportOf(dir: string, experiment: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => TEXT_EXTENSIONS.test(n) && !NOT_DATA.test(n));
  } catch {
    return undefined;
  }
  const exp = experiment.toLowerCase();
  const rank = (n: string) => {
    const l = n.toLowerCase();
    if (l.replace(TEXT_EXTENSIONS, '') === exp) return 0;
    if (l.startsWith(exp)) return 1;
    if (/^(pgste\.dat|diffusionplot\.csv)$/.test(l)) return 2;
    return 3;
  };
  const ranked = names.filter((n) => rank(n) < 3).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return ranked[0] === undefined ? undefined : join(dir, ranked[0]);
}

async function load(
  dir: string,
  explicit: string | undefined,
  kind: SpinsolveKind,
  p: SpinsolveParameters,
  budget: Budget,
  warnings: string[],
): Promise<Loaded> {
  const twoD = kind === 'T1IRT2' || kind === 'DT2';
  const fromProspa = async (file: string): Promise<Loaded> => {
    const d = await readProspaFile(file, budget);
    warnings.push(...d.warnings.map((w) => `${basename(file)}: ${w}`));
    const [cols, rows] = d.dims;
    const base = { re: d.re, ...(d.im ? { im: d.im } : {}), files: [file], notes: [] as string[] };
    if (rows === 1) {
      if (twoD) {
        throw new FormatError(
          file,
          `one echo train of a ${kind} (read the experiment's folder, which holds every step)`,
        );
      }
      return { ...base, rows: 1, cols, ...(d.x ? { x: d.x } : {}), fids: false };
    }
    return { ...base, rows, cols, fids: !twoD };
  };
  if (explicit !== undefined) {
    if (/\.[12]d$/i.test(explicit)) return fromProspa(explicit);
    return fromText(explicit, kind, p, budget, warnings);
  }
  for (const name of ['data.2d', 'data.1d']) {
    const file = join(dir, name);
    if (await exists(file)) return fromProspa(file);
  }
  const steps = await stepFolders(dir);
  if (steps) {
    if (!twoD) throw new FormatError(join(dir, '1D_T1IRT2'), `step folders in a ${kind} experiment`);
    const parts = [];
    for (const f of steps) {
      const d = await readProspaFile(f, budget);
      if (d.dims[1] !== 1) throw new FormatError(f, `a ${d.dims.join('×')} data set where one echo train was expected`);
      parts.push(d);
    }
    const cols = parts[0]!.dims[0];
    const complex = parts[0]!.im !== undefined;
    parts.forEach((d, i) => {
      if (d.dims[0] !== cols || (d.im !== undefined) !== complex) {
        throw new FormatError(steps[i]!, `${d.dims[0]} ${d.im ? 'complex' : 'real'} points; step 0 has ${cols}`);
      }
    });
    const re = new Float64Array(parts.length * cols);
    const im = complex ? new Float64Array(parts.length * cols) : undefined;
    parts.forEach((d, r) => {
      re.set(d.re, r * cols);
      if (im) im.set(d.im!, r * cols);
    });
    return { rows: parts.length, cols, re, ...(im ? { im } : {}), fids: false, files: steps, notes: [] };
  }
  const text = await textExportOf(dir, p.text('experiment') ?? '');
  if (text) return fromText(text, kind, p, budget, warnings);
  throw new FormatError(dir, 'no data: expected data.2d, data.1d, 1D_T1IRT2/ or a text export (.dat, .csv)');
}

async function fromText(
  file: string,
  kind: SpinsolveKind,
  p: SpinsolveParameters,
  budget: Budget,
  warnings: string[],
): Promise<Loaded> {
  const text = (await budget.read(file)).toString('latin1');
  if (kind === 'T1IRT2' || kind === 'DT2') {
    const d = parseDecays2d(text, file, p.number('nrEchoes'), warnings);
    return { ...d, fids: false, files: [file], notes: [] };
  }
  const c = parseCurve1d(text, file);
  return {
    rows: 1,
    cols: c.re.length,
    re: c.re,
    ...(c.im ? { im: c.im } : {}),
    ...(c.x ? { x: c.x } : {}),
    fids: false,
    files: [file],
    notes: [],
  };
}

/**
 * A file's own axis against acqu.par's: the same in one of `units` → acqu.par's exact values; with `scaleFree`,
 * proportional (b-values in a unit parseUnit does not know, as DiffusionPlot.csv's 10⁹ s/m²) → acqu.par's values;
 * otherwise the file's, read in the unit that comes closest, with a warning.
 */
function reconcile(
  name: string,
  own: Float64Array,
  computed: Float64Array,
  units: string[],
  warnings: string[],
  notes: string[],
  scaleFree = false,
): Float64Array {
  if (own.length !== computed.length) {
    warnings.push(`${name} has ${own.length} values, acqu.par ${computed.length}: acqu.par's used`);
    return computed;
  }
  const factors = units.map((u) => ({ unit: u, factor: parseUnit(u)!.factor }));
  const close = (f: number) =>
    own.every((v, i) => Math.abs(v * f - computed[i]!) <= 2e-3 * Math.abs(computed[i]!) + 1e-300);
  for (const { unit, factor } of factors) {
    if (close(factor)) {
      notes.push(`${name} agrees with acqu.par (in ${unit})`);
      return computed;
    }
  }
  const ratios = Array.from(computed, (c, i) => c / own[i]!).filter((r) => Number.isFinite(r) && r > 0);
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  if (scaleFree && median !== undefined && ratios.length === own.length && close(median)) {
    notes.push(`${name} is proportional to acqu.par's axis (× ${median.toPrecision(6)})`);
    return computed;
  }
  const best =
    median === undefined
      ? factors[0]!
      : factors.reduce((a, b) =>
          Math.abs(Math.log(median / b.factor)) < Math.abs(Math.log(median / a.factor)) ? b : a,
        );
  warnings.push(`${name} does not follow acqu.par: the file's values are used, read in ${best.unit}`);
  return own.map((v) => v * best.factor);
}

/** Spectroscopic steps: each FID transformed, phased, and its signal regions summed. */
function bulkIntegrals(
  d: Loaded,
  p: SpinsolveParameters,
  positiveRow: number | undefined,
  warnings: string[],
  notes: string[],
): Float64Array {
  const dwell = p.number('dwellTime');
  const bandwidth = p.number('bandwidth');
  const sw =
    dwell !== undefined && dwell > 0 ? 1e6 / dwell : bandwidth !== undefined && bandwidth > 0 ? bandwidth * 1e3 : NaN;
  const sfo1 = p.number('b1Freq') ?? p.number('b1Freq1H') ?? NaN;
  if (!(sw > 0) || !(sfo1 > 0)) {
    throw new FormatError(p.file, 'a spectroscopic experiment needs dwellTime (or bandwidth) and b1Freq');
  }
  if (!d.im) throw new FormatError(d.files[0]!, 'FIDs must be complex');
  const rows: ComplexRows = { rows: d.rows, points: d.cols, re: d.re, im: d.im };
  let result;
  try {
    result = processPseudo2d(
      rows,
      { sw, sfo1 },
      { keepSpectra: false, ...(positiveRow === undefined ? {} : { positiveRow }) },
    );
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new FormatError(d.files[0]!, `cannot process the FIDs: ${cause.message}`, { cause });
  }
  warnings.push(...result.warnings);
  if (result.regions.length === 0) throw new FormatError(d.files[0]!, 'no signal found in the spectra');
  const out = new Float64Array(d.rows);
  for (const r of result.regions) for (let i = 0; i < d.rows; i++) out[i] = out[i]! + r.integrals[i]!;
  notes.push(
    `bulk signal: ${d.rows} FIDs of ${d.cols} points transformed and summed over ${result.regions.length} region(s), ` +
      result.regions.map((r) => `${r.from.toFixed(2)}…${r.to.toFixed(2)} ppm from the carrier`).join(', '),
  );
  return out;
}

/** Echo data along the real axis; real-only data negative overall are negated (a receiver phase of π). */
function realSignal(
  d: Loaded,
  reference: (data: Float64Array) => number,
  warnings: string[],
): { data: Float64Array; phase?: number } {
  if (d.im) {
    const ph = phaseSignal(d.re, d.im, reference);
    if (ph.imaginaryFraction > 0.05) {
      warnings.push(
        `${(100 * ph.imaginaryFraction).toFixed(0)} % of the signal stays imaginary after phasing: the phase varies through the data`,
      );
    }
    return { data: ph.data, phase: ph.phase };
  }
  const data = Float64Array.from(d.re);
  if (reference(data) < 0) {
    for (let i = 0; i < data.length; i++) data[i] = -data[i]!;
    warnings.push('the real signal was negative overall: negated (a receiver phase of 180°)');
  }
  return { data };
}

/** Inversion delays of a T1IRT2: acqu.par's, checked against 1D_T1IRT2/timeT1_s.dat (µs, whatever its name says). */
async function listFile(file: string, budget: Budget): Promise<Float64Array | undefined> {
  if (!(await exists(file))) return undefined;
  return parseList((await budget.read(file)).toString('latin1'), file);
}

function metadataOf(p: SpinsolveParameters, dir: string, files: string[]): Acquisition['metadata'] {
  const name = p.text('expName');
  const date = name ? /^(\d{2})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\b/.exec(name) : null;
  let acquiredAt: string | undefined;
  if (date) {
    const [, yy, mo, dd, hh, mi, ss] = date.map(Number) as number[];
    if (mo! >= 1 && mo! <= 12 && dd! >= 1 && dd! <= 31 && hh! < 24 && mi! < 60 && ss! < 60) {
      const pad = (v: number) => String(v).padStart(2, '0');
      // local time of the instrument: acqu.par has no time zone
      acquiredAt = `20${pad(yy!)}-${pad(mo!)}-${pad(dd!)}T${pad(hh!)}:${pad(mi!)}:${pad(ss!)}`;
    }
  }
  const sample = name ? (/\(([^()]*)\)\s*$/.exec(name)?.[1] ?? name) : undefined;
  const spec = [p.text('specType'), p.text('specID') ? `(${p.text('specID')})` : undefined].filter(Boolean).join(' ');
  const parameters = Object.fromEntries([...p.values].filter(([k]) => k !== 'dataDirectory'));
  return {
    source: 'spinsolve',
    path: dir,
    files,
    ...(sample ? { sample } : {}),
    ...(acquiredAt ? { acquiredAt } : {}),
    ...(spec ? { instrument: `Spinsolve ${spec}` } : {}),
    ...(name ? { experimentNumber: name } : {}),
    spinsolveExperiment: p.text('experiment'),
    softwareVersion: p.text('softwareVersion'),
    nucleus: nucleusOf(p),
    parameters,
  };
}

/** Reads a Spinsolve experiment: its folder, its acqu.par, or one of its data files. */
export async function readSpinsolve(path: string, options: ReadSpinsolveOptions = {}): Promise<Acquisition> {
  let s;
  try {
    s = await stat(path);
  } catch (cause) {
    throw new FormatError(path, 'missing or unreadable', { cause });
  }
  const dir = s.isDirectory() ? path : dirname(path);
  // acqu.par or a list file given: the folder's data; any other file: that file's data
  const explicit = s.isDirectory() || NOT_DATA.test(basename(path)) ? undefined : path;
  const parFile = join(dir, 'acqu.par');
  let parSize: number;
  try {
    parSize = (await stat(parFile)).size;
  } catch (cause) {
    throw new FormatError(parFile, 'missing: a Spinsolve experiment folder holds acqu.par beside its data', { cause });
  }
  if (parSize > MAX_PARAMETER_BYTES) throw new FormatError(parFile, `${parSize} bytes: too large for an acqu.par`);
  const p = parseSpinsolveParameters((await readFile(parFile)).toString('latin1'), parFile);
  const warnings = [...p.warnings];
  const experiment = p.text('experiment');
  const kind = spinsolveKind(experiment);
  if (!kind) {
    throw new FormatError(
      parFile,
      experiment === undefined
        ? 'no experiment = "…" line'
        : `experiment "${experiment}" is not one Lapis reads (T2Bulk, T2, T1, T1IRT2, DT2, PGSTE)`,
    );
  }
  const budget = new Budget(options.maxBytes ?? 512 * 1024 * 1024);
  const d = await load(dir, explicit, kind, p, budget, warnings);
  const notes = d.notes;
  const files = [parFile, ...d.files];
  let axes: Acquisition['axes'];
  let data: Float64Array;
  let phase: number | undefined;
  let experimentOut: Experiment;

  if (kind === 'T1IRT2' || kind === 'DT2') {
    // echoes summed when the rows hold every acquired point of each echo
    const perEcho = p.number('nrPnts');
    const echoes = p.number('nrEchoes');
    let cols = d.cols;
    if (echoes !== undefined && perEcho !== undefined && perEcho > 1 && cols === echoes * perEcho) {
      sumEchoPoints(d, perEcho);
      cols = d.cols;
      notes.push(`${perEcho} points per echo summed`);
    }
    if (echoes !== undefined && echoes !== cols) warnings.push(`nrEchoes = ${echoes} but the data hold ${cols} echoes`);
    let echoAxis = cpmgAxis(p, cols);
    let outer: AcquisitionAxis;
    if (kind === 'T1IRT2') {
      let delays = delayAxis(p, T1IRT2_DELAYS, d.rows, warnings);
      const declared = p.number('tauSteps');
      if (declared !== undefined && declared !== d.rows) {
        warnings.push(`tauSteps = ${declared} but the data hold ${d.rows} inversion delays (an incomplete run?)`);
      }
      const t1List = await listFile(join(dir, '1D_T1IRT2', 'timeT1_s.dat'), budget);
      if (t1List) {
        files.push(join(dir, '1D_T1IRT2', 'timeT1_s.dat'));
        delays = reconcile('1D_T1IRT2/timeT1_s.dat', t1List, delays, ['s', 'ms', 'us'], warnings, notes);
      }
      const t2List = await listFile(join(dir, '1D_T1IRT2', 'timeT2_s.dat'), budget);
      if (t2List) {
        files.push(join(dir, '1D_T1IRT2', 'timeT2_s.dat'));
        echoAxis = reconcile('1D_T1IRT2/timeT2_s.dat', t2List, echoAxis, ['s', 'ms', 'us'], warnings, notes);
      }
      outer = { kernel: 'T1-IR', values: delays, unit: 's' };
      experimentOut = 'T1-T2';
    } else {
      const g = await gradientsOf(dir, p, d.rows, budget, files, warnings);
      outer = { kernel: 'D', values: bValues(g, diffusionTiming(p, warnings)), unit: 's/m2' };
      experimentOut = 'D-T2';
    }
    axes = [outer, { kernel: 'T2', values: echoAxis, unit: 's' }];
    checkAxes(p.file, axes);
    const reference = kind === 'T1IRT2' ? longestDelayReference(outer.values, cols) : undefined;
    ({ data, phase } = realSignal(d, reference ?? sumOf, warnings));
    if (kind === 'T1IRT2' && recoveryKernel(outer.values, data, cols) === 'T1-SR') {
      axes[0] = { ...outer, kernel: 'T1-SR' };
      warnings.push('the recovery rises from near zero without changing sign: read as saturation recovery (T1-SR)');
    }
  } else {
    const n = d.fids ? d.rows : d.cols;
    let values: Float64Array;
    let kernel: KernelName;
    let axisFromFile = false;
    const fromFile = (e: unknown): Float64Array => {
      // acqu.par without the axis parameters: the file's own x column, in s (what the vendor's exports use)
      if (!(e instanceof FormatError) || !d.x || e.file !== p.file) throw e;
      axisFromFile = true;
      warnings.push(`${e.problem}: the x column of ${basename(d.files[0]!)} is used, read in s`);
      return Float64Array.from(d.x);
    };
    if (kind === 'T2') {
      kernel = 'T2';
      try {
        // a spectroscopic T2 (techo × echoesperstep per step) in its binary or its text export; else an echo train
        values = d.fids || p.has('echoesperstep') ? stepCpmgAxis(p, n) : cpmgAxis(p, n);
      } catch (e) {
        values = fromFile(e);
      }
      const key = d.fids || p.has('echoesperstep') ? 'nrSteps' : 'nrEchoes';
      const declared = p.number(key);
      if (declared !== undefined && declared !== n) warnings.push(`${key} = ${declared} but the data hold ${n} points`);
      experimentOut = 'T2';
    } else if (kind === 'T1') {
      kernel = 'T1-IR';
      try {
        values = delayAxis(p, T1_DELAYS, n, warnings);
      } catch (e) {
        values = fromFile(e);
      }
      experimentOut = 'T1';
    } else {
      kernel = 'D';
      const g = await gradientsOf(dir, p, n, budget, files, warnings);
      values = bValues(g, diffusionTiming(p, warnings));
      experimentOut = 'D';
    }
    if (d.x && !axisFromFile) {
      const units = kind === 'D' ? ['s/m2', 's/mm2'] : ['s', 'ms', 'us'];
      values = reconcile(`the x axis of ${basename(d.files[0]!)}`, d.x, values, units, warnings, notes, kind === 'D');
    }
    axes = [{ kernel, values, unit: kernel === 'D' ? 's/m2' : 's' }];
    checkAxes(p.file, axes);
    const recovery = kind === 'T1';
    if (d.fids) {
      let longest = 0;
      for (let i = 1; i < n; i++) if (values[i]! > values[longest]!) longest = i;
      data = bulkIntegrals(d, p, recovery ? longest : undefined, warnings, notes);
    } else {
      ({ data, phase } = realSignal(d, recovery ? longestDelayReference(values) : sumOf, warnings));
    }
    if (recovery && recoveryKernel(values, data) === 'T1-SR') {
      axes[0] = { ...axes[0], kernel: 'T1-SR' };
      warnings.push('the recovery rises from near zero without changing sign: read as saturation recovery (T1-SR)');
    }
  }
  checkData(d.files[0] ?? dir, data);
  const metadata = metadataOf(p, dir, files);
  if (phase !== undefined) metadata.phase0 = phase;
  if (notes.length > 0) metadata.notes = notes;
  return checkAcquisition({ experiment: experimentOut, axes, data, metadata, warnings }, path);
}

const sumOf = (data: Float64Array) => data.reduce((a, v) => a + v, 0);

function checkAxes(file: string, axes: Acquisition['axes']): void {
  axes.forEach((a, i) => checkAxis(file, a, `axis ${i + 1} (${a.kernel})`));
}

/** Replaces each echo's `perEcho` acquired points by their sum. */
function sumEchoPoints(d: Loaded, perEcho: number): void {
  const cols = d.cols / perEcho;
  const sum = (v: Float64Array) => {
    const out = new Float64Array(d.rows * cols);
    for (let k = 0; k < out.length; k++) {
      let s = 0;
      for (let j = 0; j < perEcho; j++) s += v[k * perEcho + j]!;
      out[k] = s;
    }
    return out;
  };
  d.re = sum(d.re);
  if (d.im) d.im = sum(d.im);
  d.cols = cols;
}

/** Gradient steps, T/m: gradients.par when present (and as long as the data), else computed from acqu.par. */
async function gradientsOf(
  dir: string,
  p: SpinsolveParameters,
  count: number,
  budget: Budget,
  files: string[],
  warnings: string[],
): Promise<Float64Array> {
  const file = join(dir, 'gradients.par');
  const list = await listFile(file, budget);
  if (list) {
    files.push(file);
    if (list.length === count) return list;
    warnings.push(`gradients.par holds ${list.length} gradients for ${count} steps: ignored`);
  }
  const steps = p.number('nrSteps');
  if (steps !== undefined && steps !== count)
    warnings.push(`nrSteps = ${steps} but the data hold ${count} gradient steps`);
  return gradientSteps(
    p,
    count,
    steps !== undefined && Number.isInteger(steps) && steps >= count ? steps : count,
    warnings,
  );
}
