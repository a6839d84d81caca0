/**
 * tRPC set-up: the context every procedure sees (database, change bus, ingest counters) and the procedure
 * builders. `createCallerFactory` lets tests and server components call routers without HTTP.
 */
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import type { Db } from '../db/client';
import type { ChangeBus } from '../bus';
import type { IngestCounters } from '../ingest/stats';

export interface Context {
  db: Db;
  bus: ChangeBus;
  /** Counters of the running ingest; undefined when ingest is off (or in router tests). */
  ingest?: IngestCounters;
  dbKind?: 'pglite' | 'postgres';
}

const t = initTRPC.context<Context>().create({ transformer: superjson });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
