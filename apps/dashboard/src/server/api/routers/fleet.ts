/** Fleet: every instrument with its state, last acquisition, today's counts and the agent's queue depths. */
import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rejectedMessages } from '../../db/schema';
import { dateInputSchema } from '../inputs';
import { createTRPCRouter, publicProcedure } from '../trpc';

export interface FleetRow {
  id: string;
  site: string | null;
  state: string;
  stateAt: Date | null;
  stateReason: string | null;
  version: string | null;
  heartbeatAt: Date | null;
  processed: number | null;
  failed: number | null;
  queued: number | null;
  outboxDepth: number | null;
  lastKey: string | null;
  lastAt: Date | null;
  lastSample: string | null;
  lastExperiment: string | null;
  resultsToday: number;
  failuresToday: number;
}

/** Midnight UTC of `now`: "today" is the UTC day, the same for every viewer. */
export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const toDate = (v: unknown): Date | null => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
const toNum = (v: unknown): number | null => (v == null ? null : Number(v));

export const fleetRouter = createTRPCRouter({
  list: publicProcedure
    .input(z.strictObject({ now: dateInputSchema.optional() }).optional())
    .query(async ({ ctx, input }): Promise<FleetRow[]> => {
      const dayStart = utcDayStart(input?.now ?? new Date()).toISOString();
      // One round trip: the lateral join and the counts use the (instrument, produced_at) indexes, so the cost
      // grows with the fleet and today's results, not with the history.
      const res = await ctx.db.execute(sql`
        select i.id, i.site, i.state, i.state_at, i.state_reason, i.version, i.heartbeat_at,
               i.processed, i.failed, i.queued, i.outbox_depth,
               la.key as last_key, la.produced_at as last_at, la.sample as last_sample,
               la.experiment as last_experiment,
               (select count(*) from acquisitions a
                 where a.instrument_id = i.id and a.produced_at >= ${dayStart}::timestamptz) as results_today,
               (select count(*) from events e
                 where e.instrument_id = i.id and e.kind = 'failed' and e.at >= ${dayStart}::timestamptz)
                 as failures_today
        from instruments i
        left join lateral (
          select key, produced_at, sample, experiment from acquisitions a
          where a.instrument_id = i.id order by a.produced_at desc limit 1
        ) la on true
        order by i.id`);
      const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
      return rows.map((r) => ({
        id: String(r.id),
        site: (r.site as string | null) ?? null,
        state: String(r.state),
        stateAt: toDate(r.state_at),
        stateReason: (r.state_reason as string | null) ?? null,
        version: (r.version as string | null) ?? null,
        heartbeatAt: toDate(r.heartbeat_at),
        processed: toNum(r.processed),
        failed: toNum(r.failed),
        queued: toNum(r.queued),
        outboxDepth: toNum(r.outbox_depth),
        lastKey: (r.last_key as string | null) ?? null,
        lastAt: toDate(r.last_at),
        lastSample: (r.last_sample as string | null) ?? null,
        lastExperiment: (r.last_experiment as string | null) ?? null,
        resultsToday: Number(r.results_today ?? 0),
        failuresToday: Number(r.failures_today ?? 0),
      }));
    }),

  /** What the ingest has accepted and refused since the server started, and the latest refusals on record. */
  ingest: publicProcedure.query(async ({ ctx }) => {
    const recent = await ctx.db.select().from(rejectedMessages).orderBy(desc(rejectedMessages.at)).limit(20);
    return { counters: ctx.ingest ?? null, recent, dbKind: ctx.dbKind ?? null };
  }),
});
