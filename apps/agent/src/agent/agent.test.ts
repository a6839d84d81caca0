/**
 * The agent end to end in-process, against the embedded aedes broker: real files in temp dirs, a real MQTT
 * consumer. Each test starts its own agent on free ports.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatBrukerList,
  simulateGeoSpec,
  simulateMinispec,
  simulatePseudo2d,
  simulateSpinsolve,
  simulateTecmag,
  writeBrukerDataset,
  writeTnt,
} from '@lapis/formats';
import { logGrid } from '@lapis/physics';
import { startEmbeddedBroker } from './broker/embeddedBroker';
import type { EmbeddedBroker } from './broker/embeddedBroker';
import { freePort } from '../testing/mosquitto';
import { heartbeatMessageSchema, resultEnvelopeSchema, statusMessageSchema } from '@lapis/contracts';
import { Agent } from './agent';
import { validateAgentConfig } from './config/loadConfig';
import type { AgentConfig } from './config/schema';
import { silentLogger } from './logger';
import { fixtureFiles, workspace, writeFixture, writeMalformed } from '../testing/watchFolder';
import type { Workspace } from '../testing/watchFolder';
import { subscribe } from '../testing/subscriber';
import type { Subscriber } from '../testing/subscriber';

let ws: Workspace;
let agent: Agent | undefined;
let sub: Subscriber | undefined;
let external: EmbeddedBroker | undefined;

afterEach(async () => {
  await sub?.close();
  await agent?.stop();
  await external?.close();
  sub = undefined;
  agent = undefined;
  external = undefined;
  ws?.cleanup();
});

function config(extra: Record<string, unknown> = {}): AgentConfig {
  return validateAgentConfig(
    {
      instrument: 'bench-01',
      site: 'test lab',
      watch: { roots: [ws.root], settleMs: 150 },
      dataDir: ws.dataDir,
      embeddedBroker: { port: 0 },
      http: { port: 0 },
      ...extra,
    },
    'test',
    ws.dir,
  );
}

async function startAgent(extra: Record<string, unknown> = {}, logger = silentLogger()) {
  agent = await Agent.start(config(extra), { logger, incompleteTimeoutMs: 60_000 });
  sub = await subscribe(agent.brokerUrl);
  return agent;
}

/** A pino logger whose JSON lines land in `lines`. */
function capture(lines: Record<string, unknown>[]) {
  return pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
}

