import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { count } from 'drizzle-orm';
import { startTestBroker } from '../../test/broker';
import type { TestBroker } from '../../test/broker';
import { testDb } from '../../test/db';
import { envelope, json } from '../../test/fixtures';
import { ChangeBus } from '../bus';
import type { Change } from '../bus';
import type { Db } from '../db/client';
import { acquisitions, ingestParked, instruments, rejectedMessages } from '../db/schema';
import { startIngest, withoutPassword } from './ingestService';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test edits reach anywhere in a document
type Loose = any;

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

  it('parks a message whose write failed for a transient reason: acknowledged, retried beside the flow', async () => {
    const { db } = await testDb();
    let failures = 2; // the first try and the retry in place fail as a serialisation conflict would
    const flaky = faulty(db, (method) =>
      method === 'execute' && failures-- > 0
        ? Object.assign(new Error('could not serialize access'), { code: '40001' })
        : undefined,
    );
    const fresh = await startTestBroker();
    const ingest = startIngest({
      db: flaky,
      url: fresh.url,
      clientId: 'dash-flaky',
      logger: quiet,
      concurrency: 1,
      parkedRetryDelaysMs: [1000, 300], // long enough to see it parked on a busy machine
    });
    await ingest.ready;
    const pub = await mqtt.connectAsync(fresh.url, { clientId: 'agent-flaky', protocolVersion: 4 });
    const env = envelope({ instrument: 'm3', seed: 'flaky' });
    await pub.publishAsync('lapis/v1/m3/result', json(env), { qos: 1 });
    await pub.publishAsync(
      'lapis/v1/m4/status',
      json({ state: 'online', instrument: 'm4', at: '2026-11-21T10:00:00Z' }),
      {
        qos: 1,
      },
    );
    // The other instrument's status is written while the result waits in ingest_parked.
    await until(async () => (await db.select().from(instruments)).some((i) => i.id === 'm4'));
    expect(ingest.counters.parked).toBe(1);
    expect((await db.select({ n: count() }).from(ingestParked))[0]!.n).toBe(1);
    await until(() => ingest.counters.parked === 0 && ingest.counters.accepted === 2);
    expect((await db.select({ n: count() }).from(acquisitions))[0]!.n).toBe(1);
    expect((await db.select({ n: count() }).from(ingestParked))[0]!.n).toBe(0);
    expect(ingest.counters.rejected).toBe(0);
    await pub.endAsync();
    await ingest.stop();
    await fresh.close();
  });

  it('holds the flow while the database is down, then writes everything: nothing lost, nothing counted as refused', async () => {
    const { db } = await testDb();
    let down = true;
    let calls = 0;
    // A database that is down: every call fails as a refused connection would, until it comes back.
    const outage = faulty(db, () => {
      calls += 1;
      return down
        ? Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
        : undefined;
    });
    const fresh = await startTestBroker();
    const ingest = startIngest({
      db: outage,
      url: fresh.url,
      clientId: 'dash-down',
      logger: quiet,
      retryDelaysMs: [5],
      outageRetryDelaysMs: [20, 50],
    });
    await ingest.ready;
    const pub = await mqtt.connectAsync(fresh.url, { clientId: 'agent-down', protocolVersion: 4 });
    const status = (id: string) => json({ state: 'online', instrument: id, at: '2026-11-21T10:00:00Z' });
    await pub.publishAsync('lapis/v1/m9/status', status('m9'), { qos: 1 });
    await pub.publishAsync('lapis/v1/m8/status', status('m8'), { qos: 1 });
    await until(() => calls > 6);
    expect(ingest.counters.accepted + ingest.counters.rejected).toBe(0);
    down = false;
    await until(() => ingest.counters.accepted === 2);
    await ingest.idle();
    expect(ingest.counters.rejected).toBe(0);
    expect((await db.select().from(instruments)).map((i) => i.id).sort()).toEqual(['m8', 'm9']);
    await pub.endAsync();
    await ingest.stop();
    await fresh.close();
  });

  it('does not retry a write the database refuses for good; counts it once as db-error, without the SQL', async () => {
    const { db } = await testDb();
    let calls = 0;
    const refusing = faulty(db, (method) => {
      if (method !== 'execute') return undefined;
      calls += 1;
      const cause = Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' });
      return new Error('Failed query: insert into acquisitions … params: {"sample":"secret"}', { cause });
    });
    const fresh = await startTestBroker();
    const ingest = startIngest({
      db: refusing,
      url: fresh.url,
      clientId: 'dash-refuse',
      logger: quiet,
      concurrency: 1,
    });
    await ingest.ready;
    const pub = await mqtt.connectAsync(fresh.url, { clientId: 'agent-refuse', protocolVersion: 4 });
    await pub.publishAsync('lapis/v1/m5/result', json(envelope({ instrument: 'm5', seed: 'refused' })), { qos: 1 });
    await until(() => ingest.counters.rejected === 1);
    await ingest.idle();
    expect(calls).toBe(1);
    expect(ingest.counters.byReason).toEqual({ 'db-error': 1 });
    expect(ingest.counters.lastRejectDetail).toBe(
      'db-error: lapis/v1/m5/result: the database refused the write (SQLSTATE 22P05); details in the server log',
    );
    const [row] = await db.select().from(rejectedMessages);
    expect(row!.detail).not.toMatch(/insert|secret/);
    await pub.endAsync();
    await ingest.stop();
    await fresh.close();
  });

  it('refuses poisoned messages at once: an honest heartbeat of another instrument is not held up', async () => {
    const { db } = await testDb();
    const bus = new ChangeBus();
    const fresh = await startTestBroker();
    const ingest = startIngest({ db, bus, url: fresh.url, clientId: 'dash-poison', logger: quiet, concurrency: 1 });
    await ingest.ready;
    // One connection for both instruments, so that the broker delivers the poison first and the heartbeat after it.
    const agents = await mqtt.connectAsync(fresh.url, { clientId: 'agents-poison', protocolVersion: 4 });
    const poison = poisonedMessages();
    const ac = new AbortController();
    const seen: { at: number; id: string; rejected: number }[] = [];
    void (async () => {
      for await (const { change } of bus.subscribe(ac.signal)) {
        seen.push({ at: performance.now(), id: change.instrumentId, rejected: ingest.counters.rejected });
      }
    })();
    /** Publishes an honest heartbeat (right behind the poison, if any) and returns how long until it was stored. */
    const heartbeatLatency = async (round: number, poisoned: boolean): Promise<number> => {
      const before = ingest.counters.rejected;
      const from = seen.length;
      const sent = poisoned ? poison.map(([t, p]) => agents.publishAsync(t, p, { qos: 1 })) : [];
      const t0 = performance.now();
      const hb = { instrument: 'honest-1', at: new Date().toISOString(), uptimeSeconds: round, processed: round };
      // QoS 1 like the poison (a QoS 0 heartbeat may overtake QoS 1 messages inside the broker).
      await agents.publishAsync('lapis/v1/honest-1/heartbeat', json({ ...hb, failed: 0, queued: 0, outboxDepth: 0 }), {
        qos: 1,
      });
      await Promise.all(sent);
      await until(() => seen.slice(from).some((s) => s.id === 'honest-1'));
      await ingest.idle();
      const stored = seen.slice(from).find((s) => s.id === 'honest-1')!;
      // It really was behind the poison: every poisoned message of the round was refused before it was stored.
      expect(stored.rejected - before).toBe(poisoned ? poison.length : 0);
      return stored.at - t0;
    };
    await heartbeatLatency(0, false); // warm-up
    const clean: number[] = [];
    const poisoned: number[] = [];
    for (let round = 1; round <= 7; round++) {
      clean.push(await heartbeatLatency(round, false));
      poisoned.push(await heartbeatLatency(round, true));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const delay = median(poisoned) - median(clean);
    console.info(
      `heartbeat behind ${poison.length} poisoned messages: median ${median(poisoned).toFixed(1)} ms, without ${median(clean).toFixed(1)} ms, delay ${delay.toFixed(1)} ms (${(delay / poison.length).toFixed(1)} ms per poisoned message)`,
    );
    expect(ingest.counters.rejected).toBe(7 * poison.length);
    expect(ingest.counters.byReason).toEqual({
      'invalid-text': 14,
      'implausible-time': 14,
      'too-deep': 7,
      'implausible-value': 7,
    });
    expect(ingest.counters.lastRejectDetail!.length).toBeLessThan(300);
    // The target is ≤ 50 ms per poisoned message; the old retries cost 7.5 s each.
    expect(delay / poison.length).toBeLessThanOrEqual(50);
    ac.abort();
    await agents.endAsync();
    await ingest.stop();
    await fresh.close();
  });
});

