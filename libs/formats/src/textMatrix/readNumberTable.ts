/**
 * Reader of the plain numeric text both `lapis-acquisition/1` data files and text-matrix files use:
 * numbers separated by white space or commas, one row per line; a line whose first non-blank character is `#`
 * is a comment; blank lines are skipped; CRLF and a UTF-8 byte-order mark are tolerated.
 *
 * The file is streamed through a parser that holds one token at a time, with a byte ceiling checked before (from its
 * size) and while reading (a file still growing), and a value ceiling when the axes are known, so a wrong path to a
 * huge file, or a file without newlines, fails fast and in linear time instead of exhausting memory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FormatError } from '../acquisition';

/** 512 MiB: far beyond any Laplace data set (a 16 000-echo × 128-delay T1–T2 map is ~40 MB of text). */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** Values an axis file is expected to hold at most (far beyond any echo train or delay list): bounds what is read. */
export const MAX_AXIS_VALUES = 1_000_000;

/**
 * One-file vendor exports (GeoSpec, minispec, Tecmag, Prospa) are read whole: 64 MiB is several times the largest a
 * relaxometer writes (a 64 × 16 384 T1–T2 set as text is ≈ 15 MB), and keeps a wrong file from filling memory.
 */
export const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export interface NumberTable {
  rows: number;
  cols: number;
  /** Row-major rows × cols. */
  data: Float64Array;
}

export interface ReadNumberTableOptions {
  /** Refuse files larger than this many bytes (default 512 MiB). */
  maxBytes?: number;
  /**
   * How many values the axes describe, when they are known: reading stops with an error as soon as the file holds
   * far more (4× and 4096 more), so a wrong or hostile file costs no more than the data it should have been.
   */
  expectedValues?: number;
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
  const parser = new NumberTextParser(file, options.expectedValues);
  let bytes = 0;
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
      parser.feed(chunk);
    }
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError(file, `cannot read data file (${(error as Error).message})`, { cause: error });
  } finally {
    stream.destroy();
  }
  return parser.finish();
}

/** Parses a numeric table held in memory (same rules as `readNumberTable`); `file` only names it in errors. */
export function parseNumberTable(text: string, file: string, options: { expectedValues?: number } = {}): NumberTable {
  const parser = new NumberTextParser(file, options.expectedValues);
  parser.feed(text);
  return parser.finish();
}

/**
 * How many numbers `file` holds, counting no further than `limit` (a writer's progress: the agent asks whether an
 * acquisition's data file is complete). Streams the file with the parser's rules, so the cost is linear and stops
 * at `limit`; a file the parser refuses counts as `limit` (finished, and the reader will say what is wrong).
 */
export async function countNumbers(file: string, limit: number): Promise<number> {
  const parser = new NumberTextParser(file, undefined, limit);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      parser.feed(chunk);
      if (parser.count >= limit) return limit;
    }
    // A last number without a newline counts; a token cut off mid-write ('1.2e') does not.
    return Math.min(parser.count + (parser.pendingIsNumber() ? 1 : 0), limit);
  } catch (error) {
    if (error instanceof FormatError) return limit;
    throw error;
  } finally {
    stream.destroy();
  }
}

/** Longest text a number may take (a double's shortest round trip is ≤ 24 characters; padding zeros allowed). */
const MAX_TOKEN_CHARS = 64;

