/**
 * Test databases. A fresh PGlite takes seconds to initialise and a `clone()` of a migrated one still ~1.5 s on
 * this machine, so each test file migrates one in-memory PGlite once and every test starts from emptied tables
 * (TRUNCATE is milliseconds). Tests never see each other's rows; files run in separate processes.
 */
import { sql } from 'drizzle-orm';
import { PGlite } from '@electric-sql/pglite';
import { openDb } from '../server/db/client';
import type { DbHandle } from '../server/db/client';

let shared: Promise<DbHandle> | undefined;

/** The file's database, emptied (all but the append-only audit log: filter it by what the test did). `close()` is a no-op: the process ends with the file. */
export async function testDb(): Promise<DbHandle> {
  shared ??= PGlite.create().then((pg) => openDb({ pglite: pg }));
  const h = await shared;
  await h.db.execute(
    sql`truncate peaks, acquisitions, spectra, events, rejected_messages, ingest_parked, incidents, alert_mutes, instruments, population_names, auth_verifications, auth_sessions, auth_accounts, auth_users restart identity cascade`,
  );
  return { ...h, close: async () => {} };
}
