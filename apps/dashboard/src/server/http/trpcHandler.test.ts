/**
 * The tRPC HTTP handler as the route serves it (Fetch Request in, Response out) on a real PGlite: bad input is a
 * 400 with a short message, a database failure a 500 that names no SQL, batches and responses are capped, and the
 * live feed admits a bounded number of streams per client and in all.
 */
import { sql } from 'drizzle-orm';
import superjson from 'superjson';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDb } from '../../test/db';
import { seedFleet } from '../../test/seed';
import { appRouter } from '../api/root';
import type { Context } from '../api/trpc';
import { ChangeBus } from '../bus';
import type { Db } from '../db/client';
import { LiveLimiter } from './liveLimiter';
import { createTrpcHandler } from './trpcHandler';
import { testUser } from '../../test/users';

let db: Db;
const bus = new ChangeBus();
beforeAll(async () => {
  db = (await testDb()).db;
  await seedFleet(db);
});
afterEach(() => vi.restoreAllMocks());

const handlerFor = (opts: { ctx?: () => Promise<Context>; live?: LiveLimiter; maxResponseBytes?: number } = {}) =>
  createTrpcHandler({
    router: appRouter,
    createContext: opts.ctx ?? (async () => ({ db, bus, user: testUser('viewer') })),
    live: opts.live ?? new LiveLimiter(4, 100),
    maxResponseBytes: opts.maxResponseBytes,
  });

