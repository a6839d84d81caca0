/**
 * A burst of 200 acquisitions arriving at once: all processed and published, the in-memory queue never longer
 * than `maxQueued` (the watcher holds the rest back), and the heap does not grow with the backlog.
 * Sized for a 2-core machine: 1D acquisitions, 48 echoes.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from './agent';
import { validateAgentConfig } from './config/loadConfig';
import { silentLogger } from './logger';
import { fixtureFiles, workspace } from '../testing/watchFolder';
import type { Workspace } from '../testing/watchFolder';
import { subscribe } from '../testing/subscriber';
import type { Subscriber } from '../testing/subscriber';
import { mkdirSync, writeFileSync } from 'node:fs';

let ws: Workspace;
let agent: Agent | undefined;
let sub: Subscriber | undefined;

afterEach(async () => {
  await sub?.close();
  await agent?.stop();
  ws?.cleanup();
});

describe('burst', () => {
  it('processes a burst of 200 acquisitions with a bounded queue and bounded memory', async () => {
    ws = workspace();
    const N = 200;
    const maxQueued = 40;
    agent = await Agent.start(
      validateAgentConfig(
        {
          instrument: 'burst-01',
          watch: { roots: [ws.root], settleMs: 100 },
          dataDir: ws.dataDir,
          embeddedBroker: { port: 0 },
          http: { enabled: false },
          pipeline: { maxQueued },
          rules: [{ method: 'tikhonov', grid: 64 }],
        },
        'test',
        ws.dir,
      ),
      { logger: silentLogger() },
    );
    sub = await subscribe(agent.brokerUrl);
    let maxQueue = 0;
    let maxHeap = 0;
    let heapAt20 = 0;
    const sampler = setInterval(() => {
      maxQueue = Math.max(maxQueue, agent!.metrics.queued);
      if (agent!.metrics.processed >= 20) {
        const h = process.memoryUsage().heapUsed;
        if (!heapAt20) heapAt20 = h;
        maxHeap = Math.max(maxHeap, h);
      }
    }, 20);
    // The burst: 200 acquisitions written as fast as the disk takes them.
    const files = Array.from({ length: N }, (_, i) => fixtureFiles({ seed: 1000 + i }));
    files.forEach((f, i) => {
      const dir = join(ws.root, `run-${String(i).padStart(3, '0')}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'data.txt'), f.data);
      writeFileSync(join(dir, 'acquisition.json'), f.json);
    });
    const t0 = Date.now();
    await sub.until((s) => s.on('result').length >= N, 120_000, `${N} results`);
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    expect(new Set(sub.on('result').map((m) => m.body.key)).size).toBe(N);
    expect(agent.metrics.failed).toBe(0);
    expect(maxQueue).toBeLessThanOrEqual(maxQueued);
    // Heap growth over the backlog stays small (the queue holds paths, the outbox lives on disk).
    expect(maxHeap - heapAt20).toBeLessThan(64 * 1024 * 1024);
    console.log(
      `burst: ${N} acquisitions in ${seconds.toFixed(1)} s (${(N / seconds).toFixed(1)}/s), max queue ${maxQueue}, heap growth ${((maxHeap - heapAt20) / 2 ** 20).toFixed(1)} MiB`,
    );
  });
});
