/**
 * Is an acquisition directory finished? The watcher asks only after the directory has been quiet for `settleMs`;
 * this check then looks inside, because an instrument can pause mid-write for longer than any quiet period.
 *
 * - `lapis-acquisition/1`: the data file exists and holds at least as many numbers as the axes promise (counted
 *   only when its size or mtime changed, and no further than the axes promise).
 * - Bruker (`acqus`): `classifyCompletion` of libs/formats (TopSpin's audit record, rows written, quiet period).
 * - Spinsolve (`acqu.par`): a data file is there (data.1d/.2d, a step folder's data.1d, or a text export) —
 *   Spinsolve writes acqu.par when the experiment starts and the data when it ends.
 * - One-file layouts (a GeoSpec export, a minispec curve, a Tecmag .tnt, a Prospa file) in a folder that is not an
 *   acquisition of its own: the file is the acquisition once quiet, if a registered reader recognises it.
 * `complete` does not mean valid: a malformed set is complete and fails in the reader, with its reason.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  classifyCompletion,
  countNumbers,
  DEFAULT_MAX_BYTES,
  detectReader,
  MAX_ACQUISITION_JSON_BYTES,
} from '@lapis/formats';

export type Completion = 'complete' | 'incomplete' | 'not-an-acquisition';

/** Marker files that make a directory an acquisition, by layout. */
export const ACQUISITION_MARKERS = ['acquisition.json', 'acqus', 'acqu.par'] as const;

/** Extensions of the layouts that are one file (GeoSpec and minispec text, minispec .dps, Tecmag .tnt, Prospa). */
const FILE_ACQUISITION = /^\.(txt|csv|dps|tnt|1d|2d)$/i;

/** Could `path` be a one-file acquisition? (By its name: the completion check asks the readers.) */
export function isFileAcquisitionName(path: string): boolean {
  return FILE_ACQUISITION.test(extname(path));
}

export type CompletionCheck = (dir: string) => Promise<Completion>;

/** The last count per data file, by size and mtime: a file that has not changed is not read again. */
const counted = new Map<string, { size: number; mtimeMs: number; values: number }>();

/**
 * Values written so far, up to `expected` (libs/formats `countNumbers`: streamed, linear, stops at `expected`).
 * A file the reader would refuse (not numbers, NaN, far too large) counts as complete, so it fails at once with the
 * reader's reason instead of waiting for the incomplete-timeout.
 */
async function valuesWritten(file: string, expected: number): Promise<number> {
  const s = await stat(file);
  if (!s.isFile() || s.size > DEFAULT_MAX_BYTES) return expected;
  const seen = counted.get(file);
  if (seen && seen.size === s.size && seen.mtimeMs === s.mtimeMs) return seen.values;
  const values = await countNumbers(file, expected);
  if (counted.size > 1000) counted.clear();
  counted.set(file, { size: s.size, mtimeMs: s.mtimeMs, values });
  return values;
}

async function lapisCompletion(dir: string): Promise<Completion> {
  let doc: { data?: unknown; axes?: unknown };
  try {
    const json = join(dir, 'acquisition.json');
    const s = await stat(json);
    // too large, or a FIFO (reading it would block): the reader refuses it, with its reason
    if (!s.isFile() || s.size > MAX_ACQUISITION_JSON_BYTES) return 'complete';
    doc = JSON.parse(await readFile(json, 'utf8')) as typeof doc;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'not-an-acquisition';
    return 'complete'; // quiet and still not JSON: malformed, and the reader will say why
  }
  if (typeof doc.data !== 'string' || !Array.isArray(doc.axes)) return 'complete';
  const expected = (doc.axes as { values?: unknown }[]).reduce(
    (p, a) => p * (Array.isArray(a?.values) ? a.values.length : 1),
    1,
  );
  try {
    return (await valuesWritten(join(dir, doc.data), expected)) < expected ? 'incomplete' : 'complete';
  } catch (e) {
    // not there yet; anything else (a directory, no permission) is for the reader to report
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'incomplete' : 'complete';
  }
}

/**
 * TopSpin folders: libs/formats `classifyCompletion` (audit record, rows holding data, quiet period). `partial` and
 * `aborted` are finished too — nothing more will come — so they are handed on and the reader reports what it can.
 */
async function brukerCompletion(dir: string): Promise<Completion> {
  const report = await classifyCompletion(dir);
  return report.state === 'in-progress' ? 'incomplete' : 'complete';
}

/** A Spinsolve experiment folder is finished once its data are written (acqu.par comes first). */
async function spinsolveCompletion(dir: string): Promise<Completion> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 'not-an-acquisition';
  }
  const data = entries.some(
    (e) =>
      (e.isFile() && (/^data\.[12]d$/i.test(e.name) || /\.(dat|csv)$/i.test(e.name))) ||
      (e.isDirectory() && /^1D_/i.test(e.name)),
  );
  return data ? 'complete' : 'incomplete';
}

/** A one-file layout: an acquisition when a registered reader (other than the text matrix) claims it. */
async function fileCompletion(file: string): Promise<Completion> {
  try {
    return (await detectReader(file)) ? 'complete' : 'not-an-acquisition';
  } catch {
    return 'not-an-acquisition'; // unreadable (a FIFO, a link loop): not handed on from here
  }
}

export const defaultCompletionCheck: CompletionCheck = async (path) => {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return 'not-an-acquisition';
  }
  if (isFile) return isFileAcquisitionName(path) ? fileCompletion(path) : 'not-an-acquisition';
  if (existsSync(join(path, 'acquisition.json'))) return lapisCompletion(path);
  if (existsSync(join(path, 'acqus'))) return brukerCompletion(path);
  if (existsSync(join(path, 'acqu.par'))) return spinsolveCompletion(path);
  return 'not-an-acquisition';
};
