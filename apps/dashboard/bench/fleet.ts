/** Case 2: the seeded fleet (50 × 10,000 acquisitions) and the fleet query's time. */
import { sql } from 'drizzle-orm';
import type { Db, DbHandle } from '../src/server/db/client';
import { ChangeBus } from '../src/server/bus';
import { createCaller } from '../src/server/api/root';
import { INSTRUMENTS, PER_INSTRUMENT, median, ms } from './common';
import { thumbnailOf } from '../src/lib/thumbnail';
import { cheeseDoc } from '../src/test/fixtures';
import { SYSTEM_USER } from '../src/server/auth/roles';

/** 50 instruments × 10,000 acquisitions (small documents: the fleet query reads no document), spread over 173 days. */
export async function seedFleet(db: Db): Promise<number> {
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
  // What the fleet page reads beyond the rows: the newest result's picture per instrument (a real one: the cheese
  // map's), and 3 peaks on each instrument's newest 100 results for its sparkline (the last 30).
  const thumb = JSON.stringify(thumbnailOf(cheeseDoc));
  await db.execute(sql`
    update acquisitions set thumbnail = ${thumb}::jsonb where key in (
      select distinct on (instrument_id) key from acquisitions order by instrument_id, produced_at desc)`);
  await db.execute(sql`
    insert into peaks (acquisition_key, rank, fraction, t1, t2)
    select r.key, k, 0.5 / (k + 1), 0.1 * (k + 1), 0.01 * (k + 1) + 0.001 * (r.n % 7)
    from (select key, row_number() over (partition by instrument_id order by produced_at desc) as n
          from acquisitions) r, generate_series(0, 2) k
    where r.n <= 100`);
  await db.execute(sql`analyze`);
  return ms(t0);
}

export async function fleetTimes(h: DbHandle, runs = 15): Promise<{ fleet: number; scan: number; rows: number }> {
  const caller = createCaller({ db: h.db, bus: new ChangeBus(), dbKind: h.kind, user: SYSTEM_USER });
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
