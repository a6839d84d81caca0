/**
 * What a hostile or unlucky watch folder does to the agent (issue 18): odd names, FIFOs, link loops, escape
 * sequences and huge one-line files are reported for what they are — where, not what — and the agent keeps
 * processing the acquisitions beside them.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import mqtt from 'mqtt';
import { mkdirSync, openSync, closeSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventMessageSchema, mqttTopic, resultEnvelopeSchema } from '@lapis/contracts';
import { hasControls } from '@lapis/contracts/text';
import { Agent } from './agent';
import { validateAgentConfig } from './config/loadConfig';
import { silentLogger } from './logger';
import { fixtureFiles, workspace, writeFixture } from '../testing/watchFolder';
import type { Workspace } from '../testing/watchFolder';
import { subscribe } from '../testing/subscriber';
import type { Subscriber } from '../testing/subscriber';

let ws: Workspace;
let agent: Agent | undefined;
let sub: Subscriber | undefined;

afterEach(async () => {
  await sub?.close();
  await agent?.stop();
  sub = undefined;
  agent = undefined;
  ws?.cleanup();
});

async function start(): Promise<void> {
  const config = validateAgentConfig(
    {
      instrument: 'hostile-01',
      watch: { roots: [ws.root], settleMs: 150, rescanIntervalMs: 500 },
      dataDir: ws.dataDir,
      embeddedBroker: { port: 0 },
      http: { port: 0 },
    },
    'test',
    ws.dir,
  );
  agent = await Agent.start(config, { logger: silentLogger(), incompleteTimeoutMs: 60_000 });
  sub = await subscribe(agent.brokerUrl);
}

const failures = () =>
  sub!
    .on('event')
    .map((m) => eventMessageSchema.parse(m.body))
    .filter((e) => e.kind === 'failed');

describe('Agent on hostile folders', () => {
  it('reports odd names, FIFOs and escape sequences without quoting the files, and goes on', async () => {
    ws = workspace('lapis-hostile-');
    // a folder whose name is not UTF-8 on disk (byte 0xff): made through the shell, as Node cannot name it
    execFileSync('/bin/sh', ['-c', `mkdir "$1/odd$(printf '\\377')"`, 'sh', ws.root]);
    // a FIFO with a data-file name beside the acquisitions: opening it would block for ever
    execFileSync('mkfifo', [join(ws.root, 'curve.txt')]);
    // a loop of symbolic links
    symlinkSync(join(ws.root, 'loop'), join(ws.root, 'loop'));
    // an acquisition whose data file holds terminal escape sequences and a secret
    const evil = join(ws.root, 'evil');
    mkdirSync(evil);
    const f = fixtureFiles({ seed: 4 });
    writeFileSync(join(evil, 'acquisition.json'), f.json);
    writeFileSync(join(evil, 'data.txt'), `1.0\n\x1b]0;owned\x07\x1b[2Jsecret-token\n`);
    await start();
    // and a good one beside them, written after the start
    const good = writeFixture(join(ws.root, 'good'), { seed: 5 });

    await sub!.until((s) => s.on('result').length === 1, 30_000, 'the good result');
    expect(resultEnvelopeSchema.parse(sub!.on('result')[0]!.body).path).toBe(good);
    await sub!.until(() => failures().length >= 2, 30_000, 'two failures');
    const byPath = new Map(failures().map((e) => [e.path, e.reason ?? '']));
    const evilReason = byPath.get(evil)!;
    expect(evilReason).toMatch(/^data\.txt: line 2: '…' is not a number$/);
    const odd = [...byPath].find(([p]) => p.includes('\ufffd'));
    expect(odd?.[1]).toMatch(/not UTF-8 on disk/);
    for (const reason of byPath.values()) {
      expect(hasControls(reason)).toBe(false);
      expect(reason).not.toContain('secret');
    }
    // each reported once, even though the rescan walks past them every 500 ms
    await new Promise((r) => setTimeout(r, 1500));
    expect(failures()).toHaveLength(byPath.size);
    expect(agent!.metrics.processed).toBe(1);
  }, 60_000);

  it('refuses a 64 MiB data file of one line at once, without holding it in memory', async () => {
    ws = workspace('lapis-hostile-');
    await start();
    const big = join(ws.root, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'data.txt'), '');
    const fd = openSync(join(big, 'data.txt'), 'w');
    const chunk = Buffer.from('1.0 '.repeat(1 << 18)); // 1 MiB
    for (let i = 0; i < 64; i++) writeSync(fd, chunk);
    closeSync(fd);
    await agent!.ready(); // the workers' warm-up grows the heap too: measure the file's cost alone
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    writeFileSync(join(big, 'acquisition.json'), fixtureFiles({ seed: 6 }).json);
    await sub!.until(() => failures().length === 1, 30_000, 'the failure');
    const ms = Date.now() - t0;
    expect(failures()[0]!.reason).toMatch(/^data\.txt: far more values than the axes describe \(48\)/);
    expect(ms).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);

  it('survives 500 hostile reprocess commands, replying only inside its own topics', async () => {
    ws = workspace('lapis-hostile-');
    await start();
    const client = await mqtt.connectAsync(agent!.brokerUrl, { protocolVersion: 4 });
    const foreign: string[] = [];
    const replies: string[] = [];
    client.on('message', (topic) => (topic.startsWith('lapis/v1/hostile-01/') ? replies : foreign).push(topic));
    await client.subscribeAsync('#', { qos: 0 });
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const hostileBody = fc.oneof(
      fc.constantFrom('null', '1', '"x"', '[]', deep(50_000), '{"paths":' + deep(20_000) + '}', '\u0000', '{'),
      fc.json(),
      fc
        .record({
          requestId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          paths: fc.oneof(
            fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }),
            fc.constant(['/etc/passwd', ws.root + '/../../etc', ws.root + '/\u0000x']),
            fc.string(),
          ),
          replyTo: fc.oneof(
            fc.constantFrom('lapis/v1/other-01/status', '#', 'lapis/v1/hostile-01/#', '$SYS/x', ''),
            fc.string(),
          ),
        })
        .map((o) => JSON.stringify(o)),
    );
    const bodies = fc.sample(hostileBody, { seed: 20261206, numRuns: 500 });
    for (const body of bodies) await client.publishAsync(mqttTopic('hostile-01', 'cmd/reprocess'), body, { qos: 1 });
    await sub!.until(() => replies.filter((t) => t.endsWith('/cmd/reprocess/reply')).length >= 100, 30_000, 'replies');
    // still alive and serving: a good acquisition written now is processed
    writeFixture(join(ws.root, 'after'), { seed: 8 });
    await sub!.until((s) => s.on('result').length === 1, 30_000, 'a result after the barrage');
    expect(foreign.filter((t) => !t.startsWith('lapis/v1/hostile-01/'))).toEqual([]);
    await client.endAsync();
  }, 90_000);
});
