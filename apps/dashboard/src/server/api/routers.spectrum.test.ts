/** The spectrum router and the fleet's last spectrum, on the seeded fleet (tRPC caller on PGlite). */
import { describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { SEEDED_SPECTRUM, seedFleet } from '../../test/seed';
import { testUser } from '../../test/users';
import { spectrum1dOf } from '../../lib/spectrumDocument';
import { ChangeBus } from '../bus';
import { createCaller } from './root';

const now = new Date('2026-11-21T12:00:00Z');

describe('spectrum router', () => {
  it('byKey: the row and its document; recent: newest first; latest: one per instrument with its thumbnail', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });

    const s = await caller.spectrum.byKey({ key: SEEDED_SPECTRUM.key });
    expect(s).toMatchObject({ instrumentId: 'minispec-1', sample: 'ethyl acetate', nucleus: '1H', peakCount: 9 });
    expect(s.provenance.method).toBe('spectrum');
    const view = spectrum1dOf(s.document)!;
    expect(view.real).toHaveLength(1024);
    expect(view.step).toBe(4);
    expect(view.reducedFrom).toBe(4096);
    await expect(caller.spectrum.byKey({ key: '0'.repeat(64) })).rejects.toThrow(/no spectrum/);

    const recent = await caller.spectrum.recent({ instrumentId: 'minispec-1' });
    expect(recent.map((r) => [r.nucleus, r.pulseProgram, r.producedAt.toISOString()])).toEqual([
      ['1H', 'zg30', '2026-11-21T11:30:00.000Z'],
      ['13C', 'zgpg30', '2026-11-20T15:00:00.000Z'],
    ]);
    expect(recent[0]).not.toHaveProperty('document');
    expect(await caller.spectrum.recent({ instrumentId: 'minispec-1', limit: 1 })).toHaveLength(1);
    expect(await caller.spectrum.recent({ instrumentId: 'bench-2' })).toEqual([]);

    const latest = await caller.spectrum.latest({ now });
    expect(latest).toHaveLength(1);
    expect(latest[0]).toMatchObject({ instrumentId: 'minispec-1', key: SEEDED_SPECTRUM.key, nucleus: '1H', today: 1 });
    expect(latest[0]!.thumbnail?.kind).toBe('spectrum');

    // the fleet carries it per instrument
    const fleet = await caller.fleet.list({ now });
    expect(fleet.find((f) => f.id === 'minispec-1')!.spectrum?.key).toBe(SEEDED_SPECTRUM.key);
    expect(fleet.find((f) => f.id === 'bench-2')!.spectrum).toBeNull();
  });

  it('refuses anonymous callers and bad input', async () => {
    const { db } = await testDb();
    const anonymous = createCaller({ db, bus: new ChangeBus() });
    await expect(anonymous.spectrum.latest()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const viewer = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    await expect(viewer.spectrum.byKey({ key: 'not-a-key' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.spectrum.recent({ instrumentId: 'a/b' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.spectrum.recent({ instrumentId: 'x', limit: 10_000 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
