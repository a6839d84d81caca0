/**
 * Watcher input: follows the watch roots with chokidar and reports each acquisition once it is complete: a directory
 * holding an acquisition marker (acquisition.json, acqus, acqu.par), or a one-file layout (a GeoSpec export, a .tnt,
 * a .dps …) in a folder that has none. A directory is a candidate when a file changes in it (or below it: Bruker
 * writes `pdata/`); it is
 * checked only after `settleMs` without changes, then with `CompletionCheck`. One still incomplete is checked
 * again until `incompleteTimeoutMs`, after which it is handed on anyway so that the reader reports what is wrong
 * (a failed event) instead of the agent waiting for ever.
 *
 * Symlinks are not followed (chokidar `followSymlinks: false`), and a candidate whose real path leaves its root is
 * dropped, so a link in a watch root can never make the agent read elsewhere.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import type { Logger } from '../../logger';
import { ACQUISITION_MARKERS, defaultCompletionCheck, isFileAcquisitionName } from './completion';
import type { CompletionCheck } from './completion';
import { inside } from '../../paths';

export interface AcquisitionWatcherOptions {
  roots: string[];
  mode: 'events' | 'polling';
  pollIntervalMs: number;
  settleMs: number;
  depth: number;
  initialScan: boolean;
  /**
   * Walk the roots this often (ms) for acquisitions the notifications missed (0: never). A safety net: polling
   * watchers miss folders created just as they start, and inotify drops events when its queue overflows.
   */
  rescanIntervalMs?: number;
  /** Give up waiting for an incomplete acquisition after this long and hand it on (default 10 min). */
  incompleteTimeoutMs?: number;
  completion?: CompletionCheck;
  logger: Logger;
}

/** Takes a complete acquisition; returns false when it has no room (back-pressure): the watcher keeps it and offers it again on `resume`. */
export type AcquisitionHandler = (dir: string, root: string) => boolean;

interface Pending {
  timer: NodeJS.Timeout;
  root: string;
  incompleteSince?: number;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export class AcquisitionWatcher {
  private watcher: FSWatcher | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly roots: { path: string; real: string }[];
  private handler: AcquisitionHandler = () => true;
  /** Complete acquisitions the consumer had no room for, oldest first (paths only: a few bytes each). */
  private readonly ready = new Map<string, string>();
  /** Signature (marker and folder mtimes) of each acquisition handed on, so a rescan only looks at what changed. */
  private readonly seen = new Map<string, string>();
  private rescanTimer: NodeJS.Timeout | undefined;
  private rescanning = false;
  private stopped = false;

  constructor(private readonly opts: AcquisitionWatcherOptions) {
    this.roots = opts.roots.map((r) => ({ path: resolve(r), real: realpathSync(r) }));
  }

  /** Starts watching; resolves once the initial scan is done (chokidar `ready`). */
  async start(handler: AcquisitionHandler): Promise<void> {
    this.handler = handler;
    const o = this.opts;
    this.watcher = watch(
      this.roots.map((r) => r.path),
      {
        persistent: true,
        ignoreInitial: !o.initialScan,
        followSymlinks: false,
        depth: o.depth,
        usePolling: o.mode === 'polling',
        interval: o.pollIntervalMs,
        binaryInterval: o.pollIntervalMs,
        // Hidden files (editor swap files, .DS_Store) never make a directory a candidate.
        ignored: (p: string) => basename(p).startsWith('.') && !this.roots.some((r) => r.path === p),
      },
    );
    const onPath = (p: string) => this.touch(p);
    this.watcher.on('add', onPath).on('change', onPath).on('addDir', onPath);
    this.watcher.on('error', (err) => o.logger.error({ err: (err as Error).message }, 'watcher error'));
    await new Promise<void>((res) => this.watcher!.once('ready', () => res()));
    if (o.rescanIntervalMs) {
      this.rescanTimer = setInterval(() => void this.rescan(), o.rescanIntervalMs);
      this.rescanTimer.unref();
    }
    o.logger.info({ roots: this.roots.map((r) => r.path), mode: o.mode }, 'watching');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.rescanTimer);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.ready.clear();
    this.seen.clear();
    await this.watcher?.close();
  }

  /** Directories waiting for quiet, completion, or room in the consumer. */
  get waiting(): number {
    return this.pending.size + this.ready.size;
  }

  /** The consumer has room again: offers held acquisitions, oldest first, until it refuses one. */
  resume(): void {
    for (const [dir, root] of this.ready) {
      if (!this.handler(dir, root)) return;
      this.ready.delete(dir);
    }
  }

  private signature(dir: string): string {
    try {
      const s = statSync(dir);
      if (s.isFile()) return `file:${s.mtimeMs}:${s.size}`;
      const marker = ACQUISITION_MARKERS.find((m) => existsSync(`${dir}${sep}${m}`));
      return `${marker ? statSync(`${dir}${sep}${marker}`).mtimeMs : 0}:${s.mtimeMs}`;
    } catch {
      return '';
    }
  }

  private offer(path: string): boolean {
    if (this.pending.has(path) || this.ready.has(path) || this.seen.get(path) === this.signature(path)) return false;
    this.touch(path);
    return true;
  }

