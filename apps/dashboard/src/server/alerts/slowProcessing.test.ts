/** "Processing slower than usual" from the agents' started/finished events, alone and through the alert service. */
import { describe, expect, it } from 'vitest';
import { json } from '../../test/fixtures';
import { testDb } from '../../test/db';
import { ingestMessage } from '../ingest/ingestMessage';
import { startAlerts } from './alertService';
import { isSlow, processingTimes, type Timed } from './slowProcessing';

const t0 = Date.parse('2026-12-01T08:00:00Z');

/** Events of `durations` (s) one after the other, oldest first. */
function timed(durations: number[]): Timed[] {
  return durations.flatMap((d, i) => {
    const start = t0 + i * 600_000;
    return [
      { key: `k${i}`, kind: 'started' as const, at: new Date(start) },
      { key: `k${i}`, kind: 'finished' as const, at: new Date(start + d * 1000) },
    ];
  });
}

describe('processing slower than usual', () => {
  it('compares the latest three with the fifty before, and needs history', () => {
    expect(processingTimes(timed(Array(12).fill(2)))).toBeUndefined();
    const usual = Array.from({ length: 30 }, (_, i) => 2 + (i % 3) * 0.5);
    expect(processingTimes(timed([...usual, 2, 2.5, 3]))).toEqual({ recent: 2.5, usual: 2.5 });
    const slow = processingTimes(timed([...usual, 20, 25, 30]))!;
    expect(slow).toEqual({ recent: 25, usual: 2.5 });
    expect(isSlow(slow)).toBe(true);
    // 3× but only a second more: not an alert; one slow acquisition among three: not either
    expect(isSlow(processingTimes(timed([...Array(30).fill(0.3), 1, 1, 1]))!)).toBe(false);
    expect(isSlow(processingTimes(timed([...usual, 2, 60, 2]))!)).toBe(false);
  });

  it('opens a `slow` incident from the stored events', async () => {
    const { db } = await testDb();
    const durations = [...Array(20).fill(4), 40, 45, 50];
    for (const [i, d] of durations.entries()) {
      const start = new Date(t0 + i * 600_000);
      for (const [kind, at] of [
        ['started', start],
        ['finished', new Date(start.getTime() + d * 1000)],
      ] as const) {
        const r = await ingestMessage(
          db,
          'lapis/v1/slow-01/event',
          json({
            kind,
            instrument: 'slow-01',
            at: at.toISOString(),
            path: `/data/run-${i}`,
            key: `${i}`.padStart(64, 'a'),
            historical: false,
          }),
          { now: new Date(t0 + 30 * 600_000) },
        );
        expect(r.status).toBe('accepted');
      }
    }
    const alerts = startAlerts({ db, intervalMs: 0, logger: { warn: () => {}, error: () => {} } });
    const out = await alerts.tick(new Date(t0 + 30 * 600_000));
    expect(out.opened).toBeGreaterThanOrEqual(1);
    const rows = await db.query.incidents.findMany();
    const slow = rows.find((r) => r.kind === 'slow')!;
    expect(slow.instrumentId).toBe('slow-01');
    expect(slow.detail).toBe('processing takes 45 s, usually 4.0 s');
  });
});
