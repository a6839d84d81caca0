/** A small fleet for router tests: written through the real ingest so the tests see what production stores. */
import type { Db } from '../server/db/client';
import { ingestMessage } from '../server/ingest/ingestMessage';
import { envelope, json } from './fixtures';

/** Seeds a small fleet: two instruments, a cheese ripening over days on one, a failure, a heartbeat. */
export async function seedFleet(db: Db): Promise<void> {
  const put = async (topic: string, v: unknown) => {
    const out = await ingestMessage(db, topic, json(v), { now: new Date('2026-11-21T12:00:00Z') });
    if (out.status !== 'accepted') throw new Error(`seed refused: ${JSON.stringify(out)}`);
  };
  await put('lapis/v1/minispec-1/status', { state: 'online', instrument: 'minispec-1', at: '2026-11-21T08:00:00Z' });
  await put('lapis/v1/bench-2/status', {
    state: 'offline',
    instrument: 'bench-2',
    at: '2026-11-20T08:00:00Z',
    reason: 'connection lost',
  });
  await put('lapis/v1/minispec-1/heartbeat', {
    instrument: 'minispec-1',
    at: '2026-11-21T11:59:00Z',
    uptimeSeconds: 100,
    processed: 4,
    failed: 1,
    queued: 2,
    outboxDepth: 3,
  });
  for (let day = 0; day < 4; day++) {
    await put(
      'lapis/v1/minispec-1/result',
      envelope({
        instrument: 'minispec-1',
        seed: `d${day}`,
        sample: 'cheese-A',
        producedAt: new Date(Date.UTC(2026, 10, 18 + day, 10)).toISOString(),
        fractionScale: 1 - 0.05 * day,
      }),
    );
  }
  await put(
    'lapis/v1/bench-2/result',
    envelope({ instrument: 'bench-2', seed: 'b', sample: 'cheese-B', producedAt: '2026-11-20T07:00:00Z' }),
  );
  await put('lapis/v1/minispec-1/event', {
    kind: 'failed',
    instrument: 'minispec-1',
    at: '2026-11-21T09:00:00Z',
    path: '/data/x',
    reason: 'no data file',
  });
}
