/**
 * Crash safety with the real process: spawn `lapis agent` (the built command, as installed), kill it with SIGKILL while it
 * processes or while its results await PUBACK, start it again, and check that every acquisition's result reaches
 * the broker (consumers dedupe on the key). The broker is aedes in this test process, so it outlives the agents.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from './broker/embeddedBroker';
import type { EmbeddedBroker } from './broker/embeddedBroker';
import { workspace, writeFixture } from '../testing/watchFolder';
import type { Workspace } from '../testing/watchFolder';
import { subscribe } from '../testing/subscriber';
import type { Subscriber } from '../testing/subscriber';

/** The installed `lapis` command (bin/lapis.js runs apps/agent/dist; its worker threads dist/processWorker.mjs). */
const LAPIS = resolve(import.meta.dirname, '../../bin/lapis.js');

interface Running {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  /** Resolves when a log line satisfies `predicate`. */
  waitLog(
    predicate: (line: Record<string, unknown>, all: Record<string, unknown>[]) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  exited: Promise<number | null>;
}

function spawnAgent(configPath: string): Running {
  const child = spawn(process.execPath, [LAPIS, 'agent', '--config', configPath], {
    cwd: resolve(import.meta.dirname, '../../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  let stderr = '';
  // pino writes JSON lines to stderr; the one human-readable start-up line too.
  child.stderr!.on('data', (d: Buffer) => {
    buf += d.toString();
    stderr += d.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    logs,
    exited,
    waitLog: (predicate, timeoutMs = 30_000) =>
      new Promise<void>((ok, fail) => {
        const check = () => {
          if (logs.some((l) => predicate(l, logs))) {
            waiters.delete(check);
            clearTimeout(t);
            ok();
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`agent log condition not met in ${timeoutMs} ms; stderr:\n${stderr.slice(-3000)}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            waiters.delete(check);
            clearTimeout(t);
            fail(new Error(`agent exited; stderr:\n${stderr.slice(-3000)}`));
          }
        });
        check();
      }),
  };
}

let ws: Workspace;
let broker: EmbeddedBroker | undefined;
let sub: Subscriber | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await sub?.close();
  await broker?.close();
  sub = undefined;
  broker = undefined;
  ws?.cleanup();
});

function writeConfig(url: string): string {
  const path = join(ws.dir, 'lapis.agent.yaml');
  writeFileSync(
    path,
    JSON.stringify({
      instrument: 'crash-01',
      watch: { roots: ['./data'], settleMs: 100 },
      dataDir: './state',
      mqtt: { url, reconnectMinMs: 100, reconnectMaxMs: 500, heartbeatSeconds: 3600 },
      http: { enabled: false },
      log: { level: 'info' },
    }),
  );
  return path;
}

const distinctResultPaths = (s: Subscriber) => new Set(s.on('result').map((m) => String(m.body.path)));

describe('kill -9 and restart (real process)', () => {
  it('publishes every acquisition after a kill during processing', async () => {
    ws = workspace();
    const N = 10;
    for (let i = 0; i < N; i++) writeFixture(join(ws.root, `acq-${i}`), { experiment: 'T1-T2', seed: 100 + i });
    broker = await startEmbeddedBroker({ port: 0 });
    sub = await subscribe(broker.url);
    const cfg = writeConfig(broker.url);

    const first = spawnAgent(cfg);
    children.push(first.child);
    // Kill once a few are done and the rest are queued or mid-inversion.
    await first.waitLog((_, all) => all.filter((l) => l.msg === 'processed').length >= 2);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    // The broker saw the connection drop without DISCONNECT: it publishes the Last Will, retained.
    await sub.until((s) => s.on('status').at(-1)?.body.state === 'offline', 10_000, 'Last Will');
    expect(sub.on('status').at(-1)!.body.reason).toBe('connection lost');
    const beforeRestart = distinctResultPaths(sub).size;
    expect(beforeRestart).toBeLessThan(N);

    const second = spawnAgent(cfg);
    children.push(second.child);
    await sub.until((s) => distinctResultPaths(s).size === N, 60_000, `${N} distinct results`);
    // Finished before the kill means not processed again after it: keys already recorded are skipped.
    const processedAgain = second.logs.filter((l) => l.msg === 'processed').length;
    expect(processedAgain).toBeLessThanOrEqual(N - 2);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // Clean stop publishes the retained offline status.
    expect(sub.on('status').at(-1)!.body.state).toBe('offline');
  });

  it('publishes every result after a kill while results await PUBACK', async () => {
    ws = workspace();
    const N = 6;
    for (let i = 0; i < N; i++) writeFixture(join(ws.root, `acq-${i}`), { seed: 200 + i });
    broker = await startEmbeddedBroker({ port: 0 });
    // Hold every result from the first agent: the broker never acknowledges, so they stay in its outbox.
    let hold = true;
    let held = 0;
    broker.aedes.authorizePublish = (client, packet, callback) => {
      if (hold && client && packet.topic.endsWith('/result')) {
        held++;
        return; // never call back: no PUBACK, no delivery
      }
      callback(null);
    };
    sub = await subscribe(broker.url);
    const cfg = writeConfig(broker.url);

    const first = spawnAgent(cfg);
    children.push(first.child);
    await first.waitLog((_, all) => all.filter((l) => l.msg === 'processed').length >= N);
    await new Promise<void>((r) => {
      const t = setInterval(() => {
        if (held >= N) {
          clearInterval(t);
          r();
        }
      }, 20);
    });
    first.child.kill('SIGKILL');
    await first.exited;
    expect(sub.on('result')).toHaveLength(0);
    hold = false;

    const second = spawnAgent(cfg);
    children.push(second.child);
    await sub.until((s) => distinctResultPaths(s).size === N, 60_000, `${N} distinct results`);
    // Nothing was processed again: the results came from the outbox, replayed and marked historical.
    expect(second.logs.filter((l) => l.msg === 'processed')).toHaveLength(0);
    expect(sub.on('result').every((m) => m.body.historical === true)).toBe(true);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
