/**
 * Local accounts written directly in better-auth's tables (a user row and a `credential` account holding the
 * argon2id hash): the first admin from the environment, the demo's admin, people an admin adds on /admin.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { authAccounts, authUsers } from '../db/schema';
import { hashPassword } from './auth';
import type { Role } from './roles';

export interface NewAccount {
  email: string;
  name?: string;
  role: Role;
  password: string;
}

/** Creates the account, or says why not (`exists`). E-mail addresses are compared lower-cased, as better-auth does. */
export async function createAccount(db: Db, a: NewAccount): Promise<{ id: string } | 'exists'> {
  const email = a.email.trim().toLowerCase();
  const [existing] = await db.select({ id: authUsers.id }).from(authUsers).where(eq(authUsers.email, email));
  if (existing) return 'exists';
  const id = randomUUID();
  const hash = await hashPassword(a.password);
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.insert(authUsers).values({
      id,
      email,
      name: a.name?.trim() || email.split('@')[0]!,
      emailVerified: true,
      role: a.role,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(authAccounts).values({
      id: randomUUID(),
      accountId: id,
      providerId: 'credential',
      userId: id,
      password: hash,
      createdAt: now,
      updatedAt: now,
    });
  });
  return { id };
}

/** Sets a local account's password (creating its credential entry for someone who so far only used SSO). */
export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  const now = new Date();
  const updated = await db
    .update(authAccounts)
    .set({ password: hash, updatedAt: now })
    .where(and(eq(authAccounts.userId, userId), eq(authAccounts.providerId, 'credential')))
    .returning({ id: authAccounts.id });
  if (updated.length === 0) {
    await db.insert(authAccounts).values({
      id: randomUUID(),
      accountId: userId,
      providerId: 'credential',
      userId,
      password: hash,
      createdAt: now,
      updatedAt: now,
    });
  }
}

/** The first admin from LAPIS_ADMIN_EMAIL / LAPIS_ADMIN_PASSWORD: created once; an existing account is left as it is. */
export async function ensureBootstrapAdmin(db: Db, email: string, password: string): Promise<'created' | 'exists'> {
  const r = await createAccount(db, { email, password, role: 'admin', name: 'Administrator' });
  return r === 'exists' ? 'exists' : 'created';
}

export const DEMO_ADMIN_EMAIL = 'demo-admin@lapis.invalid';

/** The demo's admin, whose password is made afresh at each start and never shown: only the one-time link signs in. */
export async function ensureDemoAdmin(db: Db, password: string): Promise<void> {
  const r = await createAccount(db, { email: DEMO_ADMIN_EMAIL, password, role: 'admin', name: 'Demo admin' });
  if (r === 'exists') {
    const [u] = await db.select({ id: authUsers.id }).from(authUsers).where(eq(authUsers.email, DEMO_ADMIN_EMAIL));
    await setPassword(db, u!.id, password);
  }
}
