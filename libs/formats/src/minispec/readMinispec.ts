/**
 * A minispec export (minispec/minispec.ts) → Acquisition. What each part comes from:
 *
 * - axis unit: the reader option unit1, else the axis column's title ('Time [ms]'), else a header entry naming a
 *   unit, else ms — the minispec software's unit, stated in a warning since the file does not confirm it
 * - kernel: the option kernel1, else the experiment the header or the file name names (CPMG/T2 → T2; inversion
 *   recovery/IR → T1-IR; saturation recovery/SR → T1-SR; 'T1' alone → by the curve's sign), else the curve's shape
 *   with a warning (decaying → T2; rising through zero → T1-IR; rising → T1-SR). IR data keep their measured sign.
 * - metadata: sample, instrument, date, operator from header entries; header entries T1/T2 with a unit ('T2 [ms]:
 *   85.2', 'T2 = 85.2 ms') become vendorResults.
 */
import { open, readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseQuantity, parseUnit } from '@lapis/contracts/units';
import type { KernelName } from '@lapis/physics';
import { checkAcquisition } from '../checkAcquisition';
import { FormatError, type Acquisition, type AcquisitionMetadata, type VendorValue } from '../acquisition';
import { parseMinispec } from './minispec';
import { checkReadableFile, MAX_EXPORT_BYTES } from '../textMatrix/readNumberTable';

export interface ReadMinispecOptions {
  /** 'T2', 'T1-IR' or 'T1-SR' (default: from the file, see above). */
  kernel1?: string;
  /** Unit of the axis column as written (default: from the file, else ms). */
  unit1?: string;
  /** Refuse files larger than this (default MAX_EXPORT_BYTES, 64 MiB). */
  maxBytes?: number;
}

/** The kernels a minispec relaxation curve can have (names of @lapis/contracts/vocabulary). */
const KERNELS: readonly KernelName[] = ['T2', 'T1-IR', 'T1-SR'];

type Named = KernelName | 'T1';
/** The experiment a text names, most specific first. */
function namedKernel(text: string): Named | undefined {
  if (/sat(?:uration)?[ _-]?rec|(?:^|[^A-Za-z])SR(?:[^A-Za-z]|$)/i.test(text)) return 'T1-SR';
  if (/inv(?:ersion)?[ _-]?rec|(?:^|[^A-Za-z])IR(?:[^A-Za-z]|$)|t1[ _-]?ir/i.test(text)) return 'T1-IR';
  if (/cpmg|(?:^|[^A-Za-z0-9])t2(?:[^A-Za-z0-9]|$)|carr|meiboom|hahn/i.test(text)) return 'T2';
  if (/(?:^|[^A-Za-z0-9])t1(?:[^A-Za-z0-9]|$)/i.test(text)) return 'T1';
  return undefined;
}

const EXPERIMENT_KEY = /experiment|method|sequence|application|measurement|pulse|program|mode|type/i;
const header = (pairs: [string, string][], key: RegExp) => pairs.find(([k]) => key.test(k))?.[1];

/** 'YYYY-MM-DD hh:mm[:ss]', 'DD.MM.YYYY hh:mm[:ss]', 'YYYY/MM/DD …' → ISO 8601 local time (no zone: the file has none). */
export function minispecDate(date: string, time?: string): string | undefined {
  const text = `${date} ${time ?? ''}`.trim();
  const p = (s: string) => s.padStart(2, '0');
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  let ymd: [string, string, string] | undefined;
  if (m) ymd = [m[1]!, m[2]!, m[3]!];
  else {
    m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
    if (m) ymd = [m[3]!, m[2]!, m[1]!];
  }
  if (!m || !ymd) return undefined;
  const [y, mo, d] = ymd;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  const day = `${y}-${p(mo)}-${p(d)}`;
  return m[4] !== undefined ? `${day}T${p(m[4])}:${m[5]}:${m[6] ?? '00'}` : day;
}

