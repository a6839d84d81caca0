/**
 * Alerts: every `intervalMs` the fleet's health (lib/fleetHealth.ts, as the fleet page shows it) is turned into
 * incidents — one per instrument and kind of trouble, opened when first seen and resolved when gone — and each
 * channel (a webhook, e-mail) is told once when an incident opens and once when it is resolved, never per message.
 * The webhook gets generic JSON (`format: 'lapis-alert/1'`) with a `text` line that Slack and Microsoft Teams
 * incoming webhooks show as is; e-mail goes through SMTP (nodemailer). While a manager's mute covers an incident
 * (alert_mutes), its notifications are dropped, not delayed.
 *
 * Several dashboard processes may run this together: the partial unique index on open incidents lets one of them
 * open an incident, `resolved_at is null` lets one resolve it, and a notification is claimed (its time set) before it
 * is sent and released when sending fails, so the next tick tries again and nobody sends it twice.
 */
import { and, eq, gt, isNotNull, isNull, or, sql, type AnyColumn } from 'drizzle-orm';
import { createTransport } from 'nodemailer';
import { ChangeBus } from '../bus';
import type { Db } from '../db/client';
import { alertMutes, incidents, type IncidentRow } from '../db/schema';
import { createCaller } from '../api/root';
import { SYSTEM_USER } from '../auth/roles';
import { slowInstruments } from './slowProcessing';

