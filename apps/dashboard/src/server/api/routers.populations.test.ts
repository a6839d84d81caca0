/** populations.series on PGlite, with results stored by the real ingest, and the names users give (names.ts). */
import { describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { json } from '../../test/fixtures';
import { cheeseSeriesEnvelopes } from '../../test/seed';
import { ingestMessage } from '../ingest/ingestMessage';
import { ChangeBus } from '../bus';
import type { Db } from '../db/client';
import { centreForName } from '../populations/populationSeries';
import { forgetName, saveName } from '../populations/names';
import { createCaller } from './root';
import { testUser } from '../../test/users';

const start = new Date('2026-08-01T09:00:00Z');
const days = Array.from({ length: 12 }, (_, k) => 6 * k);

async function store(db: Db, envs: ReturnType<typeof cheeseSeriesEnvelopes>) {
  for (const env of envs) {
    const out = await ingestMessage(db, `lapis/v1/${env.instrument}/result`, json(env), { now: new Date() });
    expect(out.status, JSON.stringify(out)).toBe('accepted');
  }
}

describe('populations.series', () => {
  it('follows each population by position through a series whose rank order changes, against sample age', async () => {
    const { db } = await testDb();
    await store(db, cheeseSeriesEnvelopes({ instrument: 'minispec-1', sample: 'gouda-A', days, start }));
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const out = await caller.populations.series({});
    expect(out.experiment).toBe('T1-T2');
    expect(out.axes).toEqual(['T1', 'T2']);
    expect(out.groups).toHaveLength(1);
    const g = out.groups[0]!;
    expect(g.group).toBe('gouda-A');
    expect(g.acquisitions).toBe(days.length);
    expect(g.populations).toHaveLength(3);
    expect(g.events).toEqual([]);
    for (const p of g.populations) {
      expect(p.points).toHaveLength(days.length);
      expect(p.points.map((q) => q.ageDays)).toEqual(days);
      // one population: every point within the jitter of its centre
      for (const q of p.points) {
        expect(Math.abs(Math.log10(q.position.T1! / p.centre.T1!))).toBeLessThan(0.05);
        expect(q.widthDecades.T2).toBeCloseTo(0.08, 12);
      }
    }
    // water: largest at first, smallest of the three big ones at the end — one line throughout
    const water = g.populations.find((p) => p.centre.T1! > 0.25)!;
    const fat = g.populations.find((p) => p.centre.T1! < 0.12)!;
    expect(water.points[0]!.fraction).toBeGreaterThan(fat.points[0]!.fraction);
    expect(water.points.at(-1)!.fraction).toBeLessThan(fat.points.at(-1)!.fraction);
    expect(water.label).toBe(`population ${water.id + 1}`);
    // small multiples: 8 maps spread over the 12 acquisitions, first and last included, each population placed
    expect(g.snapshots).toHaveLength(8);
    expect(g.snapshots[0]!.ageDays).toBe(0);
    expect(g.snapshots.at(-1)!.ageDays).toBe(66);
    for (const snap of g.snapshots) {
      expect(snap.thumbnail?.kind).toBe('map');
      expect(snap.populations.map((p) => p.label).sort()).toEqual(g.populations.map((p) => p.label).sort());
    }
  });

  it('keeps the names users give, for later batches of the same sample family, and says what is new', async () => {
    const { db } = await testDb();
    await store(db, cheeseSeriesEnvelopes({ instrument: 'minispec-1', sample: 'gouda-A', days, start }));
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    const first = (await caller.populations.series({})).groups[0]!;
    const byT1 = (t1: number) => first.populations.find((p) => Math.abs(Math.log10(p.centre.T1! / t1)) < 0.1)!;
    for (const [name, t1] of [
      ['water', 0.32],
      ['protein-bound water', 0.16],
      ['fat', 0.1],
    ] as const) {
      await saveName(db, { experiment: 'T1-T2', scope: 'gouda', name, centre: centreForName(byT1(t1).centre) });
    }
    // a second batch, with a fourth population from day 9 on
    await store(
      db,
      cheeseSeriesEnvelopes({
        instrument: 'minispec-1',
        sample: 'gouda-B',
        days,
        start: new Date('2026-10-01T09:00:00Z'),
        extraFrom: 9,
      }),
    );
    const out = await caller.populations.series({ samplePrefix: 'gouda' });
    expect(out.groups.map((g) => g.group)).toEqual(['gouda-A', 'gouda-B']);
    for (const g of out.groups) {
      const names = g.populations.map((p) => p.name).filter(Boolean);
      expect(names.sort()).toEqual(['fat', 'protein-bound water', 'water']);
      expect(g.populations.find((p) => p.name === 'water')!.centre.T1).toBeCloseTo(0.32, 1);
    }
    const b = out.groups[1]!;
    expect(b.populations).toHaveLength(4);
    expect(b.events).toEqual([expect.objectContaining({ kind: 'new', ageDays: 12, label: 'population 4' })]);
    // another sample family does not get them; renaming moves the name, forgetting drops it
    expect(
      (await caller.populations.series({ samplePrefix: 'gouda-A' })).groups[0]!.populations.every((p) => p.name),
    ).toBe(true);
    await store(db, cheeseSeriesEnvelopes({ instrument: 'minispec-1', sample: 'edam-A', days: [0, 3], start }));
    const edam = (await caller.populations.series({ samplePrefix: 'edam' })).groups[0]!;
    expect(edam.populations.some((p) => p.name)).toBe(false);
    const water = out.groups[0]!.populations.find((p) => p.name === 'water')!;
    await forgetName(db, water.nameId!);
    const after = (await caller.populations.series({ samplePrefix: 'gouda-A' })).groups[0]!;
    expect(
      after.populations
        .filter((p) => p.name)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['fat', 'protein-bound water']);
  });

  it('refuses what it cannot use', async () => {
    const { db } = await testDb();
    const caller = createCaller({ db, bus: new ChangeBus(), user: testUser('viewer') });
    expect((await caller.populations.series({})).groups).toEqual([]);
    await expect(caller.populations.series({ ageWord: 'd(a+)+y' })).rejects.toThrow();
    await expect(caller.populations.series({ radius: 0 })).rejects.toThrow();
    await expect(saveName(db, { experiment: 'T1-T2', scope: '', name: ' ', centre: { T1: -0.5 } })).rejects.toThrow(
      /a name is needed/,
    );
    await expect(saveName(db, { experiment: 'T1-T2', scope: '', name: 'x', centre: {} })).rejects.toThrow(/axis/);
  });
});
