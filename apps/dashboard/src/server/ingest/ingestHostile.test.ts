/**
 * Generated hostile messages (fast-check) through ingestMessage on PGlite: valid result, status, heartbeat and
 * event payloads mutated — control characters, lone surrogates, huge and non-finite numbers, NaN-ish strings,
 * impossible times, wrong types, deep nesting, huge arrays, broken UTF-8, odd topics. Each must be accepted with
 * plausible values in the database, or refused with a reason that is not `db-error` (every database error is one
 * the checks should have foreseen), quickly, and its refusal must be recordable.
 */
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { testDb } from '../../test/db';
import { envelope, sha } from '../../test/fixtures';
import { spectrumDoc, spectrumEnvelope } from '../../test/spectrumFixtures';
import { acquisitions, events, instruments, peaks, spectra } from '../db/schema';
import { MAX_ABS_NUMBER } from './checkPayload';
import { ingestMessage, recordRejection } from './ingestMessage';
import { BOUNDS } from './plausibility';
import type { RejectReason } from './stats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test edits reach anywhere in a document
type Loose = any;

const NOW = new Date('2026-12-06T12:00:00Z');
const RUNS = 600;

const bases = {
  result: envelope({ instrument: 'fuzz-1', seed: 'base' }) as unknown,
  // a short spectrum, so that mutations land on its fields as often as on its values
  spectrum: spectrumEnvelope({
    instrument: 'fuzz-1',
    seed: 'base',
    document: spectrumDoc({ points: 512, values: 64 }),
  }),
  status: { state: 'online', instrument: 'fuzz-1', at: '2026-12-06T11:59:00Z', site: 'B3', version: '0.1.0' },
  heartbeat: {
    instrument: 'fuzz-1',
    at: '2026-12-06T11:59:30Z',
    uptimeSeconds: 100,
    processed: 4,
    failed: 1,
    queued: 2,
    outboxDepth: 0,
    lastSuccessAt: '2026-12-06T11:58:00Z',
  },
  event: { kind: 'failed', instrument: 'fuzz-1', at: '2026-12-06T11:59:00Z', path: '/data/x', reason: 'no data file' },
};
type Channel = keyof typeof bases;

const hostileStrings = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00',
    '\udbff\udfff', // a valid pair (U+10FFFF)
    '\u001b[2J',
    '\u0007',
    '\u007f\u0085',
    '\ufeff',
    '\uffff',
    '\u202eevil',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '',
    ' '.repeat(3000),
    '🧀'.repeat(800),
    '"; drop table acquisitions; --',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const hostileNumbers = fc.oneof(
  fc.constantFrom(1e308, -1e308, 1.7976931348623157e308, 5e-324, -0, 0, -1, 1e100, 1e101, 2 ** 31, 2 ** 53 + 2, 1e20),
  fc.double(), // NaN and ±Infinity too, which JSON.stringify writes as null
  fc.integer(),
);
const hostileTimes = fc.constantFrom(
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '1999-12-31T23:59:59Z',
  '2026-12-07T11:00:00Z', // within the day of skew
  '2026-12-07T13:00:00Z', // beyond it
  '2026-02-30T00:00:00Z',
  '2026-12-06T12:00:00+14:00',
  '+275760-09-13T00:00:00Z',
  'yesterday',
);
const wrongTypes = fc.constantFrom<unknown>(null, true, [], {}, '', 0, [[]], { a: 1 }, [null]);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('string' as const), at: fc.nat(), value: hostileStrings }),
  fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: hostileNumbers }),
  fc.record({ kind: fc.constant('time' as const), at: fc.nat(), value: hostileTimes }), // a time field, see below
  fc.record({ kind: fc.constant('type' as const), at: fc.nat(), value: wrongTypes }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('hugeArray' as const), at: fc.nat(), n: fc.integer({ min: 1000, max: 40_000 }) }),
);
const rawMutation = fc.oneof(
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 60, max: 100_000 }) }),
  fc.record({
    kind: fc.constant('escape' as const),
    at: fc.nat(),
    esc: fc.constantFrom('\\u0000', '\\ud800', '\\udfff'),
  }),
  fc.record({
    kind: fc.constant('badUtf8' as const),
    at: fc.nat(),
    bytes: fc.constantFrom([0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80]),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('bigNumber' as const),
    at: fc.nat(),
    text: fc.constantFrom('1e999', '-1e400', '1.8e308'),
  }),
);
const topicChoice = fc.oneof(
  { weight: 6, arbitrary: fc.constant('ok' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'lapis/v1/+/result',
      'lapis/v1/#',
      'lapis/v1//result',
      'lapis/v2/fuzz-1/result',
      'lapis/v1/fuzz 1/result',
      'lapis/v1/fuzz-1/result/extra',
      'lapis/v1/other-2/CHANNEL', // instrument mismatch once the channel is filled in
      `lapis/v1/${'a'.repeat(65)}/result`,
      'lapis/v1/\u0000/result',
      'lapis/v1/fuzz-1/cmd/reprocess',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
);

/** Every path (keys and indices) into a JSON value, found without recursion; the root is []. */
function paths(root: unknown): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: [unknown, (string | number)[]][] = [[root, []]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((c, i) => stack.push([c, [...p, i]]));
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) stack.push([c, [...p, k]]);
  }
  return out;
}

