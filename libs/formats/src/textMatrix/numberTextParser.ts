/**
 * The streaming parser of the numeric text layout (readNumberTable.ts says the layout and its limits): fed chunks of
 * any size, it keeps at most one unfinished token (≤ MAX_TOKEN_CHARS) between chunks, so time and memory are linear
 * in the file whatever its line lengths. Tokens are parsed in place (parseDecimal), values go into a growing
 * Float64Array; past `ceiling` values it stops with a FormatError.
 */
import { FormatError } from '../acquisition';
import type { CodeUnits } from './parseDecimal';
import { decimalRuns } from './decimalRun';
import { codeUnitsOf, scanDecimal, scanned, textOf } from './parseDecimal';

// Decimal or scientific notation only: Number() alone would also take '', '0x1F', 'Infinity'.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Longest text a number may take (a double's shortest round trip is ≤ 24 characters; padding zeros allowed). */
const MAX_TOKEN_CHARS = 64;

/**
 * Thrown by a parser fed Latin-1 text (bytes as characters) on the first byte ≥ 0x80 outside a comment: the caller
 * starts again decoding UTF-8. Everything before that byte is ASCII, so nothing read so far would have differed.
 */
export const NOT_ASCII = new Error('not ASCII: decode as UTF-8');

export interface NumberTableParts {
  rows: number;
  cols: number;
  data: Float64Array;
}

export class NumberTextParser {
  private data: Float64Array;
  private length = 0;
  private rows = 0;
  private cols = 0;
  private firstRowLine = 0;
  private lineNo = 1;
  private lineValues = 0;
  /** The unfinished token the last chunk ended in ('' when none). */
  private token = '';
  private inComment = false;
  private blankLine = true;
  private started = false;

  private readonly ceiling: number;

  /**
   * `expected`: what the axes describe (the ceiling is 4× and 4096 more); `ceiling` sets it directly. `latin1`: the
   * chunks are bytes decoded as Latin-1 (fast, and exact for ASCII): a byte ≥ 0x80 outside a comment throws NOT_ASCII.
   */
  constructor(
    private readonly file: string,
    private readonly expected?: number,
    ceiling?: number,
    private readonly latin1 = false,
  ) {
    this.ceiling = ceiling ?? (expected !== undefined ? Math.max(4 * expected, expected + 4096) : Infinity);
    this.data = new Float64Array(expected !== undefined ? Math.max(1, Math.min(expected, 1 << 24)) : 1024);
  }

  get count(): number {
    return this.length;
  }

