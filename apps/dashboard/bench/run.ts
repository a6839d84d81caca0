/**
 * `npm run bench:dashboard`: what the dashboard costs at lab scale.
 *   1. ingest rate — result envelopes (the real 64×64 cheese document, ~16 KB) published over a real broker
 *      (aedes, in-process) into PGlite (on disk) and PostgreSQL (a private cluster, durable settings); reference:
 *      the same messages through the same broker into a consumer that only parses and validates them.
 *   2. fleet page server time with 50 instruments × 10,000 acquisitions — the fleet query through the tRPC
 *      caller on both databases, and the whole page (GET /) from a production build (`next start`) on PostgreSQL;
 *      reference: a full `count(*)` scan of the acquisitions.
 *   3. acquisition page — server time (GET) and browser render time (navigation → the map's SVG drawn, chromium).
 *   4. page data while results arrive — PGlite (on disk) offered results at a steady 200/s from mosquitto while
 *      the data of each main page (the procedures it calls, through the tRPC caller) is fetched on a schedule;
 *      p50/p95 with the ingest letting page queries go first (the default) and first come, first served; reference:
 *      the same reads with no ingest (PGlite has one connection).
 * Prints a Markdown table and writes bench-results/dashboard.json. Environment: BENCH_RESULTS (default 1000),
 * BENCH_SKIP_BUILD=1 (reuse .next-bench), BENCH_SKIP_PGLITE_FLEET=1, BENCH_ONLY=pages-under-ingest (case 4 alone,
 * to bench-results/dashboard-pages-under-ingest.json), BENCH_RATE (results/s offered in case 4, default 200),
 * BENCH_SECONDS (its duration, default 20), BENCH_PAGE_EVERY_MS (a page load every …, default 100).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { resultEnvelopeSchema } from '@lapis/contracts';
import { launchChromium } from '../../../tools/test/chromium';
import { openDb } from '../src/server/db/client';
import type { Db, DbHandle } from '../src/server/db/client';
import { ChangeBus } from '../src/server/bus';
import { startIngest } from '../src/server/ingest/ingestService';
import { createCaller } from '../src/server/api/root';
import { startTestBroker } from '../src/test/broker';
import { envelope, json, sha } from '../src/test/fixtures';
import { startMosquitto } from '../src/test/mosquitto';
import { postgresUnavailable, startTestPostgres } from '../src/test/postgres';
import type { TestPostgres } from '../src/test/postgres';
import { ingestMessage } from '../src/server/ingest/ingestMessage';
import { freePort } from '../../../tools/test/freePort';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(appDir, '../..');
const N = Number(process.env.BENCH_RESULTS ?? 1000);
const INSTRUMENTS = 50;
const PER_INSTRUMENT = 10_000;
const quiet = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
const figures: Record<string, unknown> = {};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function payloads(n: number, tag: string): { topic: string; payload: Buffer }[] {
  const base = envelope({ instrument: 'bench-00', seed: 'x' });
  return Array.from({ length: n }, (_, i) => {
    const instrument = `bench-${String(i % INSTRUMENTS).padStart(2, '0')}`;
    const e = {
      ...base,
      instrument,
      key: envelope({ instrument, seed: `${tag}-${i}` }).key,
      path: `/data/${instrument}/${i}`,
    };
    return { topic: `lapis/v1/${instrument}/result`, payload: json(e) };
  });
}

/** Reference: broker + JSON.parse + zod validation only, no database. */
async function referenceRate(msgs: { topic: string; payload: Buffer }[]): Promise<number> {
  const broker = await startTestBroker();
  const sub = await mqtt.connectAsync(broker.url, { clientId: 'ref-sub', protocolVersion: 4, clean: true });
  let got = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  sub.on('message', (_t, p) => {
    resultEnvelopeSchema.parse(JSON.parse(p.toString('utf8')));
    if (++got === msgs.length) done();
  });
  await sub.subscribeAsync('lapis/v1/+/#', { qos: 1 });
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'ref-pub', protocolVersion: 4 });
  const t0 = process.hrtime.bigint();
  await Promise.all(msgs.map((m) => pub.publishAsync(m.topic, m.payload, { qos: 1 })));
  await all;
  const t = ms(t0);
  await pub.endAsync();
  await sub.endAsync();
  await broker.close();
  return (msgs.length / t) * 1000;
}

