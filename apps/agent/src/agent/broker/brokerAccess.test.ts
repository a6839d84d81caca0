/**
 * The embedded broker with credentials (what `lapis stack` runs): a real aedes broker, real MQTT.js clients and a
 * real credentials file. No anonymous or wrongly authenticated client gets in; an instrument's credential publishes
 * and subscribes under its own `lapis/v1/<id>/` only (a forged message never reaches a subscriber, retained or
 * not, Last Will included); the dashboard's reads everything and publishes nothing; the file is 0600 and survives
 * a restart; a real agent with its credential gets its result through.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../agent';
import { validateAgentConfig } from '../config/loadConfig';
import { silentLogger } from '../logger';
import { workspace, writeFixture } from '../../testing/watchFolder';
import type { Workspace } from '../../testing/watchFolder';
import { subscribe } from '../../testing/subscriber';
import type { Subscriber } from '../../testing/subscriber';
import { DASHBOARD_USER, loadOrCreateBrokerCredentials } from './brokerCredentials';
import type { BrokerCredential, BrokerCredentials } from './brokerCredentials';
import { startEmbeddedBroker } from './embeddedBroker';
import type { EmbeddedBroker } from './embeddedBroker';

const A = 'relaxometer-01';
const B = 'benchtop-01';

let ws: Workspace;
let file: string;
let credentials: BrokerCredentials;
let broker: EmbeddedBroker | undefined;
const clients: MqttClient[] = [];
const subscribers: Subscriber[] = [];

beforeEach(() => {
  ws = workspace('lapis-broker-access-');
  file = join(ws.dir, 'broker-credentials.json');
  credentials = loadOrCreateBrokerCredentials(file, [A, B]).credentials;
});

afterEach(async () => {
  for (const s of subscribers.splice(0)) await s.close();
  for (const c of clients.splice(0)) await c.endAsync(true);
  await broker?.close();
  broker = undefined;
  ws.cleanup();
});

async function startBroker(): Promise<EmbeddedBroker> {
  broker = await startEmbeddedBroker({ port: 0, credentials, logger: silentLogger() });
  return broker;
}

/** The broker URL with `c` as user:password (as the stack gives the dashboard). */
function urlWith(c: BrokerCredential): string {
  return broker!.url.replace('://', `://${c.username}:${c.password}@`);
}

/** Connects once (no reconnect); resolves with the client, rejects with the CONNACK refusal. */
async function connect(options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(broker!.url, { protocolVersion: 4, reconnectPeriod: 0, ...options });
  clients.push(client);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

const as = (c: BrokerCredential, options: IClientOptions = {}) =>
  connect({ username: c.username, password: c.password, ...options });

/** The dashboard's view: everything under lapis/v1/, with its own credential. */
async function dashboardView(): Promise<Subscriber> {
  const s = await subscribe(urlWith(credentials.dashboard), { topic: 'lapis/v1/+/#', reconnectPeriod: 0 });
  subscribers.push(s);
  return s;
}

/** The QoS the SUBACK grants for `topic`, 128 when refused (MQTT.js turns a refusal into an error). */
async function granted(client: MqttClient, topic: string): Promise<number | undefined> {
  try {
    return (await client.subscribeAsync(topic, { qos: 1 }))[0]?.qos;
  } catch (e) {
    return (e as { packet?: { granted?: number[] } }).packet?.granted?.[0];
  }
}

/** Resolves when the broker has closed `client`'s connection; rejects after 5 s. */
const closed = (client: MqttClient) =>
  new Promise<void>((resolve, reject) => {
    if (!client.connected) return resolve();
    const t = setTimeout(() => reject(new Error('the broker kept the connection open')), 5000);
    client.once('close', () => (clearTimeout(t), resolve()));
  });

describe('broker credentials file', () => {
  it('is made with mode 0600, kept across loads, grows with new instruments, is narrowed when widened', () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({
      format: 'lapis-broker-credentials/1',
      dashboard: { username: DASHBOARD_USER },
      instruments: { [A]: { username: A }, [B]: { username: B } },
    });
    const passwords = [credentials.dashboard, credentials.instruments[A]!, credentials.instruments[B]!].map(
      (c) => c.password,
    );
    expect(new Set(passwords).size).toBe(3);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const again = loadOrCreateBrokerCredentials(file, [A, B]);
    expect(again.made).toEqual([]);
    expect(again.credentials).toEqual(credentials);

    chmodSync(file, 0o644);
    const grown = loadOrCreateBrokerCredentials(file, [A, B, 'avance-400']);
    expect(grown.made).toEqual(['avance-400']);
    expect(grown.credentials.instruments[A]).toEqual(credentials.instruments[A]);
    expect(grown.credentials.dashboard).toEqual(credentials.dashboard);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not one, and an instrument named like the dashboard', () => {
    const bad = join(ws.dir, 'bad.json');
    writeFileSync(bad, '{"format":"something else"}');
    expect(() => loadOrCreateBrokerCredentials(bad, [A])).toThrow(/not a lapis-broker-credentials\/1 file.*delete/);
    writeFileSync(bad, 'not json');
    expect(() => loadOrCreateBrokerCredentials(bad, [A])).toThrow(/not JSON/);
    expect(() => loadOrCreateBrokerCredentials(join(ws.dir, 'x.json'), [DASHBOARD_USER])).toThrow(/cannot be named/);
  });
});

