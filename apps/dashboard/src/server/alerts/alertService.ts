/**
 * Alerts: every `intervalMs` the fleet's health (lib/fleetHealth.ts, as the fleet page shows it) is turned into
 * incidents — one per instrument and kind of trouble, opened when first seen and resolved when gone — and a webhook
 * is told once when an incident opens and once when it is resolved, never per message. The payload is generic JSON
 * (`format: 'lapis-alert/1'`) with a `text` line that Slack and Microsoft Teams incoming webhooks show as is.
 *
 * Several dashboard processes may run this together: the partial unique index on open incidents lets one of them
 * open an incident, `resolved_at is null` lets one resolve it, and a notification is claimed (its time set) before it
 * is sent and released when sending fails, so the next tick tries again and nobody sends it twice.
 */
import { and, eq, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { ChangeBus } from '../bus';
import type { Db } from '../db/client';
import { incidents, type IncidentRow } from '../db/schema';
import { createCaller } from '../api/root';
import { SYSTEM_USER } from '../auth/roles';

export interface AlertLogger {
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export interface AlertOptions {
  db: Db;
  /** Where to POST notifications (none: incidents are recorded, nobody is told). */
  webhookUrl?: string;
  /** Between evaluations, ms (default 30 s; 0: no timer, call `tick` yourself). */
  intervalMs?: number;
  /** The dashboard's public address, for links in the notifications. */
  publicUrl?: string;
  logger?: AlertLogger;
  /** Longest wait for the webhook, ms (default 10 s). */
  timeoutMs?: number;
}

export interface AlertPayload {
  format: 'lapis-alert/1';
  event: 'opened' | 'resolved';
  instrument: string;
  kind: string;
  level: string;
  detail: string;
  openedAt: string;
  resolvedAt?: string;
  url?: string;
  /** One line for chat tools (Slack, Teams). */
  text: string;
}

export interface TickOutcome {
  opened: number;
  resolved: number;
  sent: number;
  failed: number;
}

export interface AlertService {
  tick(now?: Date): Promise<TickOutcome>;
  stop(): void;
}

const consoleLogger: AlertLogger = {
  warn: (m) => console.warn(`[alerts] ${m}`),
  error: (m, e) => console.error(`[alerts] ${m}`, e ?? ''),
};

export function payloadOf(i: IncidentRow, event: 'opened' | 'resolved', publicUrl?: string): AlertPayload {
  const url = publicUrl
    ? `${publicUrl.replace(/\/$/, '')}/instruments/${encodeURIComponent(i.instrumentId)}`
    : undefined;
  const mark = event === 'resolved' ? '✅ resolved' : i.level === 'alert' ? '🔴' : '🟠';
  return {
    format: 'lapis-alert/1',
    event,
    instrument: i.instrumentId,
    kind: i.kind,
    level: i.level,
    detail: i.detail,
    openedAt: i.openedAt.toISOString(),
    ...(i.resolvedAt ? { resolvedAt: i.resolvedAt.toISOString() } : {}),
    ...(url ? { url } : {}),
    text: `${mark} ${i.instrumentId}: ${i.detail}${url ? ` — ${url}` : ''}`,
  };
}

export function startAlerts(options: AlertOptions): AlertService {
  const { db } = options;
  const log = options.logger ?? consoleLogger;
  const caller = createCaller({ db, bus: new ChangeBus(), user: SYSTEM_USER });

  const post = async (payload: AlertPayload): Promise<boolean> => {
    if (!options.webhookUrl) return true;
    try {
      const res = await fetch(options.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!res.ok) log.warn(`webhook answered ${res.status}; will retry`);
      return res.ok;
    } catch (err) {
      log.warn(`webhook unreachable (${(err as Error).message}); will retry`);
      return false;
    }
  };

  /** Claims and sends one notification; releases the claim when sending fails. */
  const notify = async (i: IncidentRow, event: 'opened' | 'resolved', now: Date): Promise<boolean | undefined> => {
    const column = event === 'opened' ? incidents.notifiedAt : incidents.resolvedNotifiedAt;
    const claimed = await db
      .update(incidents)
      .set(event === 'opened' ? { notifiedAt: now } : { resolvedNotifiedAt: now })
      .where(and(eq(incidents.id, i.id), isNull(column)))
      .returning({ id: incidents.id });
    if (claimed.length === 0) return undefined; // another process has it
    const ok = await post(payloadOf(i, event, options.publicUrl));
    if (!ok)
      await db
        .update(incidents)
        .set(event === 'opened' ? { notifiedAt: null } : { resolvedNotifiedAt: null })
        .where(eq(incidents.id, i.id));
    return ok;
  };

  const tick = async (now = new Date()): Promise<TickOutcome> => {
    const fleet = await caller.fleet.list({ now });
    const active = new Map<string, { level: string; detail: string }>();
    for (const f of fleet)
      for (const i of f.health.issues) active.set(`${f.id}\u0000${i.kind}`, { level: i.level, detail: i.text });
    const open = await db.select().from(incidents).where(isNull(incidents.resolvedAt));
    const known = new Set(open.map((i) => `${i.instrumentId}\u0000${i.kind}`));
    let opened = 0;
    let resolved = 0;
    for (const [key, issue] of active) {
      if (known.has(key)) continue;
      const [instrumentId, kind] = key.split('\u0000') as [string, string];
      const rows = await db
        .insert(incidents)
        .values({ instrumentId, kind, level: issue.level, detail: issue.detail, openedAt: now })
        .onConflictDoNothing()
        .returning({ id: incidents.id });
      opened += rows.length;
    }
    for (const i of open) {
      if (active.has(`${i.instrumentId}\u0000${i.kind}`)) continue;
      const rows = await db
        .update(incidents)
        .set({ resolvedAt: now })
        .where(and(eq(incidents.id, i.id), isNull(incidents.resolvedAt)))
        .returning({ id: incidents.id });
      resolved += rows.length;
    }
    // Every notification not sent yet (new ones, and those whose sending failed before), oldest first.
    const due = await db
      .select()
      .from(incidents)
      .where(
        or(isNull(incidents.notifiedAt), and(isNotNull(incidents.resolvedAt), isNull(incidents.resolvedNotifiedAt))),
      )
      .orderBy(sql`${incidents.openedAt} asc, ${incidents.id} asc`);
    let sent = 0;
    let failed = 0;
    for (const i of due) {
      for (const event of ['opened', 'resolved'] as const) {
        if (event === 'opened' ? i.notifiedAt : !i.resolvedAt || i.resolvedNotifiedAt) continue;
        const ok = await notify(i, event, now);
        if (ok === true) sent++;
        else if (ok === false) {
          failed++;
          break; // the resolution waits for the opening to be told
        }
      }
    }
    return { opened, resolved, sent, failed };
  };

  const interval = options.intervalMs ?? 30_000;
  let running = false;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (running) return;
          running = true;
          tick()
            .catch((err) => log.error('evaluation failed', err))
            .finally(() => (running = false));
        }, interval)
      : undefined;
  timer?.unref();
  return { tick, stop: () => clearInterval(timer) };
}
