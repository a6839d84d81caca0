/**
 * `npm run bench:dashboard`: what the dashboard costs at lab scale.
 *   1. ingest rate — result envelopes (the real 64×64 cheese document, ~16 KB) published over a real broker
 *      (aedes, in-process) into PGlite (on disk) and PostgreSQL (a private cluster, durable settings); reference:
 *      the same messages through the same broker into a consumer that only parses and validates them.
 *   2. fleet page server time with 50 instruments × 10,000 acquisitions — the fleet query through the tRPC
 *      caller on both databases, and the whole page (GET /) from a production build (`next start`) on PostgreSQL;
 *      reference: a full `count(*)` scan of the acquisitions.
 *   3. acquisition page — server time (GET) and browser render time (navigation → the map's SVG drawn, chromium).
 * Prints a Markdown table and writes bench-results/dashboard.json. Environment: BENCH_RESULTS (default 1000),
 * BENCH_SKIP_BUILD=1 (reuse .next-bench), BENCH_SKIP_PGLITE_FLEET=1.
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
import { envelope, json } from '../src/test/fixtures';
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
    db: h.db,
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

async function main() {
  const started = new Date();
  console.log(
    `bench:dashboard — ${started.toISOString()}, ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'lapis-dash-bench-'));
  let pg: TestPostgres | undefined;
  try {
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
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const out = join(repoRoot, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'dashboard.json'),
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
  console.log(`  wrote bench-results/dashboard.json (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