/** Separator test for one UTF-16 unit: ASCII blanks and commas, and any other Unicode white space. */
function isSeparator(c: number): boolean {
  if (c === 32 || c === 44 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && /\s/.test(String.fromCharCode(c));
}

/**
 * Streaming parser of the numeric text layout: fed chunks of any size, it keeps only the current token (at most
 * MAX_TOKEN_CHARS), so time and memory are linear in the file whatever its line lengths (a file without newlines
 * used to be quadratic). Values go into a growing Float64Array; past `ceiling` values it stops with a FormatError.
 */
class NumberTextParser {
  private data: Float64Array;
  private length = 0;
  private rows = 0;
  private cols = 0;
  private firstRowLine = 0;
  private lineNo = 1;
  private lineValues = 0;
  private token = '';
  private inComment = false;
  private blankLine = true;
  private started = false;

  private readonly ceiling: number;

  /** `expected`: what the axes describe (the ceiling is 4× and 4096 more); `ceiling` sets it directly. */
  constructor(
    private readonly file: string,
    private readonly expected?: number,
    ceiling?: number,
  ) {
    this.ceiling = ceiling ?? (expected !== undefined ? Math.max(4 * expected, expected + 4096) : Infinity);
    this.data = new Float64Array(expected !== undefined ? Math.max(1, Math.min(expected, 1 << 24)) : 1024);
  }

  get count(): number {
    return this.length;
  }

  feed(chunk: string): void {
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = chunk.length;
    let tokenStart = -1;
    while (i < n) {
      if (this.inComment) {
        const nl = chunk.indexOf('\n', i);
        if (nl === -1) return;
        this.inComment = false;
        i = nl;
      }
      const c = chunk.charCodeAt(i);
      if (isSeparator(c)) {
        if (tokenStart >= 0) {
          this.token += chunk.slice(tokenStart, i);
          tokenStart = -1;
        }
        if (this.token.length > 0) this.endToken();
        if (c === 10) this.endLine();
      } else if (c === 35 && this.blankLine) {
        this.inComment = true;
      } else {
        this.blankLine = false;
        if (tokenStart < 0) tokenStart = i;
        if (i - tokenStart + this.token.length >= MAX_TOKEN_CHARS) {
          this.token += chunk.slice(tokenStart, i + 1);
          this.notANumber();
        }
      }
      i++;
    }
    if (tokenStart >= 0) this.token += chunk.slice(tokenStart);
  }

  /** Whether the token the input ended in (no separator after it yet) reads as a number. */
  pendingIsNumber(): boolean {
    return this.token.length > 0 && NUMBER.test(this.token);
  }

  /** Ends a token the input ended in (no final newline). */
  private flushToken(): void {
    if (this.token.length > 0) this.endToken();
  }

  finish(): NumberTable {
    this.flushToken();
    if (this.lineValues > 0) this.endLine();
    if (this.rows === 0) throw new FormatError(this.file, 'empty file (no numbers)');
    return { rows: this.rows, cols: this.cols, data: this.data.slice(0, this.length) };
  }

  private notANumber(): never {
    const token = this.token;
    const problem = NOT_FINITE.test(token) ? `${token} (not finite)` : `'${token.slice(0, 40)}' is not a number`;
    throw new FormatError(this.file, `line ${this.lineNo}: ${problem}`);
  }

  private endToken(): void {
    const token = this.token;
    this.token = '';
    if (!NUMBER.test(token)) {
      this.token = token;
      this.notANumber();
    }
    const value = Number(token);
    // Decimal text can still overflow a double (1e999).
    if (!Number.isFinite(value)) throw new FormatError(this.file, `line ${this.lineNo}: ${token} (not finite)`);
    if (this.length >= this.ceiling) {
      throw new FormatError(
        this.file,
        this.expected !== undefined
          ? `far more values than the axes describe (${this.expected}): over ${this.ceiling} by line ${this.lineNo}`
          : `more than ${this.ceiling} values`,
      );
    }
    if (this.rows > 0 && this.lineValues >= this.cols) this.ragged(`more than ${this.cols}`);
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
    this.lineValues++;
  }

  private endLine(): void {
    if (this.lineValues > 0) {
      if (this.rows === 0) {
        this.cols = this.lineValues;
        this.firstRowLine = this.lineNo;
      } else if (this.lineValues !== this.cols) this.ragged(String(this.lineValues));
      this.rows++;
    }
    this.lineValues = 0;
    this.blankLine = true;
    this.lineNo++;
  }

  private ragged(values: string): never {
    throw new FormatError(
      this.file,
      `ragged rows: line ${this.lineNo} has ${values} values, line ${this.firstRowLine} has ${this.cols}`,
    );
  }

  private grow(): void {
    const grown = new Float64Array(this.data.length * 2);
    grown.set(this.data);
    this.data = grown;
  }
}
