/**
 * Starts the dashboard (`next dev`, so no `next build` in the test run) on a free port with its own database
 * directory, broker URL and build folder; resolves when it answers. Its output is kept for failure messages.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../../tools/test/freePort';

export interface NextServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

const appDir = fileURLToPath(new URL('../..', import.meta.url));

export async function startNextServer(env: Record<string, string>, timeoutMs = 120_000): Promise<NextServer> {
  const port = await freePort();
  const nextBin = fileURLToPath(import.meta.resolve('next/dist/bin/next'));
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'dev', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends next's workers too
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next dev exited (${child.exitCode}):\n${out.slice(-3000)}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`next dev did not answer within ${timeoutMs} ms:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * Has `next dev` compile each page route once, in turn, before a browser visits it: a route's first compile on a
 * loaded 2-core machine has taken over 30 s, which a click's navigation then waits out. Unknown keys are fine (the
 * page compiles, then answers 404).
 */
export async function compileRoutes(url: string, cookie: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const res = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status >= 500) throw new Error(`compiling ${path}: HTTP ${res.status}`);
  }
}