async function until(predicate: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Agent with the embedded broker', () => {
  it('processes a finished acquisition and publishes a valid result, events and retained online status', async () => {
    ws = workspace();
    const a = await startAgent();
    const dir = writeFixture(join(ws.root, 'sample-1', '1'), { seed: 3 });
    await sub!.until(
      (s) => s.on('result').length === 1 && s.on('event').some((m) => m.body.kind === 'finished'),
      20_000,
      'result',
    );
    const env = resultEnvelopeSchema.parse(sub!.on('result')[0]!.body);
    expect(env.path).toBe(dir);
    expect(env.historical).toBe(false);
    expect(env.instrument).toBe('bench-01');
    expect(env.provenance.pipelineVersion).toMatch(/classical/);
    expect(env.provenance.reader).toBe('lapis-acquisition/1');
    expect(env.document.peaks.length).toBeGreaterThan(0);
    // The simulated T2 for seed 3 is 0.02·(1 + 3/50); the main peak must land near it.
    const t2 = env.document.peaks[0]!.position.T2!;
    expect(Math.abs(Math.log10(t2 / 0.0212))).toBeLessThan(0.15);
    const kinds = sub!.on('event').map((m) => m.body.kind);
    expect(kinds).toEqual(expect.arrayContaining(['detected', 'started', 'finished']));
    const status = sub!.on('status').map((m) => statusMessageSchema.parse(m.body));
    expect(status.at(-1)!.state).toBe('online');
    expect(a.metrics.processed).toBe(1);
    // The instrument's files are untouched and the state lives outside the root.
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe(fixtureFiles({ seed: 3 }).data);
    await a.idle();
    expect(a.outbox.stats().depth).toBe(0);
    // /healthz and /metrics on localhost
    const health = (await (await fetch(`http://127.0.0.1:${a.healthPort}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', processed: 1, failed: 0, outboxDepth: 0, mqttConnected: true });
    const metrics = await (await fetch(`http://127.0.0.1:${a.healthPort}/metrics`)).text();
    expect(metrics).toMatch(/^lapis_agent_acquisitions_processed_total\{instrument="bench-01"\} 1$/m);
    expect(metrics).toMatch(/^lapis_agent_outbox_depth\{instrument="bench-01"\} 0$/m);
  });

  it('reports a malformed acquisition as failed with its reason and keeps going', async () => {
    ws = workspace();
    const a = await startAgent();
    writeMalformed(join(ws.root, 'broken'));
    await sub!.until((s) => s.on('event').some((m) => m.body.kind === 'failed'), 20_000, 'failed event');
    const failed = sub!.on('event').find((m) => m.body.kind === 'failed')!.body;
    expect(failed.path).toBe(join(ws.root, 'broken'));
    expect(String(failed.reason)).toMatch(/T9|kernel/);
    writeFixture(join(ws.root, 'fine'), { seed: 5 });
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'result after a failure');
    expect(a.metrics.failed).toBe(1);
    expect(a.metrics.processed).toBe(1);
    expect(a.outbox.outcome(String(failed.key))?.status).toBe('failed');
  });

  it('does not process an acquisition still being written, and processes it once complete', async () => {
    ws = workspace();
    const a = await startAgent();
    const dir = join(ws.root, 'growing');
    mkdirSync(dir);
    const f = fixtureFiles({ seed: 9 });
    const lines = f.data.trimEnd().split('\n');
    writeFileSync(join(dir, 'acquisition.json'), f.json);
    writeFileSync(join(dir, 'data.txt'), lines.slice(0, 20).join('\n') + '\n');
    // Quiet for well over settleMs, yet only 20 of 48 echoes: must not be processed (nor failed).
    await new Promise((r) => setTimeout(r, 1200));
    expect(a.metrics.detected).toBe(0);
    expect(sub!.on('event')).toHaveLength(0);
    writeFileSync(join(dir, 'data.txt'), lines.join('\n') + '\n');
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'result once complete');
    expect(a.metrics.failed).toBe(0);
  });

  it('does not follow a symlink that leads out of the watch root', async () => {
    ws = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'lapis-outside-'));
    try {
      writeFixture(join(outside, 'secret'), { seed: 11 });
      const a = await startAgent();
      symlinkSync(join(outside, 'secret'), join(ws.root, 'link'));
      writeFixture(join(ws.root, 'real'), { seed: 12 });
      await sub!.until((s) => s.on('result').length >= 1, 20_000, 'result of the real acquisition');
      await new Promise((r) => setTimeout(r, 800));
      const paths = sub!.on('event').map((m) => String(m.body.path));
      expect(paths.every((p) => p === join(ws.root, 'real'))).toBe(true);
      expect(sub!.on('result')).toHaveLength(1);
      expect(a.metrics.detected).toBe(1);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('skips what was processed before a restart and reprocesses on request', async () => {
    ws = workspace();
    writeFixture(join(ws.root, 'a'), { seed: 21 });
    writeFixture(join(ws.root, 'b'), { seed: 22 });
    let a = await startAgent();
    await sub!.until((s) => s.on('result').length === 2, 20_000, 'two results');
    await a.idle();
    await sub!.close();
    await a.stop();
    a = await startAgent();
    await new Promise((r) => setTimeout(r, 1000));
    expect(sub!.on('result')).toHaveLength(0);
    expect(a.metrics.skipped).toBe(2);
    const reply = a.reprocess([join(ws.root, 'a'), join(ws.root, 'nope'), ws.dir]);
    expect(reply.accepted).toEqual([join(ws.root, 'a')]);
    expect(reply.rejected.map((r) => r.reason)).toEqual(['no such directory', 'not inside a watch root']);
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'reprocessed result');
    expect(sub!.on('result')[0]!.body.reprocessed).toBe(true);
  });

  it('fails an acquisition whose file links out of the watch root, without reading the target', async () => {
    ws = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'lapis-outside-'));
    try {
      const f = fixtureFiles({ seed: 13 });
      writeFileSync(join(outside, 'data.txt'), f.data);
      const dir = join(ws.root, 'sneaky');
      mkdirSync(dir);
      symlinkSync(join(outside, 'data.txt'), join(dir, 'data.txt'));
      writeFileSync(join(dir, 'acquisition.json'), f.json);
      await startAgent();
      await sub!.until((s) => s.on('event').some((m) => m.body.kind === 'failed'), 20_000, 'failed event');
      const failed = sub!.on('event').find((m) => m.body.kind === 'failed')!.body;
      expect(String(failed.reason)).toMatch(/symlink leads outside the watch root/);
      expect(sub!.on('result')).toHaveLength(0);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('watches by polling (network shares)', async () => {
    ws = workspace();
    // chokidar's polling can miss a folder created just as it starts: the rescan is what guarantees it is found.
    await startAgent({
      watch: { roots: [ws.root], mode: 'polling', pollIntervalMs: 100, settleMs: 150, rescanIntervalMs: 300 },
    });
    writeFixture(join(ws.root, 'polled'), { seed: 31 });
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'result by polling');
  });

  it('uses MQTT 3.1.1 when an external broker refuses 5 (protocol auto)', async () => {
    ws = workspace();
    external = await startEmbeddedBroker({ port: 0 });
    const a = await startAgent({ mqtt: { url: external.url, protocol: 'auto', reconnectMinMs: 100 } });
    writeFixture(join(ws.root, 'x'), { seed: 41 });
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'result over 3.1.1');
    expect(a.mqttProtocol).toBe('3.1.1');
  });

  it('answers cmd/reprocess over MQTT and publishes the result again, marked reprocessed', async () => {
    ws = workspace();
    const dir = writeFixture(join(ws.root, 'again'), { seed: 51 });
    await startAgent();
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'first result');
    await sub!.client.publishAsync(
      'lapis/v1/bench-01/cmd/reprocess',
      JSON.stringify({ requestId: 'r-1', paths: [dir, '/etc'] }),
      { qos: 1 },
    );
    await sub!.until(
      (s) => s.on('reply').length === 1 && s.on('result').length === 2,
      20_000,
      'reply and second result',
    );
    const reply = sub!.on('reply')[0]!.body;
    expect(reply).toMatchObject({
      requestId: 'r-1',
      accepted: [dir],
      rejected: [{ path: '/etc', reason: 'not inside a watch root' }],
    });
    const [first, second] = sub!.on('result').map((m) => m.body);
    expect(second!.key).toBe(first!.key);
    expect(second!.reprocessed).toBe(true);
    // A malformed request gets an error reply instead of silence.
    await sub!.client.publishAsync('lapis/v1/bench-01/cmd/reprocess', JSON.stringify({ paths: [] }), { qos: 1 });
    await sub!.until((s) => s.on('reply').length === 2, 5000, 'error reply');
    expect(String(sub!.on('reply')[1]!.body.error)).toMatch(/requestId/);
  });

  it('a request with a method and who asked makes a new version: its own key, the method, the request', async () => {
    ws = workspace();
    const dir = writeFixture(join(ws.root, 'versions'), { seed: 52 });
    await startAgent();
    await sub!.until((s) => s.on('result').length === 1, 20_000, 'first result');
    const ask = (requestId: string) =>
      sub!.client.publishAsync(
        'lapis/v1/bench-01/cmd/reprocess',
        JSON.stringify({ requestId, paths: [dir], method: 'tikhonov', requestedBy: 'manager@example.org' }),
        { qos: 1 },
      );
    await ask('req-tik-1');
    await sub!.until((s) => s.on('result').length === 2, 20_000, 'the requested version');
    const [first, second] = sub!.on('result').map((m) => m.body);
    expect(second!.key).not.toBe(first!.key);
    expect(second!.request).toEqual({ id: 'req-tik-1', by: 'manager@example.org', method: 'tikhonov' });
    expect((second!.provenance as { method: string }).method).toBe('tikhonov');
    expect(second!.reprocessed).toBe(true);
    expect((second!.provenance as { rawDataHash: string }).rawDataHash).toBe(
      (first!.provenance as { rawDataHash: string }).rawDataHash,
    );
    // a second request is a third version, never the second replaced
    await ask('req-tik-2');
    await sub!.until((s) => s.on('result').length === 3, 20_000, 'another version');
    expect(new Set(sub!.on('result').map((m) => m.body.key)).size).toBe(3);
  });

  it('lapis agent reprocess (real process) drives a running agent and reports progress', async () => {
    ws = workspace();
    const dirs = [writeFixture(join(ws.root, 'r1'), { seed: 61 }), writeFixture(join(ws.root, 'r2'), { seed: 62 })];
    const a = await startAgent();
    await sub!.until((s) => s.on('result').length === 2, 20_000, 'first results');
    const child = spawn(
      process.execPath,
      [
        resolve(import.meta.dirname, '../../bin/lapis.js'),
        'agent',
        'reprocess',
        ...dirs,
        join(ws.root, 'missing'),
        '--instrument',
        'bench-01',
        '--mqtt',
        a.brokerUrl,
      ],
      { cwd: resolve(import.meta.dirname, '../../../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(stderr).toContain(`${join(ws.root, 'missing')}: no such directory`);
    expect(stderr).toMatch(/2\/2 finished/);
    expect(stderr).toContain('2 done, 1 failed or refused');
    expect(code).toBe(1); // one path refused
    expect(sub!.on('result').filter((m) => m.body.reprocessed === true)).toHaveLength(2);
  });

  it('warns loudly when the outbox fills, pauses, and delivers everything once the broker is reachable', async () => {
    ws = workspace();
    const lines: Record<string, unknown>[] = [];
    const port = await freePort();
    // Broker not there yet: results pile up in the outbox, and the first result alone exceeds the 1 KiB quota.
    agent = await Agent.start(
      config({
        mqtt: { url: `mqtt://127.0.0.1:${port}`, protocol: '3.1.1', reconnectMinMs: 100, reconnectMaxMs: 200 },
        outbox: { quotaBytes: 1024, warnFraction: 0.5 },
      }),
      { logger: capture(lines) },
    );
    writeFixture(join(ws.root, 'q1'), { seed: 71 });
    await until(() => agent!.metrics.processed === 1, 20_000, 'first result');
    writeFixture(join(ws.root, 'q2'), { seed: 72 });
    writeFixture(join(ws.root, 'q3'), { seed: 73 });
    await until(() => lines.some((l) => String(l.msg).startsWith('OUTBOX FULL')), 20_000, 'outbox full error');
    expect(lines.find((l) => String(l.msg).startsWith('OUTBOX FULL'))!.level).toBe(50); // pino error
    await new Promise((r) => setTimeout(r, 500));
    expect(agent.metrics.processed).toBe(1); // paused, not dropped
    const health = await fetch(`http://127.0.0.1:${agent.healthPort}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: string }).status).toBe('full');
    external = await startEmbeddedBroker({ port });
    sub = await subscribe(external.url);
    await sub.until((s) => s.on('result').length === 3, 30_000, 'all three results after the broker appears');
    expect(new Set(sub.on('result').map((m) => m.body.path)).size).toBe(3);
  });

  it('sends heartbeats with its counters while connected', async () => {
    ws = workspace();
    await startAgent({ mqtt: { heartbeatSeconds: 1 } });
    await sub!.until((s) => s.on('heartbeat').length >= 1, 5000, 'heartbeat');
    const hb = heartbeatMessageSchema.parse(sub!.on('heartbeat')[0]!.body);
    expect(hb).toMatchObject({ instrument: 'bench-01', processed: 0, failed: 0, outboxDepth: 0 });
  });

  it('starts and stops cleanly while the broker is unreachable', async () => {
    ws = workspace();
    const port = await freePort();
    const a = await Agent.start(config({ mqtt: { url: `mqtt://127.0.0.1:${port}`, reconnectMinMs: 100 } }), {
      logger: silentLogger(),
    });
    writeFixture(join(ws.root, 'kept'), { seed: 81 });
    await until(() => a.metrics.processed === 1, 20_000, 'processing offline');
    const t0 = Date.now();
    await a.stop();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(a.metrics.mqttConnected).toBe(false);
  });

  it('refuses a second agent on the same data directory', async () => {
    ws = workspace();
    await startAgent();
    await expect(Agent.start(config(), { logger: silentLogger() })).rejects.toThrow(
      new RegExp(`another agent \\(pid ${process.pid}\\) is using`),
    );
  });

  it('waits for TopSpin to finish a pseudo-2D and publishes a shift × T1 map', async () => {
    ws = workspace();
    const a = await startAgent();
    const dir = join(ws.root, 'menthol', '7');
    const delays = Array.from(logGrid(0.01, 12, 16));
    const lines = [
      { ppm: 3.4, t1: 2.0 },
      { ppm: 1.2, t1: 0.45 },
    ].map((l) => ({ ppm: l.ppm, amplitudes: delays.map((t) => 2e5 * (1 - 2 * Math.exp(-t / l.t1))), t2star: 0.25 }));
    const sf = 400.13;
    const data = simulatePseudo2d({ points: 4096, sw: 6000, sfo1: sf + 1900e-6, sf, lines, noise: 20, seed: 5 });
    // Everything but the audit record: TopSpin has not said it is done, and the files are fresh.
    await writeBrukerDataset(dir, {
      acqus: { PULPROG: 't1ir', SW_h: 6000, SFO1: sf + 1900e-6, BF1: sf, O1: 1900 },
      acqu2s: {},
      data,
      nc: -2,
      lists: { vdlist: formatBrukerList(delays, 'delay', 'm') },
      // The shift reference (SF) lives in the processing parameters; pdata/ is not part of the key.
      files: { 'pdata/1/procs': `##TITLE= p\n##$SF= ${sf}\n##END=\n` },
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(a.metrics.detected).toBe(0);
    const when = new Date().toISOString().replace('T', ' ').replace('Z', ' +0000');
    writeFileSync(
      join(dir, 'audita.txt'),
      [
        '##TITLE= Audit trail, TOPSPIN\t\tVersion 3.2',
        '##JCAMPDX= 5.01',
        '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
        `(   1,<${when}>,<nmr>,<av400>,<go>,<TOPSPIN 3.2>,`,
        '      <created by zg\n       data hash MD5: 4K * 16\n       AB CD>)',
        '##END=',
        '',
      ].join('\n'),
    );
    await sub!.until((s) => s.on('result').length === 1, 30_000, 'pseudo-2D result');
    const env = resultEnvelopeSchema.parse(sub!.on('result')[0]!.body);
    expect(env.provenance.reader).toBe('bruker');
    expect(env.document.axes.map((x) => x.name)).toEqual(['shift', 'T1']);
    const near = (ppm: number) =>
      env.document.peaks
        .filter((p) => Math.abs(p.position.shift! - ppm) < 0.05)
        .sort((p, q) => q.fraction - p.fraction)[0]!.position.T1!;
    expect(Math.abs(near(3.4) / 2.0 - 1)).toBeLessThan(0.1);
    expect(Math.abs(near(1.2) / 0.45 - 1)).toBeLessThan(0.1);
  });

  it('processes low-field vendor files as they land: a GeoSpec export, a .tnt, a .dps and a Spinsolve folder', async () => {
    ws = workspace();
    const a = await startAgent();
    const echoes = Float64Array.from({ length: 400 }, (_, i) => (i + 1) * 2e-4);
    // one-file layouts in a plain folder, each its own acquisition; a note beside them is none
    const core = join(ws.root, 'cores');
    mkdirSync(core, { recursive: true });
    const geo = simulateGeoSpec({
      kind: 'T2',
      axes: [echoes],
      peaks: [{ position: [0.012], width: [0.1], fraction: 1 }],
      seed: 11,
      snr: 500,
      results: true,
      sample: 'bunter core 7',
    });
    writeFileSync(join(core, 'core7-cpmg.txt'), geo.text);
    writeFileSync(join(core, 'notes.txt'), 'core 7 measured after 48 h of drying\n');
    writeFileSync(join(core, 'oil.tnt'), writeTnt(simulateTecmag({ variant: 'cpmg', seed: 3 }).spec));
    const mini = simulateMinispec({ layout: 'dps', kernel: 'T2', seed: 4 });
    writeFileSync(join(core, 'cheese.dps'), mini.text);
    // a Spinsolve experiment folder (acqu.par and data.1d)
    await simulateSpinsolve(join(ws.root, 'spinsolve', 'T2Bulk'), {
      experiment: 'T2Bulk',
      parameters: { echoTime: 200, nrEchoes: 800 },
      peaks: [{ position: [0.05], width: [0.1], fraction: 1 }],
      seed: 6,
      snr: 500,
    });
    await sub!.until((s) => s.on('result').length === 4, 60_000, 'four low-field results');
    const envs = sub!.on('result').map((m) => resultEnvelopeSchema.parse(m.body));
    const byReader = Object.fromEntries(envs.map((e) => [e.provenance.reader, e]));
    expect(Object.keys(byReader).sort()).toEqual(['geospec', 'minispec', 'spinsolve', 'tecmag']);
    expect(byReader.geospec!.path).toBe(join(core, 'core7-cpmg.txt'));
    expect(byReader.tecmag!.path).toBe(join(core, 'oil.tnt'));
    // GeoSpec's own log-mean T2 beside Lapis'
    const vendor = byReader.geospec!.document.vendorResults!;
    expect(vendor[0]).toMatchObject({ software: 'GIT GeoSpec', quantity: 'T2 log-mean', unit: 's' });
    expect(Math.abs(vendor[0]!.relativeDifference!)).toBeLessThan(0.05);
    expect(Math.abs(Math.log10(byReader.spinsolve!.document.peaks[0]!.position.T2! / 0.05))).toBeLessThan(0.05);
    await a.idle();
    expect(a.metrics.failed).toBe(0);
    expect(a.metrics.processed).toBe(4);
  });
});
