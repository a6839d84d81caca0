import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger';
import { workspace, writeFixture } from '../../../testing/watchFolder';
import type { Workspace } from '../../../testing/watchFolder';
import { AcquisitionWatcher } from './acquisitionWatcher';
import type { AcquisitionWatcherOptions } from './acquisitionWatcher';

let ws: Workspace;
let watcher: AcquisitionWatcher | undefined;
afterEach(async () => {
  await watcher?.stop();
  ws?.cleanup();
});

const options = (extra: Partial<AcquisitionWatcherOptions> = {}): AcquisitionWatcherOptions => ({
  roots: [ws.root],
  mode: 'events',
  pollIntervalMs: 100,
  settleMs: 50,
  depth: 4,
  initialScan: true,
  logger: silentLogger(),
  ...extra,
});

async function until(predicate: () => boolean, timeoutMs = 5000) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('AcquisitionWatcher', () => {
  it('finds by rescan what the notifications never reported, once', async () => {
    ws = workspace();
    const dir = writeFixture(join(ws.root, 'a', 'b'), { seed: 1 });
    // No initial scan: chokidar will never mention this folder; only the rescan can find it.
    watcher = new AcquisitionWatcher(options({ initialScan: false, rescanIntervalMs: 100 }));
    const got: string[] = [];
    await watcher.start((d) => (got.push(d), true));
    await until(() => got.length === 1);
    expect(got).toEqual([dir]);
    await new Promise((r) => setTimeout(r, 400)); // several rescans: unchanged, so not handed on again
    expect(got).toEqual([dir]);
  });

  it('holds completed acquisitions when the consumer is full and offers them again on resume, in order', async () => {
    ws = workspace();
    const dirs = [1, 2, 3].map((i) => writeFixture(join(ws.root, `acq-${i}`), { seed: i }));
    watcher = new AcquisitionWatcher(options());
    const got: string[] = [];
    let room = 1;
    await watcher.start((d) => {
      if (room === 0) return false;
      room--;
      got.push(d);
      return true;
    });
    await until(() => got.length === 1 && watcher!.waiting === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(1); // nothing more offered while full
    room = 5;
    watcher.resume();
    expect(got).toHaveLength(3);
    expect(new Set(got)).toEqual(new Set(dirs));
    expect(watcher.waiting).toBe(0);
  });
});
