/**
 * Scale-out: two dashboard ingests in one MQTT 5 share group on a real mosquitto divide the results between them —
 * each stored once, neither idle — and both take the retained statuses. Skipped with the reason when mosquitto is
 * not installed (aedes speaks 3.1.1 only).
 */
import { count } from 'drizzle-orm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto } from '../../test/mosquitto';
import type { TestBroker } from '../../test/broker';
import { testDb } from '../../test/db';
import { envelope, json } from '../../test/fixtures';
import { acquisitions, instruments } from '../db/schema';
import { ingestTopics, startIngest } from './ingestService';

let broker: TestBroker | undefined;
beforeAll(async () => {
  broker = await startMosquitto();
  if (!broker)
    console.warn('skipping the shared-subscription test: mosquitto is not installed (apt-get install mosquitto)');
});
afterAll(async () => broker?.close());

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function until(check: () => Promise<boolean> | boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('ingest in a share group (MQTT 5)', () => {
  it('subscribes to the shared part and, every process for itself, the statuses', () => {
    expect(ingestTopics()).toEqual(['lapis/v1/+/#']);
    expect(ingestTopics('dash')).toEqual([
      '$share/dash/lapis/v1/+/result',
      '$share/dash/lapis/v1/+/spectrum',
      '$share/dash/lapis/v1/+/event',
      '$share/dash/lapis/v1/+/heartbeat',
      '$share/dash/lapis/v1/+/cmd/reprocess/reply',
      'lapis/v1/+/status',
    ]);
    expect(() => ingestTopics('a/b')).toThrow(/share group/);
    expect(() => ingestTopics('#')).toThrow(/share group/);
  });

  it('two processes divide 120 results of 12 instruments, each stored once; both know who is online', async (ctx) => {
    if (!broker) return ctx.skip();
    const { db } = await testDb();
    const agent = await mqtt.connectAsync(broker.url, { clientId: 'agent-shared', protocolVersion: 5 });
    await agent.publishAsync(
      'lapis/v1/s0/status',
      json({ state: 'online', instrument: 's0', at: new Date().toISOString() }),
      { qos: 1, retain: true },
    );
    const options = { db, url: broker.url, logger: quiet, concurrency: 1, shareGroup: 'dash' } as const;
    const a = startIngest({ ...options, clientId: 'dash-a' });
    const b = startIngest({ ...options, clientId: 'dash-b' });
    await Promise.all([a.ready, b.ready]);
    // the retained status reaches both (a shared subscription would give it to neither)
    await until(() => a.counters.received >= 1 && b.counters.received >= 1);
    for (let k = 0; k < 120; k++) {
      const instrument = `s${k % 12}`;
      await agent.publishAsync(`lapis/v1/${instrument}/result`, json(envelope({ instrument, seed: `r${k}` })), {
        qos: 1,
      });
    }
    await until(async () => (await db.select({ n: count() }).from(acquisitions))[0]!.n === 120);
    await Promise.all([a.idle(), b.idle()]);
    const results = (s: typeof a) => s.counters.accepted - 1; // one status each
    expect(results(a) + results(b)).toBe(120);
    expect(a.counters.duplicates + b.counters.duplicates).toBe(0);
    expect(Math.min(results(a), results(b))).toBeGreaterThan(20);
    expect((await db.select().from(instruments)).find((i) => i.id === 's0')?.state).toBe('online');
    await Promise.all([a.stop(), b.stop(), agent.endAsync()]);
  }, 60_000);
});
