/**
 * The agent against a real mosquitto 2 (started by the test on a free port with its own config): MQTT 5 is used
 * (the broker speaks it), status is retained, and a broker outage loses nothing: results made while it was down are
 * delivered once it is back, in the order they were produced, marked historical.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resultEnvelopeSchema } from '@lapis/contracts';
import { Agent } from './agent';
import { validateAgentConfig } from './config/loadConfig';
import { silentLogger } from './logger';
import { workspace, writeFixture } from '../testing/watchFolder';
import type { Workspace } from '../testing/watchFolder';
import { startMosquitto } from '../testing/mosquitto';
import type { Mosquitto } from '../testing/mosquitto';
import { subscribe } from '../testing/subscriber';
import type { Subscriber } from '../testing/subscriber';

let ws: Workspace;
let mosq: Mosquitto | undefined;
let agent: Agent | undefined;
const subs: Subscriber[] = [];

afterEach(async () => {
  for (const s of subs.splice(0)) await s.close();
  await agent?.stop();
  await mosq?.close();
  agent = undefined;
  mosq = undefined;
  ws?.cleanup();
});

/** An agent watching the workspace, talking to `url` with quick reconnects. */
function agentConfig(instrument: string, url: string) {
  return validateAgentConfig(
    {
      instrument,
      watch: { roots: [ws.root], settleMs: 100 },
      dataDir: ws.dataDir,
      mqtt: { url, reconnectMinMs: 200, reconnectMaxMs: 400 },
      http: { enabled: false },
    },
    'test',
    ws.dir,
  );
}

async function until(predicate: () => boolean, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Agent with a real mosquitto 2', () => {
  it('speaks MQTT 5, retains its status, and delivers everything in order after an outage', async () => {
    ws = workspace();
    mosq = await startMosquitto(undefined, { persistent: true });
    const config = agentConfig('mosq-01', mosq.url);
    const sub = await subscribe(mosq.url, { protocolVersion: 5, reconnectPeriod: 100, clientId: 'outage-consumer' });
    subs.push(sub);
    agent = await Agent.start(config, { logger: silentLogger() });
    await agent.idle();
    expect(agent.mqttProtocol).toBe('5');

    for (let i = 0; i < 3; i++) writeFixture(join(ws.root, `live-${i}`), { seed: 300 + i });
    await sub.until((s) => s.on('result').length === 3, 20_000, 'three live results');
    const live = sub.on('result')[0]!;
    expect(live.body.historical).toBe(false);
    // MQTT 5 properties: JSON content type and the key as a user property.
    expect(live.properties?.contentType).toBe('application/json');
    expect((live.properties?.userProperties as Record<string, string>).key).toBe(live.body.key);

    // A late subscriber gets the retained status.
    const late = await subscribe(mosq.url, { topic: 'lapis/v1/mosq-01/status' });
    subs.push(late);
    await late.until((s) => s.messages.length > 0, 5000, 'retained status');
    expect(late.messages[0]!.retain).toBe(true);
    expect(late.messages[0]!.body.state).toBe('online');

    await mosq.stop();
    await until(() => !agent!.metrics.mqttConnected, 5000, 'agent to notice the outage');
    const N = 8;
    for (let i = 0; i < N; i++) writeFixture(join(ws.root, `offline-${i}`), { seed: 400 + i });
    await until(() => agent!.metrics.processed === 3 + N, 30_000, 'processing while the broker is down');
    expect(agent.outbox.stats().depth).toBe(2 * N); // result + finished event each, waiting

    await mosq.restart();
    await sub.until((s) => s.on('result').length === 3 + N, 30_000, 'backlog after the outage');
    const backlog = sub
      .on('result')
      .slice(3)
      .map((m) => resultEnvelopeSchema.parse(m.body));
    expect(backlog.every((e) => e.historical)).toBe(true);
    const produced = backlog.map((e) => e.producedAt);
    expect(produced).toEqual([...produced].sort());
    expect(new Set(backlog.map((e) => e.path)).size).toBe(N);
    await until(() => agent!.outbox.stats().depth === 0, 5000, 'outbox to drain');
  });

  it('keeps a result nobody subscribed to (PUBACK "no matching subscribers") until a consumer is there', async () => {
    ws = workspace();
    mosq = await startMosquitto();
    const config = agentConfig('lonely-01', mosq.url);
    agent = await Agent.start(config, { logger: silentLogger() });
    writeFixture(join(ws.root, 'nobody-listens'), { seed: 501 });
    await until(() => agent!.metrics.processed === 1, 20_000, 'processing');
    // the broker acknowledged with 0x10: the result and its event stay in the outbox
    await new Promise((r) => setTimeout(r, 1500));
    expect(agent.outbox.stats().depth).toBe(2);
    const sub = await subscribe(mosq.url, { protocolVersion: 5 });
    subs.push(sub);
    await sub.until((s) => s.on('result').length === 1, 20_000, 'the kept result, once someone listens');
    await until(() => agent!.outbox.stats().depth === 0, 10_000, 'outbox to drain');
  });

  it('connects over TLS with a CA file and a password file, and is refused with a wrong password', async () => {
    ws = workspace();
    mosq = await startMosquitto(undefined, { secure: true });
    const secure = mosq.secure!;
    writeFileSync(join(ws.dir, 'mqtt-password'), secure.password + '\n');
    const sub = await subscribe(mosq.url);
    subs.push(sub);
    const base = {
      instrument: 'tls-01',
      watch: { roots: [ws.root], settleMs: 100 },
      dataDir: ws.dataDir,
      http: { enabled: false },
    };
    const config = validateAgentConfig(
      {
        ...base,
        mqtt: { url: secure.url, username: secure.username, passwordFile: 'mqtt-password', tls: { ca: secure.ca } },
      },
      'test',
      ws.dir,
    );
    agent = await Agent.start(config, { logger: silentLogger() });
    writeFixture(join(ws.root, 'over-tls'), { seed: 91 });
    await sub.until((s) => s.on('result').length === 1, 20_000, 'result over TLS');
    expect(agent.mqttProtocol).toBe('5');
    await agent.stop();
    agent = undefined;

    const wrong = validateAgentConfig(
      {
        ...base,
        mqtt: {
          url: secure.url,
          username: secure.username,
          password: 'wrong',
          tls: { ca: secure.ca },
          reconnectMinMs: 100,
        },
      },
      'test',
      ws.dir,
    );
    agent = await Agent.start(wrong, { logger: silentLogger() });
    await new Promise((r) => setTimeout(r, 1000));
    expect(agent.metrics.mqttConnected).toBe(false);
  });
});