async function ingestRate(
  h: DbHandle,
  msgs: { topic: string; payload: Buffer }[],
  ack: 'written' | 'received' = 'written',
): Promise<number> {
  const broker = await startTestBroker();
  const ingest = startIngest({
    db: h.ingestDb,
    readsFirst: () => h.readsFirst(),
    bus: new ChangeBus(),
    url: broker.url,
    clientId: `bench-${h.kind}-${ack}`,
    logger: quiet,
    concurrency: h.kind === 'postgres' ? 8 : 1,
    ack,
  });
  await ingest.ready;
  const pub = await mqtt.connectAsync(broker.url, { clientId: 'bench-pub', protocolVersion: 4 });
  const t0 = process.hrtime.bigint();
  await Promise.all(msgs.map((m) => pub.publishAsync(m.topic, m.payload, { qos: 1 })));
  while (ingest.counters.accepted + ingest.counters.rejected + ingest.counters.duplicates < msgs.length) {
    await new Promise((r) => setTimeout(r, 5));
  }
  await ingest.idle();
  const t = ms(t0);
  if (ingest.counters.accepted !== msgs.length) {
    throw new Error(`ingest stored ${ingest.counters.accepted} of ${msgs.length}: ${JSON.stringify(ingest.counters)}`);
  }
  await pub.endAsync();
  await ingest.stop();
  await broker.close();
  return (msgs.length / t) * 1000;
}

/** 50 instruments × 10,000 acquisitions (small documents: the fleet query reads no document), spread over 173 days. */
async function seedFleet(db: Db): Promise<number> {
  const t0 = process.hrtime.bigint();
  await db.execute(sql`
    insert into instruments (id, state, state_at, heartbeat_at, processed, failed, queued, outbox_depth)
    select 'inst-' || lpad(i::text, 2, '0'), case when i % 5 = 0 then 'offline' else 'online' end, now(), now(),
           ${PER_INSTRUMENT}::int, 3, i % 4, i % 3
    from generate_series(0, ${INSTRUMENTS - 1}::int) i`);
  const total = INSTRUMENTS * PER_INSTRUMENT;
  const chunk = 50_000;
  for (let start = 0; start < total; start += chunk) {
    await db.execute(sql`
      insert into acquisitions (key, instrument_id, path, sample, experiment, method, produced_at, received_at,
                                relative_residual, peak_count, provenance, document)
      select md5(i::text) || md5((-i)::text), 'inst-' || lpad((i % ${INSTRUMENTS})::text, 2, '0'), '/data/' || i,
             'sample-' || (i % 200), 'T1-T2', 'tikhonov', now() - i * interval '30 seconds', now(), 0.01, 3,
             '{}'::jsonb, '{"seeded":true}'::jsonb
      from generate_series(${start}::int, ${Math.min(start + chunk, total) - 1}::int) i`);
  }
  await db.execute(sql`
    insert into events (instrument_id, kind, at, path, reason)
    select 'inst-' || lpad((i % ${INSTRUMENTS})::text, 2, '0'), 'failed', now() - i * interval '7 minutes',
           '/data/f' || i, 'bench failure'
    from generate_series(0, 999) i`);
  await db.execute(sql`analyze`);
  return ms(t0);
}

