/**
 * A real mosquitto 2 in its own process (127.0.0.1, a free port, anonymous, no persistence, unlimited queues) for
 * benchmarks that must not share the dashboard's one thread with an in-process broker. `undefined` when mosquitto
 * is not installed; callers fall back to aedes (test/broker.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../tools/test/freePort';
import type { TestBroker } from './broker';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => spawnSync(p, ['-h']).error === undefined);

async function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export async function startMosquitto(): Promise<TestBroker | undefined> {
  if (!MOSQUITTO) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'lapis-mosquitto-'));
  const port = await freePort();
  // max_queued_messages 0 = unlimited: a subscriber that falls behind must not lose QoS 1 messages in a benchmark.
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n`,
  );
  const child = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const end = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (Date.now() > end || child.exitCode !== null) {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mosquitto did not open port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
