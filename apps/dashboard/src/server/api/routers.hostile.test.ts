/**
 * Every procedure of the app router under hostile input (fast-check): wrong types, long strings, control and
 * bidirectional characters, lone surrogates, LIKE wildcards, malformed and out-of-range dates, huge and
 * non-finite numbers, nested objects, extra keys — beside near-valid inputs that reach the database. Each call,
 * in-process on a seeded PGlite, either succeeds or fails with BAD_REQUEST or NOT_FOUND: never a server error.
 * The same inputs through the HTTP handler give 200/400/404 and a body that names nothing internal.
 */
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { SEEDED_SPECTRUM, seedFleet } from '../../test/seed';
import { ChangeBus } from '../bus';
import type { Db } from '../db/client';
import { LiveLimiter } from '../http/liveLimiter';
import { createTrpcHandler } from '../http/trpcHandler';
import { createCaller, appRouter } from './root';
import { testUser } from '../../test/users';

const RUNS_PER_PROCEDURE = 100;
const HTTP_RUNS = 150;

let db: Db;
const bus = new ChangeBus();
beforeAll(async () => {
  db = (await testDb()).db;
  await seedFleet(db);
});

// ---- hostile values ------------------------------------------------------------------------------------------
const nastyChars = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200f',
  '\ud800',
  '\udfff',
  '\ufeff',
  '%',
  '_',
  '\\',
  "'",
  '"',
  "'; drop table acquisitions; --",
  '$1',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  '🧀',
);
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 195, maxLength: 210 }), // around the 200-character limit
  fc.string({ minLength: 1000, maxLength: 5000 }),
  fc.array(fc.oneof(nastyChars, fc.string({ maxLength: 5 })), { maxLength: 8 }).map((a) => a.join('')),
);
const hostileDate = fc.oneof(
  fc.date({ noInvalidDate: false }), // the whole ±8.64e15 ms range, and Invalid Date
  fc.date({ min: new Date('1969-12-01'), max: new Date('1970-01-02') }),
  fc.date({ min: new Date('9999-12-30'), max: new Date('+010000-01-02') }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    'garbage',
    '2026-13-45',
    '2026-02-30T00:00:00Z',
    '2026-11-21T25:00:00Z',
    '2026-11-21T10:00:00', // no offset
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '0000-01-01',
    '',
    '2026-11-21T10:00:00+99:00',
  ),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 53, 2 ** 53 + 2, 1e308, -1, 0.5, 1e9),
  fc.bigInt(),
);
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});
/** Values known to have broken a procedure once, so that every run meets them often. */
const knownBad = fc.constantFrom<unknown>(
  'a\u0000b',
  'x'.repeat(201),
  new Date('+010000-01-01T00:00:00Z'),
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date(Number.NaN),
  '+275760-09-13T00:00:00.000Z',
  Number.NaN,
  1e9,
  { $gt: '' },
  ['minispec-1'],
);
const hostile = fc.oneof(
  { weight: 3, arbitrary: knownBad },
  { weight: 2, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileDate },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 2, arbitrary: anything },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);

/**
 * An input object from plausible fields: as is, with one field made hostile, with an extra key, with every field
 * hostile, or not an object at all.
 */
const inputOf = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) => {
  const valid = fc.record(fields, { requiredKeys: required });
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    {
      weight: 4,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...Object.keys(fields)), hostile)
        .map(([o, k, v]) => ({ ...o, [k]: v })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.string({ minLength: 1, maxLength: 12 }), hostile)
        .map(([o, k, v]) => ({ ...o, [k]: v })),
    },
    { weight: 1, arbitrary: fc.record(Object.fromEntries(Object.keys(fields).map((k) => [k, hostile]))) },
    { weight: 1, arbitrary: hostile },
  );
};

