/**
 * From a Tecmag data set (a .tnt file or TNMR's text export, decoded) to an Acquisition. TNMR stores relaxation
 * experiments as rows (dimension 2) of points (dimension 1); dimension 1 is cut into acquisition windows of
 * `acq_points` points, one window per echo of a CPMG train or one per FID. So:
 *
 * - one row of several windows: a CPMG echo train → T2, echo k (1-based) at k·TE
 * - several rows of one window: an FID (or echo) per recovery delay → T1 (inversion or saturation recovery)
 * - several rows of several windows: IR–CPMG → T1–T2, delays down the rows, echoes across
 * - one row of one window holding the whole train (points sampled at the dwell time): the point of each TE period
 *   where the echoes peak ("echo-top sampling"), the k-th taken at k·TE
 *
 * The signal of a window is the mean of its points that reach half the window's largest mean magnitude (the echo or
 * FID top; this drops the zero points the digital filter leaves at the end of each window). TE is the sequence's
 * Echo_Time parameter (or TE, Echo_Spacing …); the delays are the table a grid cell steps through in dimension 2.
 *
 * Phasing: one zero-order phase for the whole set, φ = −arg Σ z·|z| over the strongest row (the angle that maximises
 * Σ Re(e^{iφ}z)·|z|, as libs/spectra/src/processing/autoPhase.ts), then, for T1 axes, turned by π if needed so that
 * the longest delay is positive: inversion-recovery data keep their measured sign.
 */
import { basename } from 'node:path';
import type { KernelName } from '@lapis/physics';
import { FormatError, type Acquisition, type AcquisitionAxis, type AcquisitionMetadata } from '../acquisition';
import { autoPhase0 } from '@lapis/spectra';
import type { PseqTable } from './pseq';
import { ECHO_TIME_NAMES, findParameter, parseTnmrTime } from './tnmrValues';

export interface TecmagRaw {
  file: string;
  /** Points per row (dimension 1) and rows (dimension 2). */
  points: number;
  rows: number;
  /** Row-major rows × points. */
  re: Float64Array;
  im: Float64Array;
  /** Points per acquisition window (TMAG acq_points, the export's 'Acq. Points'). */
  acqPoints?: number;
  /** Dwell time of dimension 1, s. */
  dwell?: number;
  /** Sequence parameters by name, current values as written. */
  parameters: ReadonlyMap<string, string>;
  tables: readonly PseqTable[];
  /** False for a text export, which carries no tables. */
  hasTables: boolean;
  /** Sequence title, TMAG sequence name, file name: what may say inversion or saturation recovery. */
  names: string[];
  metadata: Omit<AcquisitionMetadata, 'source'>;
  warnings: string[];
}

export interface TecmagOptions {
  /** Kernel of the rows' axis of a T1 or T1–T2 set, or 'T2' for a train (default: from the names, else T1-IR). */
  kernel1?: KernelName;
  /** Echo time, s (default: the sequence's Echo_Time parameter). */
  echoTime?: number;
  /** Name of the delay table to use when the sequence steps through several in dimension 2. */
  delayTable?: string;
  /** Axes given by the caller, SI: axis1 down the rows (or of a 1D train), axis2 across (the echoes of a T1–T2 set). */
  axis1?: Float64Array;
  axis2?: Float64Array;
}

const OPTION_HINT = {
  t2: '--axis1 FILE --kernel1 T2 (the echo times) or the reader option echoTime (s)',
  t2of2d: '--axis1 FILE --kernel1 T1-IR --axis2 FILE --kernel2 T2 or the reader option echoTime (s)',
  t1: '--axis1 FILE --kernel1 T1-IR (or T1-SR), one delay per line, --unit1 for their unit',
};

/** IR or SR from the names the file carries; undefined when they say neither. */
function recoveryKernel(names: readonly string[]): 'T1-IR' | 'T1-SR' | undefined {
  for (const n of names) if (/sat|(?:^|[^A-Za-z])SR(?:[^A-Za-z]|$)/i.test(n)) return 'T1-SR';
  for (const n of names) if (/inv|recov|(?:^|[^A-Za-z])IR/i.test(n)) return 'T1-IR';
  return undefined;
}