async function fleetTimes(h: DbHandle, runs = 15): Promise<{ fleet: number; scan: number; rows: number }> {
  const caller = createCaller({ db: h.db, bus: new ChangeBus(), dbKind: h.kind });
  let rows = 0;
  await caller.fleet.list(); // warm
  const f: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    rows = (await caller.fleet.list()).length;
    f.push(ms(t0));
  }
  const s: number[] = [];
  for (let i = 0; i < Math.min(runs, 5); i++) {
    const t0 = process.hrtime.bigint();
    await h.db.execute(sql`select count(*) from acquisitions`);
    s.push(ms(t0));
  }
  return { fleet: median(f), scan: median(s), rows };
}

async function pageTimes(databaseUrl: string, key: string): Promise<Record<string, number>> {
  const nextBin = join(repoRoot, 'node_modules/next/dist/bin/next');
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LAPIS_NEXT_DIST_DIR: '.next/bench' };
  if (!process.env.BENCH_SKIP_BUILD || !existsSync(join(appDir, '.next/bench'))) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, [nextBin, 'build'], { cwd: appDir, env, stdio: 'pipe' });
    console.log(`  next build: ${(ms(t0) / 1000).toFixed(0)} s`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: appDir,
    env: { ...env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, LAPIS_INGEST: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/api/trpc/fleet.list`)).ok) break;
      } catch {
        // starting
      }
      if (i > 400) throw new Error(`next start did not come up:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const get = async (path: string, runs: number) => {
      await (await fetch(url + path)).text();
      const t: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        const res = await fetch(url + path);
        await res.text();
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        t.push(ms(t0));
      }
      return median(t);
    };
    const fleetPage = await get('/', 15);
    const acqPage = await get(`/acquisitions/${key}`, 15);
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const render: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = process.hrtime.bigint();
      await page.goto(`${url}/acquisitions/${key}`);
      await page.waitForSelector('[data-plot$="-map"] svg rect');
      await page.waitForSelector('[data-plot$="-T2"] svg');
      if (i > 0) render.push(ms(t0)); // the first visit also loads the scripts into the cache
    }
    await browser.close();
    return { fleetPage, acqPage, acqRender: median(render) };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** History for case 4: 20 instruments × 500 acquisitions with three peaks each, over 50 days (small documents). */
