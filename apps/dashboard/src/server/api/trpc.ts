/**
 * tRPC set-up: the context every procedure sees (database, change bus, ingest counters) and the procedure
 * builders. `createCallerFactory` lets tests and server components call routers without HTTP.
 */
import { randomBytes } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { formatIssues, type IssueLike } from '@lapis/contracts/issues';
import type { Db } from '../db/client';
import type { ChangeBus } from '../bus';
import type { IngestCounters } from '../ingest/stats';
import type { SpectrumRegions } from '../spectra/spectrumRegions';
import { roleAtLeast, type Role, type SessionUser } from '../auth/roles';

export interface Context {
  db: Db;
  bus: ChangeBus;
  /** Counters of the running ingest; undefined when ingest is off (or in router tests). */
  ingest?: IngestCounters;
  dbKind?: 'pglite' | 'postgres';
  /** Who is asking (server/auth); undefined: nobody signed in, and every procedure refuses. */
  user?: SessionUser;
  /** Publishes a command to an instrument's agent (`cmd/…`); undefined when the ingest (MQTT) is off. */
  publish?: (topic: string, payload: string) => Promise<void>;
  /** Asks an agent for a stretch of a spectrum at full resolution; undefined when the ingest (MQTT) is off. */
  regions?: Pick<SpectrumRegions, 'request'>;
}

/** Each procedure's metadata: the least role that may call it (server/auth/roles.ts). */
export interface Meta {
  minRole: Role;
}

/** Longest error message sent to a client. */
const MAX_MESSAGE = 300;

const issuesOf = (cause: unknown): IssueLike[] | undefined =>
  cause && typeof cause === 'object' && Array.isArray((cause as { issues?: unknown }).issues)
    ? (cause as { issues: IssueLike[] }).issues
    : undefined;

/**
 * What a client is told about `error`. Server errors (a failed query carries its SQL and parameters) become a
 * generic message with a reference that is logged beside the detail; validation errors become one short line per
 * problem (`sample: Too big: expected string to have <=200 characters`) instead of zod's JSON.
 */
export function publicErrorMessage(error: TRPCError, path: string | undefined): string {
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    const ref = randomBytes(4).toString('hex');
    console.error(`[trpc] ${path ?? '?'} failed (ref ${ref}):`, error.cause ?? error);
    return `internal server error (ref ${ref})`;
  }
  const issues = issuesOf(error.cause);
  const text = issues ? formatIssues(issues, { root: 'input', max: 3 }) : error.message;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Errors never leave the server whole: no stack, no SQL, no zod dump (see publicErrorMessage).
    errorFormatter: ({ shape, error, path }) => ({
      message: publicErrorMessage(error, path),
      code: shape.code,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, ...(path ? { path } : {}) },
    }),
    // The live feed: a comment every 15 s keeps proxies from closing an idle stream and finds dead clients (their
    // connection slot is freed); the browser reconnects after 40 s without one.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure checks its caller's role on the server before its input is even parsed: anonymous callers get
 * UNAUTHORIZED, callers below the procedure's `minRole` FORBIDDEN. A procedure without the metadata fails closed.
 */
const authorised = t.middleware(({ ctx, meta, next }) => {
  if (!meta?.minRole) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'procedure without a role' });
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  if (!roleAtLeast(ctx.user.role, meta.minRole))
    throw new TRPCError({ code: 'FORBIDDEN', message: `needs the ${meta.minRole} role` });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const viewerProcedure = t.procedure.meta({ minRole: 'viewer' }).use(authorised);
export const managerProcedure = t.procedure.meta({ minRole: 'manager' }).use(authorised);
export const adminProcedure = t.procedure.meta({ minRole: 'admin' }).use(authorised);
