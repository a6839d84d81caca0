/** Alert incidents as the fleet page lists them; managers acknowledge them and mute an instrument for a time. */
import { TRPCError } from '@trpc/server';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { instrumentIdSchema } from '@lapis/contracts';
import { audit } from '../../audit/audit';
import { alertMutes, incidents } from '../../db/schema';
import { createTRPCRouter, managerProcedure, viewerProcedure } from '../trpc';

const kindSchema = z.string().regex(/^[a-z-]{1,40}$/, 'an incident kind (offline, failing, outbox, …)');

export const alertsRouter = createTRPCRouter({
  open: viewerProcedure.query(async ({ ctx }) => {
    const now = new Date();
    const [open, mutes] = await Promise.all([
      ctx.db.select().from(incidents).where(isNull(incidents.resolvedAt)).orderBy(desc(incidents.openedAt)).limit(200),
      ctx.db.select().from(alertMutes).where(gt(alertMutes.until, now)).orderBy(desc(alertMutes.until)),
    ]);
    return { incidents: open, mutes };
  }),

  acknowledge: managerProcedure
    .input(z.strictObject({ incidentId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      const rows = await ctx.db
        .update(incidents)
        .set({ acknowledgedAt: new Date(), acknowledgedBy: ctx.user.email })
        .where(and(eq(incidents.id, input.incidentId), isNull(incidents.acknowledgedAt)))
        .returning();
      const row = rows[0];
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such incident, or acknowledged already' });
      await audit(ctx.db, ctx.user, 'alert.acknowledge', `${row.instrumentId}/${row.kind}`, { incident: row.id });
      return { ok: true };
    }),

  mute: managerProcedure
    .input(
      z.strictObject({
        instrument: instrumentIdSchema,
        kind: kindSchema.optional(),
        hours: z
          .number()
          .min(0.25)
          .max(24 * 14),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const until = new Date(Date.now() + input.hours * 3600_000);
      const known = await ctx.db.query.instruments.findFirst({ where: (t, { eq: e }) => e(t.id, input.instrument) });
      if (!known) throw new TRPCError({ code: 'NOT_FOUND', message: `no instrument ${input.instrument}` });
      await ctx.db.insert(alertMutes).values({
        instrumentId: input.instrument,
        kind: input.kind ?? null,
        until,
        byEmail: ctx.user.email,
      });
      await audit(ctx.db, ctx.user, 'alert.mute', input.instrument, {
        kind: input.kind ?? 'all',
        until: until.toISOString(),
      });
      return { until };
    }),

  unmute: managerProcedure
    .input(z.strictObject({ muteId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      const rows = await ctx.db
        .update(alertMutes)
        .set({ until: new Date() })
        .where(and(eq(alertMutes.id, input.muteId), gt(alertMutes.until, new Date())))
        .returning();
      if (!rows[0]) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such mute, or over already' });
      await audit(ctx.db, ctx.user, 'alert.unmute', rows[0].instrumentId, { kind: rows[0].kind ?? 'all' });
      return { ok: true };
    }),
});
