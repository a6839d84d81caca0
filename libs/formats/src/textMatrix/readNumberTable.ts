/**
 * Reader of the plain numeric text both `lapis-acquisition/1` data files and text-matrix files use:
 * numbers separated by white space or commas, one row per line; a line whose first non-blank character is `#`
 * is a comment; blank lines are skipped; CRLF and a UTF-8 byte-order mark are tolerated.
 *
 * The file is read in 256 KiB chunks into one reused buffer, through a parser that holds one token at a time, with a
 * byte ceiling checked before (from its size) and while reading (a file still growing), and a value ceiling when the
 * axes are known, so a wrong path to a huge file, or a file without newlines, fails fast and in linear time instead of
 * exhausting memory.
 */
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { FormatError } from '../acquisition';
import { fileChunks } from '../fileChunks';
import { NOT_ASCII, NumberTextParser } from './numberTextParser';

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

/**
 * The file is read in chunks of this size into one buffer, reused: a 2 MB data set read whole would first touch 2 MB
 * of fresh memory and then copy it (docs/BENCHMARKS.md, "Reading in chunks"); memory stays bounded whatever the file.
 */
const READ_CHUNK_BYTES = 256 * 1024;
/** Counting a file still being written reads it in smaller chunks: it often stops early, at the limit. */
const COUNT_CHUNK_BYTES = 64 * 1024;

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

/**
 * Reads a numeric table; every problem is a FormatError naming the file and, where it applies, the line. The bytes
 * are first parsed as Latin-1 text (no UTF-8 decoding: exact for ASCII); a byte ≥ 0x80 outside a comment starts the
 * parse again decoding UTF-8, so Unicode white space and the messages about odd characters are as before.
 */
export async function readNumberTable(file: string, options: ReadNumberTableOptions = {}): Promise<NumberTable> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = await checkReadableFile(file, 'data file', maxBytes);
  try {
    return await parseFile(file, size, maxBytes, options.expectedValues, 'latin1');
  } catch (error) {
    if (error !== NOT_ASCII) throw error;
  }
  return parseFile(file, size, maxBytes, options.expectedValues, 'utf8');
}

function tooLarge(file: string, maxBytes: number): FormatError {
  return new FormatError(file, `file too large: more than ${formatMegabytes(maxBytes)} read (it is still growing?)`);
}

/** One pass over `file` decoded as `encoding`, chunk by chunk through one buffer (the parser copies what it keeps). */
async function parseFile(
  file: string,
  size: number,
  maxBytes: number,
  expectedValues: number | undefined,
  encoding: 'latin1' | 'utf8',
): Promise<NumberTable> {
  const parser = new NumberTextParser(file, expectedValues, undefined, encoding === 'latin1');
  const decoder = encoding === 'utf8' ? new StringDecoder('utf8') : undefined;
  let bytes = 0;
  try {
    for await (const chunk of fileChunks(file, Math.max(1, Math.min(size + 1, READ_CHUNK_BYTES)))) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw tooLarge(file, maxBytes);
      parser.feed(decoder ? decoder.write(chunk) : chunk);
    }
    if (decoder) parser.feed(decoder.end());
  } catch (error) {
    if (error instanceof FormatError || error === NOT_ASCII) throw error;
    throw new FormatError(file, `cannot read data file (${(error as Error).message})`, { cause: error });
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
  try {
    return await countAs(file, limit, 'latin1');
  } catch (error) {
    if (error !== NOT_ASCII) throw error;
  }
  return countAs(file, limit, 'utf8');
}

/** One counting pass: bytes as Latin-1 code units (NOT_ASCII past a byte ≥ 0x80), or decoded UTF-8. */
async function countAs(file: string, limit: number, encoding: 'latin1' | 'utf8'): Promise<number> {
  const parser = new NumberTextParser(file, undefined, limit, encoding === 'latin1');
  const decoder = encoding === 'utf8' ? new StringDecoder('utf8') : undefined;
  try {
    for await (const chunk of fileChunks(file, COUNT_CHUNK_BYTES)) {
      parser.feed(decoder ? decoder.write(chunk) : chunk);
      if (parser.count >= limit) return limit;
    }
    if (decoder) parser.feed(decoder.end());
    // A last number without a newline counts; a token cut off mid-write ('1.2e') does not.
    return Math.min(parser.count + (parser.pendingIsNumber() ? 1 : 0), limit);
  } catch (error) {
    if (error instanceof FormatError) return limit;
    throw error;
  }
}
