/**
 * Reads a Tecmag data set into an Acquisition: a .tnt binary file (tecmag/tnt.ts, magic 'TNT1.00x') or TNMR's text
 * export of one (tecmag/tntText.ts, 'Data Point Listing of File …'). Both become the same raw shape, interpreted by
 * tecmag/interpretTecmag.ts (axes, averaging, phase). What the file does not say can be given: the rows' kernel
 * (kernel1), the echo time (echoTime), which delay table (delayTable), or whole axes as files (axis1/axis2, one value
 * per line, in unit1/unit2, default s).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseUnit } from '@lapis/contracts/units';
import type { KernelName } from '@lapis/physics';
import { FormatError, type Acquisition, type AcquisitionMetadata } from '../acquisition';
import { checkReadableFile, MAX_AXIS_VALUES, MAX_EXPORT_BYTES, readNumberTable } from '../textMatrix/readNumberTable';
import { experimentName, interpretTecmag, type TecmagOptions, type TecmagRaw } from './interpretTecmag';
import { isTntMagic, parseTnt } from './tnt';
import { tecmagKind } from './tecmagKind';
import { parseTntText } from './tntText';
import { parseTnmrTime } from './tnmrValues';

export interface ReadTecmagOptions {
  /** 'T1-IR' or 'T1-SR' for the rows of a T1 or T1–T2 set, 'T2' for an echo train. */
  kernel1?: string;
  /** Echo time: seconds, or text with a unit ('200u', '0.2 ms'). */
  echoTime?: number | string;
  /** Delay table to use when the sequence steps through several in dimension 2. */
  delayTable?: string;
  /** Axis files (one value per line or a row) for what the file cannot give. */
  axis1?: string;
  axis2?: string;
  unit1?: string;
  unit2?: string;
  /** Refuse files larger than this (default MAX_EXPORT_BYTES, 64 MiB). */
  maxBytes?: number;
}

/** The kernels a Tecmag relaxation set can have (names of @lapis/contracts/vocabulary). */
const KERNELS: readonly KernelName[] = ['T1-IR', 'T1-SR', 'T2'];

/** Options as the reader needs them: kernels checked, the echo time in seconds, axis files read and converted. */
async function resolveOptions(path: string, options: ReadTecmagOptions, maxBytes: number): Promise<TecmagOptions> {
  const out: TecmagOptions = {};
  if (options.kernel1 !== undefined) {
    if (!(KERNELS as readonly string[]).includes(options.kernel1))
      throw new FormatError(
        path,
        `kernel ${options.kernel1} does not fit a Tecmag relaxation set (${KERNELS.join(', ')})`,
      );
    out.kernel1 = options.kernel1 as KernelName;
  }
  if (options.echoTime !== undefined) {
    const t = typeof options.echoTime === 'number' ? options.echoTime : parseTnmrTime(options.echoTime)?.seconds;
    if (t === undefined || !(t > 0))
      throw new FormatError(path, `echoTime ${JSON.stringify(options.echoTime)} is not a time`);
    out.echoTime = t;
  }
  if (options.delayTable !== undefined) out.delayTable = options.delayTable;
  for (const d of [1, 2] as const) {
    const axisFile = d === 1 ? options.axis1 : options.axis2;
    if (axisFile === undefined) continue;
    const unitText = (d === 1 ? options.unit1 : options.unit2) ?? 's';
    const unit = parseUnit(unitText);
    if (!unit || unit.quantity !== 'time')
      throw new FormatError(path, `unit${d} ${JSON.stringify(unitText)} is not a time unit`);
    const table = await readNumberTable(resolve(axisFile), { maxBytes, expectedValues: MAX_AXIS_VALUES });
    if (table.rows !== 1 && table.cols !== 1)
      throw new FormatError(axisFile, `an axis file needs one column or one row, found ${table.rows}×${table.cols}`);
    const values = table.data.map((v) => unit.toSi(v));
    if (d === 1) out.axis1 = values;
    else out.axis2 = values;
  }
  return out;
}

/** Local time 'YYYY/M/D h:mm:ss' (TNMR's date) as ISO 8601 without a zone; undefined when it is not one. */
export function tnmrLocalDate(text: string): string | undefined {
  const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const p = (s: string) => s.padStart(2, '0');
  return `${m[1]}-${p(m[2]!)}-${p(m[3]!)}T${p(m[4]!)}:${m[5]}:${m[6]}`;
}