function vendorResults(pairs: [string, string][], file: string, warnings: string[]): VendorValue[] {
  const out: VendorValue[] = [];
  for (const [key, value] of pairs) {
    const m = /^(T[12])(?:\s*(?:[[(]\s*([^\])]+?)\s*[\])]|\/\s*(\S+)))?$/i.exec(key.trim());
    if (!m || value.length > 64) continue;
    let seconds = parseQuantity(value, 'time');
    const keyUnit = m[2] ?? m[3];
    const bare = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(value);
    if (bare) {
      const u = keyUnit ? parseUnit(keyUnit) : undefined;
      seconds = u?.quantity === 'time' ? u.toSi(Number(value)) : undefined;
    }
    if (seconds === undefined || !(seconds > 0)) {
      warnings.push(`header entry ${key} = ${value} is not a time with a unit: not kept as the vendor's result`);
      continue;
    }
    out.push({ software: 'Bruker minispec', file, quantity: m[1]!.toUpperCase(), unit: 's', value: seconds });
  }
  return out;
}

/** Text of a minispec export → Acquisition (no file system access: what the fuzz tests drive). */
export function minispecFromText(text: string, file: string, options: ReadMinispecOptions = {}): Acquisition {
  const parsed = parseMinispec(text, file);
  const warnings = [...parsed.warnings];
  const pairs = parsed.header;
  const n = parsed.x.length;

  // unit of the axis column
  let unitText = options.unit1;
  let unitFrom = 'option unit1';
  if (unitText === undefined && parsed.xUnitText !== undefined) {
    if (parseUnit(parsed.xUnitText)?.quantity === 'time') {
      unitText = parsed.xUnitText;
      unitFrom = 'column title';
    } else warnings.push(`the axis column's unit ${JSON.stringify(parsed.xUnitText)} is not a time unit: ignored`);
  }
  if (unitText === undefined) {
    const h = pairs.find(([k, v]) => /unit/i.test(k) && parseUnit(v)?.quantity === 'time');
    if (h) {
      unitText = h[1];
      unitFrom = `header ${h[0]}`;
    }
  }
  if (unitText === undefined) {
    unitText = 'ms';
    unitFrom = 'assumed';
    warnings.push('the file does not say the unit of its time column: took ms (the minispec software writes ms)');
  }
  const unit = parseUnit(unitText);
  if (!unit || unit.quantity !== 'time')
    throw new FormatError(file, `unit ${JSON.stringify(unitText)} is not a time unit`);
  let x = parsed.x.map((v) => unit.toSi(v));
  let y = parsed.y;

  // kernel
  let kernel: KernelName;
  let kernelFrom: string;
  if (options.kernel1 !== undefined) {
    if (!(KERNELS as readonly string[]).includes(options.kernel1))
      throw new FormatError(
        file,
        `kernel ${options.kernel1} does not fit a minispec relaxation curve (${KERNELS.join(', ')})`,
      );
    kernel = options.kernel1 as KernelName;
    kernelFrom = 'option kernel1';
  } else {
    const sources: [string, string][] = [
      ...pairs.filter(([k]) => EXPERIMENT_KEY.test(k)).map(([k, v]): [string, string] => [`header ${k}`, v]),
      ['file name', basename(file).replace(/\.[^.]+$/, '')],
    ];
    let named: Named | undefined;
    kernelFrom = '';
    for (const [from, text] of sources) {
      named = namedKernel(text);
      if (named) {
        kernelFrom = from;
        break;
      }
    }
    const k = Math.min(3, n);
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = mean(y.subarray(0, k));
    const last = mean(y.subarray(n - k));
    if (named && named !== 'T1') kernel = named;
    else if (named === 'T1') kernel = first < 0 && last > 0 ? 'T1-IR' : 'T1-SR';
    else {
      kernel = first > last ? 'T2' : first < 0 ? 'T1-IR' : 'T1-SR';
      kernelFrom = 'curve shape';
      warnings.push(
        `the file does not name its experiment: the curve ${kernel === 'T2' ? 'decays' : first < 0 ? 'rises through zero' : 'rises'}, took ${kernel} (--kernel1 chooses)`,
      );
    }
  }

  // axis checks; a curve written backwards or shuffled is put in order
  x.forEach((v, i) => {
    if (!Number.isFinite(v) || v < 0) throw new FormatError(file, `time ${i + 1} is not ≥ 0 (${parsed.x[i]})`);
  });
  const order = [...x.keys()].sort((a, b) => x[a]! - x[b]!);
  for (let i = 1; i < n; i++)
    if (x[order[i]!] === x[order[i - 1]!]) throw new FormatError(file, `the time ${parsed.x[order[i]!]} appears twice`);
  if (order.some((o, i) => o !== i)) {
    warnings.push('the rows are not in time order: sorted');
    x = Float64Array.from(order, (o) => x[o]!);
    y = Float64Array.from(order, (o) => y[o]!);
  }
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new FormatError(file, `signal value ${i + 1} is not finite`);
  });

  const metadata: AcquisitionMetadata = {
    source: 'minispec',
    path: file,
    files: [file],
    format: extname(file).toLowerCase() === '.dps' ? 'dps' : 'text',
    instrument:
      header(pairs, /^(instrument|spectrometer|system|device|serial[ _-]?(?:no\.?|number)?|minispec)$/i) ??
      'Bruker minispec',
    experimentNumber: basename(file).replace(/\.[^.]+$/, ''),
    axisUnit: unit.label,
    axisUnitFrom: unitFrom,
    kernelFrom,
  };
  const sample = header(pairs, /^(sample|sample[ _-]?(?:name|id)|specimen)$/i);
  if (sample) metadata.sample = sample;
  const user = header(pairs, /^(operator|user)$/i);
  if (user) metadata.user = user;
  const date = header(pairs, /^(date|date[ _/-]?time|acquired|measured|measurement[ _-]?date)$/i);
  if (date) {
    const iso = minispecDate(date, header(pairs, /^time$/i));
    if (iso) metadata.acquiredAt = iso;
    else warnings.push(`date ${JSON.stringify(date)} not understood: acquiredAt left unset`);
  }
  if (pairs.length) metadata.header = Object.fromEntries(pairs.slice(0, 200));
  const acq: Acquisition = {
    experiment: kernel === 'T2' ? 'T2' : 'T1',
    axes: [{ kernel, values: x, unit: 's' }],
    data: Float64Array.from(y),
    metadata,
    warnings,
  };
  const vendor = vendorResults(pairs, basename(file), warnings);
  if (vendor.length) acq.vendorResults = vendor;
  return checkAcquisition(acq, file);
}