function echoTimeOf(raw: TecmagRaw, options: TecmagOptions, hint: string): { te: number; from: string } {
  if (options.echoTime !== undefined) {
    if (!(options.echoTime > 0) || !Number.isFinite(options.echoTime))
      throw new FormatError(raw.file, `echoTime must be a positive number of seconds, got ${options.echoTime}`);
    return { te: options.echoTime, from: 'option echoTime' };
  }
  const p = findParameter(raw.parameters, ECHO_TIME_NAMES);
  if (p) {
    const t = parseTnmrTime(p.value);
    if (t && t.seconds > 0) {
      if (!t.unitGiven) raw.warnings.push(`echo time ${p.name} = ${p.value} has no unit: took seconds`);
      return { te: t.seconds, from: `parameter ${p.name} = ${p.value}` };
    }
    throw new FormatError(
      raw.file,
      `the echo time ${p.name} is ${JSON.stringify(p.value)}, not a time Lapis can read (formulas are not evaluated): give ${hint}`,
    );
  }
  throw new FormatError(raw.file, `no echo time in the file (no Echo_Time or TE parameter): give ${hint}`);
}

function delayAxis(raw: TecmagRaw, options: TecmagOptions, rows: number): { values: Float64Array; table: string } {
  const timed = (t: PseqTable) => t.entries.map((e) => parseTnmrTime(e));
  let table: PseqTable | undefined;
  if (options.delayTable !== undefined) {
    table = raw.tables.find((t) => t.name === options.delayTable);
    if (!table) {
      const names = raw.tables.map((t) => t.name).join(', ') || 'none';
      throw new FormatError(raw.file, `no table ${options.delayTable} in the sequence (tables: ${names})`);
    }
  } else {
    if (!raw.hasTables)
      throw new FormatError(
        raw.file,
        `a TNMR text export carries no delay table: give the delays with ${OPTION_HINT.t1}`,
      );
    const isTimes = (t: PseqTable) => t.entries.length > 0 && timed(t).every((v) => v !== undefined);
    const withUnits = (t: PseqTable) => timed(t).every((v) => v?.unitGiven);
    const stepped = raw.tables.filter((t) => t.dims.includes(2) && isTimes(t));
    const unnamed = raw.tables.filter((t) => t.dims.length === 0 && isTimes(t));
    const ranked = [...stepped.filter(withUnits), ...stepped.filter((t) => !withUnits(t))];
    table = ranked[0];
    if (ranked.length > 1) {
      raw.warnings.push(
        `the sequence steps through ${ranked.length} delay tables in dimension 2 (${ranked.map((t) => t.name).join(', ')}): took ${table!.name} (the reader option delayTable chooses)`,
      );
    }
    if (!table && unnamed.length === 1) {
      table = unnamed[0]!;
      raw.warnings.push(
        `no grid cell of the sequence names a table of dimension 2: took the delay table ${table.name}`,
      );
    }
    if (!table) {
      throw new FormatError(
        raw.file,
        `no delay table stepped in dimension 2 found in the pulse sequence: give the delays with ${OPTION_HINT.t1}`,
      );
    }
  }
  const values = timed(table);
  const bad = values.findIndex((v) => v === undefined);
  if (bad >= 0)
    throw new FormatError(raw.file, `table ${table.name} entry ${bad + 1} (${table.entries[bad]}) is not a time`);
  if (values.some((v) => !v!.unitGiven))
    raw.warnings.push(`table ${table.name} gives numbers without units: took seconds`);
  if (values.length < rows) {
    throw new FormatError(
      raw.file,
      `delay table ${table.name} has ${values.length} entries but the data ${rows} rows: give the delays with ${OPTION_HINT.t1}`,
    );
  }
  if (values.length > rows) {
    raw.warnings.push(
      `delay table ${table.name} has ${values.length} entries, the data ${rows} rows: used the first ${rows}`,
    );
  }
  return { values: Float64Array.from(values.slice(0, rows), (v) => v!.seconds), table: table.name };
}

function checkAxis(file: string, label: string, values: Float64Array, n: number): void {
  if (values.length !== n) throw new FormatError(file, `${label} has ${values.length} values, the data ${n}`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new FormatError(file, `${label} value ${i + 1} is not a time ≥ 0 (${v})`);
  });
  const sorted = Float64Array.from(values).sort();
  for (let i = 1; i < n; i++)
    if (sorted[i] === sorted[i - 1]) throw new FormatError(file, `${label} has the value ${sorted[i]} twice`);
}

