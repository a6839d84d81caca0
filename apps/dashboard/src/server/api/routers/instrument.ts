/** Instrument: one instrument's state, its recent acquisitions (filterable) and the series behind its sparkline. */
import { TRPCError } from '@trpc/server';
import { and, desc, eq, gte, ilike, sql } from 'drizzle-orm';
import { z } from 'zod';
import { experimentSchema, instrumentIdSchema } from '@lapis/contracts';
import { acquisitions, events, instruments } from '../../db/schema';
import { dateInputSchema, textFilterSchema } from '../inputs';
import { createTRPCRouter, viewerProcedure } from '../trpc';
import { escapeLike } from '../../db/like';

export const instrumentRouter = createTRPCRouter({
  get: viewerProcedure.input(z.strictObject({ id: instrumentIdSchema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select().from(instruments).where(eq(instruments.id, input.id));
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no instrument ${input.id}` });
    const recentEvents = await ctx.db
      .select()
      .from(events)
      .where(eq(events.instrumentId, input.id))
      .orderBy(desc(events.at))
      .limit(20);
    const facets = await ctx.db
      .selectDistinct({ experiment: acquisitions.experiment })
      .from(acquisitions)
      .where(eq(acquisitions.instrumentId, input.id));
    return { instrument: row, events: recentEvents, experiments: facets.map((f) => f.experiment).filter(Boolean) };
  }),

  acquisitions: viewerProcedure
    .input(
      z.strictObject({
        id: instrumentIdSchema,
        experiment: experimentSchema.optional(),
        /** Case-insensitive substring of the sample name. */
        sample: textFilterSchema.optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where = [eq(acquisitions.instrumentId, input.id)];
      if (input.experiment) where.push(eq(acquisitions.experiment, input.experiment));
      if (input.sample) where.push(ilike(acquisitions.sample, `%${escapeLike(input.sample)}%`));
      return ctx.db
        .select({
          key: acquisitions.key,
          path: acquisitions.path,
          sample: acquisitions.sample,
          experiment: acquisitions.experiment,
          method: acquisitions.method,
          producedAt: acquisitions.producedAt,
          relativeResidual: acquisitions.relativeResidual,
          peakCount: acquisitions.peakCount,
          historical: acquisitions.historical,
          // The largest peak, for the list and the sparkline, without shipping whole documents.
          topFraction: sql<
            number | null
          >`(select fraction from peaks p where p.acquisition_key = ${acquisitions.key} and p.rank = 0)`,
          topT2: sql<
            number | null
          >`(select t2 from peaks p where p.acquisition_key = ${acquisitions.key} and p.rank = 0)`,
        })
        .from(acquisitions)
        .where(and(...where))
        .orderBy(desc(acquisitions.producedAt))
        .limit(input.limit);
    }),

  /** Results per UTC day over the last `days` days: the instrument's throughput sparkline. */
  daily: viewerProcedure
    .input(
      z.strictObject({
        id: instrumentIdSchema,
        days: z.number().int().min(1).max(365).default(14),
        now: dateInputSchema.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const now = input.now ?? new Date();
      const since = new Date(Date.parse(now.toISOString().slice(0, 10)) - (input.days - 1) * 86_400_000);
      const rows = await ctx.db
        .select({
          day: sql<string>`to_char(date_trunc('day', ${acquisitions.producedAt} at time zone 'UTC'), 'YYYY-MM-DD')`,
          n: sql<number>`count(*)::int`,
        })
        .from(acquisitions)
        .where(and(eq(acquisitions.instrumentId, input.id), gte(acquisitions.producedAt, since)))
        .groupBy(sql`1`)
        .orderBy(sql`1`);
      // Every day of the window, zeros included, so the bars keep their places on the time axis.
      const counts = new Map(rows.map((r) => [r.day, Number(r.n)]));
      return Array.from({ length: input.days }, (_, i) => {
        const day = new Date(now.getTime() - (input.days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
        return { day, n: counts.get(day) ?? 0 };
      });
    }),
});