/** Reads a minispec .dps or text/CSV export. */
export async function readMinispec(path: string, options: ReadMinispecOptions = {}): Promise<Acquisition> {
  const file = resolve(path);
  await checkReadableFile(file, 'the minispec export', options.maxBytes ?? MAX_EXPORT_BYTES);
  const bytes = await readFile(file);
  if (bytes.includes(0)) throw new FormatError(file, 'not a text file (NUL bytes)');
  return minispecFromText(bytes.toString('latin1'), file, options);
}

const TEXT_EXTENSIONS = new Set(['.txt', '.csv', '.tsv', '.dat']);
const MINISPEC_MARK = /minispec|\bmq\s?-?\d{1,2}\b|\bmq[ -]?one\b/i;

/** Cheap check (first 4 KiB): a .dps of text rows, or a text/CSV export whose head names the minispec. Never throws. */
export async function isMinispec(path: string): Promise<boolean> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.dps' && !TEXT_EXTENSIONS.has(ext)) return false;
  try {
    const h = await open(path, 'r');
    try {
      const b = Buffer.alloc(4096);
      const { bytesRead } = await h.read(b, 0, b.length, 0);
      const head = b.subarray(0, bytesRead);
      if (bytesRead === 0 || head.includes(0)) return false;
      const text = head.toString('latin1');
      if (text.startsWith('Data Point Listing')) return false; // TNMR's export (tecmag reader)
      if (ext === '.dps') return /^\s*[+-]?\d/m.test(text) || MINISPEC_MARK.test(text);
      return MINISPEC_MARK.test(text);
    } finally {
      await h.close();
    }
  } catch {
    return false;
  }
}
