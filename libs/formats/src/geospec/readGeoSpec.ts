/**
 * A GIT Systems GeoSpec text export (parseGeoSpec.ts) → Acquisition. TestType says the experiment: 3 T2 (CPMG),
 * 7 T1 (inversion recovery), 105 D, 106 T1–T2 (IR–CPMG), 108 D–T2. The [Data] table gives the axes (X: echo time
 * or inversion delay; Y: the second dimension's delay or b-value, X varying fastest) and the signal; [Additional
 * Results] the vendor's own log-mean T2/T1, kept as `vendorResults`.
 *
 * Units: a unit in a column header ("X (ms)") wins; otherwise GeoSpec's own, which its files list for the parameters
 * (every time in ms). X of a CPMG is checked against 2·Tau, the echo spacing. b-values carry no unit in the files
 * seen so far: s/mm² is assumed, with a warning.
 * Signal: a phased-real column is used as it is; Real with Imaginary is rotated onto the real axis (GeoSpec leaves
 * the receiver phase in the export: the real channel of a CPMG can be negative); Real alone is used as written; a
 * magnitude alone is used with a warning (an inversion recovery then gets its sign back before the minimum).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseQuantity, parseUnit } from '@lapis/contracts/units';
import type { KernelName } from '@lapis/physics';
import { FormatError, type Acquisition, type AcquisitionAxis, type Experiment, type VendorValue } from '../acquisition';
import { checkAxis, checkData, longestDelayReference, phaseSignal, recoveryKernel, strictNumber } from '../lowField';
import { geoSpecSection, geoSpecValue, parseGeoSpec, type GeoSpecFile } from './parseGeoSpec';
import { checkReadableFile, MAX_EXPORT_BYTES } from '../textMatrix/readNumberTable';

export interface ReadGeoSpecOptions {
  /** Refuse files larger than this (default MAX_EXPORT_BYTES, 64 MiB). */
  maxBytes?: number;
}

/** GeoSpec's test type numbers, as its exports list them. */
export const GEOSPEC_TEST_TYPES: Readonly<Record<number, string>> = {
  3: 'T2 NMR',
  4: 'Saturation Profile',
  7: 'T1 NMR',
  9: 'Quick Rock Porosity (FID)',
  105: 'Diffusion Distribution',
  106: 'T1 and T2 NMR',
  108: 'T2 and Diffusion',
  110: 'T2-Store-T2',
  111: 'Spatial T2',
};

const READ: Readonly<Record<number, Experiment>> = { 3: 'T2', 7: 'T1', 105: 'D', 106: 'T1-T2', 108: 'D-T2' };

/** GeoSpec writes every time in ms (its comment block: Tau, T2Max, T1Max, RecycleDelay … in ms). */
const GEOSPEC_TIME_UNIT = 'ms';
/** Assumed unit of b-values when the column does not say (no real D export has been seen). */
const ASSUMED_B_UNIT = 's/mm2';

type Role = 'x' | 'y' | 'real' | 'imaginary' | 'magnitude' | 'phased';

interface Column {
  role: Role;
  index: number;
  /** Unit written in the header, e.g. 'ms' from 'X (ms)'. */
  unit?: string;
}

/** A trailing "(unit)" or "[unit]" split off a column name, without regular expressions that could backtrack. */
function splitUnit(name: string): { base: string; unit?: string } {
  const t = name.trim();
  const open = t.endsWith(')') ? t.lastIndexOf('(') : t.endsWith(']') ? t.lastIndexOf('[') : -1;
  if (open < 0) return { base: t };
  const unit = t.slice(open + 1, -1).trim();
  return unit === '' ? { base: t.slice(0, open).trim() } : { base: t.slice(0, open).trim(), unit };
}

function roleOf(name: string): { role?: Role; unit?: string } {
  const { base: written, unit } = splitUnit(name);
  const base = written.toLowerCase();
  const role: Role | undefined =
    base === 'x' || base === 'time' || base === 't' || base === 'echo time' || base === 'tau'
      ? 'x'
      : base === 'y'
        ? 'y'
        : /^(phased real|real phased|phased)$/.test(base)
          ? 'phased'
          : base === 'real' || base === 're'
            ? 'real'
            : base === 'imaginary' || base === 'imag' || base === 'im'
              ? 'imaginary'
              : base === 'magnitude' || base === 'mag' || base === 'abs'
                ? 'magnitude'
                : undefined;
  return unit === undefined ? { role } : { role, unit };
}

