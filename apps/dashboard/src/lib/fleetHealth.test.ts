import { describe, expect, it } from 'vitest';
import { fleetHealth, type HealthInput } from './fleetHealth';

const now = new Date('2026-11-21T12:00:00Z');
const well: HealthInput = {
  state: 'online',
  stateAt: new Date('2026-11-21T08:00:00Z'),
  stateReason: null,
  heartbeatAt: new Date('2026-11-21T11:59:40Z'),
  failuresToday: 0,
  lastOutcome: 'finished',
  queued: 0,
  outboxDepth: 0,
};

describe('fleetHealth', () => {
  it.each<[string, Partial<HealthInput>, string, string[]]>([
    ['well', {}, 'ok', []],
    [
      'offline',
      { state: 'offline', stateAt: new Date('2026-11-21T09:00:00Z'), stateReason: 'connection lost' },
      'alert',
      ['offline for 3 h (connection lost)'],
    ],
    [
      'still failing',
      { lastOutcome: 'failed', failuresToday: 2 },
      'alert',
      ['failing: its last acquisition failed (2 today)'],
    ],
    ['failed earlier, fine since', { failuresToday: 1 }, 'warn', ['1 failed today']],
    ['silent', { heartbeatAt: new Date('2026-11-21T11:40:00Z') }, 'warn', ['no heartbeat for 20 min']],
    ['undelivered', { outboxDepth: 1 }, 'warn', ['1 result not yet delivered']],
    ['busy', { queued: 12 }, 'warn', ['12 acquisitions waiting']],
    [
      'never reported',
      { state: 'unknown', heartbeatAt: null, lastOutcome: null },
      'unknown',
      ['no status reported yet'],
    ],
  ])('%s → %s', (_, change, level, reasons) => {
    const h = fleetHealth({ ...well, ...change }, now);
    expect({ level: h.level, reasons: h.reasons }).toEqual({ level, reasons });
    expect(h.issues.map((i) => i.text)).toEqual(level === 'unknown' ? [] : reasons);
  });

  it('lists every reason, alerts first', () => {
    const h = fleetHealth({ ...well, state: 'offline', stateAt: null, outboxDepth: 4, lastOutcome: 'failed' }, now);
    expect(h.level).toBe('alert');
    expect(h.reasons).toEqual(['offline', 'failing: its last acquisition failed', '4 results not yet delivered']);
    expect(h.issues.map((i) => [i.kind, i.level])).toEqual([
      ['offline', 'alert'],
      ['failing', 'alert'],
      ['outbox', 'warn'],
    ]);
  });
});
