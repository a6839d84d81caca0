/**
 * Starts a real mosquitto 2 for integration tests: 127.0.0.1, a free port, its own config file in a temp dir,
 * anonymous access, no persistence. `stop` ends it; `restart` starts it again on the same port (broker outage tests).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Mosquitto {
  port: number;
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops and removes the temp dir. */
  close(): Promise<void>;
}

export const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => spawnSync(p, ['-h']).error === undefined);

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ port, host: '127.0.0.1' });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`mosquitto did not open port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMosquitto(port?: number): Promise<Mosquitto> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed (apt-get install mosquitto; listed in .ci/apt-packages)');
  const dir = mkdtempSync(join(tmpdir(), 'lapis-mosquitto-'));
  const p = port ?? (await freePort());
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [`listener ${p} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning', ''].join('\n'),
  );
  let child: ChildProcess | undefined;
  let stderr = '';
  const start = async () => {
    child = spawn(MOSQUITTO!, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${stderr.trim()}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(p, 5000), exited]);
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  return {
    port: p,
    url: `mqtt://127.0.0.1:${p}`,
    stop,
    restart: start,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
