/**
 * The dashboard's roles, each including the one before: a viewer reads everything; a manager also reprocesses,
 * names populations, acknowledges and mutes alerts, designates QC samples; an admin also manages users and reads
 * the audit log.
 */
export const ROLES = ['viewer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` (as stored: anything unknown counts as no role) grants what `needed` requires. */
export function roleAtLeast(role: unknown, needed: Role): boolean {
  return isRole(role) && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The signed-in person a request acts for. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** In-process callers that act for the dashboard itself (the alert service, benchmarks): all rights, no person. */
export const SYSTEM_USER: SessionUser = { id: 'system', email: 'system', name: 'Lapis (system)', role: 'admin' };
