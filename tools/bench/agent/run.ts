/**
 * `npm run bench:agent` — end-to-end figures of the agent with the embedded broker:
 *  1. latency: one 2D T1–T2 acquisition at a time, from its last file landing on disk to the broker's PUBACK of its
 *     result (includes the watcher's settle period, hashing, read, inversion, peaks, outbox commit, publish);
 *  2. backlog throughput: acquisitions already on disk when the agent starts, processed and acknowledged per second —
 *     from the start (agent start-up, worker warm-up included) and in steady state (first to last acknowledgement).
 * Options: --n N (latency samples, default 20), --backlog M (default 30), --settle MS (default 250),
 * --method M (default tikhonov), --shape R,C (default 16,48). Seeded data; prints a table and a JSON line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../../../apps/agent/src/agent/agent';
import { validateAgentConfig } from '../../../apps/agent/src/agent/config/loadConfig';
import { silentLogger } from '../../../apps/agent/src/agent/logger';
import type { OutboxEntry } from '../../../apps/agent/src/agent/outbox/types';
import { fixtureFiles, workspace } from '../../../apps/agent/src/testing/watchFolder';
import { detectAndRead } from '@lapis/formats';
import { invert } from '@lapis/physics';
import { analysePath } from '../../../apps/agent/src/analysis';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20' },
    backlog: { type: 'string', default: '30' },
    settle: { type: 'string', default: '250' },
    method: { type: 'string', default: 'tikhonov' },
    shape: { type: 'string', default: '16,48' },
  },
});
const N = Number(values.n);
const M = Number(values.backlog);
const settleMs = Number(values.settle);
const shape = values.shape!.split(',').map(Number) as [number, number];

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** The files of a simulated acquisition (made before the clock starts: simulating 32 × 2000 points takes ≈ 40 ms). */
function makeAcq(seed: number): ReturnType<typeof fixtureFiles> {
  return fixtureFiles({ experiment: 'T1-T2', seed, shape });
}

/** Writes an acquisition's files, the marker last; returns when the last one has landed. */
function writeAcq(dir: string, f: ReturnType<typeof fixtureFiles>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'data.txt'), f.data);
  writeFileSync(join(dir, 'acquisition.json'), f.json);
}

async function start(ws: ReturnType<typeof workspace>, onAck: (e: OutboxEntry) => void): Promise<Agent> {
  return Agent.start(
    validateAgentConfig(
      {
        instrument: 'bench-agent',
        watch: { roots: [ws.root], settleMs },
        dataDir: ws.dataDir,
        embeddedBroker: { port: 0 },
        http: { enabled: false },
        rules: [{ method: values.method }],
        log: { level: 'silent' },
      },
      'bench',
      ws.dir,
    ),
    { logger: silentLogger(), onAck },
  );
}

// 1. Latency, one acquisition at a time.
const ws1 = workspace('lapis-bench-agent-');
const acked = new Map<string, number>();
let waiting: ((path: string) => void) | undefined;
const agent1 = await start(ws1, (e) => {
  if (!e.topic.endsWith('/result')) return;
  const path = (JSON.parse(e.payload) as { path: string }).path;
  acked.set(path, performance.now());
  waiting?.(path);
});
const latencies: number[] = [];
const processing: number[] = [];
for (let i = 0; i < N + 2; i++) {
  const dir = join(ws1.root, `lat-${i}`);
  const done = new Promise<void>((r) => (waiting = (p) => p === dir && r()));
  const files = makeAcq(5000 + i);
  writeAcq(dir, files);
  // completion: the last file has landed (before session 21 the clock also ran while the data were simulated)
  const t0 = performance.now();
  await done;
  const ms = acked.get(dir)! - t0;
  if (i >= 2) {
    latencies.push(ms); // the first two warm up the JIT
    processing.push(ms - settleMs);
  }
}
await agent1.stop();
ws1.cleanup();

// 2. Backlog throughput.
const ws2 = workspace('lapis-bench-agent-');
for (let i = 0; i < M; i++) writeAcq(join(ws2.root, `backlog-${i}`), makeAcq(9000 + i));
let count = 0;
let firstAck = 0;
let lastAck = 0;
let finish: () => void = () => {};
const allDone = new Promise<void>((r) => (finish = r));
const t0 = performance.now();
const agent2 = await start(ws2, (e) => {
  if (!e.topic.endsWith('/result')) return;
  lastAck = performance.now();
  if (++count === 1) firstAck = lastAck;
  if (count === M) finish();
});
await allDone;
const seconds = (performance.now() - t0) / 1000;
await agent2.stop();
ws2.cleanup();

latencies.sort((a, b) => a - b);
processing.sort((a, b) => a - b);

// Reference measured in the same run: the bare read + inversion of the same kind of acquisition in this process
// (what the pipeline cannot go below), so the agent's overhead can be stated as a ratio on any machine.
const refWs = workspace();
const bare: number[] = [];
for (let k = 0; k < 5; k++) {
  const dir = join(refWs.root, `ref-${k}`);
  writeAcq(dir, makeAcq(10_000 + k));
  const t = performance.now();
  const acq = await detectAndRead(dir);
  invert(
    { axes: acq.axes.map((a) => ({ kernel: a.kernel, values: a.values })) as never, data: acq.data },
    { method: values.method as never },
  );
  bare.push(performance.now() - t);
}
// And the whole analysis the agent's worker runs on it (read, β, inversion, peaks, bootstrap, document), warm.
const full: number[] = [];
for (let k = 0; k < 6; k++) {
  const dir = join(refWs.root, `ref-${k % 5}`);
  const t = performance.now();
  await analysePath(dir, { method: values.method as never });
  if (k > 0) full.push(performance.now() - t);
}
refWs.cleanup();
bare.sort((a, b) => a - b);
full.sort((a, b) => a - b);
const bareMs = quantile(bare, 0.5);
const fullMs = quantile(full, 0.5);

const r = {
  shape: shape.join('x'),
  method: values.method,
  settleMs,
  samples: latencies.length,
  p50Ms: Math.round(quantile(latencies, 0.5)),
  p95Ms: Math.round(quantile(latencies, 0.95)),
  p50AfterSettleMs: Math.round(quantile(processing, 0.5)),
  backlog: M,
  backlogSeconds: Number(seconds.toFixed(2)),
  backlogPerSecond: Number((M / seconds).toFixed(2)),
  backlogSteadyPerSecond: Number(((M - 1) / ((lastAck - firstAck) / 1000)).toFixed(2)),
  bareReadInvertMs: Math.round(bareMs),
  fullAnalysisMs: Math.round(fullMs),
  p50AfterSettleOverBare: Number((quantile(processing, 0.5) / bareMs).toFixed(2)),
};
console.log(`agent bench (embedded broker, ${r.shape} T1–T2, ${r.method}, settle ${settleMs} ms)`);
console.log(
  `  completion → PUBACK latency: p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms over ${r.samples} acquisitions (p50 minus settle: ${r.p50AfterSettleMs} ms)`,
);
console.log(
  `  backlog: ${M} acquisitions in ${r.backlogSeconds} s = ${r.backlogPerSecond} per second from the start; ` +
    `${r.backlogSteadyPerSecond} per second first to last acknowledgement`,
);
console.log(
  `  reference, same run: bare read + invert ${r.bareReadInvertMs} ms, whole analysis (analysePath) ${r.fullAnalysisMs} ms (medians of 5); agent p50 after settle = ${r.p50AfterSettleOverBare}× the bare read + invert`,
);
console.log(JSON.stringify(r));