  /** Walks the roots (no symlinks, hidden folders skipped, `depth` deep) and touches acquisitions not seen as they are now. */
  async rescan(): Promise<void> {
    if (this.rescanning || this.stopped) return;
    this.rescanning = true;
    let found = 0;
    try {
      const walk = async (root: string, dir: string, depth: number): Promise<void> => {
        if (this.stopped) return;
        const marked = ACQUISITION_MARKERS.some((m) => existsSync(`${dir}${sep}${m}`));
        if (marked && this.offer(dir)) found++;
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          return; // vanished or unreadable meanwhile: the next rescan sees it again
        }
        // A name that was not UTF-8 on disk reads with U+FFFD and cannot be opened: handed on once, to be reported.
        for (const e of entries) {
          const odd = `${dir}${sep}${e.name}`;
          if (e.name.includes('\ufffd') && !this.seen.has(odd)) {
            this.opts.logger.warn({ dir: odd }, 'a name that is not UTF-8 on disk: it cannot be opened');
            this.handOn(odd, root);
          }
        }
        // One-file layouts count only in folders that are not acquisitions themselves (and not inside one).
        if (!marked && !this.insideMarked(dir))
          for (const e of entries)
            if (
              e.isFile() &&
              !e.name.startsWith('.') &&
              isFileAcquisitionName(e.name) &&
              this.offer(`${dir}${sep}${e.name}`)
            )
              found++;
        if (depth >= this.opts.depth) return;
        for (const e of entries)
          if (e.isDirectory() && !e.name.startsWith('.')) await walk(root, `${dir}${sep}${e.name}`, depth + 1);
      };
      for (const r of this.roots) await walk(r.path, r.path, 0);
      if (found) this.opts.logger.info({ found }, 'rescan found acquisitions the watcher had missed');
    } finally {
      this.rescanning = false;
    }
  }

  private handOn(dir: string, root: string): void {
    this.seen.set(dir, this.signature(dir));
    if (this.ready.size > 0 || !this.handler(dir, root)) {
      this.ready.delete(dir); // re-insert at the end: the newest completion goes last
      this.ready.set(dir, root);
    }
  }

  /** Looks at `dir` as if a file in it had changed (used to rescan after an overflow). */
  touch(path: string): void {
    if (this.stopped) return;
    const full = resolve(path);
    const root = this.roots.find((r) => inside(r.path, full));
    if (!root) return;
    const dir = this.acquisitionDirOf(full, root.path);
    if (!dir) return;
    const prev = this.pending.get(dir);
    if (prev) clearTimeout(prev.timer);
    const entry: Pending = { root: root.path, timer: setTimeout(() => void this.settle(dir), this.opts.settleMs) };
    if (prev?.incompleteSince !== undefined) entry.incompleteSince = prev.incompleteSince;
    this.pending.set(dir, entry);
  }

  /**
   * The nearest directory at or above `path` (not above the root) holding an acquisition marker; else `path` itself
   * when it names a one-file layout.
   */
  private acquisitionDirOf(path: string, root: string): string | undefined {
    let dir = ACQUISITION_MARKERS.some((m) => basename(path) === m) ? dirname(path) : path;
    if (!existsSync(dir)) dir = dirname(dir);
    for (;;) {
      if (ACQUISITION_MARKERS.some((m) => existsSync(`${dir}${sep}${m}`))) return dir;
      if (dir === root || !inside(root, dir)) break;
      dir = dirname(dir);
    }
    return isFileAcquisitionName(path) && isFile(path) ? path : undefined;
  }

  /** Whether a directory above `dir` (up to its root) is an acquisition (its files are that acquisition's). */
  private insideMarked(dir: string): boolean {
    const root = this.roots.find((r) => inside(r.path, dir));
    for (let d = dirname(dir); root && inside(root.path, d) && d !== dirname(d); d = dirname(d)) {
      if (ACQUISITION_MARKERS.some((m) => existsSync(`${d}${sep}${m}`))) return true;
      if (d === root.path) break;
    }
    return false;
  }

  private async settle(dir: string): Promise<void> {
    const entry = this.pending.get(dir);
    if (!entry || this.stopped) return;
    const log = this.opts.logger;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      this.pending.delete(dir);
      return;
    }
    const root = this.roots.find((r) => r.path === entry.root)!;
    if (!inside(root.real, real)) {
      log.warn({ dir, target: real }, 'symlink leads outside the watch root: not followed');
      this.pending.delete(dir);
      return;
    }
    let state;
    try {
      state = await (this.opts.completion ?? defaultCompletionCheck)(dir);
    } catch (err) {
      log.warn({ dir, err: (err as Error).message }, 'completion check failed: handing on for the reader to judge');
      state = 'complete' as const;
    }
    if (this.pending.get(dir) !== entry || this.stopped) return; // changed again meanwhile: a new timer runs
    if (state === 'not-an-acquisition') {
      this.pending.delete(dir);
      return;
    }
    if (state === 'incomplete') {
      const since = entry.incompleteSince ?? Date.now();
      if (Date.now() - since < (this.opts.incompleteTimeoutMs ?? 600_000)) {
        log.debug({ dir }, 'acquisition not complete yet');
        entry.incompleteSince = since;
        entry.timer = setTimeout(() => void this.settle(dir), Math.max(this.opts.settleMs, 250));
        return;
      }
      log.warn({ dir }, 'acquisition still incomplete after the timeout: processing it as it is');
    }
    this.pending.delete(dir);
    this.handOn(dir, entry.root);
  }
}
