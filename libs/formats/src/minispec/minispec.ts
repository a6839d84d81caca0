/**
 * Bruker minispec (mq-series TD-NMR relaxometer) exports: plain text, CRLF or LF line ends, decoded as Latin-1.
 *
 * - `.dps` ("data point set", what the minispec software writes for a relaxation curve, e.g. the public
 *   example_data/bruker/minispec/cpmg.dps of NMRInversions.jl): no header; one line per point, tab-separated:
 *   point index (0-based), time in ms, signal. Nothing in the file names the experiment or the unit.
 * - text/CSV exports: optional header lines before the numbers — 'key: value', 'key = value' or 'key<TAB>value',
 *   with or without a leading '#' or ';' — then an optional line of column titles, then the rows (separated by
 *   tabs, ';', ',' or spaces; with tabs or ';' a decimal comma is accepted). Titles may carry the unit ('Time [ms]',
 *   'tau (s)', 'Time/ms'). Header lines after the rows are read the same way (fit results are often written there).
 *
 * The axis column is the one whose title names a time (time, tau, delay, echo …), else the column after a point
 * index, else the first; the signal column is the next one (or the one titled amplitude/signal/intensity/real).
 * Lines are split once; nothing is allocated from a count the file declares.
 */
import { FormatError } from '../acquisition';

