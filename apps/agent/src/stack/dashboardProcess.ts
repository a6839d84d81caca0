/**
 * The dashboard as a child of `lapis stack`: a production build (`next build` into `apps/dashboard/.next/stack`,
 * done once and again only when the dashboard's or its libraries' sources are newer than the build) served by
 * `next start`, or `next dev` when asked or when the build fails: a build once beats compiling every page on its
 * first visit (the timings: docs/deploy.md, "Dashboard: production build").
 *
 * The child runs in its own process group (so the stack stops it after the agents, in order, and its workers with
 * it). Its output goes line by line to `log`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../appDir';
import { pipeLines } from './logLines';

export { REPO_ROOT };
export const DASHBOARD_DIR = join(REPO_ROOT, 'apps', 'dashboard');
/** The stack's own Next build folder, relative to the dashboard (a developer's `next dev` keeps `.next`). */
export const STACK_DIST_DIR = '.next/stack';

export type DashboardMode = 'build' | 'dev';

export interface DashboardOptions {
  port: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  mode: DashboardMode;
  /** Environment for the dashboard: MQTT_URL, LAPIS_DASHBOARD_DB_DIR, … */
  env: Record<string, string>;
  log: (line: string) => void;
  /** Give up waiting for the first answer after this long (default 240 s). */
  readyTimeoutMs?: number;
}

export interface DashboardProcess {
  url: string;
  mode: DashboardMode;
  child: ChildProcess;
  /** Resolves once the server answers and the fleet page has rendered once. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

function nextBin(): string {
  const require = createRequire(join(DASHBOARD_DIR, 'package.json'));
  return require.resolve('next/dist/bin/next');
}

/** Sources whose change needs a new build. */
const BUILD_INPUTS = [
  'apps/dashboard/src',
  'apps/dashboard/drizzle',
  'apps/dashboard/next.config.ts',
  'apps/dashboard/package.json',
  'apps/dashboard/postcss.config.mjs',
  'libs/contracts/src',
  'libs/physics/src',
  'package-lock.json',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, e.name)));
  }
  return newest;
}

/** Why the stack's build must be (re)made, or undefined when it is current. */
export function buildStaleReason(root = REPO_ROOT): string | undefined {
  const id = join(root, 'apps', 'dashboard', STACK_DIST_DIR, 'BUILD_ID');
  if (!existsSync(id)) return 'no build yet';
  const built = statSync(id).mtimeMs;
  for (const input of BUILD_INPUTS) {
    if (newestMtime(join(root, input)) > built) return `${input} changed since the last build`;
  }
  return undefined;
}

/** Throws when something already listens on host:port (before a 45 s build that would then fail). */
export async function assertPortFree(port: number, host: string, what: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(e.code === 'EADDRINUSE' ? `${what}: port ${port} on ${host} is in use` : `${what}: ${e.message}`, {
          cause: e,
        }),
      ),
    );
    s.listen(port, host, () => s.close(() => resolve()));
  });
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LAPIS_NEXT_DIST_DIR: STACK_DIST_DIR, ...extra };
}

/**
 * Runs `fn` holding the build lock (`apps/dashboard/.next/stack.build.lock`, holding the pid), so two stacks (a
 * developer's `npm start` and the end-to-end test) never build into the same folder at once. A lock whose process is
 * gone is taken over.
 */
export async function withBuildLock<T>(fn: () => Promise<T>, onWait: () => void, signal?: AbortSignal): Promise<T> {
  const lock = join(DASHBOARD_DIR, '.next', 'stack.build.lock');
  mkdirSync(join(DASHBOARD_DIR, '.next'), { recursive: true });
  let told = false;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSync(lock, 'utf8').trim());
    let alive = false;
    try {
      alive = Number.isInteger(holder) && holder > 0 && holder !== process.pid && process.kill(holder, 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      rmSync(lock, { force: true });
      continue;
    }
    if (!told) onWait();
    told = true;
    if (signal?.aborted) throw new Error('stopped while waiting for another build');
    await new Promise((r) => setTimeout(r, 1000));
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Runs `next build` into the stack's folder; resolves true on success. */
export function buildDashboard(log: (line: string) => void, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin(), 'build'], {
      cwd: DASHBOARD_DIR,
      env: childEnv({ NODE_ENV: 'production' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    pipeLines(child.stdout!, log);
    pipeLines(child.stderr!, log);
    const onAbort = () => killGroup(child, 'SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(code === 0);
    });
    child.on('error', () => resolve(false));
  });
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    // already gone
  }
}

export function startDashboard(o: DashboardOptions): DashboardProcess {
  const host = o.host ?? '127.0.0.1';
  const args =
    o.mode === 'build' ? ['start', '-p', String(o.port), '-H', host] : ['dev', '-p', String(o.port), '-H', host];
  const child = spawn(process.execPath, [nextBin(), ...args], {
    cwd: DASHBOARD_DIR,
    env: childEnv({ NODE_ENV: o.mode === 'build' ? 'production' : 'development', PORT: String(o.port), ...o.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  pipeLines(child.stdout!, o.log);
  pipeLines(child.stderr!, o.log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${o.port}`;
  const ready = (async () => {
    const end = Date.now() + (o.readyTimeoutMs ?? 240_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the dashboard exited (${child.exitCode ?? child.signalCode}) before answering`);
      }
      try {
        const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5000) });
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > end) throw new Error(`the dashboard did not answer within ${o.readyTimeoutMs ?? 240_000} ms`);
      await new Promise((r) => setTimeout(r, 300));
    }
    // Render the fleet page once (it answers with the sign-in redirect), so the first visitor does not wait for it
    // (next dev compiles it now).
    await fetch(`${base}/`, { signal: AbortSignal.timeout(120_000) }).catch(() => undefined);
  })();
  ready.catch(() => undefined); // the caller awaits it; no unhandled rejection if it stops first
  return {
    url: base,
    mode: o.mode,
    child,
    ready,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const t = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
