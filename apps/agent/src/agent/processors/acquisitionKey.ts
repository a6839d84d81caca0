/**
 * The idempotency key of an acquisition: sha256 over its raw files (relative name, size and bytes, in name order)
 * together with the pipeline version and the processing parameters. The same data processed the same way always
 * gets the same key, so a restart never republishes what was done, and consumers can dedupe on it; new data, a new
 * pipeline or new parameters give a new key.
 *
 * Raw files are everything in the acquisition directory except what is written after the acquisition (Bruker
 * `pdata/` processing, hidden files, editor backups); a one-file acquisition (a GeoSpec export, a .tnt) is its file. Files are streamed, so a multi-GB `ser` costs no memory.
 * A symlink whose target leaves the watch root makes the acquisition fail rather than be read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { inside } from '../paths';

export interface AcquisitionKeyOptions {
  /** Version of the processing pipeline (changes when processing changes meaning). */
  pipelineVersion: string;
  /** Processing parameters; serialised with sorted keys so that property order does not matter. */
  parameters: unknown;
  /** Watch root the acquisition lies in: symlinks must stay inside it (default: the acquisition directory). */
  root?: string;
}

export interface AcquisitionKey {
  /** sha256 hex of raw-data hash + pipeline version + parameters. */
  key: string;
  /** sha256 hex of the raw files alone. */
  rawDataHash: string;
  /** Relative paths hashed, in order. */
  files: string[];
  /** Total bytes hashed. */
  bytes: number;
}

/** JSON with object keys sorted at every level: equal values serialise equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

const SKIP_DIRS = new Set(['pdata']);
const skipName = (name: string) => name.startsWith('.') || name.endsWith('~');

async function listRawFiles(dir: string, rootReal: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (skipName(e.name)) continue;
      const full = join(d, e.name);
      if (e.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(full);
        } catch (cause) {
          throw new Error(`${full}: broken symlink`, { cause });
        }
        if (!inside(rootReal, target)) throw new Error(`${full}: symlink leads outside the watch root (${target})`);
        const s = await lstat(target);
        if (s.isFile()) out.push(full);
        // Linked directories are not descended into: a cycle would never end.
        continue;
      }
      if (e.isDirectory()) {
        if (d === dir && SKIP_DIRS.has(e.name)) continue;
        await walk(full);
      } else if (e.isFile()) {
        out.push(full);
      }
    }
  };
  await walk(dir);
  // Sort by relative path in code-unit order, independent of locale and of readdir's order.
  return out.map((f) => relative(dir, f).split(sep).join('/')).sort();
}

async function hashFileInto(hash: ReturnType<typeof createHash>, file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    n += (chunk as Buffer).length;
  }
  return n;
}

/** Hashes the acquisition in `dir`. Throws (with the path) when the directory or a file cannot be read. */
export async function acquisitionKey(dir: string, options: AcquisitionKeyOptions): Promise<AcquisitionKey> {
  if (typeof options.pipelineVersion !== 'string' || options.pipelineVersion === '') {
    throw new TypeError('acquisitionKey: pipelineVersion must be a non-empty string');
  }
  const oneFile = (await lstat(dir)).isFile();
  const base = oneFile ? dirname(dir) : dir;
  const rootReal = await realpath(options.root ?? base);
  const files = oneFile ? [basename(dir)] : await listRawFiles(dir, rootReal);
  if (files.length === 0) throw new Error(`${dir}: no files to process`);
  const raw = createHash('sha256');
  let bytes = 0;
  for (const rel of files) {
    const full = join(base, ...rel.split('/'));
    const size = (await lstat(full)).isSymbolicLink()
      ? (await lstat(await realpath(full))).size
      : (await lstat(full)).size;
    raw.update(`${rel}\0${size}\0`);
    const n = await hashFileInto(raw, full);
    // A file that grew or shrank while hashed is still being written: hashing it would give a key of nothing real.
    if (n !== size) throw new Error(`${full}: changed while being read (${size} → ${n} bytes)`);
    bytes += n;
  }
  const rawDataHash = raw.digest('hex');
  const key = createHash('sha256')
    .update(`lapis-key/1\n${rawDataHash}\n${options.pipelineVersion}\n${canonicalJson(options.parameters)}`)
    .digest('hex');
  return { key, rawDataHash, files, bytes };
}
