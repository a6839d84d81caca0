/** Case 4: page data while PGlite takes results from the broker, with and without reads first; the history it reads. */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { openDb } from '../src/server/db/client';
import type { Db } from '../src/server/db/client';
import { ChangeBus } from '../src/server/bus';
import { startIngest } from '../src/server/ingest/ingestService';
import { createCaller } from '../src/server/api/root';
import { startTestBroker } from '../src/test/broker';
import { envelope, json, sha } from '../src/test/fixtures';
import { startMosquitto } from '../src/test/mosquitto';
import { ingestMessage } from '../src/server/ingest/ingestMessage';
import { quiet, quantile } from './common';
import { SYSTEM_USER } from '../src/server/auth/roles';

/** History for case 4: 20 instruments × 500 acquisitions with three peaks each, over 50 days (small documents). */
export async function seedHistory(db: Db): Promise<void> {
  await db.execute(sql`
    insert into instruments (id, state, state_at, heartbeat_at, processed, failed, queued, outbox_depth)
    select 'bench-' || lpad(i::text, 2, '0'), 'online', now(), now(), 500, 0, 0, 0
    from generate_series(0, 19) i`);
  await db.execute(sql`
    insert into acquisitions (key, instrument_id, path, sample, experiment, method, produced_at, received_at,
                              relative_residual, peak_count, provenance, document)
    select md5(i::text) || md5((-i)::text), 'bench-' || lpad((i % 20)::text, 2, '0'), '/data/h' || i,
           'sample-' || (i % 40), 'T1-T2', 'tikhonov', now() - i * interval '7 minutes', now(), 0.01, 3,
           '{}'::jsonb, '{"seeded":true}'::jsonb
    from generate_series(0, 9999) i`);
  await db.execute(sql`
    insert into peaks (acquisition_key, rank, fraction, t1, t2, t1t2_ratio)
    select md5(i::text) || md5((-i)::text), r, 0.5 / (r + 1), 0.01 * (r + 1), 0.005 * (r + 1), 2
    from generate_series(0, 9999) i, generate_series(0, 2) r`);
  await db.execute(sql`analyze`);
}

/**
 * Case 4: the main pages' data fetched while PGlite takes results at `rate`/s from mosquitto (aedes in-process when
 * mosquitto is missing). Page loads arrive on a fixed schedule (one every `everyMs`, round robin, not waiting for each
 * other — visitors do not wait for one another), and each is timed from when it was due to when its data is in, so
 * time spent waiting for the event loop or the database counts. Each page calls its procedures as the page does
 * (Promise.all where it does); the same schedule with no ingest is the reference. `readsFirst` false is how it was
 * before issue 18: the ingest writing through the pages' own handle, reads and writes first come, first served.
 */
