/**
 * Acquisition: one stored result — its document (map, marginals, fit), the measured decays against the fit with
 * residuals (when the producer included them), peak table and provenance.
 */
import { TRPCError } from '@trpc/server';
import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ResultDoc, MqttProvenance } from '@lapis/contracts';
import { marginals } from '@lapis/physics';
import { decayViews } from '../../../lib/decays';
import { acquisitions, peaks } from '../../db/schema';
import { createTRPCRouter, viewerProcedure } from '../trpc';
import { keySchema } from '../inputs';

export const acquisitionRouter = createTRPCRouter({
  get: viewerProcedure.input(z.strictObject({ key: keySchema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select().from(acquisitions).where(eq(acquisitions.key, input.key));
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no acquisition ${input.key}` });
    const peakRows = await ctx.db
      .select()
      .from(peaks)
      .where(eq(peaks.acquisitionKey, input.key))
      .orderBy(asc(peaks.rank));
    const document = row.document as ResultDoc;
    return {
      ...row,
      marginals: projections(document),
      decays: decayViews(document),
      document,
      provenance: row.provenance as MqttProvenance,
      reduced: row.reduced as { reason: string; from: number[]; to: number[] } | null,
      peaks: peakRows,
    };
  }),

  /** Every result of the same acquisition (the folder on its instrument), newest first: the versions to compare. */
  versions: viewerProcedure.input(z.strictObject({ key: keySchema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db
      .select({ instrumentId: acquisitions.instrumentId, path: acquisitions.path })
      .from(acquisitions)
      .where(eq(acquisitions.key, input.key));
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no acquisition ${input.key}` });
    return ctx.db
      .select({
        key: acquisitions.key,
        method: acquisitions.method,
        producedAt: acquisitions.producedAt,
        reprocessed: acquisitions.reprocessed,
        requestedBy: acquisitions.requestedBy,
        peakCount: acquisitions.peakCount,
        relativeResidual: acquisitions.relativeResidual,
      })
      .from(acquisitions)
      .where(and(eq(acquisitions.instrumentId, row.instrumentId), eq(acquisitions.path, row.path)))
      .orderBy(desc(acquisitions.producedAt))
      .limit(50);
  }),
});

export interface Projection {
  axis: string;
  values: number[];
  amplitude: number[];
}

/** The distribution along each axis: the map's row and column sums for 2D, the distribution itself for 1D. */
export function projections(doc: ResultDoc): Projection[] {
  const [a0, a1] = doc.axes;
  if (!a0) return [];
  if (!a1) return [{ axis: a0.name, values: a0.values, amplitude: doc.distribution as number[] }];
  const rows = doc.distribution as number[][];
  const m = marginals(Float64Array.from(rows.flat()), a0.values.length, a1.values.length);
  return [
    { axis: a0.name, values: a0.values, amplitude: Array.from(m.axis0) },
    { axis: a1.name === a0.name ? `${a1.name}_2` : a1.name, values: a1.values, amplitude: Array.from(m.axis1) },
  ];
}
