/**
 * Has TopSpin finished writing this experiment folder? From what is on disk only:
 *
 * 1. Acquisition record. TopSpin appends an audit entry to `audita.txt` when `zg`/`go` ends: process `<go>` (or
 *    `<zg>`), text "created by zg … data hash MD5: <n>K * <rows>". The newest such entry is "the record". It is
 *    stale (ignored) when the data file was modified more than `recordSlackMs` after it — a new acquisition is
 *    writing over an old folder.
 * 2. Rows holding data. TopSpin pre-allocates `ser` (its size says nothing); each row is written when its scans are
 *    done, so a row holds data iff any byte of it is non-zero. Expected rows: TD of acqu2s (1 for a fid); a ser
 *    shorter than expected counts only the rows it holds.
 * 3. Quiet period. The newest mtime among acqus, acqu2s, fid/ser and audita.txt; "quiet" when older than
 *    `quietPeriodMs` (default 10 min) — the last resort, used only when there is no valid record.
 *
 * Rules, first match wins:
 *   - record, all expected rows hold data (and the record's row count, if stated, is TD1)  → complete
 *   - record, fewer rows hold data or the record counts fewer rows, or says halt/stop        → partial
 *                                                                               (no row at all → aborted)
 *   - no record, not quiet                                                                 → in-progress
 *   - no record, quiet: all rows hold data → complete; some → partial; none or no data file  → aborted
 * Every decision carries its reasons. A folder without acqus is a FormatError (not an experiment folder) unless it
 * is still young (in-progress: TopSpin writes acqus as the acquisition starts).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError } from '../acquisition';
import { bytesPerValue, rowStride, type BrukerDataType } from '../bruker/binary';
import { jcampRecords, parseJcamp } from '../bruker/jcamp';
import { BrukerParameters } from '../bruker/parameters';

export type CompletionState = 'in-progress' | 'complete' | 'partial' | 'aborted';

export interface ClassifyCompletionOptions {
  /** Quiet period after the last write, ms (default 600 000). */
  quietPeriodMs?: number;
  /** "Now" for the quiet period (default the clock). */
  now?: Date;
  /** How much later than its audit record the data may be written before the record counts as stale (default 120 000 ms). */
  recordSlackMs?: number;
}

export interface AuditEntry {
  number: number;
  when: Date | undefined;
  who: string;
  where: string;
  process: string;
  version: string;
  what: string;
}

export interface CompletionReport {
  state: CompletionState;
  reasons: string[];
  expectedRows: number;
  rowsWithData: number;
  /** The acquisition record used, if any. */
  record?: AuditEntry;
  /** Newest modification time of the files looked at. */
  lastModified?: Date;
}

/** Audit entries of an `audita.txt` (JCAMP-DX `##AUDIT TRAIL=` with `(n,<when>,<who>,<where>,<process>,<version>,<what>)`). */
export function parseAuditTrail(text: string, file = 'audita.txt'): AuditEntry[] {
  const records = jcampRecords(parseJcamp(text, { file }));
  const trail = records.get('AUDIT TRAIL')?.raw ?? '';
  const out: AuditEntry[] = [];
  const re =
    /\(\s*(\d+)\s*,\s*<([^>]*)>\s*,\s*<([^>]*)>\s*,\s*<([^>]*)>\s*,\s*<([^>]*)>\s*,\s*<([^>]*)>\s*,\s*<([^>]*)>\s*\)/g;
  for (const m of trail.matchAll(re)) {
    out.push({
      number: Number(m[1]),
      when: parseWhen(m[2]!),
      who: m[3]!,
      where: m[4]!,
      process: m[5]!,
      version: m[6]!,
      what: m[7]!,
    });
  }
  return out;
}

function parseWhen(s: string): Date | undefined {
  // "2020-11-18 14:23:57.910 +0100"
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*([+-]\d{2})(\d{2})?$/.exec(s.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Parameter and audit files larger than this are not what TopSpin writes (and are not read into memory). */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

async function readText(path: string): Promise<Buffer> {
  const s = await stat(path);
  // a FIFO would block the read until someone writes to it
  if (!s.isFile()) throw new FormatError(path, 'not a regular file');
  const size = s.size;
  if (size > MAX_TEXT_BYTES) throw new FormatError(path, `${size} bytes: too large for a TopSpin text file`);
  return readFile(path);
}

async function mtime(path: string): Promise<Date | undefined> {
  try {
    return (await stat(path)).mtime;
  } catch {
    return undefined;
  }
}

/** Number of rows (from the first) that hold any non-zero byte, reading one row at a time. */
async function rowsWithData(
  path: string,
  rows: number,
  rowBytes: number,
  stride: number,
): Promise<{ count: number; holes: number }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const buf = Buffer.alloc(rowBytes);
    let count = 0;
    let last = -1;
    for (let r = 0; r < rows; r++) {
      const off = r * stride;
      if (off + rowBytes > size) break;
      const { bytesRead } = await handle.read(buf, 0, rowBytes, off);
      let any = false;
      for (let i = 0; i < bytesRead; i++) {
        if (buf[i] !== 0) {
          any = true;
          break;
        }
      }
      if (any) {
        count++;
        last = r;
      }
    }
    return { count, holes: last + 1 - count };
  } finally {
    await handle.close();
  }
}

