/**
 * Populations followed over time: the peaks of each sample's (or instrument's) acquisitions of one experiment, tracked
 * by position (server/populations/populationSeries.ts), with the names users gave them and each one's position,
 * fraction and width against time or sample age.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { instrumentIdSchema } from '@lapis/contracts';
import { AGE_UNITS, AGE_WORD } from '../../../lib/sampleAge';
import type { Thumbnail } from '../../../lib/thumbnail';
import { namesOf, experimentNameSchema } from '../../populations/names';
import {
  populationGroups,
  type PeakRow,
  type PopulationGroup,
  type PositionAxis,
} from '../../populations/populationSeries';
import { dateInputSchema, textFilterSchema } from '../inputs';
import { createTRPCRouter, viewerProcedure } from '../trpc';
import { escapeLike } from '../../db/like';

/** Most acquisitions one call follows (the newest, shown in time order). */
export const MAX_POPULATION_ACQUISITIONS = 2000;

export const populationsInput = z.strictObject({
  /** The experiment to follow (default: the one with the most acquisitions under the other filters). */
  experiment: experimentNameSchema.optional(),
  groupBy: z.enum(['sample', 'instrument']).default('sample'),
  instrument: instrumentIdSchema.optional(),
  /** Sample name prefix (e.g. `cheese-gouda` for every batch of that cheese). */
  samplePrefix: textFilterSchema.optional(),
  from: dateInputSchema.optional(),
  to: dateInputSchema.optional(),
  /** Largest step of a population from one acquisition to the next, decades. */
  radius: z.number().min(0.02).max(1).default(0.25),
  /** Acquisitions in a row a population may be missing from and still continue. */
  maxGap: z.number().int().min(0).max(10).default(2),
  /** The word before the sample's age in its folder or name (`day` in `cheese-A-day12`), and its unit. */
  ageWord: z.string().regex(AGE_WORD).default('day'),
  ageUnit: z.enum(Object.keys(AGE_UNITS) as [keyof typeof AGE_UNITS]).default('d'),
  limit: z.number().int().min(1).max(MAX_POPULATION_ACQUISITIONS).default(MAX_POPULATION_ACQUISITIONS),
});
export type PopulationsInput = z.input<typeof populationsInput>;

export interface PopulationsResult {
  experiment: string | null;
  /** Experiments under the filters (not the experiment's own), most acquisitions first. */
  experiments: { experiment: string; acquisitions: number }[];
  axes: PositionAxis[];
  groups: PopulationGroup[];
  /** More acquisitions matched than `limit`: the oldest were left out. */
  truncated: boolean;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const populationsRouter = createTRPCRouter({
  series: viewerProcedure.input(populationsInput).query(async ({ ctx, input }): Promise<PopulationsResult> => {
    const filters = [sql`a.peak_count > 0`];
    if (input.instrument) filters.push(sql`a.instrument_id = ${input.instrument}`);
    if (input.samplePrefix) filters.push(sql`a.sample like ${escapeLike(input.samplePrefix) + '%'}`);
    if (input.from) filters.push(sql`a.produced_at >= ${input.from.toISOString()}::timestamptz`);
    if (input.to) filters.push(sql`a.produced_at <= ${input.to.toISOString()}::timestamptz`);
    const where = sql.join(filters, sql` and `);
    const expRes = await ctx.db.execute(sql`
      select a.experiment, count(*)::int as n from acquisitions a
      where ${where} and a.experiment is not null
      group by a.experiment order by n desc, a.experiment asc limit 50`);
    const experiments = (expRes as unknown as { rows: { experiment: string; n: number }[] }).rows.map((r) => ({
      experiment: String(r.experiment),
      acquisitions: Number(r.n),
    }));
    const experiment = input.experiment ?? experiments[0]?.experiment ?? null;
    if (!experiment) return { experiment, experiments, axes: [], groups: [], truncated: false };
    const res = await ctx.db.execute(sql`
      with chosen as (
        select a.key, a.instrument_id, a.sample, a.path, a.produced_at from acquisitions a
        where ${where} and a.experiment = ${experiment}
        order by a.produced_at desc limit ${input.limit + 1}
      )
      select c.key, c.instrument_id, c.sample, c.path, c.produced_at, p.rank, p.fraction, p.fraction_sd,
             p.t1, p.t2, p.t2b, p.d, p.shift, p.t1_unc_decades, p.t2_unc_decades, p.t2b_unc_decades,
             p.d_unc_decades, p.t1_width_decades, p.t2_width_decades, p.d_width_decades
      from chosen c join peaks p on p.acquisition_key = c.key
      order by c.produced_at asc, c.key, p.rank`);
    const raw = (res as unknown as { rows: Record<string, unknown>[] }).rows;
    const keys = [...new Set(raw.map((r) => String(r.key)))];
    const truncated = keys.length > input.limit;
    // the newest `limit` acquisitions: drop the oldest one the query fetched to tell truncation
    const dropped = truncated ? keys[0] : undefined;
    const rows: PeakRow[] = raw
      .filter((r) => String(r.key) !== dropped)
      .map((r) => ({
        key: String(r.key),
        instrumentId: String(r.instrument_id),
        sample: (r.sample as string | null) ?? null,
        path: String(r.path),
        producedAt: r.produced_at instanceof Date ? r.produced_at : new Date(String(r.produced_at)),
        rank: Number(r.rank),
        fraction: Number(r.fraction),
        fractionSd: num(r.fraction_sd),
        position: { T1: num(r.t1), T2: num(r.t2), T2b: num(r.t2b), D: num(r.d), shift: num(r.shift) },
        uncDecades: {
          T1: num(r.t1_unc_decades),
          T2: num(r.t2_unc_decades),
          T2b: num(r.t2b_unc_decades),
          D: num(r.d_unc_decades),
        },
        widthDecades: { T1: num(r.t1_width_decades), T2: num(r.t2_width_decades), D: num(r.d_width_decades) },
      }));
    const names = await namesOf(ctx.db, experiment);
    const { axes, groups } = populationGroups(rows, names, input);
    // The small multiples' pictures (2D maps only), in one query for every series.
    const pictured = axes.length === 2 ? groups.flatMap((g) => g.snapshots.map((snap) => snap.key)) : [];
    if (pictured.length > 0) {
      const pics = await ctx.db.execute(
        sql`select key, thumbnail from acquisitions where key in (${sql.join(
          pictured.map((k) => sql`${k}`),
          sql`, `,
        )}) and thumbnail is not null`,
      );
      const byKey = new Map(
        (pics as unknown as { rows: { key: string; thumbnail: Thumbnail | null }[] }).rows.map((r) => [
          String(r.key),
          r.thumbnail,
        ]),
      );
      for (const g of groups)
        for (const snap of g.snapshots) {
          const t = byKey.get(snap.key);
          if (t && t.kind === 'map') snap.thumbnail = t;
        }
    }
    return { experiment, experiments, axes, groups, truncated };
  }),
});
