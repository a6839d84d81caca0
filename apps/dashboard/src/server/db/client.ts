/**
 * Opens the dashboard database — embedded PGlite (a data directory, no server) or PostgreSQL (`DATABASE_URL`) —
 * and applies the one drizzle-kit migration folder to either. Both drivers give the same drizzle API, so the
 * routers and the ingest never ask which one they have.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL connection string; when set, PGlite is not used. */
  url?: string;
  /** PGlite data directory; `undefined` with no `url` and no `pglite` = in-memory. */
  dataDir?: string;
  /** An already open PGlite (e.g. a clone of a migrated template in tests). */
  pglite?: PGlite;
  /** Migration folder (default: found by `findMigrations`). */
  migrationsFolder?: string;
  /** Apply migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/**
 * Where the migrations are: beside this file in the source tree, or — when bundled by Next, where
 * `import.meta.url` is not the source path — under the working directory (`drizzle/` or `apps/dashboard/drizzle/`).
 */
export function findMigrations(): string {
  const candidates: string[] = [];
  try {
    candidates.push(resolve(dirname(fileURLToPath(import.meta.url)), '../../../drizzle'));
  } catch {
    // bundled: import.meta.url may not be a file URL
  }
  candidates.push(resolve('drizzle'), resolve('apps/dashboard/drizzle'));
  const found = candidates.find((c) => existsSync(join(c, 'meta', '_journal.json')));
  if (!found) throw new Error(`dashboard migrations not found; looked in ${candidates.join(', ')}`);
  return found;
}

export async function openDb(options: OpenDbOptions = {}): Promise<DbHandle> {
  const migrationsFolder = options.migrationsFolder ?? findMigrations();
  const doMigrate = options.migrate ?? true;
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client losing its server must not take the dashboard down; the pool replaces it.
    pool.on('error', (err) => console.error('dashboard: postgres pool error', err));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    try {
      if (doMigrate) await migratePg(db as never, { migrationsFolder });
    } catch (err) {
      await pool.end();
      throw new Error(`dashboard: migrating PostgreSQL failed`, { cause: err });
    }
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  let client = options.pglite;
  if (!client) {
    if (options.dataDir) mkdirSync(dirname(options.dataDir), { recursive: true });
    client = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  if (doMigrate) {
    try {
      await migratePglite(db as never, { migrationsFolder });
    } catch (err) {
      throw new Error(`dashboard: migrating PGlite${options.dataDir ? ` at ${options.dataDir}` : ''} failed`, {
        cause: err,
      });
    }
  }
  const c = client;
  return { db, kind: 'pglite', close: () => c.close() };
}
