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

export interface Health {
  level: HealthLevel;
  reasons: string[];
}

export const HEALTH_ORDER: Record<HealthLevel, number> = { alert: 0, warn: 1, unknown: 2, ok: 3 };

export function fleetHealth(r: HealthInput, now: Date): Health {
  const alerts: string[] = [];
  const warnings: string[] = [];
  if (r.state === 'offline') {
    const since = !r.stateAt
      ? ''
      : now.getTime() - r.stateAt.getTime() < 60_000
        ? ' just now'
        : ` for ${ago(r.stateAt, now).replace(/ ago$/, '')}`;
    alerts.push(`offline${since}${r.stateReason ? ` (${r.stateReason})` : ''}`);
  }
  if (r.lastOutcome === 'failed') {
    alerts.push(`failing: its last acquisition failed${r.failuresToday ? ` (${r.failuresToday} today)` : ''}`);
  } else if (r.failuresToday > 0) {
    warnings.push(`${r.failuresToday} failed today`);
  }
  if (r.state === 'online') {
    if (!r.heartbeatAt) warnings.push('no heartbeat yet');
    else if (now.getTime() - r.heartbeatAt.getTime() > STALE_HEARTBEAT_MS)
      warnings.push(`no heartbeat for ${ago(r.heartbeatAt, now).replace(/ ago$/, '')}`);
  }
  if ((r.outboxDepth ?? 0) > 0)
    warnings.push(`${r.outboxDepth} result${r.outboxDepth === 1 ? '' : 's'} not yet delivered`);
  if ((r.queued ?? 0) >= QUEUE_WARN) warnings.push(`${r.queued} acquisitions waiting`);
  const reasons = [...alerts, ...warnings];
  if (alerts.length) return { level: 'alert', reasons };
  if (warnings.length) return { level: 'warn', reasons };
  if (r.state !== 'online' && r.state !== 'offline') return { level: 'unknown', reasons: ['no status reported yet'] };
  return { level: 'ok', reasons: [] };
}