async function seedHistory(db: Db): Promise<void> {
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
async function pagesUnderIngest(dir: string, rate: number, seconds: number, everyMs: number, readsFirst: boolean) {
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
  const caller = createCaller({ db: h.db, bus, ingest: ingest.counters, dbKind: h.kind });
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

/** Cases 1–3: ingest rates, fleet and acquisition pages (PostgreSQL when installed). */
async function ingestAndPages(dir: string, started: (pg: TestPostgres) => void): Promise<void> {
  let pg: TestPostgres | undefined;
  const ref = await referenceRate(payloads(N, 'ref'));
  figures.referenceRate = ref;
  console.log(`  reference (broker + parse + validate, no database): ${ref.toFixed(0)} results/s`);

  const lite = await openDb({ dataDir: join(dir, 'pglite') });
  figures.pgliteRate = await ingestRate(lite, payloads(N, 'lite'));
  console.log(`  ingest into PGlite: ${(figures.pgliteRate as number).toFixed(0)} results/s`);

  const why = postgresUnavailable();
  if (why) console.log(`  PostgreSQL skipped: ${why}`);
  else {
    pg = await startTestPostgres({ durable: true });
    started(pg);
    const h = await openDb({ url: pg.url });
    figures.postgresRate = await ingestRate(h, payloads(N, 'pg'));
    console.log(
      `  ingest into PostgreSQL (ack once written, the default): ${(figures.postgresRate as number).toFixed(0)} results/s`,
    );
    await h.db.execute(sql`truncate peaks, acquisitions, events, rejected_messages, instruments cascade`);
    figures.postgresRateAckReceived = await ingestRate(h, payloads(N, 'pg-received'), 'received');
    console.log(
      `  ingest into PostgreSQL (ack on receipt, 8 instruments in parallel): ${(figures.postgresRateAckReceived as number).toFixed(0)} results/s`,
    );
    await h.db.execute(sql`truncate peaks, acquisitions, events, rejected_messages, instruments cascade`);
    figures.postgresSeedMs = await seedFleet(h.db);
    const pgFleet = await fleetTimes(h);
    figures.postgresFleet = pgFleet;
    console.log(
      `  PostgreSQL fleet query (${pgFleet.rows} instruments, ${INSTRUMENTS * PER_INSTRUMENT} acquisitions): ${pgFleet.fleet.toFixed(1)} ms (count(*) scan ${pgFleet.scan.toFixed(1)} ms)`,
    );
    const cheese = envelope({ instrument: 'inst-01', seed: 'page', sample: 'cheese-bench' });
    await ingestMessage(h.db, 'lapis/v1/inst-01/result', json({ ...cheese, producedAt: new Date().toISOString() }));
    await h.close();
    const pages = await pageTimes(pg.url, cheese.key);
    figures.pages = pages;
    console.log(
      `  GET / (next start, PostgreSQL): ${pages.fleetPage!.toFixed(1)} ms; GET /acquisitions/…: ${pages.acqPage!.toFixed(1)} ms; browser render of the acquisition page: ${pages.acqRender!.toFixed(0)} ms`,
    );
  }

  if (!process.env.BENCH_SKIP_PGLITE_FLEET) {
    await lite.db.execute(sql`truncate peaks, acquisitions, events, rejected_messages, instruments cascade`);
    figures.pgliteSeedMs = await seedFleet(lite.db);
    const liteFleet = await fleetTimes(lite);
    figures.pgliteFleet = liteFleet;
    console.log(
      `  PGlite fleet query: ${liteFleet.fleet.toFixed(1)} ms (count(*) scan ${liteFleet.scan.toFixed(1)} ms)`,
    );
  }
  await lite.close();
}

async function main() {
  const started = new Date();
  console.log(
    `bench:dashboard — ${started.toISOString()}, ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'lapis-dash-bench-'));
  let pg: TestPostgres | undefined;
  try {
    const only = process.env.BENCH_ONLY;
    if (only && only !== 'pages-under-ingest') throw new Error(`BENCH_ONLY: unknown case ${only}`);
    if (!only) await ingestAndPages(dir, (p) => (pg = p));
    const rate = Number(process.env.BENCH_RATE ?? 200);
    const seconds = Number(process.env.BENCH_SECONDS ?? 20);
    const everyMs = Number(process.env.BENCH_PAGE_EVERY_MS ?? 100);
    const line = (k: string, x: Awaited<ReturnType<typeof pagesUnderIngest>>['idle']) =>
      `    ${k}: p50 ${x.p50.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms, max ${x.max.toFixed(0)} ms (${x.n} page loads; p50/p95 ${Object.entries(
        x.pages,
      )
        .map(([p, v]) => `${p} ${v.p50.toFixed(1)}/${v.p95.toFixed(1)}`)
        .join(', ')})`;
    const runs = [];
    for (const readsFirst of [true, false]) {
      const r = await pagesUnderIngest(dir, rate, seconds, everyMs, readsFirst);
      runs.push(r);
      console.log(
        `  page data (a page every ${everyMs} ms) while PGlite takes ${rate} results/s, ${readsFirst ? 'reads first (the ingest waits for page queries)' : 'reference: first come, first served'}:`,
      );
      console.log(line('no ingest', r.idle));
      console.log(line('ingest', r.busy));
      console.log(
        `    broker ${r.broker}; ${r.accepted} of ${r.total} stored (${r.rejected} rejected), the last ${r.lagMs} ms after the last publish was due: ${r.achievedRate.toFixed(0)} results/s`,
      );
    }
    figures.pagesUnderIngest = runs;
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(repoRoot, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, process.env.BENCH_ONLY ? `dashboard-${process.env.BENCH_ONLY}.json` : 'dashboard.json'),
    JSON.stringify(
      {
        at: started.toISOString(),
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        node: process.version,
        results: N,
        figures,
      },
      null,
      2,
    ),
  );
  console.log(`  wrote bench-results/ (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
