/** Managers reprocess acquisitions from the dashboard (server/reprocess/reprocess.ts); everyone sees the requests. */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { experimentSchema, instrumentIdSchema, reprocessRequestSchema } from '@lapis/contracts';
import { MAX_REPROCESS_PATHS, recentRequests, reprocessTargets, sendReprocess } from '../../reprocess/reprocess';
import { dateInputSchema, keySchema, textFilterSchema } from '../inputs';
import { createTRPCRouter, managerProcedure, viewerProcedure } from '../trpc';

const methodSchema = reprocessRequestSchema.shape.method;

export const reprocessRouter = createTRPCRouter({
  request: managerProcedure
    .input(
      z.union([
        z.strictObject({ keys: z.array(keySchema).min(1).max(500), method: methodSchema }),
        z.strictObject({
          filter: z.strictObject({
            instrument: instrumentIdSchema,
            sample: textFilterSchema.optional(),
            experiment: experimentSchema.optional(),
            from: dateInputSchema.optional(),
            to: dateInputSchema.optional(),
          }),
          method: methodSchema,
        }),
      ]),
    )
    .mutation(async ({ ctx, input }) => {
      if (!ctx.publish) {
        throw new TRPCError({
          code: 'PRECONDITION_FAILED',
          message: 'reprocessing needs the dashboard connected to the broker (LAPIS_INGEST=on)',
        });
      }
      const targets = await reprocessTargets(ctx.db, input);
      const count = [...targets.values()].reduce((n, l) => n + l.length, 0);
      if (count === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'no acquisition matches' });
      if (count > MAX_REPROCESS_PATHS) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `more than ${MAX_REPROCESS_PATHS} acquisitions: narrow the filter (dates, sample)`,
        });
      }
      try {
        return await sendReprocess(ctx.db, ctx.publish, ctx.user, targets, input.method);
      } catch (err) {
        if (/not connected/.test((err as Error).message)) {
          throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'the broker is not reachable: try again' });
        }
        throw err;
      }
    }),

  recent: viewerProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => recentRequests(ctx.db, input.limit)),
});
