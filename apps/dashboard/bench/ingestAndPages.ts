/** Cases 1–3 in order: ingest rates (reference, PGlite, PostgreSQL), the fleet query, the pages (PostgreSQL when installed). */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDb } from '../src/server/db/client';
import { envelope, json } from '../src/test/fixtures';
import { postgresUnavailable, startTestPostgres } from '../src/test/postgres';
import type { TestPostgres } from '../src/test/postgres';
import { ingestMessage } from '../src/server/ingest/ingestMessage';
import { N, INSTRUMENTS, PER_INSTRUMENT, figures, payloads } from './common';
import { referenceRate, ingestRate } from './ingestRate';
import { seedFleet, fleetTimes } from './fleet';
import { pageTimes } from './pageTimes';

/** Cases 1–3: ingest rates, fleet and acquisition pages (PostgreSQL when installed). */
export async function ingestAndPages(dir: string, started: (pg: TestPostgres) => void): Promise<void> {
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