/** Header-less tables: GeoSpec's documented order (X, Y, Real, Imaginary), shortened. */
const DEFAULT_COLUMNS: Record<number, Role[]> = {
  2: ['x', 'real'],
  3: ['x', 'real', 'imaginary'],
  4: ['x', 'y', 'real', 'imaginary'],
};

function columnsOf(doc: GeoSpecFile, file: string, warnings: string[]): Map<Role, Column> {
  const out = new Map<Role, Column>();
  if (doc.columns.length === 0) {
    const roles = DEFAULT_COLUMNS[doc.table.length];
    if (!roles)
      throw new FormatError(file, `[Data] has ${doc.table.length} unnamed columns (expected X, Y, Real, Imaginary)`);
    roles.forEach((role, index) => out.set(role, { role, index }));
    warnings.push(`[Data] has no header line: columns read as ${roles.join(', ')}`);
    return out;
  }
  doc.columns.forEach((name, index) => {
    const { role, unit } = roleOf(name);
    if (!role) {
      warnings.push(`[Data] column ${JSON.stringify(name)} ignored`);
      return;
    }
    if (out.has(role)) {
      warnings.push(`[Data] column ${JSON.stringify(name)} ignored: a second ${role} column`);
      return;
    }
    out.set(role, unit === undefined ? { role, index } : { role, index, unit });
  });
  if (!out.has('x')) throw new FormatError(file, `[Data] has no X column (columns: ${JSON.stringify(doc.columns)})`);
  return out;
}

/** SI factor of a column: its own unit when written, else `fallback`. */
function factorOf(
  file: string,
  column: Column,
  quantity: 'time' | 'b-value',
  fallback: string,
): { factor: number; unit: string; stated: boolean } {
  const text = column.unit ?? fallback;
  const parsed = parseUnit(text);
  if (!parsed || parsed.quantity !== quantity) {
    throw new FormatError(file, `[Data] column unit ${JSON.stringify(text)} is not a ${quantity} unit`);
  }
  return { factor: parsed.factor, unit: parsed.label, stated: column.unit !== undefined };
}

/** Values of the fast and slow axis of a 2D table written with one of the two columns varying fastest. */
function gridOf(file: string, x: Float64Array, y: Float64Array): { fast: 'x' | 'y'; nFast: number; nSlow: number } {
  const n = x.length;
  const xFast = n < 2 || y[1] === y[0];
  const slow = xFast ? y : x;
  const fastCol = xFast ? x : y;
  let nFast = 1;
  while (nFast < n && slow[nFast] === slow[0]) nFast++;
  if (n % nFast !== 0) {
    throw new FormatError(file, `[Data] has ${n} rows, not a whole number of ${nFast}-point blocks`);
  }
  const nSlow = n / nFast;
  for (let b = 0; b < nSlow; b++) {
    const s = slow[b * nFast]!;
    for (let k = 0; k < nFast; k++) {
      const at = b * nFast + k;
      if (slow[at] !== s) throw new FormatError(file, `[Data] row ${at + 1} breaks the grid (block ${b + 1} changes)`);
      const f = fastCol[k]!;
      const v = fastCol[at]!;
      if (Math.abs(v - f) > 1e-6 * Math.abs(f)) {
        throw new FormatError(
          file,
          `[Data] row ${at + 1} breaks the grid (its ${xFast ? 'X' : 'Y'} differs from block 1)`,
        );
      }
    }
  }
  return { fast: xFast ? 'x' : 'y', nFast, nSlow };
}

/** Vendor results of [Additional Results]: log-mean T2/T1 and "T2 at 99%"-style values, times in ms. */
function vendorResultsOf(doc: GeoSpecFile, file: string, warnings: string[]): VendorValue[] {
  const section = geoSpecSection(doc, 'Additional Results');
  if (!section) return [];
  const out: VendorValue[] = [];
  for (const [rawKey, rawValue] of section.entries) {
    if (rawKey.length > 200) continue;
    const { base: key, unit } = splitUnit(rawKey.replace(/<[^>]*>/g, '').replace(/\s+/g, ' '));
    const m = /^(T[12]|D) (log mean|at \d+(?:\.\d+)? ?%)$/i.exec(key);
    if (!m) continue;
    const what = m[1]!.toUpperCase();
    const kind = /log/i.test(m[2]!) ? 'log-mean' : m[2]!.toLowerCase().replace(' %', '%');
    const quantity = `${what} ${kind}`;
    if (what === 'D') {
      // no unit known for GeoSpec diffusion results unless the key states one
      const d = unit === undefined ? undefined : parseQuantity(`${rawValue} ${unit}`, 'diffusion');
      if (d === undefined) {
        warnings.push(`[Additional Results] ${key}=${rawValue} not kept: no diffusion unit stated`);
        continue;
      }
      out.push({ software: 'GIT GeoSpec', file, quantity, unit: 'm2/s', value: d });
      continue;
    }
    const seconds = parseQuantity(`${rawValue} ${unit ?? GEOSPEC_TIME_UNIT}`, 'time');
    if (seconds === undefined || !(seconds > 0)) {
      warnings.push(`[Additional Results] ${key}=${JSON.stringify(rawValue)} is not a time; not kept`);
      continue;
    }
    out.push({ software: 'GIT GeoSpec', file, quantity, unit: 's', value: seconds });
  }
  return out;
}