const instrumentId = fc.constantFrom('minispec-1', 'bench-2', 'nobody', 'a.b_c-d', 'x'.repeat(64));
const experiment = fc.constantFrom('T1', 'T2', 'D', 'T1-T2', 'D-T2', 'T2-T2');
const sampleText = fc.oneof(
  fc.constantFrom('cheese', 'CHEESE-a', '%', '_', '\\', 'ü', '\u202echeese'),
  fc.string({ maxLength: 20 }),
);
const validDate = fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true });
const key = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
  fc.constantFrom('6c2e84219de2a9e09cf0ad325328083e88989a79404b17cba158e1cd07e8636a'),
);

/** Result keys and the seeded spectrum's: byKey reaches a stored row as well as NOT_FOUND. */
const spectrumKey = fc.oneof(key, fc.constant(SEEDED_SPECTRUM.key));
/** A ppm range as a viewer sends it, or reversed, or not finite. */
const ppmPair = fc.tuple(fc.double({ min: -50, max: 250 }), fc.double({ min: -50, max: 250 }));

const inputs: Record<string, fc.Arbitrary<unknown>> = {
  'fleet.list': fc.oneof(fc.constant(undefined), inputOf({ now: validDate })),
  'fleet.ingest': fc.oneof(fc.constant(undefined), hostile),
  'instrument.get': inputOf({ id: instrumentId }, ['id']),
  'instrument.acquisitions': inputOf(
    {
      id: instrumentId,
      experiment: experiment,
      sample: sampleText,
      limit: fc.integer({ min: 1, max: 1000 }),
    },
    ['id'],
  ),
  'instrument.daily': inputOf(
    {
      id: instrumentId,
      days: fc.integer({ min: 1, max: 365 }),
      now: validDate,
    },
    ['id'],
  ),
  'acquisition.get': inputOf({ key: key }, ['key']),
  'spectrum.byKey': inputOf({ key: spectrumKey }, ['key']),
  'spectrum.region': inputOf({ key: spectrumKey, shift: ppmPair, shift1: ppmPair, shift2: ppmPair }, ['key']),
  'spectrum.recent': inputOf({ instrumentId: instrumentId, limit: fc.integer({ min: 1, max: 500 }) }, ['instrumentId']),
  'spectrum.latest': fc.oneof(fc.constant(undefined), inputOf({ now: validDate })),
  'trends.series': inputOf({
    quantity: fc.constantFrom('fraction', 't1', 't2', 'd', 't1t2Ratio', 'amplitude'),
    orderBy: fc.constantFrom('rank', 't2', 't1', 'd'),
    peak: fc.integer({ min: 0, max: 20 }),
    groupBy: fc.constantFrom('sample', 'instrument'),
    instrument: instrumentId,
    experiment: experiment,
    samplePrefix: sampleText,
    from: validDate,
    to: validDate,
    limit: fc.integer({ min: 1, max: 5000 }),
  }),
  'populations.series': inputOf({
    experiment: fc.oneof(experiment, sampleText),
    groupBy: fc.constantFrom('sample', 'instrument'),
    instrument: instrumentId,
    samplePrefix: sampleText,
    from: validDate,
    to: validDate,
    radius: fc.double({ min: 0.02, max: 1, noNaN: true }),
    maxGap: fc.integer({ min: 0, max: 10 }),
    ageWord: fc.constantFrom('day', 'age', 'Week', 'd(a+)+y', ''),
    ageUnit: fc.constantFrom('h', 'd', 'wk', 'years'),
    limit: fc.integer({ min: 1, max: 2000 }),
  }),
  'live.changes': fc.oneof(fc.constant(undefined), inputOf({ lastEventId: fc.string({ maxLength: 10 }) })),
  'acquisition.versions': inputOf({ key: key }, ['key']),
  'reprocess.recent': fc.oneof(fc.constant(undefined), inputOf({ limit: fc.integer({ min: 1, max: 200 }) })),
  'reprocess.request': fc.oneof(
    inputOf(
      { keys: fc.array(key, { minLength: 1, maxLength: 3 }), method: fc.constantFrom('tikhonov', 'dl', 'magic') },
      ['keys'],
    ),
    inputOf(
      {
        filter: inputOf({ instrument: instrumentId, sample: sampleText, experiment: experiment, from: validDate }, [
          'instrument',
        ]),
        method: fc.constantFrom('upen', undefined),
      },
      ['filter'],
    ),
  ),
  'alerts.open': fc.oneof(fc.constant(undefined), hostile),
  'alerts.acknowledge': inputOf({ incidentId: fc.oneof(fc.integer({ min: -5, max: 1e6 }), fc.double()) }, [
    'incidentId',
  ]),
  'alerts.mute': fc.oneof(
    // a valid request as well, so every run reaches the database (random fields rarely are all valid at once)
    fc.constant({ instrument: 'minispec-1', kind: 'offline', hours: 4 }),
    inputOf(
      {
        instrument: instrumentId,
        kind: fc.constantFrom('offline', 'outbox', 'Bad Kind', 'x'.repeat(50)),
        hours: fc.oneof(fc.constantFrom(1, 4, 24), fc.double({ min: -10, max: 1e4, noNaN: true })),
      },
      ['instrument', 'hours'],
    ),
  ),
  'alerts.unmute': inputOf({ muteId: fc.integer({ min: -5, max: 1e6 }) }, ['muteId']),
  'qc.charts': fc.oneof(fc.constant(undefined), hostile),
  'qc.create': fc.oneof(
    fc.constant({ name: 'water', samplePrefix: 'cheese', quantity: 'mean:T2', baselineCount: 20 }),
    inputOf(
      {
        name: sampleText,
        samplePrefix: sampleText,
        instrument: instrumentId,
        experiment: experiment,
        quantity: fc.constantFrom('mean:T2', 'main:fraction', 'median:T2'),
        baselineCount: fc.integer({ min: 0, max: 300 }),
      },
      ['name', 'samplePrefix', 'quantity'],
    ),
  ),
  'qc.retire': inputOf({ id: fc.integer({ min: -5, max: 1e6 }) }, ['id']),
  'admin.users': fc.oneof(fc.constant(undefined), hostile),
  'admin.audit': fc.oneof(
    fc.constant(undefined),
    inputOf({ limit: fc.integer({ min: 1, max: 500 }), before: fc.integer({ min: 1, max: 1e9 }) }),
  ),
  'admin.addUser': inputOf(
    {
      email: fc.oneof(
        fc.emailAddress(),
        fc.nat(1e6).map((n) => `person${n}@example.org`),
        fc.constantFrom('someone@example.org', 'SOMEONE@example.org'),
        sampleText,
      ),
      name: sampleText,
      role: fc.constantFrom('viewer', 'manager', 'admin', 'root'),
      password: fc.oneof(fc.string({ minLength: 8, maxLength: 40 }), fc.constant('a long enough password')),
    },
    ['email', 'role', 'password'],
  ),
  'admin.setRole': inputOf(
    { userId: fc.oneof(instrumentId, fc.constant('test-admin')), role: fc.constantFrom('viewer', 'admin', 'x') },
    ['userId', 'role'],
  ),
  'admin.removeUser': inputOf({ userId: fc.oneof(instrumentId, fc.constant('test-admin')) }, ['userId']),
};