  /**
   * Parses the next piece of the text: a string, or code units (bytes as Latin-1 in the `latin1` mode, where they
   * need no decoding at all).
   */
  feed(input: string | CodeUnits): void {
    const chunk = typeof input === 'string' ? codeUnitsOf(input) : input;
    const n = chunk.length;
    let i = 0;
    if (!this.started) {
      this.started = true;
      if (chunk[0] === 0xfeff) i = 1;
      else if (this.latin1 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    if (this.inComment) {
      const nl = chunk.indexOf(10, i);
      if (nl === -1) return;
      this.inComment = false;
      i = nl;
    }
    if (this.token.length > 0) {
      // The token the last chunk ended in goes on to the first separator.
      let j = i;
      while (j < n && !this.isSeparator(chunk[j]!)) {
        if (j - i + this.token.length >= MAX_TOKEN_CHARS) {
          this.token += textOf(chunk, i, j + 1);
          this.notANumber();
        }
        j++;
      }
      this.token += textOf(chunk, i, j);
      if (j === n) return;
      const token = codeUnitsOf(this.token);
      this.token = '';
      this.endToken(token, 0, token.length);
      i = j;
    }
    // Latin-1 bytes: runs of plain numbers read by the WebAssembly kernels where they are loaded.
    const runs = this.latin1 && typeof input !== 'string' ? decimalRuns(chunk as Uint8Array) : undefined;
    while (i < n) {
      const c = chunk[i]!;
      // ASCII separators tested here, not by a call: a call per byte is what the first, unoptimised pass pays for.
      if (c === 32 || c === 44 || (c >= 9 && c <= 13) || (c >= 128 && this.isSeparator(c))) {
        if (c === 10) this.endLine();
        i++;
      } else if (c === 35 && this.blankLine) {
        const nl = chunk.indexOf(10, i);
        if (nl === -1) {
          this.inComment = true;
          return;
        }
        i = nl;
      } else {
        this.blankLine = false;
        if (runs) {
          const stop = runs.from(i);
          if (stop > i) {
            this.pushAll(runs.values());
            i = stop;
            continue;
          }
        }
        // Fast path: a finite number followed by a separator, read in one pass; anything else takes the path below.
        const value = scanDecimal(chunk, i, Math.min(n, i + MAX_TOKEN_CHARS + 1));
        const stop = scanned.end;
        const next = stop < n ? chunk[stop]! : -1;
        if (
          value - value === 0 &&
          stop < n &&
          stop - i <= MAX_TOKEN_CHARS &&
          (next === 32 || next === 10 || this.isSeparator(next))
        ) {
          this.push(value);
          i = stop;
          continue;
        }
        const start = i;
        i++;
        while (i < n && !this.isSeparator(chunk[i]!)) {
          if (i - start >= MAX_TOKEN_CHARS) {
            this.token = textOf(chunk, start, i + 1);
            this.notANumber();
          }
          i++;
        }
        if (i === n) {
          this.token = textOf(chunk, start, n);
          return;
        }
        this.endToken(chunk, start, i);
      }
    }
  }

  /** Whether the token the input ended in (no separator after it yet) reads as a number. */
  pendingIsNumber(): boolean {
    return this.token.length > 0 && NUMBER.test(this.token);
  }

  finish(): NumberTableParts {
    if (this.token.length > 0) {
      const token = codeUnitsOf(this.token);
      this.token = '';
      this.endToken(token, 0, token.length);
    }
    if (this.lineValues > 0) this.endLine();
    if (this.rows === 0) throw new FormatError(this.file, 'empty file (no numbers)');
    const data = this.length === this.data.length ? this.data : this.data.slice(0, this.length);
    return { rows: this.rows, cols: this.cols, data };
  }

  /** Separator test for one UTF-16 unit: ASCII blanks and commas, and any other Unicode white space. */
  private isSeparator(c: number): boolean {
    if (c === 32 || c === 44 || (c >= 9 && c <= 13)) return true;
    if (c < 128) return false;
    if (this.latin1) throw NOT_ASCII;
    return /\s/.test(String.fromCharCode(c));
  }

  private notANumber(): never {
    const token = this.token;
    const problem = NOT_FINITE.test(token) ? `${token} (not finite)` : `'${token.slice(0, 40)}' is not a number`;
    throw new FormatError(this.file, `line ${this.lineNo}: ${problem}`);
  }

  /** Ends the token `s` holds from `start` to `end`. */
  private endToken(s: CodeUnits, start: number, end: number): void {
    const value = scanDecimal(s, start, end);
    if (value !== value || scanned.end !== end) {
      this.token = textOf(s, start, end);
      this.notANumber();
    }
    // Decimal text can still overflow a double (1e999).
    if (value === Infinity || value === -Infinity) {
      throw new FormatError(this.file, `line ${this.lineNo}: ${textOf(s, start, end)} (not finite)`);
    }
    this.push(value);
  }

  /** Adds one value of the current line, after the ceiling and the row length are checked. */
  private push(value: number): void {
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

  /** Adds the values of one run, as push would one by one (which says what is wrong where any check fails). */
  private pushAll(values: Float64Array): void {
    const count = values.length;
    if (this.length + count > this.ceiling || (this.rows > 0 && this.lineValues + count > this.cols)) {
      for (const value of values) this.push(value);
      return;
    }
    while (this.length + count > this.data.length) this.grow();
    this.data.set(values, this.length);
    this.length += count;
    this.lineValues += count;
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