export async function classifyCompletion(
  dir: string,
  options: ClassifyCompletionOptions = {},
): Promise<CompletionReport> {
  const quiet = options.quietPeriodMs ?? 600_000;
  const now = (options.now ?? new Date()).getTime();
  const slack = options.recordSlackMs ?? 120_000;
  const reasons: string[] = [];
  const paths = ['acqus', 'acqu2s', 'ser', 'fid', 'audita.txt'].map((f) => join(dir, f));
  const times = (await Promise.all(paths.map(mtime))).filter((t): t is Date => t !== undefined);
  const lastModified = times.length > 0 ? new Date(Math.max(...times.map((t) => t.getTime()))) : await mtime(dir);
  const isQuiet = lastModified === undefined || now - lastModified.getTime() >= quiet;
  const age = lastModified === undefined ? 'never' : `${Math.round((now - lastModified.getTime()) / 1000)} s ago`;
  const base = { expectedRows: 0, rowsWithData: 0, ...(lastModified ? { lastModified } : {}) };

  const acqusPath = join(dir, 'acqus');
  if ((await mtime(acqusPath)) === undefined) {
    if (!isQuiet) return { ...base, state: 'in-progress', reasons: [`no acqus yet; folder written ${age}`] };
    throw new FormatError(acqusPath, 'missing: not a TopSpin experiment folder');
  }
  const acqus = new BrukerParameters(acqusPath, parseJcamp(await readText(acqusPath), { file: acqusPath }));
  let expectedRows = 1;
  const acqu2sPath = join(dir, 'acqu2s');
  if ((await mtime(acqu2sPath)) !== undefined) {
    const acqu2s = new BrukerParameters(acqu2sPath, parseJcamp(await readText(acqu2sPath), { file: acqu2sPath }));
    expectedRows = acqu2s.requireNumber('TD');
  }
  const td = acqus.requireNumber('TD');
  const dtypa = acqus.number('DTYPA') ?? 0;
  if (dtypa !== 0 && dtypa !== 2) throw new FormatError(acqusPath, `unknown DTYPA ${dtypa}`);
  const dtype: BrukerDataType = dtypa === 0 ? 'int32' : 'float64';
  if (!Number.isSafeInteger(td) || td < 1 || !Number.isSafeInteger(expectedRows) || expectedRows < 1) {
    throw new FormatError(acqusPath, `bad sizes TD ${td} × TD1 ${expectedRows}`);
  }
  const dataPath =
    expectedRows > 1 || (await mtime(join(dir, 'fid'))) === undefined ? join(dir, 'ser') : join(dir, 'fid');
  const dataTime = await mtime(dataPath);
  let filled = 0;
  if (dataTime) {
    const rowBytes = td * bytesPerValue(dtype);
    const stride = expectedRows > 1 ? rowStride(td, dtype) : rowBytes;
    const r = await rowsWithData(dataPath, expectedRows, rowBytes, stride);
    filled = r.count;
    reasons.push(`${filled} of ${expectedRows} rows hold data`);
    if (r.holes > 0) reasons.push(`${r.holes} empty rows before the last written one`);
  } else reasons.push('no fid or ser');
  const withRows = { ...base, expectedRows, rowsWithData: filled };

  let record: AuditEntry | undefined;
  const auditPath = join(dir, 'audita.txt');
  if ((await mtime(auditPath)) !== undefined) {
    try {
      const entries = parseAuditTrail((await readText(auditPath)).toString('latin1'), auditPath);
      record = entries.filter((e) => /^(go|zg)$/i.test(e.process.trim()) || /created by (zg|go)/i.test(e.what)).pop();
    } catch (e) {
      reasons.push(`audita.txt unreadable: ${(e as Error).message}`);
    }
  }
  if (record?.when && dataTime && dataTime.getTime() > record.when.getTime() + slack) {
    reasons.push(
      `audit record of ${record.when.toISOString()} is older than the data (${dataTime.toISOString()}): stale`,
    );
    record = undefined;
  }

  if (record) {
    const hash = /data hash MD5:\s*(\d+)K(?:\s*\*\s*(\d+))?/i.exec(record.what);
    const recordRows = hash?.[2] !== undefined ? Number(hash[2]) : undefined;
    reasons.push(
      `acquisition record #${record.number} (${record.process}) at ${record.when?.toISOString() ?? 'unknown time'}`,
    );
    const stopped = /\b(halt|halted|stop|stopped|abort|aborted)\b/i.test(record.what);
    if (recordRows !== undefined) reasons.push(`record counts ${recordRows} rows`);
    if (filled === 0)
      return { ...withRows, record, state: 'aborted', reasons: [...reasons, 'record present but no row holds data'] };
    if (filled >= expectedRows && !stopped && (recordRows === undefined || recordRows >= expectedRows)) {
      return { ...withRows, record, state: 'complete', reasons };
    }
    if (stopped) reasons.push('record says the acquisition was stopped');
    return { ...withRows, record, state: 'partial', reasons };
  }

  reasons.push(`no acquisition record in audita.txt; last write ${age}`);
  if (!isQuiet)
    return { ...withRows, state: 'in-progress', reasons: [...reasons, `quiet period ${quiet / 1000} s not reached`] };
  reasons.push(`quiet for more than ${quiet / 1000} s`);
  if (filled >= expectedRows) return { ...withRows, state: 'complete', reasons };
  if (filled > 0) return { ...withRows, state: 'partial', reasons };
  return { ...withRows, state: 'aborted', reasons };
}
