/** The same migrations and routers against a real PostgreSQL, started by the test itself. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, json } from '../../test/fixtures';
import { postgresUnavailable, startTestPostgres } from '../../test/postgres';
import type { TestPostgres } from '../../test/postgres';
import { seedFleet } from '../../test/seed';
import { ChangeBus } from '../bus';
import { openDb } from '../db/client';
import type { DbHandle } from '../db/client';
import { ingestMessage } from '../ingest/ingestMessage';
import { createCaller } from './root';
import { testUser } from '../../test/users';

const why = postgresUnavailable();
if (why) console.warn(`skipping PostgreSQL tests: ${why}`);

describe.skipIf(why !== undefined)('routers and ingest on PostgreSQL', () => {
  let pg: TestPostgres;
  let h: DbHandle;
  beforeAll(async () => {
    pg = await startTestPostgres();
    h = await openDb({ url: pg.url });
  });
  afterAll(async () => {
    await h?.close();
    await pg?.stop();
  });

  it('migrates, ingests idempotently and answers the fleet, instrument and trends queries', async () => {
    await seedFleet(h.db);
    // migrating twice is a no-op (the dashboard migrates at every start)
    await (await openDb({ url: pg.url })).close();
    const again = await ingestMessage(
      h.db,
      'lapis/v1/bench-2/result',
      json(envelope({ instrument: 'bench-2', seed: 'b' })),
    );
    expect(again.status).toBe('duplicate');
    const caller = createCaller({ db: h.db, bus: new ChangeBus(), user: testUser('viewer') });
    const fleet = await caller.fleet.list({ now: new Date('2026-11-21T12:00:00Z') });
    expect(fleet.map((f) => [f.id, f.state, f.resultsToday, f.failuresToday])).toEqual([
      ['bench-2', 'offline', 0, 0],
      ['minispec-1', 'online', 1, 1],
    ]);
    expect(await caller.instrument.acquisitions({ id: 'minispec-1', sample: 'cheese' })).toHaveLength(4);
    const trend = await caller.trends.series({ groupBy: 'sample', orderBy: 't2' });
    expect(trend.filter((p) => p.group === 'cheese-A')).toHaveLength(4);
    const a = await caller.acquisition.get({ key: envelope({ instrument: 'bench-2', seed: 'b' }).key });
    expect(a.document.distribution).toHaveLength(64);
  });
});