const url = (path: string, input?: unknown, raw = false) =>
  `http://localhost/api/trpc/${path}` +
  (input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(raw ? input : superjson.serialize(input)))}`);

const call = (handler: ReturnType<typeof handlerFor>, path: string, input?: unknown, init: RequestInit = {}) =>
  handler(new Request(url(path, input), init));

/** Nothing internal in a body: no SQL, no parameters, no stack, no file paths. */
function expectNothingInternal(body: string) {
  expect(body).not.toMatch(/select |from "|Failed query|params:|\bat \w+ \(|node_modules|\.ts:\d+|"stack"/i);
}

describe('tRPC over HTTP', () => {
  it('answers a 201-character filter, a NUL and malformed dates with 400 and a short message', async () => {
    const h = handlerFor();
    const cases: [string, unknown, RegExp][] = [
      ['instrument.acquisitions', { id: 'minispec-1', sample: 'x'.repeat(201) }, /^sample: .*200/],
      ['trends.series', { samplePrefix: 'x'.repeat(201) }, /^samplePrefix: /],
      ['instrument.acquisitions', { id: 'minispec-1', sample: 'a\u0000b' }, /control characters/],
      ['trends.series', { from: 'garbage' }, /^from: a date/],
      ['trends.series', { from: '2026-02-30T00:00:00Z' }, /^from: a date/],
      ['trends.series', { to: new Date(8.64e15) }, /^to: a date between 1970-01-01 and 9999-12-31/],
      ['fleet.list', { now: new Date(-8.64e15) }, /^now: a date between/],
      ['instrument.daily', { id: 'minispec-1', now: new Date(Number.NaN) }, /^now: /],
      ['instrument.acquisitions', { id: 'minispec-1', limit: 1e9 }, /^limit: /],
      ['trends.series', { limit: 50_000 }, /^limit: .*5000/],
      ['trends.series', { quantity: 'drop table' }, /^quantity: /],
      ['acquisition.get', { key: 'x' }, /^key: a result key/],
      ['instrument.get', { id: 'a/b' }, /^id: instrument id/],
      ['trends.series', { sampel: 'typo' }, /sampel/],
    ];
    for (const [path, input, message] of cases) {
      const res = await call(h, path, input);
      const body = await res.text();
      expect(res.status, `${path} ${body}`).toBe(400);
      const err = JSON.parse(body).error.json;
      expect(err.data.code).toBe('BAD_REQUEST');
      expect(err.message, path).toMatch(message);
      expect(err.message.length).toBeLessThanOrEqual(300);
      expectNothingInternal(body);
    }
    // and the plain-JSON form of a date (no superjson) is understood
    const ok = await h(
      new Request(url('trends.series', { json: { from: '2026-11-19', to: '2026-11-21T00:00:00Z' } }, true)),
    );
    expect(ok.status).toBe(200);
    const points = superjson.deserialize<{ sample: string }[]>((await ok.json()).result.data);
    expect(points.map((p) => p.sample)).toEqual(['cheese-A', 'cheese-B', 'cheese-A']);
  });

  it('turns a database failure into a 500 that names no SQL, and logs the detail with a reference', async () => {
    const h = handlerFor();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    // A real database failure: the table is missing (say, a migration that did not run).
    await db.execute(sql`alter table acquisitions rename to acquisitions_away`);
    let res: Response;
    let body: string;
    try {
      res = await call(h, 'instrument.acquisitions', { id: 'minispec-1', sample: 'cheese' });
      body = await res.text();
    } finally {
      await db.execute(sql`alter table acquisitions_away rename to acquisitions`);
    }
    expect(res.status).toBe(500);
    const err = JSON.parse(body).error.json;
    expect(err.message).toMatch(/^internal server error \(ref [0-9a-f]{8}\)$/);
    expect(err.data).toEqual({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: 'instrument.acquisitions' });
    expectNothingInternal(body);
    expect(body).not.toContain('cheese');
    const ref = /ref ([0-9a-f]{8})/.exec(err.message)![1]!;
    const line = logged.mock.calls.find((c) => String(c[0]).includes(ref));
    expect(String(line?.[0])).toContain('instrument.acquisitions');
    expect(String((line?.[1] as Error | undefined)?.message)).toMatch(/acquisitions/); // the detail stays here
  });

  it('allows 10 calls per batch and refuses 11 with 400', async () => {
    const h = handlerFor();
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => 'fleet.list').join(',');
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, superjson.serialize({})]));
      return h(
        new Request(`http://localhost/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`),
      );
    };
    const ten = await batch(10);
    expect(ten.status).toBe(200);
    expect(await ten.json()).toHaveLength(10);
    const eleven = await batch(11);
    expect(eleven.status).toBe(400);
    expect((await eleven.json()).error.json.message).toMatch(/Batch call exceeds maximum size/);
    const fifty = await batch(50);
    expect(fifty.status).toBe(400);
    expect((await fifty.text()).length).toBeLessThan(300);
  });

  it('refuses a response over the size limit with 413, and says no-store', async () => {
    const full = await call(handlerFor(), 'trends.series', {});
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toBe('no-store');
    const size = (await full.arrayBuffer()).byteLength;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const capped = await call(handlerFor({ maxResponseBytes: size - 1 }), 'trends.series', {});
    expect(capped.status).toBe(413);
    expect((await capped.json()).error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
    expect(warn).toHaveBeenCalledOnce();
  });

  it('caps live-feed streams per client (429) and in all (503), and frees a slot when a stream ends', async () => {
    const live = new LiveLimiter(2, 3);
    const h = handlerFor({ live });
    const open = async (client: string) => {
      const ac = new AbortController();
      const res = await h(
        new Request(url('live.changes'), { headers: { 'x-forwarded-for': client }, signal: ac.signal }),
      );
      return { res, ac };
    };
    const a1 = await open('10.0.0.1');
    const a2 = await open('10.0.0.1');
    expect([a1.res.status, a2.res.status]).toEqual([200, 200]);
    expect(a1.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await a1.res.body!.getReader().read(); // the stream is live: tRPC's "connected" event
    expect(new TextDecoder().decode(first.value)).toContain('event: connected');
    const a3 = await open('10.0.0.1');
    expect(a3.res.status).toBe(429);
    expect(a3.res.headers.get('retry-after')).toBe('30');
    expect((await a3.res.json()).error.json.data.code).toBe('TOO_MANY_REQUESTS');
    // a proxy's X-Forwarded-For: the last entry (the address the proxy saw) is the client
    const b1 = await open('1.2.3.4, 10.0.0.2');
    expect(b1.res.status).toBe(200);
    expect(live.openOf('10.0.0.2')).toBe(1);
    const c1 = await open('10.0.0.3');
    expect(c1.res.status).toBe(503);
    expect(live.open).toBe(3);
    // the client goes away: its slot is free again
    a2.ac.abort();
    await vi.waitFor(() => expect(live.open).toBe(2));
    const c2 = await open('10.0.0.3');
    expect(c2.res.status).toBe(200);
    // a stream cancelled by its reader frees its slot too
    await c2.res.body!.cancel();
    await vi.waitFor(() => expect(live.openOf('10.0.0.3')).toBe(0));
    // bad input to the subscription: EventSource cannot read an error status, so tRPC answers 200 with one error
    // event (BAD_REQUEST, no detail) and ends the stream, which frees its slot
    const bad = await h(new Request(url('live.changes', { lastEventId: 'x'.repeat(33) })));
    const events = await bad.text();
    expect(events).toContain('BAD_REQUEST');
    expect(events).toContain('lastEventId: Too big');
    expectNothingInternal(events);
    expect(live.open).toBe(2);
    for (const s of [a1, b1]) s.ac.abort();
    await vi.waitFor(() => expect(live.open).toBe(0));
  });
});
