import { describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { sql } from 'drizzle-orm';
import { envelope, json } from '../../test/fixtures';
import { ingestMessage } from '../ingest/ingestMessage';
import { seedFleet } from '../../test/seed';
import { ChangeBus } from '../bus';
import { createCaller } from './root';
import { testUser } from '../../test/users';

const now = new Date('2026-11-21T12:00:00Z');

describe('routers (tRPC caller on PGlite)', () => {
  it('fleet.list: state, last acquisition, today counts, queue depths', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const fleet = await caller.fleet.list({ now });
    expect(fleet.map((f) => f.id)).toEqual(['bench-2', 'minispec-1']);
    const m = fleet.find((f) => f.id === 'minispec-1')!;
    expect(m.state).toBe('online');
    expect(m.resultsToday).toBe(1); // only the 21st is today
    expect(m.failuresToday).toBe(1);
    expect([m.queued, m.outboxDepth]).toEqual([2, 3]);
    expect(m.lastAt?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(m.lastSample).toBe('cheese-A');
    const b = fleet.find((f) => f.id === 'bench-2')!;
    expect(b.state).toBe('offline');
    expect(b.resultsToday).toBe(0);
    // both need attention: bench-2 is offline, minispec-1's last acquisition failed (and 3 results wait in its outbox)
    expect(b.health).toMatchObject({ level: 'alert', reasons: ['offline for 1 d (connection lost)'] });
    expect(m.lastOutcome).toBe('failed');
    expect(m.health.level).toBe('alert');
    expect(m.health.reasons).toEqual(['failing: its last acquisition failed (1 today)', '3 results not yet delivered']);
    // the last result's picture, made at ingest; the trend of its last results (T2 of the cheese, in seconds)
    expect(m.thumbnail?.kind).toBe('map');
    expect(m.trend?.axis).toBe('T2');
    expect(m.trend?.points).toHaveLength(4);
    expect(m.trend!.points[0]!.value).toBeGreaterThan(0.005);
    expect(m.trend!.points[0]!.value).toBeLessThan(0.1);
  });

  it('fleet.list: an instrument that needs attention comes first; a picture is made for older results', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    // bench-2 comes back and is well; minispec-1 is still failing
    await ingestMessage(
      db,
      'lapis/v1/bench-2/status',
      json({ state: 'online', instrument: 'bench-2', at: '2026-11-21T11:00:00Z' }),
      { now: new Date('2026-11-21T12:00:30Z') },
    );
    await ingestMessage(
      db,
      'lapis/v1/bench-2/heartbeat',
      json({
        instrument: 'bench-2',
        at: '2026-11-21T11:59:30Z',
        uptimeSeconds: 5,
        processed: 0,
        failed: 0,
        queued: 0,
        outboxDepth: 0,
      }),
      { now: new Date('2026-11-21T12:00:31Z') },
    );
    // bench-2 measured another sample in between: its sparkline follows the sample it measured last (cheese-B)
    for (const [seed, at] of [
      ['c1', '2026-11-19T10:00:00Z'],
      ['c2', '2026-11-20T05:00:00Z'],
    ] as const) {
      await ingestMessage(
        db,
        'lapis/v1/bench-2/result',
        json(envelope({ instrument: 'bench-2', seed, sample: 'cement-A', producedAt: at })),
        { now: new Date('2026-11-21T12:00:32Z') },
      );
    }
    // a result stored before thumbnails existed
    await db.execute(sql`update acquisitions set thumbnail = null`);
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const fleet = await caller.fleet.list({ now });
    expect(fleet.map((f) => [f.id, f.health.level])).toEqual([
      ['minispec-1', 'alert'],
      ['bench-2', 'ok'],
    ]);
    expect(fleet.every((f) => f.thumbnail?.kind === 'map')).toBe(true);
    expect(fleet.find((f) => f.id === 'bench-2')!.trend?.points).toHaveLength(1);
    const stored = await db.execute(sql`select count(*)::int as n from acquisitions where thumbnail is not null`);
    expect((stored as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(2); // the last of each, kept
  });

  it('instrument.acquisitions filters by sample and experiment; daily counts', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const all = await caller.instrument.acquisitions({ id: 'minispec-1' });
    expect(all).toHaveLength(4);
    expect(all[0]!.producedAt.getTime()).toBeGreaterThan(all[1]!.producedAt.getTime());
    expect(all[0]!.topFraction).toBeGreaterThan(0);
    expect(await caller.instrument.acquisitions({ id: 'minispec-1', sample: 'zzz' })).toHaveLength(0);
    expect(await caller.instrument.acquisitions({ id: 'minispec-1', experiment: 'D-T2' })).toHaveLength(0);
    expect(
      await caller.instrument.acquisitions({ id: 'minispec-1', experiment: 'T1-T2', sample: 'CHEESE' }),
    ).toHaveLength(4);
    const daily = await caller.instrument.daily({ id: 'minispec-1', now });
    expect(daily).toHaveLength(14);
    expect(daily.at(-1)!.day).toBe('2026-11-21');
    expect(daily.filter((d) => d.n > 0)).toEqual([
      { day: '2026-11-18', n: 1 },
      { day: '2026-11-19', n: 1 },
      { day: '2026-11-20', n: 1 },
      { day: '2026-11-21', n: 1 },
    ]);
    await expect(caller.instrument.get({ id: 'nobody' })).rejects.toThrow(/no instrument/);
  });

  it('acquisition.get returns the document, provenance and peaks', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const key = envelope({ instrument: 'bench-2', seed: 'b' }).key;
    const a = await caller.acquisition.get({ key });
    expect(a.document.axes.map((x) => x.name)).toEqual(['T1', 'T2']);
    expect(a.provenance.rawDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.peaks.map((p) => p.rank)).toEqual([0, 1, 2]);
    // measured decays against the fit, residual derived: recovery at the first echo, echo train at the longest delay
    expect(a.decays.map((d) => d.axis.name)).toEqual(['tau', 't']);
    expect(a.decays[1]!.label).toMatch(/^echo decay at τ = 4 s$/);
    const p = a.decays[1]!.points[0]!;
    expect(p.residual).toBeCloseTo(p.data - p.fit, 12);
    expect(p.data).toBeGreaterThan(0.5);
    expect(Math.abs(p.residual)).toBeLessThan(5 * a.document.sigma!);
    await expect(caller.acquisition.get({ key: '0'.repeat(64) })).rejects.toThrow(/no acquisition/);
  });

  it('trends.series: a peak matched by T2 order, grouped by sample or instrument', async () => {
    const { db } = await testDb();
    await seedFleet(db);
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    // The shortest-T2 peak (the cheese's protein-like peak) over ripening days, per sample.
    const s = await caller.trends.series({ quantity: 'fraction', orderBy: 't2', peak: 0, groupBy: 'sample' });
    const a = s.filter((p) => p.group === 'cheese-A');
    expect(a).toHaveLength(4);
    const shortT2 = Math.min(...envelope().document.peaks.map((p) => p.position.T2!));
    const frac = envelope().document.peaks.find((p) => p.position.T2 === shortT2)!.fraction;
    expect(a.map((p) => p.value)).toEqual([0, 1, 2, 3].map((d) => expect.closeTo(frac * (1 - 0.05 * d), 9)));
    // ± the fraction's spread, as the document carries it
    const fsd = envelope().document.peaks.find((p) => p.position.T2 === shortT2)!.uncertainty!.fractionSd!;
    expect(a[0]!.hi! - a[0]!.value).toBeCloseTo(fsd, 12);
    expect(a[0]!.value - a[0]!.lo!).toBeCloseTo(fsd, 12);
    const byInstrument = await caller.trends.series({ quantity: 't2', groupBy: 'instrument', orderBy: 'rank' });
    expect(new Set(byInstrument.map((p) => p.group))).toEqual(new Set(['minispec-1', 'bench-2']));
    // positions: a range ×/÷ 10^u, u the combined uncertainty in decades
    const u = envelope().document.peaks[0]!.uncertainty!.positionUncertaintyDecades.T2!;
    const top = byInstrument[0]!;
    expect(Math.log10(top.hi! / top.value)).toBeCloseTo(u, 9);
    expect(Math.log10(top.value / top.lo!)).toBeCloseTo(u, 9);
    // amplitude carries none
    expect((await caller.trends.series({ quantity: 'amplitude' }))[0]!.lo).toBeUndefined();
    const filtered = await caller.trends.series({ instrument: 'bench-2' });
    expect(filtered).toHaveLength(1);
  });
});
