import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AgentConfigError, loadAgentConfig, validateAgentConfig } from './loadConfig';
import { quickStartConfig } from './quickStart';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lapis-config-'));
  mkdirSync(join(dir, 'data'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SAMPLE = resolve(import.meta.dirname, '../../../lapis.agent.sample.yaml');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgentConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected an AgentConfigError');
}

describe('agent configuration', () => {
  it('accepts the documented sample (with its paths pointed at a temp dir) and fills defaults', () => {
    const sample = parseYaml(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;
    const tlsLess = { ...(sample.mqtt as object), tls: undefined, passwordFile: undefined };
    const c = validateAgentConfig(
      { ...sample, watch: { ...(sample.watch as object), roots: ['./data'] }, mqtt: tlsLess, dataDir: './state' },
      'sample',
      dir,
    );
    expect(c.instrument).toBe('minispec-02');
    expect(c.watch.roots).toEqual([join(dir, 'data')]);
    expect(c.dataDir).toBe(join(dir, 'state'));
    expect(c.rules.length).toBeGreaterThan(1);
  });

  it('fills defaults for a minimal file and resolves paths against its folder', () => {
    writeFileSync(join(dir, 'a.yaml'), 'instrument: nmr-1\nwatch:\n  roots: [data]\ndataDir: state\n');
    const c = loadAgentConfig(join(dir, 'a.yaml'));
    expect(c.watch).toMatchObject({ roots: [join(dir, 'data')], mode: 'events', settleMs: 500 });
    expect(c.mqtt.url).toBeUndefined();
    expect(c.embeddedBroker).toEqual({ host: '127.0.0.1', port: 1883 });
    expect(c.outbox.quotaBytes).toBe(512 * 1024 * 1024);
    expect(c.rules).toEqual([{ experiments: '*', pipeline: 'classical', method: 'auto' }]);
  });

  it('lists every schema problem with its path', () => {
    const problems = problemsOf(() =>
      validateAgentConfig(
        {
          instrument: 'a/b',
          watch: { roots: [], mode: 'inotify' },
          mqtt: { url: 'http://x', qos: 2 },
          rules: [{ method: 'magic' }],
        },
        'x.yaml',
        dir,
      ),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/^instrument: /m);
    expect(text).toMatch(/^watch\.roots: /m);
    expect(text).toMatch(/^watch\.mode: /m);
    expect(text).toMatch(/^mqtt\.url: .*mqtt:\/\//m);
    expect(text).toMatch(/^mqtt: .*qos/m);
    expect(text).toMatch(/^rules\.0\.method: /m);
    expect(text).toMatch(/^dataDir: /m);
  });

  it('checks the files it names: missing roots, state inside a root, unreadable TLS files', () => {
    const problems = problemsOf(() =>
      validateAgentConfig(
        {
          instrument: 'ok',
          watch: { roots: ['data', 'missing'] },
          dataDir: 'data/state',
          mqtt: { url: 'mqtts://b:8883', tls: { ca: 'ca.pem' } },
        },
        'x.yaml',
        dir,
      ),
    );
    expect(problems).toEqual([
      `watch.roots.1: ${join(dir, 'missing')} does not exist`,
      `dataDir: ${join(dir, 'data/state')} lies inside watch root ${join(dir, 'data')}; keep agent state elsewhere`,
      `mqtt.tls.ca: cannot read ${join(dir, 'ca.pem')} (ENOENT)`,
    ]);
  });

  it('reports unreadable and non-YAML files clearly', () => {
    expect(problemsOf(() => loadAgentConfig(join(dir, 'none.yaml')))).toEqual(['cannot read the file (ENOENT)']);
    writeFileSync(join(dir, 'b.yaml'), 'instrument: [unclosed\n');
    expect(problemsOf(() => loadAgentConfig(join(dir, 'b.yaml')))[0]).toMatch(/^not valid YAML: /);
  });

  it('builds a quick-start configuration from flags', () => {
    const c = quickStartConfig({
      watch: [join(dir, 'data')],
      instrument: 'q-1',
      brokerPort: 11883,
      dataDir: join(dir, 's'),
    });
    expect(c.embeddedBroker.port).toBe(11883);
    expect(c.mqtt.url).toBeUndefined();
    const m = quickStartConfig({
      watch: [join(dir, 'data')],
      instrument: 'q-1',
      mqtt: 'mqtt://broker:1883',
      polling: true,
    });
    expect(m.mqtt.url).toBe('mqtt://broker:1883');
    expect(m.watch.mode).toBe('polling');
  });

  it('lapis agent with a bad config exits 2 with the problems and opens no connection', async () => {
    // A listener where the bad config points: any connection attempt would show up here.
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      writeFileSync(
        join(dir, 'bad.yaml'),
        `instrument: nmr-1\nwatch: { roots: [missing] }\ndataDir: state\nmqtt: { url: 'mqtt://127.0.0.1:${port}' }\n`,
      );
      const r = spawnSync(
        process.execPath,
        [resolve(import.meta.dirname, '../../../bin/lapis.js'), 'agent', '--config', join(dir, 'bad.yaml')],
        {
          encoding: 'utf8',
          cwd: resolve(import.meta.dirname, '../../../../..'),
        },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`watch.roots.0: ${join(dir, 'missing')} does not exist`);
      expect(r.stderr.split('\n')[0]).toBe(`lapis agent: ${join(dir, 'bad.yaml')}: invalid agent configuration`);
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('takes network rules (method dl) for 2D maps only, with their model file checked', () => {
    mkdirSync(join(dir, 'data'), { recursive: true });
    const base = { instrument: 'nmr-1', watch: { roots: ['data'] }, dataDir: 'state' };
    const ok = validateAgentConfig(
      {
        ...base,
        rules: [
          { experiments: ['T1-T2', 'D-T2'], method: 'dl' },
          { experiments: '*', method: 'upen' },
        ],
      },
      'x.yaml',
      dir,
    );
    expect(ok.rules[0]).toMatchObject({ pipeline: 'network', method: 'dl' });
    expect(ok.rules[1]).toMatchObject({ pipeline: 'classical', method: 'upen' });
    const text = problemsOf(() =>
      validateAgentConfig(
        {
          ...base,
          rules: [
            { method: 'dl' },
            { experiments: ['T1-T2'], pipeline: 'classical', method: 'dl' },
            { experiments: ['T2'], method: 'auto', model: 'm.json' },
            { experiments: ['T1'], pipeline: 'network' },
          ],
        },
        'x.yaml',
        dir,
      ),
    ).join('\n');
    expect(text).toMatch(/^rules\.0\.experiments: method dl is for T1-T2 and D-T2 maps .* not \*/m);
    expect(text).toMatch(/^rules\.1\.pipeline: method dl runs the network pipeline/m);
    expect(text).toMatch(/^rules\.2\.model: model is for method: dl rules/m);
    expect(text).toMatch(/^rules\.3\.method: pipeline network needs method: dl/m);
    const missing = problemsOf(() =>
      validateAgentConfig(
        { ...base, rules: [{ experiments: ['D-T2'], method: 'dl', model: 'models/none.json' }] },
        'x.yaml',
        dir,
      ),
    ).join('\n');
    expect(missing).toContain(`rules.0.model: cannot read ${join(dir, 'models/none.json')} (ENOENT)`);
  });
});
