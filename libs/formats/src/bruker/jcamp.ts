/**
 * Bruker TopSpin parameter files (`acqus`, `acqu2s`, `procs`, `audita.txt`, …) are JCAMP-DX 5 text:
 *
 *   ##TITLE= Parameter file, TOPSPIN   Version 3.2      standard record
 *   $$ 2020-11-18 14:23:57.503 +0100  user@host         comment line
 *   ##$TD= 8192                                        vendor ($) record, one number
 *   ##$PULPROG= <t1ir>                                 string in angle brackets
 *   ##$D= (0..63)                                      array: index range, values on the following lines
 *   0 15 0 0 …
 *   ##END=
 *
 * The parser keeps every record's text exactly as written (plus comment lines, in order), so `writeJcamp` of a
 * parsed file reproduces it byte for byte; values are decoded on demand by `jcampValue`. Files are decoded as
 * latin1 (TopSpin writes 8-bit text), which never fails, so garbage is detected by its control characters instead.
 */
import { FormatError } from '../acquisition';

export interface JcampRecord {
  kind: 'record';
  /** Key as written, without `##` and without the `$` of vendor records, e.g. `TD`, `TITLE`. */
  key: string;
  /** Vendor-specific record (`##$KEY=`). */
  vendor: boolean;
  /** Everything after `=`, continuation lines joined with '\n', exactly as written (a CRLF file keeps its '\r's). */
  raw: string;
}

export interface JcampComment {
  kind: 'comment';
  /** The whole line, `$$` included (or any other line outside a record, e.g. before the first `##`). */
  text: string;
}

export type JcampLine = JcampRecord | JcampComment;

export interface JcampFile {
  lines: JcampLine[];
  /** Line ending found in the source ('\n' or '\r\n'), used for records added later. Lines are split on '\n' only,
   *  so each keeps its own '\r': files with mixed endings are reproduced exactly too. */
  eol: '\n' | '\r\n';
  /** Whether the source ended with a line ending. */
  finalEol: boolean;
}

export type JcampValue = number | string | number[] | string[];

export interface ParseJcampOptions {
  /** Name used in errors (default 'JCAMP-DX text'). */
  file?: string;
}

/** Share of control characters above which the text is judged binary garbage rather than JCAMP-DX. */
const MAX_CONTROL_SHARE = 0.01;

export function parseJcamp(input: string | Uint8Array, options: ParseJcampOptions = {}): JcampFile {
  const file = options.file ?? 'JCAMP-DX text';
  const text =
    typeof input === 'string'
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new FormatError(file, `binary content (NUL byte at offset ${i}), not JCAMP-DX text`);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127 || (c >= 128 && c < 160)) control++;
  }
  if (text.length > 0 && control / text.length > MAX_CONTROL_SHARE) {
    throw new FormatError(file, `binary content (${control} control characters in ${text.length}), not JCAMP-DX text`);
  }
  const eol: '\n' | '\r\n' = text.includes('\r\n') ? '\r\n' : '\n';
  const finalEol = text.endsWith('\n');
  const body = finalEol ? text.slice(0, -1) : text;
  const rawLines = body.length === 0 ? [] : body.split('\n');
  const lines: JcampLine[] = [];
  let current: JcampRecord | undefined;
  let records = 0;
  for (const line of rawLines) {
    if (line.startsWith('##')) {
      const eq = line.indexOf('=');
      if (eq < 0) throw new FormatError(file, `record without '=': ${JSON.stringify(line.slice(0, 60))}`);
      const label = line.slice(2, eq);
      const vendor = label.startsWith('$');
      current = { kind: 'record', key: vendor ? label.slice(1) : label, vendor, raw: line.slice(eq + 1) };
      lines.push(current);
      records++;
    } else if (line.startsWith('$$') || current === undefined) {
      // A comment line ends the value of the record before it: TopSpin never continues a value after `$$`.
      lines.push({ kind: 'comment', text: line });
      if (line.startsWith('$$')) current = undefined;
    } else {
      current.raw += '\n' + line;
    }
  }
  if (records === 0) throw new FormatError(file, 'no JCAMP-DX records (##KEY= lines) found');
  return { lines, eol, finalEol };
}

/** The records of a file keyed by upper-case key (`TD`, `PULPROG`); later duplicates win. */
export function jcampRecords(jcamp: JcampFile): Map<string, JcampRecord> {
  const map = new Map<string, JcampRecord>();
  for (const line of jcamp.lines) if (line.kind === 'record') map.set(line.key.toUpperCase(), line);
  return map;
}

const ARRAY_HEAD = /^\s*\((\d+)\.\.(\d+)\)\s*/;
const NUMBER = /^[+-]?(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Decodes a record's raw text: `(lo..hi)` arrays of numbers or `<strings>`, a `<string>`, a number, or the trimmed
 * text. `$$` trailing comments on a one-line value are dropped (`##NPOINTS= 11 $$ modification number`).
 */
export function jcampValue(raw: string): JcampValue {
  const head = ARRAY_HEAD.exec(raw);
  if (head) {
    const rest = raw.slice(head[0].length);
    if (rest.includes('<')) {
      const out: string[] = [];
      for (const m of rest.matchAll(/<([^>]*)>/g)) out.push(m[1] ?? '');
      return out;
    }
    const tokens = rest.split(/\s+/).filter((t) => t.length > 0);
    return tokens.map((t) => (isNumber(t) ? Number(t) : Number.NaN));
  }
  let text = raw.trim(); // also drops the '\r' of CRLF files
  const comment = text.indexOf('$$');
  if (comment >= 0 && !text.startsWith('<')) text = text.slice(0, comment).trim();
  if (text.startsWith('<') && text.endsWith('>')) return text.slice(1, -1);
  if (isNumber(text)) return Number(text);
  return text;
}

/** Length-capped so the regex stays linear on hostile input (no number TopSpin writes is longer). */
function isNumber(t: string): boolean {
  return t.length <= 64 && NUMBER.test(t);
}

/** Encodes a value the way TopSpin writes it (arrays 10 values a line is not required; one line is read back). */
export function formatJcampValue(value: JcampValue): string {
  if (typeof value === 'number') return ` ${formatNumber(value)}`;
  if (typeof value === 'string') return ` <${value}>`;
  const n = value.length;
  const items = (value as (number | string)[]).map((v) => (typeof v === 'number' ? formatNumber(v) : `<${v}>`));
  const rows: string[] = [];
  for (let i = 0; i < items.length; i += 10) rows.push(items.slice(i, i + 10).join(' '));
  return ` (0..${n - 1})\n${rows.join('\n')}`;
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`JCAMP-DX numbers must be finite, got ${v}`);
  return String(v);
}