/** Integer parameter, or undefined (a warning when present but not an integer). */
function intParam(doc: GeoSpecFile, key: string, warnings: string[]): number | undefined {
  const raw = geoSpecValue(doc, key);
  if (raw === undefined) return undefined;
  const v = strictNumber(raw);
  if (v === undefined || !Number.isInteger(v)) {
    warnings.push(`${key}=${JSON.stringify(raw)} is not an integer; ignored`);
    return undefined;
  }
  return v;
}

/** The text of a GeoSpec export → Acquisition; `path` names it in errors and metadata. */
export function geoSpecAcquisition(text: string, path: string): Acquisition {
  const doc = parseGeoSpec(text, path);
  const warnings = [...doc.warnings];
  const rawType = geoSpecValue(doc, 'TestType');
  if (rawType === undefined) throw new FormatError(path, 'no TestType= line (which GeoSpec test is this?)');
  const testType = strictNumber(rawType);
  const experiment = testType === undefined ? undefined : READ[testType];
  if (testType === undefined || !experiment) {
    const name = testType === undefined ? undefined : GEOSPEC_TEST_TYPES[testType];
    throw new FormatError(
      path,
      `TestType ${rawType}${name ? ` (${name})` : ''} is not a test Lapis reads (3 T2, 7 T1, 105 D, 106 T1–T2, 108 D–T2)`,
    );
  }
  const cols = columnsOf(doc, path, warnings);
  const col = (role: Role) => {
    const c = cols.get(role);
    return c ? doc.table[c.index]! : undefined;
  };
  const x = col('x')!;
  const n = x.length;
  const recovery = experiment === 'T1' || experiment === 'T1-T2';
  const timeNote = doc.unitNotes.get('Tau') === 'ms' || doc.unitNotes.has('T2Max');

  // --- the axes
  const axisTime = (c: Column, label: string) => {
    const f = factorOf(path, c, 'time', GEOSPEC_TIME_UNIT);
    if (!f.stated && !timeNote) warnings.push(`${label} has no unit: read in ms, GeoSpec's unit for times`);
    return f;
  };
  const axisB = (c: Column, label: string) => {
    const f = factorOf(path, c, 'b-value', ASSUMED_B_UNIT);
    if (!f.stated) warnings.push(`${label} (b-values) has no unit: read as s/mm² (an assumption; check the export)`);
    return f;
  };
  /** Echo times: unit checked against the echo spacing 2·Tau (Tau in ms, half the echo spacing). */
  const echoAxis = (values: Float64Array, c: Column, label: string): Float64Array => {
    const f = axisTime(c, label);
    let factor = f.factor;
    const tau = strictNumber(geoSpecValue(doc, 'Tau', 'Parameters') ?? '');
    if (!f.stated && tau !== undefined && tau > 0 && values.length >= 2) {
      const spacing = values[1]! - values[0]!;
      const ratio = spacing / (2 * tau);
      if (Math.abs(ratio - 1e-3) < 2e-5) {
        factor = 1;
        warnings.push(`${label} spacing ${spacing} matches 2·Tau in s, not ms: read in s`);
      } else if (Math.abs(ratio - 1) > 0.02) {
        warnings.push(`${label} spacing ${spacing} does not match 2·Tau = ${2 * tau} ms; read in ms`);
      }
    }
    return values.map((v) => v * factor);
  };

  let axes: Acquisition['axes'];
  let order: ((k: number) => number) | undefined; // file row of data index k when the table is transposed
  if (experiment === 'T2' || experiment === 'T1' || experiment === 'D') {
    const xc = cols.get('x')!;
    const values =
      experiment === 'T2'
        ? echoAxis(x, xc, 'X (echo time)')
        : experiment === 'T1'
          ? x.map((v) => v * axisTime(xc, 'X (inversion time)').factor)
          : x.map((v) => v * axisB(xc, 'X').factor);
    const kernel: KernelName = experiment === 'T2' ? 'T2' : experiment === 'D' ? 'D' : 'T1-IR';
    axes = [{ kernel, values, unit: kernel === 'D' ? 's/m2' : 's' }];
  } else {
    const y = col('y');
    if (!y)
      throw new FormatError(path, `a ${experiment} export needs a Y column (columns: ${JSON.stringify(doc.columns)})`);
    const grid = gridOf(path, x, y);
    const yc = cols.get('y')!;
    const xc = cols.get('x')!;
    // X is the CPMG's echo time, Y the first dimension (inversion delay or b-value)
    const echoes = grid.fast === 'x' ? x.subarray(0, grid.nFast) : pick(x, grid.nFast, grid.nSlow);
    const outer = grid.fast === 'x' ? pick(y, grid.nFast, grid.nSlow) : y.subarray(0, grid.nFast);
    const echoValues = echoAxis(Float64Array.from(echoes), xc, 'X (echo time)');
    const first: AcquisitionAxis =
      experiment === 'T1-T2'
        ? {
            kernel: 'T1-IR',
            values: Float64Array.from(outer, (v) => v * axisTime(yc, 'Y (inversion time)').factor),
            unit: 's',
          }
        : { kernel: 'D', values: Float64Array.from(outer, (v) => v * axisB(yc, 'Y').factor), unit: 's/m2' };
    axes = [first, { kernel: 'T2', values: echoValues, unit: 's' }];
    if (grid.fast === 'y') {
      // file rows run over the first dimension fastest: transpose to axes[0] down the rows
      const m1 = grid.nFast;
      const m2 = grid.nSlow;
      order = (k) => (k % m2) * m1 + Math.floor(k / m2);
      warnings.push('[Data] lists Y fastest: transposed so the first dimension runs down the rows');
    }
    const dims = geoSpecValue(doc, 'Dimensions', 'Results');
    const d = dims?.split(',').map((s) => strictNumber(s));
    const [nEcho, nOuter] = grid.fast === 'x' ? [grid.nFast, grid.nSlow] : [grid.nSlow, grid.nFast];
    if (d && (d[0] !== nEcho || d[1] !== nOuter)) {
      warnings.push(`Dimensions=${dims} but the table is ${nEcho} echoes × ${nOuter} steps; the table is used`);
    }
  }
  if (axes.length === 1) {
    const dims = geoSpecValue(doc, 'Dimensions', 'Results');
    const d0 = dims === undefined ? undefined : strictNumber(dims.split(',')[0] ?? '');
    if (d0 !== undefined && d0 !== n) warnings.push(`Dimensions=${dims} but [Data] has ${n} rows; the rows are used`);
    const expected = intParam(doc, experiment === 'T2' ? 'NumOfEchoes' : 'NumTIValues', warnings);
    if (experiment !== 'D' && expected !== undefined && expected !== n) {
      warnings.push(`${experiment === 'T2' ? 'NumOfEchoes' : 'NumTIValues'}=${expected} but [Data] has ${n} rows`);
    }
  }
  axes.forEach((a, i) => checkAxis(path, a, `axis ${i + 1} (${a.kernel})`));

  // --- the signal
  const m1 = axes[0].values.length;
  const m2 = axes[1]?.values.length ?? 1;
  const reorder = (v: Float64Array) => (order ? Float64Array.from({ length: v.length }, (_, k) => v[order!(k)]!) : v);
  const reference = recovery ? longestDelayReference(axes[0].values, m2) : undefined;
  let data: Float64Array;
  let signal: string;
  let phase: number | undefined;
  const phased = col('phased');
  const re = col('real');
  const im = col('imaginary');
  const mag = col('magnitude');
  if (phased) {
    data = reorder(phased);
    signal = 'phased real column';
  } else if (re && im) {
    const p = phaseSignal(reorder(re), reorder(im), reference);
    data = p.data;
    phase = p.phase;
    signal = 'Real and Imaginary, rotated onto the real axis';
    if (p.imaginaryFraction > 0.05) {
      warnings.push(
        `${(100 * p.imaginaryFraction).toFixed(0)} % of the signal stays imaginary after phasing: the phase varies through the data`,
      );
    }
  } else if (re) {
    data = Float64Array.from(reorder(re));
    signal = 'Real column as written';
  } else if (mag) {
    data = Float64Array.from(reorder(mag));
    signal = 'Magnitude column';
    if (recovery) {
      restoreRecoverySign(data, axes[0].values, m2);
      warnings.push(
        'only a magnitude column: the recovery sign was restored by negating the points before its minimum',
      );
    } else {
      warnings.push('only a magnitude column: noise at the tail of the decay is biased positive');
    }
  } else {
    throw new FormatError(
      path,
      `[Data] has no Real, Phased Real or Magnitude column (columns: ${JSON.stringify(doc.columns)})`,
    );
  }
  checkData(path, data);
  if (data.length !== m1 * m2) throw new FormatError(path, `${data.length} values for ${m1}×${m2} axes`);

  // --- inversion or saturation recovery (GeoSpec's T1 test is an inversion recovery; its data tell if not)
  if (experiment === 'T1' && recoveryKernel(axes[0].values, data) === 'T1-SR') {
    axes[0] = { ...axes[0], kernel: 'T1-SR' };
    warnings.push('the T1 data rise from near zero without changing sign: read as saturation recovery (T1-SR)');
  }

  // --- metadata
  const fileName = basename(path);
  const sampleName = geoSpecValue(doc, 'Name', 'Sample');
  const state = geoSpecValue(doc, 'Name', 'Sample State');
  const instrument = geoSpecValue(doc, 'Name', 'Scanner');
  const acquiredAt = dateOf(doc);
  const vendorResults = vendorResultsOf(doc, fileName, warnings);
  const parameters = Object.fromEntries(geoSpecSection(doc, 'Parameters')?.entries ?? []);
  const results = Object.fromEntries(geoSpecSection(doc, 'Results')?.entries ?? []);
  const acq: Acquisition = {
    experiment,
    axes,
    data,
    metadata: {
      source: 'geospec',
      path,
      files: [path],
      sample: sampleName ?? basename(fileName, extname(fileName)),
      ...(state ? { sampleState: state } : {}),
      ...(instrument ? { instrument } : {}),
      ...(acquiredAt ? { acquiredAt } : {}),
      experimentNumber: fileName,
      testType,
      testName: GEOSPEC_TEST_TYPES[testType],
      softwareVersion: geoSpecValue(doc, 'Software Version'),
      signal,
      ...(phase === undefined ? {} : { phase0: phase }),
      parameters,
      results,
    },
    warnings,
  };
  if (vendorResults.length > 0) acq.vendorResults = vendorResults;
  return acq;
}

