/**
 * Which instruments need attention, and why, in words: the fleet page sorts and colours by this, so a manager sees
 * the offline or failing instrument first without reading a number.
 *
 * - alert: offline; or still failing (its latest finished-or-failed acquisition failed).
 * - warn: failures today that later successes followed; no heartbeat for STALE_HEARTBEAT_MS while online; results the
 *   broker has not acknowledged (outbox); a queue of QUEUE_WARN or more.
 * - unknown: never reported a status. ok: none of the above.
 */
import { ago } from './time';

export type HealthLevel = 'alert' | 'warn' | 'unknown' | 'ok';

/** Online with no heartbeat for this long is a warning (agents send one every 30 s by default). */
export const STALE_HEARTBEAT_MS = 5 * 60_000;
/** Acquisitions waiting in the agent's queue from which it is a warning. */
export const QUEUE_WARN = 10;

export interface HealthInput {
  state: string;
  stateAt: Date | null;
  stateReason: string | null;
  heartbeatAt: Date | null;
  failuresToday: number;
  /** Kind of the instrument's latest `finished` or `failed` event. */
  lastOutcome: 'finished' | 'failed' | null;
  queued: number | null;
  outboxDepth: number | null;
}

/** What is wrong with an instrument, one entry per kind (an alert incident is opened per kind). */
export type IssueKind = 'offline' | 'failing' | 'failures' | 'silent' | 'outbox' | 'queue';

export interface Health {
  level: HealthLevel;
  reasons: string[];
  /** The same, by kind, with each one's level (alerts: one incident per instrument and kind). */
  issues: { kind: IssueKind; level: 'alert' | 'warn'; text: string }[];
}

export const HEALTH_ORDER: Record<HealthLevel, number> = { alert: 0, warn: 1, unknown: 2, ok: 3 };

export function fleetHealth(r: HealthInput, now: Date): Health {
  const issues: Health['issues'] = [];
  const add = (kind: IssueKind, level: 'alert' | 'warn', text: string) => issues.push({ kind, level, text });
  if (r.state === 'offline') {
    const since = !r.stateAt
      ? ''
      : now.getTime() - r.stateAt.getTime() < 60_000
        ? ' just now'
        : ` for ${ago(r.stateAt, now).replace(/ ago$/, '')}`;
    add('offline', 'alert', `offline${since}${r.stateReason ? ` (${r.stateReason})` : ''}`);
  }
  if (r.lastOutcome === 'failed') {
    add(
      'failing',
      'alert',
      `failing: its last acquisition failed${r.failuresToday ? ` (${r.failuresToday} today)` : ''}`,
    );
  } else if (r.failuresToday > 0) {
    add('failures', 'warn', `${r.failuresToday} failed today`);
  }
  if (r.state === 'online') {
    if (!r.heartbeatAt) add('silent', 'warn', 'no heartbeat yet');
    else if (now.getTime() - r.heartbeatAt.getTime() > STALE_HEARTBEAT_MS)
      add('silent', 'warn', `no heartbeat for ${ago(r.heartbeatAt, now).replace(/ ago$/, '')}`);
  }
  if ((r.outboxDepth ?? 0) > 0)
    add('outbox', 'warn', `${r.outboxDepth} result${r.outboxDepth === 1 ? '' : 's'} not yet delivered`);
  if ((r.queued ?? 0) >= QUEUE_WARN) add('queue', 'warn', `${r.queued} acquisitions waiting`);
  // alerts first, then warnings, each in the order found
  issues.sort((x, y) => (x.level === y.level ? 0 : x.level === 'alert' ? -1 : 1));
  const reasons = issues.map((i) => i.text);
  if (issues.some((i) => i.level === 'alert')) return { level: 'alert', reasons, issues };
  if (issues.length) return { level: 'warn', reasons, issues };
  if (r.state !== 'online' && r.state !== 'offline')
    return { level: 'unknown', reasons: ['no status reported yet'], issues };
  return { level: 'ok', reasons: [], issues };
}