export async function pagesUnderIngest(
  dir: string,
  rate: number,
  seconds: number,
  everyMs: number,
  readsFirst: boolean,
) {
  const h = await openDb({ dataDir: join(dir, `pglite-pages-${readsFirst ? 'gate' : 'fifo'}`) });
  await seedHistory(h.db);
  const bus = new ChangeBus();
  const mosquitto = await startMosquitto();
  const broker = mosquitto ?? (await startTestBroker());
  const ingest = startIngest({
    // As in production (state.ts): the ingest's own handle, waiting for page queries in flight before each write.
    // Without the gate (the reference), reads and writes queue first come, first served in PGlite.
    db: readsFirst ? h.ingestDb : h.db,
    readsFirst: readsFirst ? () => h.readsFirst() : undefined,
    bus,
    url: broker.url,
    clientId: `bench-pages-${readsFirst}`,
    logger: quiet,
    concurrency: 1,
  });
  await ingest.ready;
  const caller = createCaller({ db: h.db, bus, ingest: ingest.counters, dbKind: h.kind, user: SYSTEM_USER });
  const cheese = envelope({ instrument: 'bench-03', seed: 'pages-cheese' });
  await ingestMessage(h.db, 'lapis/v1/bench-03/result', json({ ...cheese, producedAt: new Date().toISOString() }));
  const now = () => new Date();
  const pages: [string, () => Promise<unknown>][] = [
    ['fleet', () => Promise.all([caller.fleet.list({ now: now() }), caller.fleet.ingest()])],
    [
      'instrument',
      async () => {
        await caller.instrument.get({ id: 'bench-03' });
        return Promise.all([
          caller.instrument.acquisitions({ id: 'bench-03', limit: 200 }),
          caller.instrument.daily({ id: 'bench-03', days: 14, now: now() }),
        ]);
      },
    ],
    [
      'acquisition',
      async () => {
        const a = await caller.acquisition.get({ key: cheese.key });
        return caller.instrument.acquisitions({ id: a.instrumentId, limit: 30 });
      },
    ],
    ['trends', () => caller.trends.series({})],
  ];
  const schedule = async (until: () => boolean) => {
    const times: Record<string, number[]> = Object.fromEntries(pages.map(([k]) => [k, []]));
    const loads: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; !until(); i++) {
      const due = t0 + i * everyMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const [name, load] = pages[i % pages.length]!;
      loads.push(load().then(() => void times[name]!.push(performance.now() - due)));
    }
    await Promise.all(loads);
    return times;
  };
  const idleEnd = Date.now() + 5000;
  const idle = await schedule(() => Date.now() > idleEnd);

  // Steady ingest at `rate`/s (due counts checked every 5 ms) while the pages load. The payload is the real cheese
  // envelope with its key, instrument and path spliced in, so the publisher costs little of the shared CPU.
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'bench-pages-pub', protocolVersion: 4 });
  const total = Math.round(rate * seconds);
  const base = envelope({ instrument: 'bench-00', seed: 'x' });
  const [head, tail] = JSON.stringify({ ...base, key: '@K', instrument: '@I', path: '@P', producedAt: '@T' }).split(
    '"@K"',
  ) as [string, string];
  const payload = (i: number, instrument: string) =>
    Buffer.from(
      head +
        JSON.stringify(sha(`pages-${i}`)) +
        tail
          .replace('"@I"', JSON.stringify(instrument))
          .replace('"@P"', JSON.stringify(`/data/${instrument}/p${i}`))
          .replace('"@T"', JSON.stringify(new Date().toISOString())),
    );
  let sent = 0;
  const t0 = Date.now();
  const published: Promise<unknown>[] = [];
  const publishing = (async () => {
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * rate));
      for (; sent < due; sent++) {
        const instrument = `bench-${String(sent % 20).padStart(2, '0')}`;
        published.push(pub.publishAsync(`lapis/v1/${instrument}/result`, payload(sent, instrument), { qos: 1 }));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const handled = () => ingest.counters.accepted + ingest.counters.rejected + ingest.counters.duplicates;
  const busy = await schedule(() => sent >= total && handled() >= total);
  const lagMs = Date.now() - t0 - seconds * 1000;
  await publishing;
  await Promise.all(published);
  await ingest.idle();
  const counters = { ...ingest.counters };
  await pub.endAsync();
  await ingest.stop();
  await broker.close();
  await h.close();
  const summary = (t: Record<string, number[]>) => {
    const all = Object.values(t).flat();
    return {
      n: all.length,
      p50: quantile(all, 0.5),
      p95: quantile(all, 0.95),
      max: Math.max(...all),
      pages: Object.fromEntries(
        Object.entries(t).map(([k, v]) => [k, { n: v.length, p50: quantile(v, 0.5), p95: quantile(v, 0.95) }]),
      ),
    };
  };
  return {
    broker: mosquitto ? 'mosquitto' : 'aedes (in-process)',
    readsFirst,
    everyMs,
    rate,
    seconds,
    total,
    accepted: counters.accepted,
    rejected: counters.rejected,
    lagMs,
    achievedRate: (total / (seconds * 1000 + lagMs)) * 1000,
    idle: summary(idle),
    busy: summary(busy),
  };
}
