/**
 * Trends: one peak quantity over time, one series per sample or per instrument (e.g. a cheese's water, protein
 * and fat fractions over ripening days). Peaks are matched across acquisitions by their order along an axis
 * (shortest T2 first, say), because the rank by fraction changes as the sample changes.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { experimentSchema, instrumentIdSchema } from '@lapis/contracts';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const trendQuantities = ['fraction', 't1', 't2', 'd', 't1t2Ratio', 'amplitude'] as const;
export const peakOrders = ['rank', 't2', 't1', 'd'] as const;

const columnOf: Record<(typeof trendQuantities)[number], string> = {
  fraction: 'fraction',
  t1: 't1',
  t2: 't2',
  d: 'd',
  t1t2Ratio: 't1t2_ratio',
  amplitude: 'amplitude',
};

export const trendsInput = z.object({
  quantity: z.enum(trendQuantities).default('fraction'),
  /** How peaks are numbered within an acquisition: by rank (largest first) or ascending along an axis. */
  orderBy: z.enum(peakOrders).default('t2'),
  /** Which peak in that order (0-based). */
  peak: z.number().int().min(0).max(20).default(0),
  groupBy: z.enum(['sample', 'instrument']).default('sample'),
  instrument: instrumentIdSchema.optional(),
  experiment: experimentSchema.optional(),
  /** Sample name prefix (e.g. `cheese-` for every cheese). */
  samplePrefix: z.string().max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  limit: z.number().int().min(1).max(50_000).default(5000),
});
export type TrendsInput = z.input<typeof trendsInput>;

export interface TrendPoint {
  group: string;
  at: Date;
  value: number;
  key: string;
  instrumentId: string;
  sample: string | null;
}

export const trendsRouter = createTRPCRouter({
  series: publicProcedure.input(trendsInput).query(async ({ ctx, input }): Promise<TrendPoint[]> => {
    const col = sql.raw(columnOf[input.quantity]);
    const order = input.orderBy === 'rank' ? sql.raw('p.rank') : sql.raw(`p.${input.orderBy} asc nulls last`);
    const group =
      input.groupBy === 'sample' ? sql.raw(`coalesce(a.sample, '(no sample)')`) : sql.raw('a.instrument_id');
    const filters = [sql`true`];
    if (input.instrument) filters.push(sql`a.instrument_id = ${input.instrument}`);
    if (input.experiment) filters.push(sql`a.experiment = ${input.experiment}`);
    if (input.samplePrefix) filters.push(sql`a.sample like ${input.samplePrefix.replace(/[%_\\]/g, '\\$&') + '%'}`);
    if (input.from) filters.push(sql`a.produced_at >= ${input.from.toISOString()}::timestamptz`);
    if (input.to) filters.push(sql`a.produced_at <= ${input.to.toISOString()}::timestamptz`);
    const res = await ctx.db.execute(sql`
      with ranked as (
        select a.key, a.instrument_id, a.sample, a.produced_at, ${group} as grp, p.${col} as value,
               row_number() over (partition by a.key order by ${order}) - 1 as n
        from acquisitions a join peaks p on p.acquisition_key = a.key
        where ${sql.join(filters, sql` and `)}
      )
      select key, instrument_id, sample, produced_at, grp, value from ranked
      where n = ${input.peak} and value is not null
      order by produced_at asc
      limit ${input.limit}`);
    const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
    return rows.map((r) => ({
      group: String(r.grp),
      at: r.produced_at instanceof Date ? r.produced_at : new Date(String(r.produced_at)),
      value: Number(r.value),
      key: String(r.key),
      instrumentId: String(r.instrument_id),
      sample: (r.sample as string | null) ?? null,
    }));
  }),
});
