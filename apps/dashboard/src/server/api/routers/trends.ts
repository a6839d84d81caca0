/**
 * Trends: one peak quantity over time, one series per sample or per instrument (e.g. a cheese's water, protein
 * and fat fractions over ripening days). Peaks are matched across acquisitions by their order along an axis
 * (shortest T2 first, say), because the rank by fraction changes as the sample changes.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { experimentSchema, instrumentIdSchema } from '@lapis/contracts';
import { dateInputSchema, textFilterSchema } from '../inputs';
import { createTRPCRouter, viewerProcedure } from '../trpc';
import { escapeLike } from '../../db/like';

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

/**
 * The ± of each quantity from the peaks' stored uncertainty: positions as decades (a range ×/÷ 10^u), the T1/T2
 * ratio as the two positions' uncertainties combined, the fraction as its spread; amplitude has none.
 */
const uncertaintyOf: Record<(typeof trendQuantities)[number], { sql: string; log: boolean } | undefined> = {
  fraction: { sql: 'p.fraction_sd', log: false },
  t1: { sql: 'p.t1_unc_decades', log: true },
  t2: { sql: 'p.t2_unc_decades', log: true },
  d: { sql: 'p.d_unc_decades', log: true },
  t1t2Ratio: { sql: 'sqrt(p.t1_unc_decades ^ 2 + p.t2_unc_decades ^ 2)', log: true },
  amplitude: undefined,
};

/** Most points one call returns (≈ 250 bytes each as JSON): a chart needs no more, and a response stays ≈ 1 MB. */
export const MAX_TREND_POINTS = 5000;

export const trendsInput = z.strictObject({
  quantity: z.enum(trendQuantities).default('fraction'),
  /** How peaks are numbered within an acquisition: by rank (largest first) or ascending along an axis. */
  orderBy: z.enum(peakOrders).default('t2'),
  /** Which peak in that order (0-based). */
  peak: z.number().int().min(0).max(20).default(0),
  groupBy: z.enum(['sample', 'instrument']).default('sample'),
  instrument: instrumentIdSchema.optional(),
  experiment: experimentSchema.optional(),
  /** Sample name prefix (e.g. `cheese-` for every cheese). */
  samplePrefix: textFilterSchema.optional(),
  from: dateInputSchema.optional(),
  to: dateInputSchema.optional(),
  limit: z.number().int().min(1).max(MAX_TREND_POINTS).default(MAX_TREND_POINTS),
});
export type TrendsInput = z.input<typeof trendsInput>;

export interface TrendPoint {
  group: string;
  at: Date;
  value: number;
  /** value ± its uncertainty (peaks[].uncertainty) as a range, when the result carried one. */
  lo?: number;
  hi?: number;
  key: string;
  instrumentId: string;
  sample: string | null;
}

export const trendsRouter = createTRPCRouter({
  series: viewerProcedure.input(trendsInput).query(async ({ ctx, input }): Promise<TrendPoint[]> => {
    const col = sql.raw(columnOf[input.quantity]);
    const unc = uncertaintyOf[input.quantity];
    const uncCol = sql.raw(unc ? unc.sql : 'null::float8');
    const order = input.orderBy === 'rank' ? sql.raw('p.rank') : sql.raw(`p.${input.orderBy} asc nulls last`);
    const group =
      input.groupBy === 'sample' ? sql.raw(`coalesce(a.sample, '(no sample)')`) : sql.raw('a.instrument_id');
    const filters = [sql`true`];
    if (input.instrument) filters.push(sql`a.instrument_id = ${input.instrument}`);
    if (input.experiment) filters.push(sql`a.experiment = ${input.experiment}`);
    if (input.samplePrefix) filters.push(sql`a.sample like ${escapeLike(input.samplePrefix) + '%'}`);
    if (input.from) filters.push(sql`a.produced_at >= ${input.from.toISOString()}::timestamptz`);
    if (input.to) filters.push(sql`a.produced_at <= ${input.to.toISOString()}::timestamptz`);
    const res = await ctx.db.execute(sql`
      with ranked as (
        select a.key, a.instrument_id, a.sample, a.produced_at, ${group} as grp, p.${col} as value, ${uncCol} as unc,
               row_number() over (partition by a.key order by ${order}) - 1 as n
        from acquisitions a join peaks p on p.acquisition_key = a.key
        where ${sql.join(filters, sql` and `)}
      )
      select key, instrument_id, sample, produced_at, grp, value, unc from ranked
      where n = ${input.peak} and value is not null
      order by produced_at asc
      limit ${input.limit}`);
    const rows = (res as unknown as { rows: Record<string, unknown>[] }).rows;
    return rows.map((r) => {
      const value = Number(r.value);
      const u = r.unc == null ? undefined : Number(r.unc);
      const range =
        u === undefined || !Number.isFinite(u) || !unc
          ? {}
          : unc.log
            ? { lo: value / 10 ** u, hi: value * 10 ** u }
            : { lo: value - u, hi: value + u };
      return {
        group: String(r.grp),
        at: r.produced_at instanceof Date ? r.produced_at : new Date(String(r.produced_at)),
        value,
        ...range,
        key: String(r.key),
        instrumentId: String(r.instrument_id),
        sample: (r.sample as string | null) ?? null,
      };
    });
  }),
});
