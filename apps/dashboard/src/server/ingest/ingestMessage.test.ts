import { afterEach, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { testDb } from '../../test/db';
import { envelope, json } from '../../test/fixtures';
import type { DbHandle } from '../db/client';
import { acquisitions, instruments, peaks, rejectedMessages } from '../db/schema';
import { dbErrorDetail, dbErrorLogText, isTransientDbError, sqlState } from './dbErrors';
import { ingestMessage } from './ingestMessage';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test edits reach anywhere in a document
type Loose = any;

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
    expect(top.t1WidthDecades).toBeCloseTo(env.document.peaks[0]!.widthDecades!.T1!, 12);
    expect(top.t2WidthDecades).toBeCloseTo(env.document.peaks[0]!.widthDecades!.T2!, 12);
    expect(top.dWidthDecades).toBeNull();
    expect(top.dUncDecades).toBeNull();
    const [stored] = await h.db.select().from(acquisitions);
    expect(stored!.sample).toBe('one'); // the folder name, as the document carries no sample
    expect(stored!.experiment).toBe('T1-T2');
  });

  it('orders status by receipt, not by the producer clock: a Last Will stamped early still turns it offline', async () => {
    h = await testDb();
    const topic = 'lapis/v1/bench-2/status';
    const at = (m: number) => ({ now: new Date(Date.UTC(2026, 10, 21, 12, m)) });
    const put = (state: 'online' | 'offline', stamped: string, m: number) =>
      ingestMessage(h!.db, topic, status('bench-2', state, stamped), at(m));
    expect((await put('online', '2026-11-21T10:00:00Z', 0)).status).toBe('accepted');
    await put('offline', '2026-11-21T11:00:00Z', 1);
    // The agent's Last Will is built when it connects, so it is stamped before its own "online" — and arrives last.
    await put('online', '2026-11-21T11:30:00.500Z', 2);
    await put('offline', '2026-11-21T11:30:00.000Z', 3);
    let [row] = await h.db.select().from(instruments);
    expect(row!.state).toBe('offline');
    expect(row!.stateReason).toBe('connection lost');
    expect(row!.version).toBe('0.1.0');
    // A copy received earlier (a message retried from ingest_parked keeps its receipt time) does not undo it.
    await put('online', '2026-11-21T11:40:00Z', 2);
    [row] = await h.db.select().from(instruments);
    expect(row!.state).toBe('offline');
  });

  it('refuses a status or heartbeat from the year 9999: it cannot pin the state or freeze the counters', async () => {
    h = await testDb();
    const now = { now: new Date('2026-12-06T12:00:00Z') };
    const far = await ingestMessage(h.db, 'lapis/v1/m2/status', status('m2', 'offline', '9999-12-31T23:59:59Z'), now);
    expect(far).toMatchObject({ status: 'rejected', reason: 'implausible-time' });
    if (far.status === 'rejected') expect(far.detail).toMatch(/years ahead of the dashboard's clock/);
    expect(
      (await ingestMessage(h.db, 'lapis/v1/m2/status', status('m2', 'online', '2026-12-06T11:59:00Z'), now)).status,
    ).toBe('accepted');
    const hb = (at: string, processed: number) =>
      json({ instrument: 'm2', at, uptimeSeconds: 5, processed, failed: 0, queued: 0, outboxDepth: 0 });
    const frozen = await ingestMessage(h.db, 'lapis/v1/m2/heartbeat', hb('9999-12-31T00:00:00Z', 1), now);
    expect(frozen).toMatchObject({ status: 'rejected', reason: 'implausible-time' });
    const year0 = await ingestMessage(h.db, 'lapis/v1/m2/heartbeat', hb('0000-01-01T00:00:00Z', 1), now);
    expect(year0).toMatchObject({ status: 'rejected', reason: 'implausible-time' });
    // A heartbeat stamped a little in the future (clock skew within a day), then one stamped earlier but received
    // later: the later one's counters are shown.
    await ingestMessage(h.db, 'lapis/v1/m2/heartbeat', hb('2026-12-06T18:00:00Z', 7), now);
    await ingestMessage(h.db, 'lapis/v1/m2/heartbeat', hb('2026-12-06T12:00:30Z', 8), {
      now: new Date('2026-12-06T12:00:31Z'),
    });
    const [row] = await h.db.select().from(instruments);
    expect(row!.state).toBe('online');
    expect(row!.processed).toBe(8);
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

describe('ingestMessage on hostile input (issue 18)', () => {
  const topic = 'lapis/v1/minispec-1/result';
  const now = { now: new Date('2026-12-06T12:00:00Z') };
  let n = 0;
  /** A valid envelope changed by `edit`, serialised, then changed as text by `raw` (escapes JSON.stringify won't write). */
  const result = (edit: (e: Record<string, Loose>) => void, raw: (s: string) => string = (s) => s) => {
    const env = structuredClone(envelope({ seed: `hostile-${n++}` })) as Record<string, Loose>;
    edit(env);
    return Buffer.from(raw(JSON.stringify(env)));
  };
  const cases: [string, Uint8Array, string][] = [
    ['NUL in the sample', result((e) => (e.document.sample = 'cheese\u0000A')), 'invalid-text'],
    ['escaped NUL in a key', result((e) => (e.document['k\u0000'] = 1)), 'invalid-text'],
    ['lone high surrogate', result((e) => (e.path = '/data/\ud800x')), 'invalid-text'],
    [
      'lone low surrogate as an escape',
      result(
        (e) => (e.site = 'S'),
        (s) => s.replace('"S"', '"\\udc00"'),
      ),
      'invalid-text',
    ],
    ['an escape character', result((e) => (e.document.warnings = ['\u001b[31mred'])), 'invalid-text'],
    [
      'bytes that are not UTF-8',
      Buffer.concat([result(() => {}).subarray(0, 40), Buffer.from([0xc3, 0x28])]),
      'invalid-text',
    ],
    ['year 0000', result((e) => (e.producedAt = '0000-01-01T00:00:00Z')), 'implausible-time'],
    ['year 9999', result((e) => (e.producedAt = '9999-12-31T23:59:59Z')), 'implausible-time'],
    [
      '50,000-deep nesting',
      result(
        (e) => (e.document.x = 0),
        (s) => s.replace('"x":0', `"x":${'['.repeat(50_000)}${']'.repeat(50_000)}`),
      ),
      'too-deep',
    ],
    ['T1 = 1e308', result((e) => (e.document.peaks[0].position.T1 = 1e308)), 'implausible-value'],
    ['map value 1.7e308', result((e) => (e.document.distribution[3][4] = 1.7e308)), 'implausible-value'],
    [
      'map value 1.8e308 (Infinity)',
      result(
        (e) => (e.document.distribution[3][4] = 1),
        (s) => s.replace(/("distribution":\[\[)[^,]+/, '$1-1.8e308'),
      ),
      'implausible-value',
    ],
    ['residual 1e308', result((e) => (e.document.fit.relativeResidual = 1e308)), 'implausible-value'],
    ['residual 5000 %', result((e) => (e.document.fit.relativeResidual = 50)), 'implausible-value'],
    ['a T2 axis value of 0', result((e) => (e.document.axes[1].values[0] = 0)), 'implausible-value'],
    ['a 5 kB path', result((e) => (e.path = `/d/${'x'.repeat(5000)}`)), 'implausible-value'],
    ['a fraction spread of 3', result((e) => (e.document.peaks[0].uncertainty.fractionSd = 3)), 'implausible-value'],
  ];
  it.each(cases)(
    'refuses %s with its reason, quickly, saying nothing of the content',
    async (_name, payload, reason) => {
      h = await testDb();
      const t0 = performance.now();
      const out = await ingestMessage(h.db, topic, payload, now);
      const took = performance.now() - t0;
      expect(out).toMatchObject({ status: 'rejected', reason });
      if (out.status !== 'rejected') return;
      expect(out.detail.length).toBeLessThan(300);
      // eslint-disable-next-line no-control-regex -- control characters are what must not show
      expect(out.detail).not.toMatch(/insert|select|cheese|\u0000|\u001b|xxxx/i);
      expect(took).toBeLessThan(500); // typically 1–5 ms; no database round trip was made
      const [a] = await h.db.select({ n: count() }).from(acquisitions);
      expect(a!.n).toBe(0);
    },
  );

  it('refuses implausible heartbeat counters, and a T2–T2 second uncertainty that is not a number', async () => {
    h = await testDb();
    const hb = json({
      instrument: 'x1',
      at: '2026-12-06T11:00:00Z',
      uptimeSeconds: 5,
      processed: 1e10,
      failed: 0,
      queued: 0,
      outboxDepth: 0,
    });
    expect(await ingestMessage(h.db, 'lapis/v1/x1/heartbeat', hb, now)).toMatchObject({
      status: 'rejected',
      reason: 'implausible-value',
    });
    // The schema checks the positions of a T2–T2 map; the uncertainty's T2_2 (a loose key) only the plausibility.
    const t2t2 = (unc: unknown) =>
      result((e) => {
        e.document.axes[0].name = 'T2';
        e.document.experiment = 'T2-T2';
        for (const p of e.document.peaks) {
          p.position = { T2: p.position.T2, T2_2: p.position.T1 };
          p.uncertainty.positionUncertaintyDecades = { T2: 0.01, T2_2: unc };
          delete p.t1t2Ratio;
        }
      });
    expect((await ingestMessage(h.db, topic, t2t2(0.02), now)).status).toBe('accepted');
    const [peak] = await h.db.select().from(peaks).where(eq(peaks.rank, 0));
    expect(peak!.t2bUncDecades).toBe(0.02);
    expect(await ingestMessage(h.db, topic, t2t2('wide'), now)).toMatchObject({
      status: 'rejected',
      reason: 'implausible-value',
    });
  });
});

describe('database errors', () => {
  it('tells transient from permanent and says nothing of the query', async () => {
    h = await testDb();
    const caught = await h.db.execute(sql`select ${'a\u0000b'}::text`).catch((e: unknown) => e);
    expect(isTransientDbError(caught)).toBe(false);
    expect(sqlState(caught)).toBe('22021');
    expect(dbErrorDetail(caught, false)).toBe(
      'the database refused the write (SQLSTATE 22021); details in the server log',
    );
    expect(dbErrorLogText(caught)).toMatch(/^SQLSTATE 22021: invalid byte sequence/);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isTransientDbError(new Error('Failed query', { cause: refused }))).toBe(true);
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('x'), { code: '40001' }))).toBe(true);
    expect(isTransientDbError(new RangeError('Maximum call stack size exceeded'))).toBe(false);
  });
});