describe('embedded broker with credentials', () => {
  it('refuses anonymous clients, wrong passwords and unknown users', async () => {
    await startBroker();
    await expect(connect()).rejects.toMatchObject({ code: 5 }); // not authorized
    await expect(as({ username: A, password: credentials.instruments[B]!.password })).rejects.toMatchObject({
      code: 4, // bad user name or password
    });
    await expect(as({ username: 'intruder', password: credentials.dashboard.password })).rejects.toMatchObject({
      code: 4,
    });
    await expect(as({ username: A, password: '' })).rejects.toMatchObject({ code: 4 });
    expect(broker!.aedes.connectedClients).toBe(0);
  });

  it('lets an instrument publish under its own id only: a forged message never reaches a subscriber', async () => {
    await startBroker();
    const view = await dashboardView();
    const a = await as(credentials.instruments[A]!);
    await a.publishAsync(`lapis/v1/${A}/status`, JSON.stringify({ state: 'online', n: 1 }), { qos: 1, retain: true });
    await view.until((s) => s.on('status').length === 1, 5000, 'A’s own status');
    expect(view.messages[0]!.topic).toBe(`lapis/v1/${A}/status`);

    // A forges B's retained status and a result: dropped, and A's connection closed.
    const gone = closed(a);
    a.publish(`lapis/v1/${B}/status`, JSON.stringify({ state: 'offline', forged: true }), { qos: 1, retain: true });
    a.publish(`lapis/v1/${B}/result`, JSON.stringify({ forged: true }), { qos: 0 });
    await gone;
    // B's own message after the forgery arrives; nothing of the forgery does, live or retained.
    const b = await as(credentials.instruments[B]!);
    await b.publishAsync(`lapis/v1/${B}/event`, JSON.stringify({ sentinel: true }), { qos: 1 });
    await view.until((s) => s.on('event').length === 1, 5000, 'B’s own event');
    expect(view.messages.filter((m) => m.body.forged)).toEqual([]);
    const late = await dashboardView();
    await late.until((s) => s.on('status').length === 1, 5000, 'retained status');
    await new Promise((r) => setTimeout(r, 200));
    expect(late.messages.map((m) => m.topic)).toEqual([`lapis/v1/${A}/status`]);
  });

  it('drops a Last Will aimed at another instrument', async () => {
    await startBroker();
    const view = await dashboardView();
    const a = await as(credentials.instruments[A]!, {
      will: { topic: `lapis/v1/${B}/status`, payload: Buffer.from('{"forged":true}'), qos: 1, retain: true },
    });
    const gone = closed(a);
    a.stream.destroy(); // no DISCONNECT: the broker publishes the Will (or would)
    await gone;
    const b = await as(credentials.instruments[B]!);
    await b.publishAsync(`lapis/v1/${B}/event`, '{"sentinel":true}', { qos: 1 });
    await view.until((s) => s.on('event').length === 1, 5000, 'B’s event');
    expect(view.messages.map((m) => m.topic)).toEqual([`lapis/v1/${B}/event`]);
  });

  it('lets an instrument subscribe to its own topics and not to another’s command topic', async () => {
    await startBroker();
    const a = await as(credentials.instruments[A]!);
    expect(await granted(a, `lapis/v1/${A}/cmd/reprocess`)).toBe(1);
    expect(await granted(a, `lapis/v1/${A}/#`)).toBe(1);
    expect(await granted(a, `lapis/v1/${B}/cmd/reprocess`)).toBe(128);
    expect(await granted(a, 'lapis/v1/+/cmd/reprocess')).toBe(128);
    expect(await granted(a, 'lapis/v1/#')).toBe(128);
    expect(await granted(a, '#')).toBe(128);
    expect(await granted(a, '$SYS/#')).toBe(128);
    // Refusing a subscription keeps the connection, and what it may see still arrives.
    const got: string[] = [];
    a.on('message', (t) => got.push(t));
    await a.publishAsync(`lapis/v1/${A}/cmd/reprocess`, '{"requestId":"r","paths":[]}', { qos: 1 });
    await expect.poll(() => got).toEqual([`lapis/v1/${A}/cmd/reprocess`]);
  });

  it('lets the dashboard subscribe to every instrument and publish requests to agents only', async () => {
    await startBroker();
    const d = await as(credentials.dashboard, { clientId: 'lapis-dashboard-stack' });
    expect(await granted(d, 'lapis/v1/+/#')).toBe(1);
    expect(await granted(d, 'lapis/v1/#')).toBe(1);
    expect(await granted(d, `lapis/v1/${B}/cmd/reprocess`)).toBe(1);
    expect(await granted(d, '#')).toBe(128);
    const view = await dashboardView();
    // a reprocess request to an instrument goes through (managers send them from the dashboard)
    await d.publishAsync(`lapis/v1/${A}/cmd/reprocess`, '{"requestId":"r","paths":["/x"]}', { qos: 1 });
    await view.until((s) => s.on('cmd/reprocess').length === 1, 5000, 'the request');
    // and a viewer's request for a spectrum at full resolution
    await d.publishAsync(`lapis/v1/${A}/cmd/spectrum`, '{"requestId":"s"}', { qos: 1 });
    await view.until((s) => s.on('cmd/spectrum').length === 1, 5000, 'the spectrum request');
    // anything else — an instrument's result or reply, a wildcard topic — is dropped and the connection closed
    for (const topic of [
      `lapis/v1/${A}/result`,
      'lapis/v1/+/cmd/reprocess',
      `lapis/v1/${A}/cmd/reprocess/x`,
      `lapis/v1/${A}/cmd/spectrum/reply`,
    ]) {
      const d2 = await as(credentials.dashboard, { clientId: 'lapis-dashboard-stack' });
      const gone = closed(d2);
      d2.publish(topic, '{"forged":true}', { qos: 1 });
      await gone;
    }
    const a = await as(credentials.instruments[A]!);
    await a.publishAsync(`lapis/v1/${A}/event`, '{"sentinel":true}', { qos: 1 });
    await view.until((s) => s.on('event').length === 1, 5000, 'A’s event');
    expect(view.messages.map((m) => m.topic)).toEqual([
      `lapis/v1/${A}/cmd/reprocess`,
      `lapis/v1/${A}/cmd/spectrum`,
      `lapis/v1/${A}/event`,
    ]);
  });

  it('keeps client ids to their owners: B cannot push A’s agent (or the dashboard) off the broker', async () => {
    await startBroker();
    const a = await as(credentials.instruments[A]!, { clientId: `lapis-agent-${A}` });
    await expect(as(credentials.instruments[B]!, { clientId: `lapis-agent-${A}` })).rejects.toMatchObject({ code: 2 });
    await expect(as(credentials.instruments[B]!, { clientId: 'lapis-dashboard-stack' })).rejects.toMatchObject({
      code: 2,
    });
    await expect(as(credentials.dashboard, { clientId: `lapis-agent-${B}` })).rejects.toMatchObject({ code: 2 });
    expect(a.connected).toBe(true);
    expect((await as(credentials.instruments[B]!, { clientId: `lapis-agent-${B}` })).connected).toBe(true);
  });

  it('accepts the same credentials after a restart (read back from the file)', async () => {
    await startBroker();
    await as(credentials.instruments[A]!);
    for (const c of clients.splice(0)) await c.endAsync(true);
    await broker!.close();
    credentials = loadOrCreateBrokerCredentials(file, [A, B]).credentials;
    await startBroker();
    expect((await as(credentials.instruments[A]!)).connected).toBe(true);
    expect((await as(credentials.dashboard)).connected).toBe(true);
  });

  it('carries a real agent’s status and result with the agent’s own credential', async () => {
    await startBroker();
    const view = await dashboardView();
    const root = join(ws.dir, 'acquisitions');
    mkdirSync(root);
    const c = credentials.instruments[A]!;
    const config = validateAgentConfig(
      {
        instrument: A,
        watch: { roots: [root], settleMs: 100 },
        mqtt: { url: broker!.url, protocol: '3.1.1', clientId: `lapis-agent-${A}`, ...c },
        dataDir: join(ws.dir, 'agent'),
        http: { enabled: false },
        log: { level: 'silent' },
      },
      'test',
      ws.dir,
    );
    const agent = await Agent.start(config, { logger: silentLogger() });
    try {
      writeFixture(join(root, 'run-1'));
      await view.until((s) => s.on('result').length === 1, 30_000, 'the agent’s result');
      expect(view.on('status')[0]!.body).toMatchObject({ state: 'online', instrument: A });
      expect(broker!.aedes.connectedClients).toBe(2);
    } finally {
      await agent.stop();
    }
    await view.until((s) => s.on('status').at(-1)?.body.state === 'offline', 5000, 'status offline');
  }, 40_000);
});
