/** Quality control: references (managers designate and retire them) and their control charts (everyone). */
import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { experimentSchema, instrumentIdSchema } from '@lapis/contracts';
import { audit } from '../../audit/audit';
import { qcReferences } from '../../db/schema';
import { activeReferences, qcSeries } from '../../qc/qc';
import { QC_QUANTITIES } from '../../../lib/qcQuantity';
import { textFilterSchema } from '../inputs';
import { createTRPCRouter, managerProcedure, viewerProcedure } from '../trpc';

export const qcRouter = createTRPCRouter({
  /** Every active reference with its series (limits, points, rules). */
  charts: viewerProcedure.query(async ({ ctx }) => {
    const refs = await activeReferences(ctx.db);
    return Promise.all(refs.map((r) => qcSeries(ctx.db, r)));
  }),

  create: managerProcedure
    .input(
      z.strictObject({
        name: textFilterSchema.pipe(z.string().trim().min(1).max(80)),
        samplePrefix: textFilterSchema.pipe(z.string().trim().min(1).max(100)),
        instrument: instrumentIdSchema.optional(),
        experiment: experimentSchema.optional(),
        quantity: z.enum(QC_QUANTITIES),
        baselineCount: z.number().int().min(5).max(200).default(20),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .insert(qcReferences)
        .values({
          name: input.name,
          samplePrefix: input.samplePrefix,
          instrumentId: input.instrument ?? null,
          experiment: input.experiment ?? null,
          quantity: input.quantity,
          baselineCount: input.baselineCount,
          createdBy: ctx.user.email,
        })
        .returning()
        .catch((err: unknown) => {
          // the one constraint a valid input can break: an instrument never heard of
          if (/foreign key/i.test(String((err as { cause?: Error }).cause?.message ?? err)))
            throw new TRPCError({ code: 'NOT_FOUND', message: `no instrument ${input.instrument}` });
          throw err;
        });
      await audit(ctx.db, ctx.user, 'qc.designate', input.name, {
        samplePrefix: input.samplePrefix,
        instrument: input.instrument ?? 'any',
        quantity: input.quantity,
        baseline: input.baselineCount,
      });
      return { id: row!.id };
    }),

  retire: managerProcedure
    .input(z.strictObject({ id: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      const rows = await ctx.db
        .update(qcReferences)
        .set({ retiredAt: new Date() })
        .where(and(eq(qcReferences.id, input.id), isNull(qcReferences.retiredAt)))
        .returning();
      if (!rows[0]) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such reference, or retired already' });
      await audit(ctx.db, ctx.user, 'qc.retire', rows[0].name);
      return { ok: true };
    }),
});
