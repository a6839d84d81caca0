/**
 * `lapis stack` end to end, in a real browser: the real bin on free ports with a temp state dir and a fast
 * simulator; Debian chromium (playwright-core) must see the three simulated instruments online on the fleet page
 * and a result arrive without a reload, and the broker must refuse an anonymous client; SIGINT must then stop
 * everything with exit 0 and free both ports.
 * A second start on the same state dir must find the results of the first. Screenshot in .test-results/stack/.
 * The dashboard's production build (apps/dashboard/.next/stack) is made by the first run when missing or stale
 * (≈ 30–45 s here), then reused.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../tools/test/chromium';
import type { Browser } from 'playwright-core';
import { freePort } from '../../../../tools/test/freePort';

const CHROMIUM = process.env.LAPIS_CHROMIUM ?? '/usr/bin/chromium';
const BIN = fileURLToPath(new URL('../../bin/lapis.js', import.meta.url));
const shots = join(process.cwd(), '.test-results', 'stack');
const missing = existsSync(CHROMIUM) ? undefined : `no browser at ${CHROMIUM} (apt-get install chromium)`;
if (missing) console.warn(`skipping the lapis stack end-to-end test: ${missing}`);

const INSTRUMENTS = ['relaxometer-01', 'benchtop-01', 'avance-400'];

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

interface Stack {
  child: ChildProcess;
  output(): string;
  url: string;
  brokerPort: number;
  exit: Promise<number | null>;
}

async function startStack(stateDir: string, port: number): Promise<Stack> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'stack',
      '--state-dir',
      stateDir,
      '--port',
      String(port),
      '--broker-port',
      '0',
      '--interval',
      '1',
      '--row-interval',
      '20',
    ],
    { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const end = Date.now() + 200_000;
  for (;;) {
    const up = /Lapis is up: open (http:\/\/\S+)/.exec(out);
    const broker = /MQTT \(aedes, 3\.1\.1\) on mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (up && broker) return { child, output: () => out, url: up[1]!, brokerPort: Number(broker[1]), exit };
    if (child.exitCode !== null) throw new Error(`lapis stack exited (${child.exitCode}):\n${out.slice(-3000)}`);
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`lapis stack not up within 200 s:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopStack(stack: Stack): Promise<number | null> {
  stack.child.kill('SIGINT');
  const timer = setTimeout(() => stack.child.kill('SIGKILL'), 20_000);
  const code = await stack.exit;
  clearTimeout(timer);
  return code;
}

describe.skipIf(missing !== undefined)('lapis stack end to end (browser)', () => {
  let dir: string;
  let browser: Browser;
  let stack: Stack | undefined;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'lapis-stack-e2e-'));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    if (stack && stack.child.exitCode === null) await stopStack(stack);
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('three instruments online, results arriving live; Ctrl-C stops it all; a second run keeps the data', async () => {
    const port = await freePort();
    const state = join(dir, 'state');
    stack = await startStack(state, port);
    // The printed address is a one-time sign-in link (the dashboard answers nobody without a session).
    expect(stack.url).toMatch(new RegExp(`^http://localhost:${port}/signin/token\\?t=[A-Za-z0-9_-]{32}$`));
    expect((await fetch(`http://127.0.0.1:${port}/api/trpc/fleet.list`)).status).toBe(401);
    expect(statSync(join(state, 'dashboard-auth-secret')).mode & 0o777).toBe(0o600);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (err) => console.error('[browser]', err.message));
    await page.goto(stack.url);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForSelector('[data-signed-in="admin"]', { timeout: 30_000 });
    await page.waitForSelector('[data-live="live"]', { timeout: 30_000 });
    // the link works once
    expect((await fetch(stack.url, { redirect: 'manual' })).status).toBe(403);
    for (const id of INSTRUMENTS) {
      const row = page.locator(`[data-instrument="${id}"]`);
      await row.locator('[data-field="state"]', { hasText: 'online' }).waitFor({ timeout: 30_000 });
    }
    // Results so far, as the page shows them; then one more must arrive without a reload.
    const todayTotal = async () => {
      let sum = 0;
      for (const id of INSTRUMENTS) {
        const text = await page.locator(`[data-instrument="${id}"] [data-field="today"]`).innerText();
        sum += Number(/\d+/.exec(text)?.[0] ?? 0);
      }
      return sum;
    };
    const before = await todayTotal();
    const end = Date.now() + 30_000;
    let after = before;
    while (after <= before && Date.now() < end) {
      await page.waitForTimeout(500);
      after = await todayTotal();
    }
    expect(after, `no result arrived live:\n${stack.output().slice(-2000)}`).toBeGreaterThan(before);
    // The broker takes only the stack's own credentials (kept 0600 in the state folder): no anonymous client.
    expect(statSync(join(state, 'broker-credentials.json')).mode & 0o777).toBe(0o600);
    const anonymous = mqtt.connect(`mqtt://127.0.0.1:${stack.brokerPort}`, { protocolVersion: 4, reconnectPeriod: 0 });
    const refusal = await new Promise<unknown>((resolve) => {
      anonymous.once('connect', () => resolve('connected'));
      anonymous.once('error', (e) => resolve((e as Error & { code?: number }).code));
    });
    anonymous.end(true);
    expect(refusal).toBe(5);
    await page.screenshot({ path: join(shots, 'fleet.png'), fullPage: true });
    await page.close();

    const code = await stopStack(stack);
    expect(code, stack.output().slice(-2000)).toBe(0);
    expect(stack.output()).toMatch(/\[stack\]\s+stopped\n/);
    expect(await listening(port)).toBe(false);
    expect(await listening(stack.brokerPort)).toBe(false);

    // Second run on the same state: the dashboard already knows the results of the first.
    const port2 = await freePort();
    stack = await startStack(state, port2);
    const signedIn = await fetch(stack.url.replace('localhost', '127.0.0.1'), { redirect: 'manual' });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const res = await fetch(`http://127.0.0.1:${port2}/api/trpc/fleet.list`, { headers: { cookie } });
    const body = (await res.json()) as { result: { data: { json: { id: string; resultsToday: number }[] } } };
    const known = body.result.data.json.filter((r) => INSTRUMENTS.includes(r.id));
    expect(known.reduce((s, r) => s + r.resultsToday, 0)).toBeGreaterThanOrEqual(after);
    expect(await stopStack(stack)).toBe(0);
  }, 240_000);
});
