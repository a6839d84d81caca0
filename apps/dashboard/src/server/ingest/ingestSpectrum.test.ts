/**
 * Spectra through ingestMessage on PGlite: stored once per key with their facts as columns and a thumbnail, refused
 * with a reason when their shape, instrument or values are wrong — quickly, before the database, saying nothing of
 * the content.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { testDb } from '../../test/db';
import { json } from '../../test/fixtures';
import { hsqcDoc, spectrumDoc, spectrumEnvelope } from '../../test/spectrumFixtures';
import type { DbHandle } from '../db/client';
import { instruments, spectra } from '../db/schema';
import type { SpectrumThumbnail } from '../../lib/spectrumThumbnail';
import { ingestMessage } from './ingestMessage';
import { spectrumSampleOf } from './storeSpectrum';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test edits reach anywhere in a document
type Loose = any;

let h: DbHandle | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const topic = 'lapis/v1/nmr-400/spectrum';
const now = { now: new Date('2026-11-21T12:00:00Z') };

describe('ingestMessage: spectrum', () => {
  it('stores a spectrum once per key, with its facts as columns, and says so on the change feed', async () => {
    h = await testDb();
    const env = spectrumEnvelope({ instrument: 'nmr-400', seed: 'one' });
    const first = await ingestMessage(h.db, topic, json(env), now);
    expect(first).toEqual({
      status: 'accepted',
      changes: [{ type: 'spectrum', instrumentId: 'nmr-400', key: env.key }],
    });
    const again = await ingestMessage(h.db, topic, json({ ...env, historical: true }), now);
    expect(again).toEqual({ status: 'duplicate', changes: [] });
    const [n] = await h.db.select({ n: count() }).from(spectra);
    expect(n!.n).toBe(1);
    const [row] = await h.db.select().from(spectra).where(eq(spectra.key, env.key));
    expect(row).toMatchObject({
      instrumentId: 'nmr-400',
      path: '/data/nmr-400/ethyl-acetate/1',
      sample: 'ethyl-acetate', // the TopSpin dataset, as the folder is an experiment number
      nucleus: '1H',
      pulseProgram: 'zg30',
      solvent: 'CDCl3',
      dimensions: 1,
      historical: false,
      reprocessed: false,
      peakCount: env.document.peaks.length,
      noise: env.document.noise,
    });
    expect(row!.producedAt.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(row!.receivedAt.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    // the document as received (reduced spectrum, peaks), and a thumbnail of 80 min–max buckets
    const doc = row!.document as typeof env.document;
    expect(doc.spectrum.real).toHaveLength(4096);
    expect(doc.spectrum.reduction).toEqual({ method: 'min-max', from: 16384 });
    expect(doc.peaks).toEqual(env.document.peaks);
    const thumb = row!.thumbnail as SpectrumThumbnail;
    expect(thumb.kind).toBe('spectrum');
    if (thumb.kind === 'spectrum') {
      expect(thumb.values).toHaveLength(160);
      expect(Math.max(...thumb.values)).toBe(100);
      expect(thumb.axis).toEqual({ nucleus: '1H', from: 10, to: -0.5 });
    }
    // the instrument is registered on first sight
    expect((await h.db.select().from(instruments)).map((i) => i.id)).toEqual(['nmr-400']);
  });

  it('stores a 2D spectrum (an edited HSQC) with its nuclei by axis and its peaks as the thumbnail', async () => {
    h = await testDb();
    const env = spectrumEnvelope({ instrument: 'nmr-400', seed: 'hsqc', document: hsqcDoc(), path: '/d/ea/3' });
    expect((await ingestMessage(h.db, topic, json(env), now)).status).toBe('accepted');
    const [row] = await h.db.select().from(spectra).where(eq(spectra.key, env.key));
    expect(row).toMatchObject({
      sample: 'ea',
      nucleus: '13C/1H',
      pulseProgram: 'hsqcedetgpsisp2.3',
      dimensions: 2,
      peakCount: 3,
    });
    const thumb = row!.thumbnail as SpectrumThumbnail;
    expect(thumb.kind).toBe('peaks2d');
    if (thumb.kind === 'peaks2d') expect(thumb.points).toHaveLength(3);
    // a 2D processing text over its limit is refused like a 1D one
    const long = structuredClone(env) as Loose;
    long.key = 'f'.repeat(64);
    long.document.processing.f1.window = 'w'.repeat(500);
    expect(await ingestMessage(h.db, topic, json(long), now)).toMatchObject({
      status: 'rejected',
      reason: 'implausible-value',
    });
  });

  it('takes the sample from the document when it names one, else the folder', () => {
    const env = spectrumEnvelope();
    expect(spectrumSampleOf({ ...env, path: '/data/aspirin/10/' })).toBe('aspirin');
    expect(spectrumSampleOf({ ...env, path: 'C:\\data\\menthol\\2' })).toBe('menthol');
    expect(spectrumSampleOf({ ...env, path: '/data/run-7' })).toBe('run-7');
    expect(spectrumSampleOf({ ...env, path: '3' })).toBe('3');
    expect(spectrumSampleOf({ ...env, document: spectrumDoc({ sample: 'aspirin in CDCl3' }) })).toBe(
      'aspirin in CDCl3',
    );
  });

  it('refuses a wrong shape, another instrument and implausible values, and stores nothing', async () => {
    h = await testDb();
    const env = spectrumEnvelope({ instrument: 'nmr-400', seed: 'bad' });
    const edited = (edit: (e: Loose) => void) => {
      const e = structuredClone(env) as Loose;
      edit(e);
      return json(e);
    };
    const cases: [string, string, Uint8Array, string][] = [
      ['no document', topic, edited((e) => delete e.document), 'schema'],
      ['a result format', topic, edited((e) => (e.format = 'lapis-mqtt-result/1')), 'schema'],
      ['a bad key', topic, edited((e) => (e.key = 'abc')), 'schema'],
      ['a peak without height', topic, edited((e) => delete e.document.peaks[0].height), 'schema'],
      ['a spectrum of one value', topic, edited((e) => (e.document.spectrum.real = [1])), 'schema'],
      ['another instrument', 'lapis/v1/nmr-600/spectrum', json(env), 'instrument-mismatch'],
      ['produced in 2099', topic, edited((e) => (e.producedAt = '2099-01-01T00:00:00Z')), 'implausible-time'],
      ['an axis without extent', topic, edited((e) => (e.document.axes[0].last = 10)), 'implausible-value'],
      ['a shift of 1e7 ppm', topic, edited((e) => (e.document.peaks[0].shift = 1e7)), 'implausible-value'],
      ['a 1 THz spectrometer', topic, edited((e) => (e.document.axes[0].frequencyMHz = 1e6)), 'implausible-value'],
      ['more values than points', topic, edited((e) => (e.document.axes[0].size = 1024)), 'implausible-value'],
      [
        'more vendor peaks matched than listed',
        topic,
        edited((e) => (e.document.vendor.matched = 99)),
        'implausible-value',
      ],
      ['a 1 kB solvent', topic, edited((e) => (e.document.solvent = 'x'.repeat(1000))), 'implausible-value'],
    ];
    for (const [name, t, payload, reason] of cases) {
      const out = await ingestMessage(h.db, t, payload, now);
      expect(out, name).toMatchObject({ status: 'rejected', reason });
    }
    const [n] = await h.db.select({ n: count() }).from(spectra);
    expect(n!.n).toBe(0);
    expect((await ingestMessage(h.db, topic, json(env), now)).status).toBe('accepted');
  });
});

describe('ingestMessage: hostile spectra', () => {
  const result = (edit: (e: Loose) => void, raw: (s: string) => string = (s) => s) => {
    const e = structuredClone(spectrumEnvelope({ instrument: 'nmr-400', seed: 'hostile' })) as Loose;
    edit(e);
    return Buffer.from(raw(JSON.stringify(e)));
  };
  const cases: [string, Uint8Array, string][] = [
    ['NUL in the sample', result((e) => (e.document.sample = 'aspirin\u0000')), 'invalid-text'],
    ['an escape in a warning', result((e) => (e.document.warnings = ['\u001b[31mred'])), 'invalid-text'],
    ['a lone surrogate in the solvent', result((e) => (e.document.solvent = '\ud800')), 'invalid-text'],
    [
      'a spectrum value of 1.8e308 (Infinity)',
      result(
        (e) => (e.document.spectrum.real[0] = 1),
        (s) => s.replace(/("real":\[)[^,]+/, '$1-1.8e308'),
      ),
      'implausible-value',
    ],
    ['a spectrum value of 1e308', result((e) => (e.document.spectrum.real[3] = 1e308)), 'implausible-value'],
    [
      '50,000-deep nesting in the processing',
      result(
        (e) => (e.document.processing.x = 0),
        (s) => s.replace('"x":0', `"x":${'['.repeat(50_000)}${']'.repeat(50_000)}`),
      ),
      'too-deep',
    ],
    ['year 0000', result((e) => (e.producedAt = '0000-01-01T00:00:00Z')), 'implausible-time'],
    [
      '5,000 warnings',
      result((e) => (e.document.warnings = Array.from({ length: 5000 }, () => 'w'))),
      'implausible-value',
    ],
    ['1,001 peaks', result((e) => (e.document.peaks = Array(1001).fill(e.document.peaks[0]))), 'implausible-value'],
    ['a 5 kB path', result((e) => (e.path = `/d/${'x'.repeat(5000)}`)), 'implausible-value'],
  ];
  it.each(cases)('refuses %s with its reason, quickly, saying nothing of the content', async (_n, payload, reason) => {
    h = await testDb();
    const t0 = performance.now();
    const out = await ingestMessage(h.db, topic, payload, now);
    const took = performance.now() - t0;
    expect(out).toMatchObject({ status: 'rejected', reason });
    if (out.status !== 'rejected') return;
    expect(out.detail.length).toBeLessThan(300);
    // eslint-disable-next-line no-control-regex -- control characters are what must not show
    expect(out.detail).not.toMatch(/insert|select|aspirin|\u0000|\u001b|xxxx/i);
    expect(took).toBeLessThan(500);
    const [n] = await h.db.select({ n: count() }).from(spectra);
    expect(n!.n).toBe(0);
  });
});
