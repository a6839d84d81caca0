/**
 * Reader of the plain numeric text both `lapis-acquisition/1` data files and text-matrix files use:
 * numbers separated by white space or commas, one row per line; a line whose first non-blank character is `#`
 * is a comment; blank lines are skipped; CRLF and a UTF-8 byte-order mark are tolerated.
 *
 * The file is streamed line by line with a byte ceiling checked before (from its size) and while reading (a file
 * still growing), so a wrong path to a huge file fails fast instead of exhausting memory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FormatError } from '../acquisition';

/** 512 MiB: far beyond any Laplace data set (a 16 000-echo × 128-delay T1–T2 map is ~40 MB of text). */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface NumberTable {
  rows: number;
  cols: number;
  /** Row-major rows × cols. */
  data: Float64Array;
}

export interface ReadNumberTableOptions {
  /** Refuse files larger than this many bytes (default 512 MiB). */
  maxBytes?: number;
}

// Decimal or scientific notation only: Number() alone would also take '', '0x1F', 'Infinity'.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Megabytes with one decimal, for messages. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Stats `file` and throws a FormatError when it is missing, not a regular file, or larger than `maxBytes`. */
export async function checkReadableFile(file: string, what: string, maxBytes = DEFAULT_MAX_BYTES): Promise<number> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new FormatError(file, `${what} is not a regular file`);
    size = s.size;
  } catch (error) {
    if (error instanceof FormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FormatError(
      file,
      code === 'ENOENT' ? `${what} not found` : `cannot read ${what} (${code ?? String(error)})`,
      {
        cause: error,
      },
    );
  }
  if (size > maxBytes) {
    throw new FormatError(file, `file too large: ${formatMegabytes(size)} (limit ${formatMegabytes(maxBytes)})`);
  }
  return size;
}

/** Reads a numeric table; every problem is a FormatError naming the file and, where it applies, the line. */
export async function readNumberTable(file: string, options: ReadNumberTableOptions = {}): Promise<NumberTable> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  await checkReadableFile(file, 'data file', maxBytes);
  const builder = new TableBuilder(file);
  let bytes = 0;
  let rest = '';
  let lineNo = 0;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      bytes += Buffer.byteLength(chunk, 'utf8');
      if (bytes > maxBytes) {
        throw new FormatError(
          file,
          `file too large: more than ${formatMegabytes(maxBytes)} read (it is still growing?)`,
        );
      }
      const text = rest + chunk;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        builder.line(text.slice(start, nl), ++lineNo);
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest.length > 0) builder.line(rest, ++lineNo);
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError(file, `cannot read data file (${(error as Error).message})`, { cause: error });
  } finally {
    stream.destroy();
  }
  return builder.finish();
}

/** Parses a numeric table held in memory (same rules as `readNumberTable`); `file` only names it in errors. */
export function parseNumberTable(text: string, file: string): NumberTable {
  const builder = new TableBuilder(file);
  const lines = text.split('\n');
  lines.forEach((line, i) => builder.line(line, i + 1));
  return builder.finish();
}

/** Accumulates rows into a growing Float64Array and checks them as they come. */
class TableBuilder {
  private data = new Float64Array(1024);
  private length = 0;
  private rows = 0;
  private cols = 0;
  private firstRowLine = 0;

  constructor(private readonly file: string) {}

  line(raw: string, lineNo: number): void {
    let line = raw.trim();
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1).trim();
    if (line.length === 0 || line.startsWith('#')) return;
    // Separators: white space and/or commas; a trailing comma (spreadsheet export) is not an empty value.
    const tokens = line.split(/[\s,]+/).filter((t) => t.length > 0);
    if (tokens.length === 0) return;
    if (this.rows === 0) {
      this.cols = tokens.length;
      this.firstRowLine = lineNo;
    } else if (tokens.length !== this.cols) {
      throw new FormatError(
        this.file,
        `ragged rows: line ${lineNo} has ${tokens.length} values, line ${this.firstRowLine} has ${this.cols}`,
      );
    }
    this.reserve(tokens.length);
    for (const token of tokens) {
      if (!NUMBER.test(token)) {
        const problem = NOT_FINITE.test(token) ? `${token} (not finite)` : `'${token.slice(0, 40)}' is not a number`;
        throw new FormatError(this.file, `line ${lineNo}: ${problem}`);
      }
      const value = Number(token);
      // Decimal text can still overflow a double (1e999).
      if (!Number.isFinite(value)) throw new FormatError(this.file, `line ${lineNo}: ${token} (not finite)`);
      this.data[this.length++] = value;
    }
    this.rows++;
  }

  finish(): NumberTable {
    if (this.rows === 0) throw new FormatError(this.file, 'empty file (no numbers)');
    return { rows: this.rows, cols: this.cols, data: this.data.slice(0, this.length) };
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Float64Array(size);
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }
}
