/**
 * The dashboard image's recipe without Docker (opt-in: LAPIS_TEST_STANDALONE=1, because `next build` takes
 * 40–70 s here): build with LAPIS_NEXT_OUTPUT=standalone as docker/dashboard.Dockerfile does, assemble the standalone
 * server, its static assets and the migrations the same way, start `server.js` with DATABASE_URL against a real
 * PostgreSQL and an MQTT broker, and check that it migrates, ingests a published result and serves its pages and
 * assets. Needs next.config.ts to honour LAPIS_NEXT_OUTPUT (see docs/deploy.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startTestBroker } from '../../../apps/dashboard/src/test/broker';
import { envelope, json } from '../../../apps/dashboard/src/test/fixtures';
import { postgresUnavailable, startTestPostgres } from '../../../apps/dashboard/src/test/postgres';
import { DASHBOARD_DIR } from '../../../apps/agent/src/stack/dashboardProcess';
import { freePort } from '../../../apps/agent/src/testing/mosquitto';

const DIST = '.next/standalone-test';
const why =
  process.env.LAPIS_TEST_STANDALONE !== '1'
    ? 'opt-in: LAPIS_TEST_STANDALONE=1 (a production build, 40–70 s)'
    : postgresUnavailable();
if (why) console.warn(`skipping the standalone dashboard test: ${why}`);

describe.skipIf(why !== undefined)('dashboard standalone build on PostgreSQL (the Docker recipe)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('builds, starts with DATABASE_URL, migrates, ingests and serves pages and assets', async () => {
    const build = spawn(process.execPath, [join(DASHBOARD_DIR, '../../node_modules/next/dist/bin/next'), 'build'], {
      cwd: DASHBOARD_DIR,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        LAPIS_NEXT_OUTPUT: 'standalone',
        LAPIS_NEXT_DIST_DIR: DIST,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    build.stdout!.on('data', (d) => (log += d));
    build.stderr!.on('data', (d) => (log += d));
    const code = await new Promise<number | null>((r) => build.once('exit', r));
    expect(code, log.slice(-3000)).toBe(0);
    const standalone = join(DASHBOARD_DIR, DIST, 'standalone');
    expect(
      existsSync(join(standalone, 'apps', 'dashboard', 'server.js')),
      'no standalone server: next.config.ts must set output: "standalone" when LAPIS_NEXT_OUTPUT=standalone',
    ).toBe(true);

    // Assemble as the Dockerfile does (there with the default dist dir `.next`).
    const app = mkdtempSync(join(tmpdir(), 'lapis-standalone-'));
    cleanup.push(() => rmSync(app, { recursive: true, force: true }));
    cpSync(standalone, app, { recursive: true, verbatimSymlinks: true });
    cpSync(join(DASHBOARD_DIR, DIST, 'static'), join(app, 'apps', 'dashboard', DIST, 'static'), { recursive: true });
    cpSync(join(DASHBOARD_DIR, 'drizzle'), join(app, 'apps', 'dashboard', 'drizzle'), { recursive: true });

    const pg = await startTestPostgres();
    cleanup.push(() => pg.stop());
    const broker = await startTestBroker();
    cleanup.push(() => broker.close());
    const port = await freePort();
    const serverEnv = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      DATABASE_URL: pg.url,
      MQTT_URL: broker.url,
      LAPIS_DASHBOARD_MIGRATIONS: join(app, 'apps', 'dashboard', 'drizzle'),
    };
    // Without sign-in configured, a production server refuses to serve at all.
    const refused = spawnSync(process.execPath, [join(app, 'apps', 'dashboard', 'server.js')], {
      cwd: app,
      env: { ...serverEnv, LAPIS_AUTH_SECRET: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(refused.status, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/refusing to serve: sign-in is not configured — LAPIS_AUTH_SECRET/);

    const admin = { email: 'standalone-admin@example.org', password: 'standalone password' };
    const server = spawn(process.execPath, [join(app, 'apps', 'dashboard', 'server.js')], {
      cwd: app,
      env: {
        ...serverEnv,
        LAPIS_AUTH_SECRET: 'standalone-test-secret-0123456789abcdef',
        LAPIS_ADMIN_EMAIL: admin.email,
        LAPIS_ADMIN_PASSWORD: admin.password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    server.stderr!.on('data', (d) => (out += d));
    cleanup.push(async () => {
      if (server.exitCode !== null) return;
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    });
    const base = `http://127.0.0.1:${port}`;
    let cookie = '';
    const fleet = async () => {
      if (!cookie) {
        const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: base },
          body: JSON.stringify(admin),
        });
        if (!signIn.ok) return undefined;
        cookie = signIn.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
      }
      const r = await fetch(`${base}/api/trpc/fleet.list`, { headers: { cookie } });
      return r.ok
        ? ((await r.json()) as { result: { data: { json: { id: string; resultsToday: number }[] } } })
        : undefined;
    };
    const end = Date.now() + 30_000;
    for (;;) {
      const f = await fleet().catch(() => undefined);
      if (f) break;
      if (server.exitCode !== null || Date.now() > end) throw new Error(`standalone server did not answer:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(out).toMatch(/PostgreSQL/);

    const agent = await mqtt.connectAsync(broker.url, { clientId: 'standalone-test', protocolVersion: 4 });
    cleanup.push(() => agent.endAsync());
    const env = envelope({
      instrument: 'sa-minispec',
      seed: 'sa',
      sample: 'gouda',
      producedAt: new Date().toISOString(),
    });
    await agent.publishAsync('lapis/v1/sa-minispec/result', json(env), { qos: 1 });
    const until = Date.now() + 15_000;
    let row: { id: string; resultsToday: number } | undefined;
    while (!row && Date.now() < until) {
      row = (await fleet())?.result.data.json.find((r) => r.id === 'sa-minispec' && r.resultsToday === 1);
      if (!row) await new Promise((r) => setTimeout(r, 250));
    }
    expect(row, out).toBeDefined();

    expect((await fetch(`${base}/`, { redirect: 'manual' })).headers.get('location')).toBe('/signin?next=%2F');
    const page = await fetch(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = /\/_next\/static\/[^"']+\.(?:js|css)/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${base}${asset}`)).status).toBe(200);
  }, 300_000);
});
