import { afterEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { testDb } from '../../test/db';
import { envelope, json } from '../../test/fixtures';
import type { DbHandle } from '../db/client';
import { acquisitions, instruments, peaks, rejectedMessages } from '../db/schema';
import { ingestMessage } from './ingestMessage';

let h: DbHandle | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const status = (instrument: string, state: 'online' | 'offline', at: string) =>
  json({ state, instrument, at, version: '0.1.0', ...(state === 'offline' ? { reason: 'connection lost' } : {}) });

describe('ingestMessage', () => {
  it('stores a result once per key and flattens its peaks', async () => {
    h = await testDb();
    const env = envelope({ seed: 'one' });
    const topic = 'lapis/v1/minispec-1/result';
    const first = await ingestMessage(h.db, topic, json(env));
    expect(first.status).toBe('accepted');
    const again = await ingestMessage(h.db, topic, json({ ...env, historical: true }));
    expect(again.status).toBe('duplicate');
    const [a] = await h.db.select({ n: count() }).from(acquisitions);
    expect(a!.n).toBe(1);
    const rows = await h.db.select().from(peaks);
    expect(rows).toHaveLength(env.document.peaks.length);
    const top = rows.find((r) => r.rank === 0)!;
    expect(top.t1).toBeCloseTo(env.document.peaks[0]!.position.T1!, 12);
    expect(top.t1t2Ratio).toBeCloseTo(env.document.peaks[0]!.t1t2Ratio!, 9);
    const u = env.document.peaks[0]!.uncertainty!;
    expect(top.t1UncDecades).toBeCloseTo(u.positionUncertaintyDecades.T1!, 12);
    expect(top.t2UncDecades).toBeCloseTo(u.positionUncertaintyDecades.T2!, 12);
    expect(top.fractionSd).toBeCloseTo(u.fractionSd!, 12);
    expect(top.dUncDecades).toBeNull();
    const [stored] = await h.db.select().from(acquisitions);
    expect(stored!.sample).toBe('one'); // the folder name, as the document carries no sample
    expect(stored!.experiment).toBe('T1-T2');
  });

  it('tracks online/offline from status and ignores an older status arriving late', async () => {
    h = await testDb();
    const topic = 'lapis/v1/bench-2/status';
    expect((await ingestMessage(h.db, topic, status('bench-2', 'online', '2026-11-21T10:00:00Z'))).status).toBe(
      'accepted',
    );
    await ingestMessage(h.db, topic, status('bench-2', 'offline', '2026-11-21T11:00:00Z'));
    await ingestMessage(h.db, topic, status('bench-2', 'online', '2026-11-21T09:00:00Z'));
    const [row] = await h.db.select().from(instruments);
    expect(row!.state).toBe('offline');
    expect(row!.stateReason).toBe('connection lost');
    expect(row!.version).toBe('0.1.0');
  });

  it('stores heartbeat counters', async () => {
    h = await testDb();
    const hb = {
      instrument: 'x1',
      at: '2026-11-21T10:00:00Z',
      uptimeSeconds: 5,
      processed: 7,
      failed: 1,
      queued: 3,
      outboxDepth: 2,
    };
    expect((await ingestMessage(h.db, 'lapis/v1/x1/heartbeat', json(hb))).status).toBe('accepted');
    const [row] = await h.db.select().from(instruments);
    expect([row!.processed, row!.failed, row!.queued, row!.outboxDepth]).toEqual([7, 1, 3, 2]);
  });

  it('refuses bad messages with a reason and stores nothing from them', async () => {
    h = await testDb();
    const env = envelope({ seed: 'bad' });
    const cases: [string, Uint8Array, string, object?][] = [
      ['lapis/v1/minispec-1/result', Buffer.from('{not json'), 'not-json'],
      ['lapis/v1/minispec-1/result', json({ ...env, key: 'nope' }), 'schema'],
      [
        'lapis/v1/minispec-1/result',
        json({ ...env, document: { ...env.document, peaks: [{ fraction: 2 }] } }),
        'schema',
      ],
      ['lapis/v1/minispec-1/result', Buffer.alloc(300 * 1024, 32), 'oversize'],
      ['lapis/v1/other/result', json(env), 'instrument-mismatch'],
      [
        'lapis/v1/stranger/status',
        status('stranger', 'online', '2026-11-21T10:00:00Z'),
        'unknown-instrument',
        { knownInstruments: new Set(['minispec-1']) },
      ],
      ['lapis/v1/bad+id/status', json({}), 'bad-topic'],
      [
        'lapis/v1/minispec-1/event',
        json({ kind: 'failed', instrument: 'minispec-1', at: '2026-11-21T10:00:00Z', path: '/x' }),
        'schema',
      ],
    ];
    for (const [topic, payload, reason, opts] of cases) {
      const out = await ingestMessage(h.db, topic, payload, opts as never);
      expect(out.status, `${reason} on ${topic}`).toBe('rejected');
      if (out.status === 'rejected') expect(out.reason).toBe(reason);
    }
    const [a] = await h.db.select({ n: count() }).from(acquisitions);
    expect(a!.n).toBe(0);
    const [r] = await h.db.select({ n: count() }).from(rejectedMessages);
    expect(r!.n).toBe(0); // recording is the service's job, not ingestMessage's
    // and a good message right after still goes in
    expect((await ingestMessage(h.db, 'lapis/v1/minispec-1/result', json(env))).status).toBe('accepted');
  });

  it('ignores command topics and cleared retained messages', async () => {
    h = await testDb();
    expect((await ingestMessage(h.db, 'lapis/v1/m/cmd/reprocess', json({}))).status).toBe('ignored');
    expect((await ingestMessage(h.db, 'lapis/v1/m/status', new Uint8Array())).status).toBe('ignored');
  });
});
