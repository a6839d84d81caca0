/**
 * The audit log: who did what, when (schema `audit_log`, append-only by a database trigger). Actions are dotted
 * names (`auth.sign-in`, `reprocess.request`, `alert.acknowledge`, `user.role`, …); `detail` is small JSON.
 */
import { desc, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, type AuditRow } from '../db/schema';

export interface Actor {
  id: string;
  email: string;
}

export async function audit(
  db: Db,
  actor: Actor | undefined,
  action: string,
  target?: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await db.insert(auditLog).values({
    actorId: actor && actor.id !== 'system' ? actor.id : null,
    actorEmail: actor?.email ?? null,
    action,
    target: target ?? null,
    detail: detail ?? null,
  });
}

/** The newest `limit` entries, older than `before` (an id) when paging back. */
export async function auditEntries(db: Db, opts: { limit: number; before?: number }): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(opts.before ? lt(auditLog.id, opts.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}
