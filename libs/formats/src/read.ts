/**
 * One entry point for every data layout: `detectReader(path, options)` asks each registered reader, most specific
 * first, whether it recognises the path; `readDetected` reads with the one it found; `detectAndRead` does both.
 * Vendor readers (Bruker, Prospa, …) join with `registerReader` (or by adding themselves to `builtInReaders`)
 * without touching callers. The reader interface lives in formatReader.ts, which readers import instead of this.
 * Built in, most specific first: lapis-acquisition/1 (100, a marker file), Bruker TopSpin (80, acqus with fid/ser),
 * Magritek Spinsolve (76, an acqu.par naming a relaxation or diffusion experiment), GIT Systems GeoSpec (75, a text
 * export starting [GITData]), Tecmag TNMR (74, a .tnt file's magic TNT1.00x or its text export), Prospa (70, a
 * .1d–.4d file with its tags), Bruker minispec (60, a .dps curve or a text export naming the minispec), text matrix
 * (0, any file once axis files are given). The vendor readers load their implementations (and @lapis/spectra, which
 * some process with) only when they detect or read, so a command reading a lapis acquisition or a text matrix does
 * not load them (docs/BENCHMARKS.md, "Loading less").
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Acquisition } from './acquisition';
import { FormatError } from './acquisition';
import { checkAcquisition } from './checkAcquisition';
import { brukerReader } from './bruker/brukerReader';
import { geoSpecReader } from './geospec/geoSpecReader';
import { prospaReader } from './prospa/prospaReader';
import { minispecReader } from './minispec/minispecReader';
import { tecmagReader } from './tecmag/tecmagReader';
import { spinsolveReader } from './spinsolve/spinsolveReader';
import { ACQUISITION_JSON, readLapisAcquisition } from './lapis/readLapisAcquisition';
import { readTextMatrix } from './textMatrix/readTextMatrix';
import type { DetectedReader, FormatReader, ReadOptions } from './formatReader';

export type { DetectedReader, FormatReader, ReadOptions } from './formatReader';

async function kindOf(path: string): Promise<'file' | 'dir' | 'missing' | 'other'> {
  try {
    const s = await stat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

export const lapisAcquisitionReader: FormatReader = {
  name: 'lapis-acquisition/1',
  priority: 100,
  async detect(path) {
    const kind = await kindOf(path);
    if (kind === 'dir') return (await kindOf(join(path, ACQUISITION_JSON))) === 'file';
    return kind === 'file' && path.endsWith(ACQUISITION_JSON);
  },
  read: (path, options) => readLapisAcquisition(path, options),
};

export const textMatrixReader: FormatReader = {
  name: 'text-matrix',
  priority: 0,
  async detect(path, options) {
    return options.axis1 !== undefined && (await kindOf(path)) === 'file';
  },
  read(path, options) {
    if (!options.kernel1)
      throw new FormatError(path, 'a text matrix needs the kernel of each axis (--kernel1, --kernel2)');
    return readTextMatrix({
      data: path,
      axis1: options.axis1!,
      axis2: options.axis2,
      kernel1: options.kernel1,
      kernel2: options.kernel2,
      unit1: options.unit1,
      unit2: options.unit2,
      beta1: options.beta1,
      maxBytes: options.maxBytes,
    });
  },
};

export const builtInReaders: readonly FormatReader[] = [
  lapisAcquisitionReader,
  brukerReader,
  spinsolveReader,
  geoSpecReader,
  tecmagReader,
  prospaReader,
  minispecReader,
  textMatrixReader,
];

const registry: FormatReader[] = [...builtInReaders];

/** Adds a reader (replacing one of the same name); readers are tried by priority, highest first. */
export function registerReader(reader: FormatReader): void {
  const at = registry.findIndex((r) => r.name === reader.name);
  if (at >= 0) registry.splice(at, 1);
  registry.push(reader);
}

/** The registered readers in the order `detectAndRead` tries them. */
export function listReaders(): FormatReader[] {
  return [...registry].sort((a, b) => b.priority - a.priority);
}

/**
 * Why `path` cannot be read as a file or folder, in the user's words (undefined when it can): a missing path, a
 * symbolic-link loop, a FIFO or device, no permission, or a name that was not UTF-8 on disk (Node sees U+FFFD).
 */
export async function unreadablePath(path: string): Promise<string | undefined> {
  let s;
  try {
    s = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && path.includes('\ufffd'))
      return 'no such file or directory (the name holds bytes that are not UTF-8 on disk, which Lapis cannot open: rename it)';
    const why: Record<string, string> = {
      ENOENT: 'no such file or directory',
      ELOOP: 'a loop of symbolic links',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      ENOTDIR: 'a part of the path is a file, not a folder',
      ENAMETOOLONG: 'the path is too long',
    };
    return why[code ?? ''] ?? `cannot be read (${code ?? String(error)})`;
  }
  if (s.isFile() || s.isDirectory()) return undefined;
  if (s.isFIFO()) return 'a FIFO (named pipe), not a file or folder';
  if (s.isSocket()) return 'a socket, not a file or folder';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device, not a file or folder';
  return 'not a file or folder';
}

/**
 * Which layout `path` is: the first registered reader, by priority, that recognises it (undefined: none does —
 * `readDetected` then says which layouts were expected). The one detection every caller makes; a path that cannot
 * be opened as a file or folder (missing, a FIFO, a link loop, …) is a FormatError before any reader touches it.
 */
export async function detectReader(path: string, options: ReadOptions = {}): Promise<DetectedReader | undefined> {
  const full = resolve(path);
  const unreadable = await unreadablePath(full);
  if (unreadable) throw new FormatError(full, unreadable);
  for (const reader of listReaders()) {
    if (await reader.detect(full, options)) return { reader, name: reader.name };
  }
  return undefined;
}

/**
 * Reads `path` with the reader `detectReader` found for it, and checks the acquisition; a FormatError when there
 * was none (naming the layouts Lapis knows) or the read fails.
 */
export async function readDetected(
  path: string,
  detected: DetectedReader | undefined,
  options: ReadOptions = {},
): Promise<Acquisition> {
  const full = resolve(path);
  if (detected) return checkAcquisition(await detected.reader.read(full, options), full);
  const hint =
    (await kindOf(full)) === 'dir'
      ? `no known acquisition layout in this directory (expected ${ACQUISITION_JSON}, a TopSpin experiment folder: acqus with fid or ser, or a Spinsolve experiment: acqu.par naming T1, T2, T1IRT2, DT2 or PGSTE)`
      : 'not a known layout (a lapis acquisition.json, a GeoSpec text export, a Tecmag .tnt file, a Prospa .1d/.2d file, a minispec .dps curve, or a text matrix with its axis files and kernels: --axis1 FILE --kernel1 K …)';
  throw new FormatError(full, hint);
}

/** Reads `path` with the first reader that recognises it; a FormatError when none does or the read fails. */
export async function detectAndRead(path: string, options: ReadOptions = {}): Promise<Acquisition> {
  return readDetected(path, await detectReader(path, options), options);
}