type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

const TIME_FIELDS = ['at', 'producedAt', 'lastSuccessAt'];

function applyMutation(root: Record<string, unknown>, m: Generated<typeof mutation>): void {
  if (m.kind === 'time') {
    const fields = TIME_FIELDS.filter((k) => k in root);
    root[fields[m.at % fields.length] ?? 'at'] = m.value;
    return;
  }
  const all = paths(root).filter((p) => p.length > 0);
  const p = all[m.at % all.length]!;
  let parent: Loose = root;
  for (const k of p.slice(0, -1)) parent = parent[k];
  const last = p[p.length - 1]!;
  // a copy: constantFrom hands out the same object every time, and a later mutation must not edit (or nest) it
  const fresh = () => structuredClone((m as { value?: unknown }).value);
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      break;
    case 'add':
      if (parent && typeof parent === 'object' && !Array.isArray(parent)) parent[`x${m.at % 97}`] = fresh();
      else parent[last] = fresh();
      break;
    case 'hugeArray':
      parent[last] = Array.from({ length: m.n }, (_, i) => (m.at % 2 ? i * 1.5 : `s${i}`));
      break;
    default:
      parent[last] = fresh();
  }
}

function applyRaw(text: string, m: Generated<typeof rawMutation>): Buffer {
  const at = 'at' in m ? m.at % Math.max(1, text.length) : 0;
  switch (m.kind) {
    case 'deep':
      return Buffer.from(text.replace(/^\{/, `{"deep":${'['.repeat(m.depth)}${']'.repeat(m.depth)},`));
    case 'escape': {
      const quote = text.indexOf('"', at);
      return Buffer.from(quote < 0 ? text : `${text.slice(0, quote + 1)}${m.esc}${text.slice(quote + 1)}`);
    }
    case 'badUtf8': {
      const b = Buffer.from(text);
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    }
    case 'truncate':
      return Buffer.from(text.slice(0, at));
    case 'bigNumber':
      return Buffer.from(text.replace(/(?<=[:,[])-?\d+(\.\d+)?(e-?\d+)?(?=[,\]}])/, m.text));
  }
}

const REASONS: RejectReason[] = [
  'oversize',
  'not-json',
  'schema',
  'bad-topic',
  'instrument-mismatch',
  'unknown-instrument',
  'invalid-text',
  'too-deep',
  'implausible-value',
  'implausible-time',
];

const finiteWithin = (v: number | null, lo: number, hi: number) => v === null || (v >= lo && v <= hi);
const plausibleTime = (d: Date | null) =>
  d === null || (d.getTime() >= BOUNDS.earliestTime && d.getTime() <= NOW.getTime() + BOUNDS.futureSkewMs);

const tally: Record<string, number> = {};
afterAll(() => console.info(`hostile messages: ${JSON.stringify(tally)}`));