/** A .tnt file's bytes → the raw shape interpretTecmag reads. */
export function tntRaw(bytes: Uint8Array, file: string, maxBytes?: number): TecmagRaw {
  const tnt = parseTnt(bytes, { file, ...(maxBytes !== undefined ? { maxBytes } : {}) });
  const { tmag, dims } = tnt;
  if (dims[2] * dims[3] > 1) {
    throw new FormatError(file, `a ${dims.join('×')} data set: only 1D and 2D relaxation data are read from TNT files`);
  }
  const pseq = tnt.pseq;
  const metadata: Omit<AcquisitionMetadata, 'source'> = {
    path: file,
    files: [file],
    format: 'tnt',
    tntVersion: tnt.version,
    instrument: 'Tecmag (TNMR)',
    experimentNumber: experimentName(file),
  };
  if (tmag.startTime > 0) metadata.acquiredAt = new Date(tmag.startTime * 1000).toISOString();
  else {
    const local = tnmrLocalDate(tmag.date);
    if (local) metadata.acquiredAt = local;
  }
  if (pseq?.title) metadata.sequence = pseq.title;
  if (pseq?.author) metadata.sequenceAuthor = pseq.author;
  if (tmag.nucleus) metadata.nucleus = tmag.nucleus;
  if (tmag.obFreq[0]! > 0) metadata.frequencyMHz = tmag.obFreq[0];
  if (tmag.scans > 0) metadata.scans = tmag.scans;
  if (tmag.lastDelay > 0) metadata.recycleDelay = tmag.lastDelay;
  const warnings = [...tnt.warnings];
  if (!pseq) warnings.push('no PSEQ section: the sequence parameters and tables are unknown');
  return {
    file,
    points: dims[0],
    rows: dims[1],
    re: tnt.re,
    im: tnt.im,
    acqPoints: tmag.acqPoints,
    dwell: tmag.dwell[0]!,
    parameters: pseq?.parameters ?? new Map(),
    tables: pseq?.tables ?? [],
    hasTables: pseq !== undefined,
    names: [pseq?.title ?? '', tmag.sequence, experimentName(file)].filter((s) => s.length > 0),
    metadata,
    warnings,
  };
}

/** A TNMR text export → the raw shape interpretTecmag reads. */
export function tntTextRaw(text: string, file: string): TecmagRaw {
  const t = parseTntText(text, file);
  const param = (name: string) => t.parameters.get(name);
  const int = (name: string) => {
    const v = param(name);
    return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
  };
  const warnings = [...t.warnings];
  const full = int('Points 1D');
  if (full !== undefined && full !== t.points) {
    throw new FormatError(file, `the listing holds ${t.points} of the ${full} points of each record: export them all`);
  }
  let dwell = param('Dwell Time') !== undefined ? parseTnmrTime(param('Dwell Time')!)?.seconds : undefined;
  if (dwell === undefined && t.x && t.xUnit) {
    const u = parseUnit(t.xUnit);
    if (u?.quantity === 'time') dwell = u.toSi(t.x[1] - t.x[0]);
  }
  const title = t.info.get('Title');
  const metadata: Omit<AcquisitionMetadata, 'source'> = {
    path: file,
    files: [file],
    format: 'tnmr-text',
    instrument: 'Tecmag (TNMR)',
    experimentNumber: experimentName(t.source.replace(/\\/g, '/') || file),
  };
  const local = tnmrLocalDate(param('Date') ?? t.info.get('Experiment Date') ?? '');
  if (local) metadata.acquiredAt = local;
  if (title) metadata.sequence = title;
  const user = t.info.get('Experiment by User');
  if (user) metadata.user = user;
  const version = t.info.get('Saved with 64-bit TNMR version') ?? t.info.get('Saved with TNMR version');
  if (version) metadata.tnmrVersion = version;
  if (param('Nucleus')) metadata.nucleus = param('Nucleus');
  const scans = int('Scans 1D');
  if (scans) metadata.scans = scans;
  const last = param('Last Delay') !== undefined ? parseTnmrTime(param('Last Delay')!) : undefined;
  if (last) metadata.recycleDelay = last.seconds;
  const acq = int('Acq. Points');
  return {
    file,
    points: t.points,
    rows: t.records,
    re: t.re,
    im: t.im,
    ...(acq !== undefined ? { acqPoints: acq } : {}),
    ...(dwell !== undefined ? { dwell } : {}),
    parameters: t.parameters,
    tables: [],
    hasTables: false,
    names: [title ?? '', experimentName(t.source.replace(/\\/g, '/')), experimentName(file)].filter(
      (s) => s.length > 0,
    ),
    metadata,
    warnings,
  };
}

/** Reads `path` (.tnt or its text export) with the options the file cannot supply itself. */
export async function readTecmag(path: string, options: ReadTecmagOptions = {}): Promise<Acquisition> {
  const file = resolve(path);
  const maxBytes = options.maxBytes ?? MAX_EXPORT_BYTES;
  await checkReadableFile(file, 'the Tecmag file', maxBytes);
  const kind = await tecmagKind(file);
  if (!kind) throw new FormatError(file, 'not a Tecmag .tnt file (magic TNT1.00x) nor a TNMR data point listing');
  const resolved = await resolveOptions(file, options, maxBytes);
  const bytes = await readFile(file);
  const raw = kind === 'tnt' ? tntRaw(bytes, file) : tntTextRaw(bytes.toString('latin1'), file);
  const files = [file, options.axis1, options.axis2].filter((f): f is string => f !== undefined).map((f) => resolve(f));
  raw.metadata.files = files;
  return interpretTecmag(raw, resolved);
}

/** Bytes (of either kind) → Acquisition, without touching the file system: what the fuzz tests drive. */
export function tecmagFromBytes(bytes: Uint8Array, file: string, options: TecmagOptions = {}): Acquisition {
  const raw = isTntMagic(bytes)
    ? tntRaw(bytes, file)
    : tntTextRaw(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), file);
  return interpretTecmag(raw, options);
}