/** Every `nFast`-th value: the slow axis of a table written fast-first. */
function pick(v: Float64Array, nFast: number, nSlow: number): Float64Array {
  return Float64Array.from({ length: nSlow }, (_, b) => v[b * nFast]!);
}

/** Magnitude recovery data: negate everything at delays shorter than the row (or point) of smallest signal. */
function restoreRecoverySign(data: Float64Array, delays: Float64Array, rowLength: number): void {
  const rows = delays.length;
  const energy = Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let j = 0; j < rowLength; j++) s += Math.abs(data[r * rowLength + j]!);
    return s;
  });
  let min = 0;
  for (let r = 1; r < rows; r++) if (energy[r]! < energy[min]!) min = r;
  for (let r = 0; r < rows; r++) {
    if (delays[r]! >= delays[min]!) continue;
    for (let j = 0; j < rowLength; j++) data[r * rowLength + j] = -data[r * rowLength + j]!;
  }
}

/** An acquisition date from any Date/Time-like key, as ISO 8601; undefined when none parses. */
function dateOf(doc: GeoSpecFile): string | undefined {
  for (const s of doc.sections) {
    for (const [key, value] of s.entries) {
      if (!/^(date|acquisition ?date|date ?time|timestamp|acquired)$/i.test(key.trim())) continue;
      const t = Date.parse(value);
      if (Number.isFinite(t)) return new Date(t).toISOString();
    }
  }
  return undefined;
}

/** Reads a GeoSpec export from disk (size-checked first). */
export async function readGeoSpec(path: string, options: ReadGeoSpecOptions = {}): Promise<Acquisition> {
  await checkReadableFile(path, 'the GeoSpec export', options.maxBytes ?? MAX_EXPORT_BYTES);
  const text = (await readFile(path)).toString('utf8');
  return geoSpecAcquisition(text, path);
}