describe('ingestMessage against generated hostile messages', () => {
  it(`never crashes, never reaches the database with bad data, refuses with a reason (${RUNS} messages)`, async () => {
    const { db } = await testDb();
    let run = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Channel>('result', 'spectrum', 'status', 'heartbeat', 'event'),
        fc.array(mutation, { maxLength: 3 }),
        fc.option(rawMutation, { freq: 4 }),
        topicChoice,
        async (channel, mutations, raw, topicKind) => {
          run += 1;
          const doc = structuredClone(bases[channel]) as Record<string, unknown>;
          // a fresh key: not a duplicate of an earlier run
          if (channel === 'result' || channel === 'spectrum') doc.key = sha(`fuzz-${run}`);
          for (const m of mutations) applyMutation(doc, m);
          const payload = raw ? applyRaw(JSON.stringify(doc), raw) : Buffer.from(JSON.stringify(doc));
          const topic = topicKind === 'ok' ? `lapis/v1/fuzz-1/${channel}` : topicKind.replace('CHANNEL', channel);

          const t0 = performance.now();
          const out = await ingestMessage(db, topic, payload, { now: NOW });
          const took = performance.now() - t0;
          const label = out.status === 'rejected' ? out.reason : out.status;
          tally[label] = (tally[label] ?? 0) + 1;
          expect(took, `${label} took ${took.toFixed(0)} ms`).toBeLessThan(3000);

          if (out.status === 'rejected') {
            expect(REASONS, `${out.reason}: ${out.detail}`).toContain(out.reason);
            expect(out.detail.length).toBeLessThan(400);
            expect(out.detail).not.toMatch(
              // eslint-disable-next-line no-control-regex -- control characters are what must not show
              /[\u0000-\u0008\u000b-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
            );
            // What the service does with a refusal must work for every one of them.
            await recordRejection(db, topic, out.reason, out.detail, payload.byteLength);
            return;
          }
          if (out.status !== 'accepted') return;
          tally[`accepted ${channel}`] = (tally[`accepted ${channel}`] ?? 0) + 1;
          // Accepted: what was stored is plausible.
          const [inst] = await db.select().from(instruments).where(eq(instruments.id, 'fuzz-1'));
          expect(inst).toBeDefined();
          expect(['online', 'offline', 'unknown']).toContain(inst!.state);
          for (const c of [inst!.processed, inst!.failed, inst!.queued, inst!.outboxDepth]) {
            expect(finiteWithin(c, 0, BOUNDS.counterMax)).toBe(true);
          }
          expect(finiteWithin(inst!.uptimeSeconds, 0, BOUNDS.uptimeMaxS)).toBe(true);
          for (const t of [inst!.stateAt, inst!.heartbeatAt, inst!.lastSuccessAt]) expect(plausibleTime(t)).toBe(true);
          if (channel === 'event') {
            const rows = await db.select().from(events).where(eq(events.instrumentId, 'fuzz-1'));
            for (const e of rows) expect(plausibleTime(e.at)).toBe(true);
          }
          if (channel === 'spectrum') {
            const [sp] = await db
              .select()
              .from(spectra)
              .where(eq(spectra.key, String(doc.key)));
            expect(sp).toBeDefined();
            expect(plausibleTime(sp!.producedAt)).toBe(true);
            expect(finiteWithin(sp!.peakCount, 0, BOUNDS.peaksMax)).toBe(true);
            expect(finiteWithin(sp!.noise, 0, MAX_ABS_NUMBER)).toBe(true);
            expect(Buffer.byteLength(sp!.path)).toBeLessThanOrEqual(BOUNDS.pathBytes);
          }
          if (channel === 'result') {
            const [a] = await db
              .select()
              .from(acquisitions)
              .where(eq(acquisitions.key, String(doc.key)));
            expect(a).toBeDefined();
            expect(plausibleTime(a!.producedAt)).toBe(true);
            expect(finiteWithin(a!.relativeResidual, 0, BOUNDS.relativeResidualMax)).toBe(true);
            for (const p of await db.select().from(peaks).where(eq(peaks.acquisitionKey, a!.key))) {
              expect(finiteWithin(p.fraction, 0, 1 + BOUNDS.fractionTolerance)).toBe(true);
              for (const v of [p.t1, p.t2, p.t2b]) expect(finiteWithin(v, ...BOUNDS.relaxationS)).toBe(true);
              expect(finiteWithin(p.d, ...BOUNDS.diffusionM2s)).toBe(true);
              expect(finiteWithin(p.amplitude, -MAX_ABS_NUMBER, MAX_ABS_NUMBER)).toBe(true);
              for (const u of [
                p.t1UncDecades,
                p.t2UncDecades,
                p.t2bUncDecades,
                p.dUncDecades,
                p.t1WidthDecades,
                p.t2WidthDecades,
                p.dWidthDecades,
              ]) {
                expect(finiteWithin(u, 0, BOUNDS.decadesMax)).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.LAPIS_FUZZ_SEED ?? 20261206), endOnFailure: true },
    );
    expect(run).toBeGreaterThanOrEqual(RUNS);
    for (const outcome of ['accepted', 'schema', 'not-json', 'bad-topic', 'invalid-text', 'too-deep']) {
      expect(tally[outcome], outcome).toBeGreaterThan(0);
    }
    for (const outcome of ['implausible-value', 'implausible-time']) expect(tally[outcome], outcome).toBeGreaterThan(0);
    expect(tally['accepted spectrum'], 'spectra reach the database').toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});
