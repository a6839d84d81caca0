import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { count } from 'drizzle-orm';
import { startTestBroker } from '../../test/broker';
import type { TestBroker } from '../../test/broker';
import { testDb } from '../../test/db';
import { envelope, json } from '../../test/fixtures';
import { ChangeBus } from '../bus';
import type { Change } from '../bus';
import { acquisitions, instruments, rejectedMessages } from '../db/schema';
import { startIngest } from './ingestService';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => broker?.close());

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('ingest service against a real broker', () => {
  it('follows an agent: retained status, Last Will, results; survives bad messages', async () => {
    const { db } = await testDb();
    const bus = new ChangeBus();
    const seen: Change[] = [];
    const ac = new AbortController();
    void (async () => {
      for await (const { change } of bus.subscribe(ac.signal)) seen.push(change);
    })();

    // An agent that is online (retained) before the dashboard starts, with a Last Will.
    const agent = await mqtt.connectAsync(broker.url, {
      clientId: 'agent-m1',
      protocolVersion: 4,
      will: {
        topic: 'lapis/v1/m1/status',
        payload: json({ state: 'offline', instrument: 'm1', at: '2026-11-21T12:00:00Z', reason: 'connection lost' }),
        qos: 1,
        retain: true,
      },
    });
    await agent.publishAsync(
      'lapis/v1/m1/status',
      json({ state: 'online', instrument: 'm1', at: '2026-11-21T10:00:00Z' }),
      {
        qos: 1,
        retain: true,
      },
    );

    const ingest = startIngest({ db, bus, url: broker.url, clientId: 'dash-test', logger: quiet, concurrency: 1 });
    await ingest.ready;
    await until(async () => (await db.select().from(instruments))[0]?.state === 'online');

    // Bad messages first: none may stop the good one after them.
    await agent.publishAsync('lapis/v1/m1/result', Buffer.from('{{{'), { qos: 1 });
    await agent.publishAsync('lapis/v1/m1/result', Buffer.alloc(400 * 1024, 120), { qos: 1 });
    await agent.publishAsync('lapis/v1/m1/heartbeat', json({ instrument: 'm1' }), { qos: 1 });
    const env = envelope({ instrument: 'm1', seed: 'live' });
    await agent.publishAsync('lapis/v1/m1/result', json(env), { qos: 1 });
    await agent.publishAsync('lapis/v1/m1/result', json(env), { qos: 1 }); // QoS 1 repeat
    await until(() => ingest.counters.accepted >= 2 && ingest.counters.duplicates >= 1);
    await ingest.idle();

    const [n] = await db.select({ n: count() }).from(acquisitions);
    expect(n!.n).toBe(1);
    expect(ingest.counters.rejected).toBe(3);
    expect(ingest.counters.byReason).toEqual({ 'not-json': 1, oversize: 1, schema: 1 });
    const [r] = await db.select({ n: count() }).from(rejectedMessages);
    expect(r!.n).toBe(3);
    expect(seen).toContainEqual({ type: 'acquisition', instrumentId: 'm1', key: env.key });

    // The agent vanishes: the broker publishes its Last Will, the dashboard marks it offline.
    agent.stream.destroy();
    await until(async () => (await db.select().from(instruments))[0]?.state === 'offline');
    expect((await db.select().from(instruments))[0]!.stateReason).toBe('connection lost');

    // Results published while the dashboard is down are delivered when it comes back (persistent session).
    await ingest.stop();
    const other = await mqtt.connectAsync(broker.url, { clientId: 'agent-m2', protocolVersion: 4 });
    const late = envelope({ instrument: 'm1', seed: 'while-down' });
    await other.publishAsync('lapis/v1/m1/result', json(late), { qos: 1 });
    await other.endAsync();
    const again = startIngest({ db, bus, url: broker.url, clientId: 'dash-test', logger: quiet, concurrency: 1 });
    await until(() => again.counters.accepted >= 1);
    await again.idle();
    const [m] = await db.select({ n: count() }).from(acquisitions);
    expect(m!.n).toBe(2);
    await again.stop();
    ac.abort();
  });

  it('acknowledges a result only once it is written: a dashboard that dies mid-write gets it again', async () => {
    const fresh = await startTestBroker();
    // A database whose every query hangs: the result is received but never written.
    const hanging: object = new Proxy(function () {}, {
      get: (_t, prop) => (prop === 'then' ? () => {} : () => hanging),
      apply: () => hanging,
    });
    const stuck = startIngest({ db: hanging as never, url: fresh.url, clientId: 'dash-crash', logger: quiet });
    await stuck.ready;
    const pub = await mqtt.connectAsync(fresh.url, { clientId: 'agent-crash', protocolVersion: 4 });
    const env = envelope({ instrument: 'm7', seed: 'mid-write' });
    await pub.publishAsync('lapis/v1/m7/result', json(env), { qos: 1 });
    await until(() => stuck.counters.received === 1);
    stuck.client.stream.destroy(); // the process dies before the write finished
    await new Promise((r) => setTimeout(r, 200));

    const { db } = await testDb();
    const restarted = startIngest({ db, url: fresh.url, clientId: 'dash-crash', logger: quiet, concurrency: 1 });
    await until(() => restarted.counters.accepted === 1);
    const [n] = await db.select({ n: count() }).from(acquisitions);
    expect(n!.n).toBe(1);
    await restarted.stop();
    await pub.endAsync();
    stuck.client.end(true);
    await fresh.close();
  });

  it('retries a write the database refused, then counts it as a db-error and carries on', async () => {
    let calls = 0;
    // A database that is down: every call fails as a dropped connection would.
    const down = new Proxy(
      {},
      {
        get: () => () => {
          calls += 1;
          throw new Error('Connection terminated unexpectedly');
        },
      },
    ) as never;
    const fresh = await startTestBroker(); // no retained messages from the test above
    const ingest = startIngest({
      db: down,
      url: fresh.url,
      clientId: 'dash-down',
      logger: quiet,
      retryDelaysMs: [5, 5],
    });
    await ingest.ready;
    const pub = await mqtt.connectAsync(fresh.url, { clientId: 'agent-down', protocolVersion: 4 });
    await pub.publishAsync(
      'lapis/v1/m9/status',
      json({ state: 'online', instrument: 'm9', at: '2026-11-21T10:00:00Z' }),
      {
        qos: 1,
      },
    );
    await until(() => ingest.counters.rejected === 1);
    await ingest.idle();
    expect(calls).toBe(3); // first try + two retries
    expect(ingest.counters.byReason).toEqual({ 'db-error': 1 });
    expect(ingest.counters.lastRejectDetail).toMatch(/Connection terminated/);
    await pub.endAsync();
    await ingest.stop();
    await fresh.close();
  });
});