export function interpretTecmag(raw: TecmagRaw, options: TecmagOptions = {}): Acquisition {
  const { file, points, rows, re, im } = raw;
  const warnings = raw.warnings;
  if (options.kernel1 === 'D') throw new FormatError(file, 'diffusion data are not read from Tecmag files');
  for (let k = 0; k < re.length; k++) {
    if (!Number.isFinite(re[k]!) || !Number.isFinite(im[k]!))
      throw new FormatError(file, `data point ${k + 1} is not a finite number (${re[k]}, ${im[k]})`);
  }

  // Acquisition windows of dimension 1.
  let m = points;
  const a = raw.acqPoints;
  if (a !== undefined && Number.isInteger(a) && a >= 1 && a < points) {
    if (points % a === 0) m = a;
    else
      warnings.push(
        `a row of ${points} points is not a whole number of ${a}-point acquisition windows: took each row as one window`,
      );
  }
  const windows = points / m;
  const meta: AcquisitionMetadata = { source: 'tecmag', ...raw.metadata, windowPoints: m };

  if (rows === 1 && windows === 1) return continuousTrain(raw, options, meta);

  // Which points of a window to average: those reaching half the largest mean magnitude (the echo/FID top).
  const profile = new Float64Array(m);
  for (let r = 0; r < rows; r++)
    for (let w = 0; w < windows; w++) {
      const base = r * points + w * m;
      for (let p = 0; p < m; p++) profile[p]! += Math.hypot(re[base + p]!, im[base + p]!);
    }
  let top = 0;
  for (const v of profile) top = Math.max(top, v);
  if (!(top > 0)) throw new FormatError(file, 'every data point is zero');
  const keep = [...profile.keys()].filter((p) => profile[p]! >= 0.5 * top);
  meta.pointsAveraged = keep.length;
  const zr = new Float64Array(rows * windows);
  const zi = new Float64Array(rows * windows);
  for (let r = 0; r < rows; r++)
    for (let w = 0; w < windows; w++) {
      const base = r * points + w * m;
      let sr = 0;
      let si = 0;
      for (const p of keep) {
        sr += re[base + p]!;
        si += im[base + p]!;
      }
      zr[r * windows + w] = sr / keep.length;
      zi[r * windows + w] = si / keep.length;
    }

  const axes: AcquisitionAxis[] = [];
  if (rows > 1) {
    let kernel: KernelName;
    if (options.kernel1 === 'T1-IR' || options.kernel1 === 'T1-SR') kernel = options.kernel1;
    else if (options.kernel1 === 'T2') {
      throw new FormatError(
        file,
        `${rows} rows of ${windows === 1 ? 'one window' : 'echo trains'}: the rows' kernel is T1-IR or T1-SR`,
      );
    } else {
      const named = recoveryKernel(raw.names);
      kernel = named ?? 'T1-IR';
      if (!named)
        warnings.push(
          'the file does not say inversion or saturation recovery: took T1-IR (--kernel1 T1-SR for saturation recovery)',
        );
    }
    let delays: Float64Array;
    if (options.axis1) delays = Float64Array.from(options.axis1);
    else {
      const d = delayAxis(raw, options, rows);
      delays = d.values;
      meta.delayTable = d.table;
    }
    checkAxis(file, 'the delay list', delays, rows);
    axes.push({ kernel, values: delays, unit: 's' });
  }
  if (windows > 1) {
    const given = rows > 1 ? options.axis2 : options.axis1;
    let echoes: Float64Array;
    if (given) echoes = Float64Array.from(given);
    else {
      const { te, from } = echoTimeOf(raw, options, rows > 1 ? OPTION_HINT.t2of2d : OPTION_HINT.t2);
      echoes = Float64Array.from({ length: windows }, (_, k) => (k + 1) * te);
      meta.echoTime = te;
      meta.echoTimeFrom = from;
    }
    checkAxis(file, 'the echo times', echoes, windows);
    axes.push({ kernel: 'T2', values: echoes, unit: 's' });
  }

  // One phase for the whole set, from the strongest row.
  let strongest = 0;
  let best = -1;
  for (let r = 0; r < rows; r++) {
    let e = 0;
    for (let w = 0; w < windows; w++) e += zr[r * windows + w]! ** 2 + zi[r * windows + w]! ** 2;
    if (e > best) {
      best = e;
      strongest = r;
    }
  }
  const row = (r: number) => [r * windows, (r + 1) * windows] as const;
  let phase = autoPhase0(zr.subarray(...row(strongest)), zi.subarray(...row(strongest)));
  const data = new Float64Array(rows * windows);
  const apply = () => {
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    for (let k = 0; k < data.length; k++) data[k] = zr[k]! * c - zi[k]! * s;
  };
  apply();
  if (rows > 1) {
    const delays = axes[0]!.values;
    let last = 0;
    for (let r = 1; r < rows; r++) if (delays[r]! > delays[last]!) last = r;
    let sum = 0;
    for (let w = 0; w < windows; w++) sum += data[last * windows + w]!;
    if (sum < 0) {
      phase += Math.PI;
      apply();
    }
  }
  meta.phase0 = Math.atan2(Math.sin(phase), Math.cos(phase));
  const experiment = axes.length === 2 ? 'T1-T2' : axes[0]!.kernel === 'T2' ? 'T2' : 'T1';
  return {
    experiment,
    axes: axes as Acquisition['axes'],
    data,
    metadata: meta,
    warnings,
  };
}

