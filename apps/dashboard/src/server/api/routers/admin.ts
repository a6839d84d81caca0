/**
 * Admins' procedures: the people who may sign in, their roles, and the audit log. Every change is audited.
 */
import { TRPCError } from '@trpc/server';
import { asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { audit, auditEntries } from '../../audit/audit';
import { createAccount } from '../../auth/accounts';
import { ROLES } from '../../auth/roles';
import { authSessions, authUsers } from '../../db/schema';
import { adminProcedure, createTRPCRouter } from '../trpc';
import { textFilterSchema } from '../inputs';

const emailSchema = z.string().trim().toLowerCase().email().max(254);
/** Account ids as better-auth and createAccount make them (letters, digits, hyphens). */
const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a user id');

export const adminRouter = createTRPCRouter({
  users: adminProcedure.query(async ({ ctx }) =>
    ctx.db
      .select({
        id: authUsers.id,
        email: authUsers.email,
        name: authUsers.name,
        role: authUsers.role,
        createdAt: authUsers.createdAt,
      })
      .from(authUsers)
      .orderBy(asc(authUsers.email)),
  ),

  addUser: adminProcedure
    .input(
      z.strictObject({
        email: emailSchema,
        name: textFilterSchema.pipe(z.string().trim().max(100)).optional(),
        role: z.enum(ROLES),
        password: z.string().min(10, 'at least 10 characters').max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const r = await createAccount(ctx.db, input);
      if (r === 'exists') throw new TRPCError({ code: 'CONFLICT', message: `${input.email} has an account already` });
      await audit(ctx.db, ctx.user, 'user.add', input.email, { role: input.role });
      return r;
    }),

  setRole: adminProcedure
    .input(z.strictObject({ userId: userIdSchema, role: z.enum(ROLES) }))
    .mutation(async ({ ctx, input }) => {
      const [u] = await ctx.db.select().from(authUsers).where(eq(authUsers.id, input.userId));
      if (!u) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });
      if (u.role === 'admin' && input.role !== 'admin') {
        const [admins] = await ctx.db.select({ n: count() }).from(authUsers).where(eq(authUsers.role, 'admin'));
        if ((admins?.n ?? 0) <= 1)
          throw new TRPCError({ code: 'BAD_REQUEST', message: 'the last admin keeps the admin role' });
      }
      await ctx.db.update(authUsers).set({ role: input.role, updatedAt: new Date() }).where(eq(authUsers.id, u.id));
      await audit(ctx.db, ctx.user, 'user.role', u.email, { from: u.role, to: input.role });
      return { ok: true };
    }),

  removeUser: adminProcedure.input(z.strictObject({ userId: userIdSchema })).mutation(async ({ ctx, input }) => {
    if (input.userId === ctx.user.id)
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'you cannot remove yourself' });
    const [u] = await ctx.db.select().from(authUsers).where(eq(authUsers.id, input.userId));
    if (!u) throw new TRPCError({ code: 'NOT_FOUND', message: 'no such user' });
    if (u.role === 'admin') {
      const [admins] = await ctx.db.select({ n: count() }).from(authUsers).where(eq(authUsers.role, 'admin'));
      if ((admins?.n ?? 0) <= 1)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'the last admin cannot be removed' });
    }
    // Sessions and accounts go with the user (on delete cascade): signed out everywhere at once.
    await ctx.db.delete(authSessions).where(eq(authSessions.userId, u.id));
    await ctx.db.delete(authUsers).where(eq(authUsers.id, u.id));
    await audit(ctx.db, ctx.user, 'user.remove', u.email);
    return { ok: true };
  }),

  audit: adminProcedure
    .input(
      z
        .strictObject({
          limit: z.number().int().min(1).max(500).default(100),
          before: z.number().int().positive().optional(),
        })
        .default({ limit: 100 }),
    )
    .query(({ ctx, input }) => auditEntries(ctx.db, input)),
});
