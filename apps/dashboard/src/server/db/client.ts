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
  /** For pages and routers. On PGlite its queries are counted (see `readsFirst`). */
  db: Db;
  /** For the ingest: the same database, its queries not counted as reads. */
  ingestDb: Db;
  /**
   * Resolves once no query made through `db` is in flight (or after `maxWaitMs`). PGlite has one connection and
   * runs queries one at a time, so the ingest awaits this before each write: a page query then waits for at most
   * the one write already running, however fast results arrive. Immediate on PostgreSQL (a pool of connections).
   */
  readsFirst(maxWaitMs?: number): Promise<void>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Counts the queries in flight through a PGlite client (`query`, `exec`, `transaction` — what drizzle calls) and
 * lets a writer wait until there are none. Between two queries of one page (a few microtasks apart) the count
 * drops to zero; the writer re-checks after a turn of the event loop, so a page's queries run back to back.
 */
export class ReadGate {
  #inFlight = 0;
  #waiters: (() => void)[] = [];

  wrap(client: PGlite): PGlite {
    return new Proxy(client, {
      // `this` stays the real client: PGlite's getters and methods use private fields a proxy does not have.
      get: (target, prop) => {
        const v = Reflect.get(target, prop) as unknown;
        if (typeof v !== 'function') return v;
        if (prop !== 'query' && prop !== 'exec' && prop !== 'transaction') return v.bind(target);
        return async (...args: unknown[]) => {
          this.#inFlight += 1;
          try {
            return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            this.#inFlight -= 1;
            if (this.#inFlight === 0) for (const w of this.#waiters.splice(0)) w();
          }
        };
      },
    });
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  async idle(maxWaitMs = 250): Promise<void> {
    const end = performance.now() + maxWaitMs;
    for (;;) {
      // One turn of the event loop first: requests that arrived meanwhile get to start their queries.
      await new Promise((r) => setImmediate(r));
      if (this.#inFlight === 0) return;
      const left = end - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
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
    return { db, ingestDb: db, readsFirst: async () => {}, kind: 'postgres', close: () => pool.end() };
  }
  let client = options.pglite;
  if (!client) {
    if (options.dataDir) mkdirSync(dirname(options.dataDir), { recursive: true });
    client = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  }
  const gate = new ReadGate();
  const db = drizzlePglite(gate.wrap(client), { schema }) as unknown as Db;
  const ingestDb = drizzlePglite(client, { schema }) as unknown as Db;
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
  return { db, ingestDb, readsFirst: (maxWaitMs) => gate.idle(maxWaitMs), kind: 'pglite', close: () => c.close() };
}
