/**
 * Writes a TopSpin pseudo-2D experiment folder the way the spectrometer does: parameters (acqus, acqu2s), the
 * variable list and pdata first, then `ser` growing one row (one increment's FID) at a time, and the audit record
 * `audita.txt` last, when `zg` ends. The agent's completion detection (libs/formats classifyCompletion) must wait
 * for that record. The bytes come from libs/formats `writeBrukerDataset`, written to a staging folder first.
 *
 * `truncate` simulates a broken acquisition: only that many rows (plus half a row) reach `ser`, yet the audit
 * record still claims all of them, as after a disk-full or an interrupted transfer.
 */
import { appendFile, copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rowStride, writeBrukerDataset } from '@lapis/formats';
import type { WriteBrukerOptions } from '@lapis/formats';

export interface WriteTopspinOptions {
  /** The dataset as `writeBrukerDataset` takes it, without `audita` (written here, last). */
  dataset: Omit<WriteBrukerOptions, 'audita'>;
  /** Folder outside any watched root for the staged bytes (removed afterwards). */
  stagingDir: string;
  /** Pause between rows, ms (default 100). */
  rowIntervalMs?: number;
  /** Write only this many whole rows (and half of the next): a broken, truncated `ser`. */
  truncate?: number;
  /** Acquisition end time for the audit record (default now). */
  when?: Date;
  /** Stops writing early (the folder stays in progress, as when TopSpin is killed). */
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done) => {
    const onAbort = () => {
      clearTimeout(t);
      done();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** TopSpin's audit trail with one acquisition record ("created by zg … data hash MD5: NK * rows"). */
export function topspinAudit(when: Date, points: number, rows: number): string {
  const stamp = when.toISOString().replace('T', ' ').replace('Z', ' +0000');
  return [
    '##TITLE= Audit trail, TOPSPIN\t\tVersion 4.1.4',
    '##JCAMPDX= 5.01',
    '##ORIGIN= Bruker BioSpin GmbH',
    '##OWNER= nmr',
    '$$ C:/data/nmr',
    '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
    `(   1,<${stamp}>,<nmr>,<av400>,<go>,<TOPSPIN 4.1.4>,`,
    `      <created by zg`,
    `       data hash MD5: ${Math.max(1, Math.round(points / 1024))}K * ${rows}`,
    `       3F 2A 91 0C 7B 55 E4 18 A2 6D 0F 93 C1 47 B8 2E>)`,
    '##END=',
    '',
  ].join('\n');
}

/** Writes `dir` progressively; resolves when audita.txt is written (or on abort, without it). */
export async function writeTopspinProgressively(dir: string, o: WriteTopspinOptions): Promise<void> {
  const { dataset } = o;
  const rows = dataset.data.rows;
  if (rows < 2) throw new RangeError('writeTopspinProgressively: a pseudo-2D needs at least 2 rows');
  if (o.truncate !== undefined && !(Number.isInteger(o.truncate) && o.truncate >= 0 && o.truncate < rows)) {
    throw new RangeError(`writeTopspinProgressively: truncate must be a whole number below ${rows}, got ${o.truncate}`);
  }
  const stage = join(o.stagingDir, `topspin-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    await writeBrukerDataset(stage, { ...dataset, dataFile: 'ser' });
    const ser = await readFile(join(stage, 'ser'));
    const stride = rowStride(dataset.data.points * 2, dataset.dtype ?? 'int32');
    if (ser.length !== stride * rows) throw new Error(`staged ser has ${ser.length} bytes, expected ${stride * rows}`);

    await mkdir(dir, { recursive: true });
    // Parameters first, as TopSpin writes them when the acquisition starts; then the (empty) data file.
    for (const entry of await readdir(stage, { withFileTypes: true })) {
      if (entry.name === 'ser') continue;
      if (entry.isDirectory()) await copyTree(join(stage, entry.name), join(dir, entry.name));
      else await copyFile(join(stage, entry.name), join(dir, entry.name));
    }
    await writeFile(join(dir, 'ser'), new Uint8Array(0));
    const last = o.truncate ?? rows;
    for (let r = 0; r < last; r++) {
      if (o.signal?.aborted) return;
      await sleep(o.rowIntervalMs ?? 100, o.signal);
      if (o.signal?.aborted) return;
      await appendFile(join(dir, 'ser'), ser.subarray(r * stride, (r + 1) * stride));
    }
    if (o.truncate !== undefined) {
      await appendFile(join(dir, 'ser'), ser.subarray(last * stride, last * stride + Math.floor(stride / 2)));
    }
    if (o.signal?.aborted) return;
    await writeFile(join(dir, 'audita.txt'), topspinAudit(o.when ?? new Date(), dataset.data.points, rows));
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) await copyTree(join(from, entry.name), join(to, entry.name));
    else await copyFile(join(from, entry.name), join(to, entry.name));
  }
}