export interface MinispecColumns {
  /** Axis values as written (in `xUnit` when known). */
  x: Float64Array;
  y: Float64Array;
  /** Column titles when the file has a title line. */
  titles?: string[];
  /** Unit text found for the axis column (title or header), if any. */
  xUnitText?: string;
  /** Header (and footer) 'key: value' pairs in file order; keys as written. */
  header: [string, string][];
  warnings: string[];
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;
const TIME_TITLE = /time|tau|delay|echo|^t$|^x$|^t\s*[[(/]|^x\s*[[(/]/i;
const SIGNAL_TITLE = /amp|signal|intens|magneti|^y$|^y\s*[[(/]|real|value|data|^m\b/i;
const INDEX_TITLE = /^(#|no\.?|nr\.?|n|index|idx|point|pt|i)$/i;

/** Splits a data line; undefined when it is not a row of numbers. */
function numericFields(line: string): number[] | undefined {
  let fields: string[];
  let comma = false;
  if (line.includes('\t')) {
    fields = line.split('\t');
    comma = true;
  } else if (line.includes(';')) {
    fields = line.split(';');
    comma = true;
  } else if (line.includes(',')) fields = line.split(',');
  else fields = line.split(/\s+/);
  const out: number[] = [];
  for (const raw of fields) {
    const f = raw.trim();
    if (f === '') {
      if (fields.length > 1 && raw === fields[fields.length - 1]) continue; // a trailing separator
      return undefined;
    }
    if (NUMBER.test(f)) out.push(Number(f));
    else if (comma && DECIMAL_COMMA.test(f)) out.push(Number(f.replace(',', '.')));
    else return undefined;
  }
  return out.length >= 2 ? out : undefined;
}

/** Column titles of a line, split like the data: the first split giving `cols` fields. */
function titleFields(line: string, cols: number): string[] | undefined {
  const seps: (string | RegExp)[] = line.includes('\t')
    ? ['\t']
    : line.includes(';')
      ? [';']
      : line.includes(',')
        ? [',']
        : [/\s{2,}/, /\s+/];
  for (const sep of seps) {
    const t = line
      .split(sep)
      .map((x) => x.trim())
      .filter((x, i, all) => x !== '' || i < all.length - 1);
    if (t.length === cols) return t;
  }
  return undefined;
}

/** The unit written in a title: 'Time [ms]', 'tau (s)', 'Time/ms', 'Time in ms'. */
export function unitInTitle(title: string): string | undefined {
  if (title.length > 200) return undefined;
  const m = /[[(]\s*([^\])]+?)\s*[\])]|\/\s*([^/]+?)\s*$|\bin\s+(\S+)\s*$/i.exec(title);
  return m ? (m[1] ?? m[2] ?? m[3])!.trim() : undefined;
}

function keyValue(line: string): [string, string] | undefined {
  const text = line.replace(/^\s*(?:#+|;+|\/\/)\s*/, '').trim();
  const m = /^([^:=\t;]{1,64}?)\s*(?::|=|\t|;)\s*(.*)$/.exec(text);
  if (!m) return undefined;
  const key = m[1]!.trim();
  const value = m[2]!.trim().replace(/^"(.*)"$/, '$1');
  return key ? [key, value] : undefined;
}

export function parseMinispec(text: string, file = 'minispec file'): MinispecColumns {
  const lines = text.replace(/^(?:\uFEFF|\u00ef\u00bb\u00bf)/, '').split(/\r\n|\r|\n/);
  const rows: number[][] = [];
  const header: [string, string][] = [];
  const warnings: string[] = [];
  let titleLine: { text: string; kvIndex: number } | undefined;
  let lastText: { text: string; kvIndex: number } | undefined;
  let started = false;
  let ended = false;
  let ignored = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const nums = /^[#;]/.test(line) ? undefined : numericFields(line);
    if (nums) {
      if (ended) {
        ignored++;
        continue;
      }
      if (!started) {
        started = true;
        titleLine = lastText;
      }
      if (nums.length !== rows[0]?.length && rows.length > 0) {
        throw new FormatError(
          file,
          `row ${rows.length + 1} has ${nums.length} values, the first row ${rows[0]!.length}`,
        );
      }
      rows.push(nums);
      continue;
    }
    if (started) ended = true;
    const kv = keyValue(line);
    if (kv) header.push(kv);
    lastText = { text: line, kvIndex: kv ? header.length - 1 : -1 };
  }
  if (rows.length === 0) throw new FormatError(file, 'no rows of numbers (expected point index, time and signal)');
  if (ignored > 0) warnings.push(`${ignored} numeric lines after the data block ignored`);
  const cols = rows[0]!.length;
  // column titles: the last text line before the numbers, when it splits into as many fields
  let titles: string[] | undefined;
  let titleAt = -1;
  if (titleLine !== undefined) {
    const t = titleFields(titleLine.text.replace(/^\s*(?:#+|;+|\/\/)\s*/, ''), cols);
    if (t && t.some((x) => !NUMBER.test(x))) {
      titles = t;
      titleAt = titleLine.kvIndex; // the title line is no header entry
    }
  }
  if (titleAt >= 0) header.splice(titleAt, 1);
  const col = (c: number) => Float64Array.from(rows, (r) => r[c]!);
  const isIndex = (c: number) => rows.every((r, i) => r[c] === i || r[c] === i + 1);
  let xc: number;
  let yc: number;
  if (titles) {
    const ix = titles.findIndex((t) => INDEX_TITLE.test(t));
    xc = titles.findIndex((t, i) => i !== ix && TIME_TITLE.test(t));
    if (xc < 0) xc = ix === 0 && cols >= 3 ? 1 : 0;
    yc = titles.findIndex((t, i) => i !== xc && i !== ix && SIGNAL_TITLE.test(t) && !/imag/i.test(t));
    if (yc < 0) yc = xc + 1 < cols ? xc + 1 : -1;
  } else {
    xc = cols >= 3 && isIndex(0) ? 1 : 0;
    yc = xc + 1;
  }
  if (yc < 0 || yc >= cols || yc === xc)
    throw new FormatError(file, `cannot tell the signal column among ${cols} columns`);
  const isIndexColumn = (c: number) => (titles ? INDEX_TITLE.test(titles[c]!) : c === 0 && xc === 1);
  const extra = [...Array(cols).keys()].filter((c) => c !== xc && c !== yc && !isIndexColumn(c));
  if (extra.length > 0) {
    const names = titles ? ` (${extra.map((c) => titles![c]).join(', ')})` : '';
    warnings.push(`${extra.length} further column${extra.length === 1 ? '' : 's'} ignored${names}`);
  }
  const out: MinispecColumns = { x: col(xc), y: col(yc), header, warnings };
  if (titles) {
    out.titles = titles;
    const u = unitInTitle(titles[xc]!);
    if (u) out.xUnitText = u;
  }
  return out;
}