/** One window holding the whole echo train, sampled at the dwell time. */
function continuousTrain(raw: TecmagRaw, options: TecmagOptions, meta: AcquisitionMetadata): Acquisition {
  const { file, points, re, im } = raw;
  if (options.kernel1 !== undefined && options.kernel1 !== 'T2')
    throw new FormatError(
      file,
      `one row of ${points} points is an echo train: its kernel is T2, not ${options.kernel1}`,
    );
  let idx: number[];
  let axis: Float64Array;
  if (options.axis1) {
    if (options.axis1.length !== points)
      throw new FormatError(file, `the echo times have ${options.axis1.length} values, the data ${points} points`);
    idx = [...Array(points).keys()];
    axis = Float64Array.from(options.axis1);
  } else {
    const { te, from } = echoTimeOf(raw, options, OPTION_HINT.t2);
    const dwell = raw.dwell;
    if (dwell === undefined || !(dwell > 0))
      throw new FormatError(
        file,
        `one acquisition window of ${points} points and no dwell time: give ${OPTION_HINT.t2}`,
      );
    const q = te / dwell;
    const period = Math.round(q);
    const echoes = Math.floor(points / Math.max(period, 1));
    if (period < 1 || Math.abs(q - period) > 1e-6 * q || echoes < 2) {
      throw new FormatError(
        file,
        `one acquisition window of ${points} points: the echo time ${te} s is not a whole number of dwell times (${dwell} s), so the echo tops cannot be sampled: give ${OPTION_HINT.t2}`,
      );
    }
    // the offset within each TE period where the echoes peak
    let offset = 0;
    let best = -1;
    for (let o = 0; o < period; o++) {
      let s = 0;
      for (let k = 0; k < echoes; k++) s += Math.hypot(re[k * period + o]!, im[k * period + o]!);
      if (s > best) {
        best = s;
        offset = o;
      }
    }
    idx = Array.from({ length: echoes }, (_, k) => k * period + offset);
    axis = Float64Array.from({ length: echoes }, (_, k) => (k + 1) * te);
    meta.echoTime = te;
    meta.echoTimeFrom = from;
    if (period > 1) {
      raw.warnings.push(
        `one acquisition window holds the whole train: took point ${offset + 1} of each ${period}-point echo period (the echo top), echo k at k·TE (assumes the window opens in the first echo period)`,
      );
    }
  }
  const zr = Float64Array.from(idx, (i) => re[i]!);
  const zi = Float64Array.from(idx, (i) => im[i]!);
  checkAxis(file, 'the echo times', axis, axis.length);
  const phase = autoPhase0(zr, zi);
  const c = Math.cos(phase);
  const s = Math.sin(phase);
  meta.phase0 = phase;
  meta.pointsAveraged = 1;
  return {
    experiment: 'T2',
    axes: [{ kernel: 'T2', values: axis, unit: 's' }],
    data: Float64Array.from(zr, (r, k) => r * c - zi[k]! * s),
    metadata: meta,
    warnings: raw.warnings,
  };
}

/** The file's base name without its extension, as the experiment's name. */
export function experimentName(path: string): string {
  return basename(path).replace(/\.[^.]+$/, '');
}