export interface AlertLogger {
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export interface AlertOptions {
  db: Db;
  /** Where to POST notifications (none: incidents are recorded, nobody is told). */
  webhookUrl?: string;
  /** E-mail: an SMTP server (`smtp://user:password@host:587`, `smtps://…:465`), the recipients and the sender. */
  email?: { smtpUrl: string; to: string[]; from: string };
  /** Between evaluations, ms (default 15 s; 0: no timer, call `tick` yourself). */
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

interface Channel {
  name: string;
  /** The incident's columns that record this channel's two notifications. */
  opened: AnyColumn;
  resolved: AnyColumn;
  send(payload: AlertPayload): Promise<boolean>;
}

/** nodemailer's SMTP settings from `smtp://user:password@host:port` (`smtps://` for TLS from the start). */
export function smtpOptions(url: string, timeoutMs: number) {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

/** The e-mail for a notification: a subject a phone shows whole, and the details with the link. */
export function emailOf(p: AlertPayload): { subject: string; text: string } {
  const what = p.event === 'resolved' ? 'resolved' : p.level === 'alert' ? 'ALERT' : 'warning';
  return {
    subject: `[Lapis] ${what}: ${p.instrument} — ${p.detail}`.slice(0, 200),
    text: [
      `${p.event === 'resolved' ? 'Resolved' : 'Opened'}: ${p.instrument} — ${p.detail}`,
      `Kind: ${p.kind} (${p.level})`,
      `Opened: ${p.openedAt}`,
      ...(p.resolvedAt ? [`Resolved: ${p.resolvedAt}`] : []),
      ...(p.url ? ['', p.url] : []),
      '',
      'Lapis sends one message when an incident opens and one when it is resolved.',
    ].join('\n'),
  };
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

  const postWebhook = async (payload: AlertPayload): Promise<boolean> => {
    try {
      const res = await fetch(options.webhookUrl!, {
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

  const mailer = options.email
    ? createTransport(smtpOptions(options.email.smtpUrl, options.timeoutMs ?? 10_000))
    : undefined;
  const sendEmail = async (payload: AlertPayload): Promise<boolean> => {
    try {
      await mailer!.sendMail({ from: options.email!.from, to: options.email!.to, ...emailOf(payload) });
      return true;
    } catch (err) {
      log.warn(`e-mail not sent (${(err as Error).message}); will retry`);
      return false;
    }
  };

  const channels: Channel[] = [
    ...(options.webhookUrl
      ? [{ name: 'webhook', opened: incidents.notifiedAt, resolved: incidents.resolvedNotifiedAt, send: postWebhook }]
      : [
          // No webhook: the incident is still marked told, so a webhook configured later does not replay history.
          {
            name: 'webhook',
            opened: incidents.notifiedAt,
            resolved: incidents.resolvedNotifiedAt,
            send: async () => true,
          },
        ]),
    ...(options.email
      ? [
          {
            name: 'email',
            opened: incidents.emailNotifiedAt,
            resolved: incidents.emailResolvedNotifiedAt,
            send: sendEmail,
          },
        ]
      : []),
  ];

  const columnKey: Record<string, keyof IncidentRow> = {
    notified_at: 'notifiedAt',
    resolved_notified_at: 'resolvedNotifiedAt',
    email_notified_at: 'emailNotifiedAt',
    email_resolved_notified_at: 'emailResolvedNotifiedAt',
  };
  const fieldOf = (c: AnyColumn) => columnKey[c.name]!;

  /** Claims one notification on one channel and sends it (or drops it while muted); releases the claim on failure. */
  const notify = async (
    i: IncidentRow,
    event: 'opened' | 'resolved',
    channel: Channel,
    muted: boolean,
    now: Date,
  ): Promise<boolean | undefined> => {
    const column = event === 'opened' ? channel.opened : channel.resolved;
    const field = fieldOf(column);
    const claimed = await db
      .update(incidents)
      .set({ [field]: now })
      .where(and(eq(incidents.id, i.id), isNull(column)))
      .returning({ id: incidents.id });
    if (claimed.length === 0) return undefined; // another process has it
    if (muted) return undefined;
    const ok = await channel.send(payloadOf(i, event, options.publicUrl));
    if (!ok)
      await db
        .update(incidents)
        .set({ [field]: null })
        .where(eq(incidents.id, i.id));
    return ok;
  };

  const tick = async (now = new Date()): Promise<TickOutcome> => {
    const fleet = await caller.fleet.list({ now });
    const active = new Map<string, { level: string; detail: string }>();
    for (const f of fleet)
      for (const i of f.health.issues) active.set(`${f.id}\u0000${i.kind}`, { level: i.level, detail: i.text });
    // Processing slower than usual (the latest 3 acquisitions against the 50 before them).
    for (const [id, t] of await slowInstruments(db)) {
      active.set(`${id}\u0000slow`, {
        level: 'warn',
        detail: `processing takes ${t.recent.toFixed(0)} s, usually ${t.usual.toFixed(1)} s`,
      });
    }
    // Quality control: a reference whose latest result breaks a Westgard rejection rule is an incident (kind `qc`)
    // of the instrument that measured it, until a result in control follows.
    for (const series of await caller.qc.charts()) {
      const last = series.points.at(-1);
      if (!series.outOfControl || !last) continue;
      const key = `${last.instrumentId}\u0000qc`;
      const text = `QC "${series.reference.name}" out of control (${last.rules.join(', ')}) at ${last.sample ?? last.key.slice(0, 8)}`;
      const before = active.get(key);
      active.set(key, { level: 'alert', detail: before ? `${before.detail}; ${text}` : text });
    }
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
    // Every notification not sent yet on some channel (new ones, and those whose sending failed), oldest first.
    const due = await db
      .select()
      .from(incidents)
      .where(
        or(...channels.flatMap((c) => [isNull(c.opened), and(isNotNull(incidents.resolvedAt), isNull(c.resolved))])),
      )
      .orderBy(sql`${incidents.openedAt} asc, ${incidents.id} asc`);
    const mutes = due.length ? await db.select().from(alertMutes).where(gt(alertMutes.until, now)) : [];
    const mutedNow = (i: IncidentRow) =>
      mutes.some((m) => m.instrumentId === i.instrumentId && (m.kind === null || m.kind === i.kind));
    let sent = 0;
    let failed = 0;
    for (const i of due) {
      const muted = mutedNow(i);
      for (const channel of channels) {
        for (const event of ['opened', 'resolved'] as const) {
          const done = i[fieldOf(event === 'opened' ? channel.opened : channel.resolved)];
          if (done || (event === 'resolved' && !i.resolvedAt)) continue;
          const ok = await notify(i, event, channel, muted, now);
          if (ok === true) sent++;
          else if (ok === false) {
            failed++;
            break; // the resolution waits for the opening to be told
          }
        }
      }
    }
    return { opened, resolved, sent, failed };
  };

  const interval = options.intervalMs ?? 15_000;
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
