/**
 * Fleet: every instrument with its state, last acquisition (and its picture), last spectrum, today's counts, the
 * agent's queue depths, the trend of its recent results, and whether it needs attention — those first.
 */
import { desc, sql } from 'drizzle-orm';
import { z } from 'zod';
import { fleetHealth, HEALTH_ORDER, type Health } from '../../../lib/fleetHealth';
import { thumbnailOf, type Thumbnail } from '../../../lib/thumbnail';
import { rejectedMessages } from '../../db/schema';
import { latestSpectra, type LatestSpectrum } from '../../spectra/latestSpectra';
import { dateInputSchema } from '../inputs';
import { createTRPCRouter, viewerProcedure } from '../trpc';

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
  /** Kind of the latest `finished` or `failed` event. */
  lastOutcome: 'finished' | 'failed' | null;
  /** The last result's map or distribution, small (lib/thumbnail.ts). */
  thumbnail: Thumbnail | null;
  /**
   * The fraction-weighted geometric mean of the peak positions along `axis` (T2 where the experiment has one, else
   * D or T1) of the last results of the last acquisition's sample and experiment, oldest first: a sparkline of what
   * it is measuring now (an instrument alternating two samples would otherwise zig-zag between them).
   */
  trend: { axis: 'T2' | 'D' | 'T1'; experiment: string; points: { at: Date; value: number }[] } | null;
  /** The latest spectrum (¹H, ¹³C …) with its sparkline; null when the instrument has sent none. */
  spectrum: LatestSpectrum | null;
  health: Health;
}

/** Results in an instrument's sparkline. */
export const TREND_POINTS = 30;

/** Midnight UTC of `now`: "today" is the UTC day, the same for every viewer. */
export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const toDate = (v: unknown): Date | null => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
const toNum = (v: unknown): number | null => (v == null ? null : Number(v));

/** The axis the fleet's sparkline follows for an experiment: T2 where it has one (the SQL takes t2 first), else D or T1. */
function trendAxis(experiment: string): 'T2' | 'D' | 'T1' {
  return experiment.includes('T2') ? 'T2' : experiment.includes('D') ? 'D' : 'T1';
}

export const fleetRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.strictObject({ now: dateInputSchema.optional() }).optional())
    .query(async ({ ctx, input }): Promise<FleetRow[]> => {
      const dayStart = utcDayStart(input?.now ?? new Date()).toISOString();
      const now = input?.now ?? new Date();
      // the latest spectrum of each instrument that sends spectra (one more indexed query, server/spectra)
      const spectraByInstrument = new Map(
        (await latestSpectra(ctx.db, new Date(dayStart))).map((l) => [l.instrumentId, l]),
      );
      // One round trip: the lateral join and the counts use the (instrument, produced_at) indexes, so the cost
      // grows with the fleet and today's results, not with the history.
      const res = await ctx.db.execute(sql`
        select i.id, i.site, i.state, i.state_at, i.state_reason, i.version, i.heartbeat_at,
               i.processed, i.failed, i.queued, i.outbox_depth,
               la.key as last_key, la.produced_at as last_at, la.sample as last_sample,
               la.experiment as last_experiment, la.thumbnail as last_thumbnail,
               (la.key is not null and la.thumbnail is null) as thumbnail_missing,
               (select count(*) from acquisitions a
                 where a.instrument_id = i.id and a.produced_at >= ${dayStart}::timestamptz) as results_today,
               (select count(*) from events e
                 where e.instrument_id = i.id and e.kind = 'failed' and e.at >= ${dayStart}::timestamptz)
                 as failures_today,
               (select e.kind from events e
                 where e.instrument_id = i.id and e.kind in ('finished', 'failed') order by e.at desc limit 1)
                 as last_outcome,
               tr.points as trend
        from instruments i
        left join lateral (
          select key, produced_at, sample, experiment, thumbnail from acquisitions a
          where a.instrument_id = i.id order by a.produced_at desc limit 1
        ) la on true
        left join lateral (
          select json_agg(json_build_object('at', r.produced_at, 'v', r.v) order by r.produced_at) as points
          from (
            select a.produced_at,
                   (select sum(p.fraction * log(coalesce(p.t2, p.d, p.t1))) / nullif(sum(p.fraction), 0)
                      from peaks p where p.acquisition_key = a.key and coalesce(p.t2, p.d, p.t1) > 0) as v
            from acquisitions a
            where a.instrument_id = i.id and a.experiment = la.experiment and a.sample is not distinct from la.sample
            order by a.produced_at desc limit ${TREND_POINTS}
          ) r where r.v is not null
        ) tr on true
        order by i.id`);
      const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
      // Results stored before thumbnails existed get theirs on first view (only the last one per instrument).
      const missing = rows.filter((r) => r.thumbnail_missing === true).map((r) => String(r.last_key));
      const filled = new Map<string, Thumbnail | null>();
      if (missing.length > 0) {
        const docs = await ctx.db.execute(
          sql`select key, document from acquisitions where key in (${sql.join(
            missing.map((k) => sql`${k}`),
            sql`, `,
          )})`,
        );
        for (const d of (docs as unknown as { rows: { key: string; document: unknown }[] }).rows) {
          const doc = typeof d.document === 'string' ? JSON.parse(d.document) : d.document;
          const t = thumbnailOf(doc as Parameters<typeof thumbnailOf>[0]);
          filled.set(String(d.key), t);
          // JSON null where there is no picture, so that this is done once
          await ctx.db.execute(
            sql`update acquisitions set thumbnail = ${JSON.stringify(t)}::jsonb where key = ${String(d.key)}`,
          );
        }
      }
      const list = rows.map((r): FleetRow => {
        const lastKey = (r.last_key as string | null) ?? null;
        const experiment = (r.last_experiment as string | null) ?? null;
        const outcome = r.last_outcome === 'failed' || r.last_outcome === 'finished' ? r.last_outcome : null;
        const points = Array.isArray(r.trend)
          ? (r.trend as { at: string; v: number }[]).map((p) => ({ at: new Date(p.at), value: 10 ** Number(p.v) }))
          : typeof r.trend === 'string'
            ? (JSON.parse(r.trend) as { at: string; v: number }[]).map((p) => ({
                at: new Date(p.at),
                value: 10 ** Number(p.v),
              }))
            : [];
        const row = {
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
          lastKey,
          lastAt: toDate(r.last_at),
          lastSample: (r.last_sample as string | null) ?? null,
          lastExperiment: experiment,
          resultsToday: Number(r.results_today ?? 0),
          failuresToday: Number(r.failures_today ?? 0),
          lastOutcome: outcome as FleetRow['lastOutcome'],
          thumbnail: (r.last_thumbnail as Thumbnail | null) ?? (lastKey ? (filled.get(lastKey) ?? null) : null),
          trend: experiment && points.length > 0 ? { axis: trendAxis(experiment), experiment, points } : null,
          spectrum: spectraByInstrument.get(String(r.id)) ?? null,
        };
        return { ...row, health: fleetHealth(row, now) };
      });
      return list.sort(
        (a, b) => HEALTH_ORDER[a.health.level] - HEALTH_ORDER[b.health.level] || a.id.localeCompare(b.id),
      );
    }),

  /** What the ingest has accepted and refused since the server started, and the latest refusals on record. */
  ingest: viewerProcedure.query(async ({ ctx }) => {
    const recent = await ctx.db.select().from(rejectedMessages).orderBy(desc(rejectedMessages.at)).limit(20);
    return { counters: ctx.ingest ?? null, recent, dbKind: ctx.dbKind ?? null };
  }),
});