// ---- calling -----------------------------------------------------------------------------------------------------
type Outcome = 'ok' | 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT';
const tally: Record<string, Record<string, number>> = {};

async function callInProcess(path: string, input: unknown): Promise<Outcome> {
  const ac = new AbortController();
  const caller = createCaller(
    { db, bus, user: testUser('admin'), publish: async () => {} },
    { signal: ac.signal },
  ) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [router, proc] = path.split('.') as [string, string];
  try {
    const out = await caller[router]![proc]!(input);
    if (out && typeof out === 'object' && Symbol.asyncIterator in out) {
      ac.abort(); // a subscription: admitted, then the client goes away
      await (out as AsyncIterable<unknown>)[Symbol.asyncIterator]().return?.();
    }
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError && (err.code === 'BAD_REQUEST' || err.code === 'NOT_FOUND' || err.code === 'CONFLICT'))
      return err.code;
    throw new Error(`${path}(${describe_(input)}) threw ${err instanceof TRPCError ? err.code : ''} ${err}`, {
      cause: err,
    });
  } finally {
    ac.abort();
  }
}

const describe_ = (v: unknown) => {
  try {
    return fc.stringify(v).slice(0, 300);
  } catch {
    return String(v);
  }
};

describe('every procedure under hostile input', () => {
  it('covers every procedure of the app router', () => {
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  for (const [path, arb] of Object.entries(inputs)) {
    it(`${path}: succeeds or is BAD_REQUEST/NOT_FOUND, never a server error`, async () => {
      const seen: Record<string, number> = (tally[path] = {});
      await fc.assert(
        fc.asyncProperty(arb, async (input) => {
          const outcome = await callInProcess(path, input);
          seen[outcome] = (seen[outcome] ?? 0) + 1;
        }),
        { numRuns: RUNS_PER_PROCEDURE }, // a failure prints the seed and path that replay it
      );
      // the generators reach both sides: accepted inputs that hit the database, and refused ones
      if (!['fleet.ingest', 'admin.users', 'alerts.open', 'qc.charts'].includes(path))
        expect(seen.BAD_REQUEST, JSON.stringify(seen)).toBeGreaterThan(0);
      // Changing or removing a random id never succeeds (NOT_FOUND is its accepted path).
      if (
        [
          'admin.setRole',
          'admin.removeUser',
          'reprocess.request',
          'alerts.acknowledge',
          'alerts.unmute',
          'qc.retire',
        ].includes(path)
      )
        expect(seen.NOT_FOUND, JSON.stringify(seen)).toBeGreaterThan(0);
      else expect(seen.ok, JSON.stringify(seen)).toBeGreaterThan(0);
    });
  }

  it('through HTTP: 200, 400 or 404, and nothing internal in the body', async () => {
    const handler = createTrpcHandler({
      router: appRouter,
      createContext: async () => ({ db, bus, user: testUser('admin') }),
      live: new LiveLimiter(1000, 1000),
    });
    const queries = Object.entries(inputs).filter(([p]) => p !== 'live.changes');
    const request = fc.oneof(
      // superjson-encoded hostile input to a procedure
      fc
        .tuple(fc.constantFrom(...queries.map(([p]) => p)), fc.constantFrom(...queries.map(([, a]) => a)))
        .chain(([p, a]) =>
          a.map((input) => {
            let enc: string;
            try {
              enc = JSON.stringify(superjson.serialize(input));
            } catch {
              enc = JSON.stringify({ json: null });
            }
            return `/api/trpc/${p}?input=${encodeURIComponent(enc)}`;
          }),
        ),
      // raw text where the JSON input goes, and odd paths
      fc
        .tuple(fc.constantFrom(...queries.map(([p]) => p)), fc.string({ unit: 'binary', maxLength: 200 }))
        .map(([p, s]) => `/api/trpc/${p}?input=${encodeURIComponent(s)}`),
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `/api/trpc/${encodeURIComponent(s)}`),
    );
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (path) => {
        const res = await handler(new Request(`http://localhost${path}`));
        const body = await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        expect([200, 400, 404, 405], `${path} → ${res.status} ${body.slice(0, 300)}`).toContain(res.status);
        expect(body).not.toMatch(/Failed query|select |params:|"stack"|node_modules/);
      }),
      { numRuns: HTTP_RUNS },
    );
    tally.http = statuses;
    expect(statuses[400]).toBeGreaterThan(0);
  });

  afterAll(() => {
    const total = Object.entries(tally)
      .filter(([k]) => k !== 'http')
      .reduce((s, [, t]) => s + Object.values(t).reduce((a, b) => a + b, 0), 0);
    console.info(`hostile inputs: ${total} in-process calls`, JSON.stringify(tally));
  });
});