/** What the review sent (issue 18): NUL and a lone surrogate in a result, years 0000 and 9999, 50,000-deep JSON, T1 = 1e308. */
function poisonedMessages(): [string, Buffer][] {
  const env = (seed: string, edit: (e: Record<string, Loose>) => void = () => {}) => {
    const e = structuredClone(envelope({ instrument: 'poison-1', seed })) as Record<string, Loose>;
    edit(e);
    return JSON.stringify(e);
  };
  const t = 'lapis/v1/poison-1/result';
  return [
    [t, Buffer.from(env('nul', (e) => (e.document.sample = 'cheese\u0000')))],
    [t, Buffer.from(env('surrogate', (e) => (e.document.sample = 'cheese\ud800')))],
    [t, Buffer.from(env('year0', (e) => (e.producedAt = '0000-01-01T00:00:00Z')))],
    [
      t,
      Buffer.from(
        env('deep', (e) => (e.document.x = 0)).replace('"x":0', `"x":${'['.repeat(50_000)}${']'.repeat(50_000)}`),
      ),
    ],
    [t, Buffer.from(env('t1', (e) => (e.document.peaks[0].position.T1 = 1e308)))],
    [
      'lapis/v1/poison-1/status',
      json({ state: 'offline', instrument: 'poison-1', at: '9999-12-31T23:59:59Z', reason: 'connection lost' }),
    ],
  ];
}

/** The real database with faults injected: `fault(method)` returning an error makes that call throw it. */
function faulty(db: Db, fault: (method: string) => Error | undefined): Db {
  return new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const err = fault(String(prop));
        if (err) throw err;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('withoutPassword', () => {
  it('keeps the broker password out of the log', () => {
    expect(withoutPassword('mqtt://lapis-dashboard:s3cr3t@127.0.0.1:1883')).toBe(
      'mqtt://lapis-dashboard:***@127.0.0.1:1883',
    );
    expect(withoutPassword('mqtts://broker.lab:8883')).toBe('mqtts://broker.lab:8883');
  });
});
