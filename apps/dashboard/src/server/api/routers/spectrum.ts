/**
 * Spectra: one stored spectrum whole (its document: the spectrum, peaks, processing), an instrument's recent ones
 * as list rows, and each instrument's latest for the fleet. Viewers may read all of it, as for acquisitions.
 */
import { TRPCError } from '@trpc/server';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { instrumentIdSchema } from '@lapis/contracts';
import type { MqttProvenance } from '@lapis/contracts';
import { spectra } from '../../db/schema';
import { latestSpectra } from '../../spectra/latestSpectra';
import { utcDayStart } from './fleet';
import { dateInputSchema, keySchema } from '../inputs';
import { createTRPCRouter, viewerProcedure } from '../trpc';

const ppmRangeSchema = z
  .tuple([z.number().finite(), z.number().finite()])
  .refine(([lo, hi]) => lo < hi, 'a ppm range [low, high]');

export const spectrumRouter = createTRPCRouter({
  byKey: viewerProcedure.input(z.strictObject({ key: keySchema })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select().from(spectra).where(eq(spectra.key, input.key));
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no spectrum ${input.key}` });
    // the document is read by lib/spectrumDocument.ts, which trusts no field of it
    return { ...row, document: row.document as unknown, provenance: row.provenance as MqttProvenance };
  }),

  /**
   * A stretch of a stored spectrum at full resolution, asked of the agent that processed it (1D: `shift`; 2D:
   * `shift1`, `shift2`, ppm). `{ error }` when it cannot be had (agent offline, spectrum no longer kept, no broker):
   * the viewer then keeps the transported spectrum.
   */
  region: viewerProcedure
    .input(
      z.strictObject({
        key: keySchema,
        shift: ppmRangeSchema.optional(),
        shift1: ppmRangeSchema.optional(),
        shift2: ppmRangeSchema.optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .select({ instrumentId: spectra.instrumentId })
        .from(spectra)
        .where(eq(spectra.key, input.key));
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: `no spectrum ${input.key}` });
      if (!ctx.regions) return { error: 'the dashboard has no broker connection (LAPIS_INGEST is off)' };
      return ctx.regions.request({ instrument: row.instrumentId, ...input });
    }),

  /** An instrument's latest spectra, newest first, without their documents. */
  recent: viewerProcedure
    .input(
      z.strictObject({
        instrumentId: instrumentIdSchema,
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.db
        .select({
          key: spectra.key,
          path: spectra.path,
          sample: spectra.sample,
          nucleus: spectra.nucleus,
          pulseProgram: spectra.pulseProgram,
          solvent: spectra.solvent,
          dimensions: spectra.dimensions,
          producedAt: spectra.producedAt,
          peakCount: spectra.peakCount,
          historical: spectra.historical,
          reprocessed: spectra.reprocessed,
        })
        .from(spectra)
        .where(eq(spectra.instrumentId, input.instrumentId))
        .orderBy(desc(spectra.producedAt))
        .limit(input.limit),
    ),

  /** Each instrument's latest spectrum (instruments without one are left out), with its thumbnail and today's count. */
  latest: viewerProcedure
    .input(z.strictObject({ now: dateInputSchema.optional() }).optional())
    .query(({ ctx, input }) => latestSpectra(ctx.db, utcDayStart(input?.now ?? new Date()))),
});
