import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { silentLogger } from '../logger';
import { workspace, writeFixture, writeMalformed } from '../../testing/watchFolder';
import type { Workspace } from '../../testing/watchFolder';
import { WorkerPoolSteps } from './workerPool';

let ws: Workspace;
let pool: WorkerPoolSteps | undefined;
afterEach(async () => {
  await pool?.close();
  ws?.cleanup();
});

const rules = [{ experiments: '*' as const, pipeline: 'classical' as const, method: 'tikhonov' as const }];

describe('WorkerPoolSteps', () => {
  it('processes in worker threads, keeps the main thread responsive, and reports reader errors', async () => {
    ws = workspace();
    const dirs = [0, 1, 2].map((i) => writeFixture(join(ws.root, `a${i}`), { experiment: 'T1-T2', seed: 700 + i }));
    const bad = writeMalformed(join(ws.root, 'bad'));
    pool = new WorkerPoolSteps(2, silentLogger());
    // Event-loop lag while three 2D inversions run: stays small because they run elsewhere.
    let maxLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
    const results = await Promise.all(dirs.map((d) => pool!.process(d, rules)));
    clearInterval(timer);
    for (const r of results) {
      if (r.kind !== 'result') throw new Error(`expected a relaxation result, got a ${r.kind}`);
      expect(resultDocSchema.safeParse(r.document).success).toBe(true);
      expect(r.reader).toBe('lapis-acquisition/1');
      expect(r.rule.method).toBe('tikhonov');
      expect(r.document.provenance?.rawDataHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(maxLag).toBeLessThan(250);
    await expect(pool.process(bad, rules)).rejects.toThrow(/T9|kernel/);
    // Still serving after a failure.
    const again = await pool.process(dirs[0]!, rules);
    expect(again.document.peaks.length).toBeGreaterThan(0);
  });

  it('refuses work after close and rejects a bad size', async () => {
    pool = new WorkerPoolSteps(1, silentLogger());
    await pool.close();
    await expect(pool.process('/x', rules)).rejects.toThrow(/closed/);
    expect(() => new WorkerPoolSteps(0, silentLogger())).toThrow(RangeError);
  });

  it('ready() resolves once every worker has warmed up, and the warmed workers process as before', async () => {
    ws = workspace();
    const dir = writeFixture(join(ws.root, 'a'), { experiment: 'T1-T2', seed: 710 });
    pool = new WorkerPoolSteps(2, silentLogger());
    let warmed = false;
    const ready = pool.ready().then(() => (warmed = true));
    // The warm-up (three small analyses) takes a while: not over as soon as the workers exist.
    await new Promise((r) => setTimeout(r, 0));
    expect(warmed).toBe(false);
    await ready;
    const r = await pool.process(dir, rules);
    expect(resultDocSchema.safeParse(r.document).success).toBe(true);
  });
});
