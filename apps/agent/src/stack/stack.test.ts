/**
 * `lapis stack` without starting a dashboard: flags and defaults, the prefixed log lines, the build staleness rule,
 * and a clean refusal (exit 1, nothing left listening) when the dashboard's port is taken.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../tools/test/freePort';
import { main } from '../main';
import { REPO_ROOT, buildStaleReason } from './dashboardProcess';
import { createStackLog, formatPinoLine } from './logLines';
import { runStack, stackSettings } from './stackCommand';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('stackSettings', () => {
  it('defaults: dashboard on 3000 (or PORT), broker on 1883, state in the repository .lapis/', () => {
    const s = stackSettings([], '/somewhere', {});
    expect(s).toEqual({
      port: 3000,
      brokerPort: 1883,
      brokerAnonymous: false,
      stateDir: join(REPO_ROOT, '.lapis'),
      demoDir: join(REPO_ROOT, '.lapis', 'demo'),
      intervalMs: 4000,
      rowIntervalMs: 150,
      brokenEvery: 10,
      dashboard: 'build',
      logLevel: 'info',
    });
    expect(stackSettings([], '/x', { PORT: '3100' }).port).toBe(3100);
    expect(stackSettings(['--port', '3200'], '/x', { PORT: '3100' }).port).toBe(3200);
    const t = stackSettings(
      ['--state-dir', 'st', '--broker-port', '0', '--interval', '0.5', '--dashboard', 'dev'],
      '/x',
      {},
    );
    expect([t.stateDir, t.demoDir, t.brokerPort, t.intervalMs, t.dashboard]).toEqual([
      '/x/st',
      '/x/st/demo',
      0,
      500,
      'dev',
    ]);
    expect(stackSettings(['--broker-anonymous'], '/x', {}).brokerAnonymous).toBe(true);
  });

  it('refuses bad flags with the flag named', () => {
    expect(() => stackSettings(['--dashboard', 'prod'], '/x', {})).toThrow(/--dashboard/);
    expect(() => stackSettings(['--port', '70000'], '/x', {})).toThrow(/--port/);
    expect(() => stackSettings(['--port', '0'], '/x', {})).toThrow(/--port/);
    expect(() => stackSettings([], '/x', { PORT: 'abc' })).toThrow(/--port/);
    expect(() => stackSettings(['--interval', '0'], '/x', {})).toThrow(/--interval/);
    expect(() => stackSettings(['--broken-every', '1.5'], '/x', {})).toThrow(/--broken-every/);
    expect(() => stackSettings(['--nope'], '/x', {})).toThrow(/nope/);
  });

  it('lapis --help lists it, and a bad flag exits 2', async () => {
    let out = '';
    expect(await main(['--help'], { stdout: (t) => (out += t), stderr: () => undefined, cwd: '/' })).toBe(0);
    expect(out).toMatch(/^\s+stack\s+run everything locally/m);
    let err = '';
    expect(
      await main(['stack', '--interval', 'x'], { stdout: () => undefined, stderr: (t) => (err += t), cwd: '/' }),
    ).toBe(2);
    expect(err).toBe('lapis stack: --interval: bad value x (see lapis stack --help)\n');
  });
});

describe('log lines', () => {
  it('turns pino JSON into a readable line and leaves other text alone', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      pid: 1,
      name: 'lapis-agent',
      msg: 'acquisition failed',
      dir: '/d',
      ms: 12,
    });
    expect(formatPinoLine(line)).toBe('03:04:05 WARN  acquisition failed  dir=/d ms=12');
    expect(formatPinoLine('plain text')).toBe('plain text');
  });

  it('prefixes every line with its part, aligned, and splits pino output into lines', async () => {
    let text = '';
    const log = createStackLog((t) => (text += t), false);
    log.part('broker')('up\nsecond');
    const stream = log.pinoStream('relaxometer-01');
    stream.write(
      JSON.stringify({ level: 30, time: 0, msg: 'processed' }) +
        '\n' +
        JSON.stringify({ level: 30, time: 0 }).slice(0, 5),
    );
    stream.end(JSON.stringify({ level: 30, time: 0 }).slice(5) + '\n');
    await new Promise((r) => stream.once('finish', r));
    expect(text.split('\n')).toEqual([
      '[broker]     up',
      '[broker]     second',
      '[relaxometer-01] 00:00:00 info  processed',
      '[relaxometer-01] 00:00:00 info  ',
      '',
    ]);
  });
});

describe('dashboard build staleness', () => {
  it('builds when there is none, not when current, again when a source is newer', () => {
    const root = mkdtempSync(join(tmpdir(), 'lapis-stale-'));
    dirs.push(root);
    const src = join(root, 'apps', 'dashboard', 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'page.tsx'), 'x');
    expect(buildStaleReason(root)).toBe('no build yet');
    const dist = join(root, 'apps', 'dashboard', '.next', 'stack');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'BUILD_ID'), 'b');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(src, 'page.tsx'), past, past);
    utimesSync(src, past, past);
    expect(buildStaleReason(root)).toBeUndefined();
    writeFileSync(join(src, 'page.tsx'), 'y');
    expect(buildStaleReason(root)).toBe('apps/dashboard/src changed since the last build');
  });
});

describe('runStack', () => {
  it('stops at once with exit 1 when the dashboard port is taken, leaving nothing listening', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as AddressInfo).port;
    const state = mkdtempSync(join(tmpdir(), 'lapis-stack-busy-'));
    dirs.push(state);
    let out = '';
    let err = '';
    try {
      const code = await runStack(
        { ...stackSettings(['--state-dir', state, '--broker-port', '0', '--port', String(port)], '/', {}) },
        { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: '/' },
      );
      expect(code).toBe(1);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
    expect(err).toBe(`lapis stack: dashboard (--port or PORT): port ${port} on 127.0.0.1 is in use\n`);
    expect(out).toMatch(/\[stack\]\s+stopped \(exit 1\)\n$/);
    expect(out).not.toMatch(/\[broker\]/);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('stops with exit 1 on a broker credentials file that is not one, rather than replace it', async () => {
    const state = mkdtempSync(join(tmpdir(), 'lapis-stack-creds-'));
    dirs.push(state);
    writeFileSync(join(state, 'broker-credentials.json'), '{"format":"other"}');
    let out = '';
    let err = '';
    const code = await runStack(
      stackSettings(['--state-dir', state, '--broker-port', '0', '--port', String(await freePort())], '/', {}),
      { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: '/' },
    );
    expect(code).toBe(1);
    expect(err).toMatch(/broker-credentials\.json: not a lapis-broker-credentials\/1 file .*delete it/);
    expect(readFileSync(join(state, 'broker-credentials.json'), 'utf8')).toBe('{"format":"other"}');
    expect(out).not.toMatch(/\[broker\]/);
  });
});
