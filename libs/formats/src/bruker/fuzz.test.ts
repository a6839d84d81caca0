/**
 * Property test: random bytes and mutations of valid files, fed to every parser of bruker/, completion/ and the
 * pseudo-2D reader. The only acceptable failure is a FormatError; nothing may hang (each call is timed) or allocate
 * from a declared size (a 10 GB TD×TD1 must fail before allocation).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCompletion, parseAuditTrail } from '../completion/classifyCompletion';
import { readBrukerBinary } from './binary';
import { formatDiffXml, parseDiffXml } from './diffXml';
import { jcampValue, parseJcamp } from './jcamp';
import { formatBrukerList, parseBrukerList } from './lists';
import { readBruker } from './readBruker';
import { readBrukerPseudo2d } from './readBrukerPseudo2d';
import { simulateDosy, simulatePseudo2d } from './simulatePseudo2d';
import { buildJcamp, writeJcamp } from './writeJcamp';
import { writeBrukerDataset } from './writeBruker';
import { parseIntrng } from './intrng';
import { simulateTopspinSeries } from './simulateTopspinSeries';
import { parseTopspinFits } from './topspinFits';
import { FUZZ_MAX_MS, byteMutation, latin1Bytes, latin1Text, mutate, onlyFormatErrors } from '../testing/fuzzing';

const SEED = 20261121;

const ACQUS = writeJcamp(
  buildJcamp('p', {
    TD: 256,
    DTYPA: 0,
    BYTORDA: 0,
    NC: 0,
    PULPROG: 't1ir',
    SW_h: 5000,
    SFO1: 400.13,
    D: Array.from({ length: 32 }, (_, i) => i / 100),
    GPNAM: ['sine.100', 'SMSQ10.100'],
  }),
);
const AUDITA = [
  '##TITLE= Audit trail',
  '##AUDIT TRAIL=  $$ (NUMBER, WHEN, WHO, WHERE, PROCESS, VERSION, WHAT)',
  '(   1,<2020-11-18 14:23:57.910 +0100>,<u>,<h>,<go>,<TOPSPIN 3.2>,',
  '      <created by zg',
  '       data hash MD5: 1K * 4>)',
  '##END=',
  '',
].join('\n');

describe('parsers never fail except with FormatError', () => {
  it('parseJcamp + jcampValue on random bytes and mutated acqus', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }),
          byteMutation.map((m) => mutate(latin1Bytes(ACQUS), m)),
        ),
        async (bytes) =>
          onlyFormatErrors(() => {
            const j = parseJcamp(bytes, { file: 'acqus' });
            for (const l of j.lines) if (l.kind === 'record') jcampValue(l.raw);
            expect(writeJcamp(j)).toBe(latin1Text(bytes)); // lossless for whatever parses
          }),
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('lists, audit trail and diff.xml on random text and mutated lists', async () => {
    const valid = formatBrukerList([0.01, 0.1, 1, 10], 'delay', 'm');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.uint8Array({ maxLength: 400 }).map(latin1Text),
          byteMutation.map((m) => latin1Text(mutate(latin1Bytes(valid), m))),
        ),
        async (text) => {
          for (const kind of ['delay', 'count', 'gradient', 'fraction'] as const)
            await onlyFormatErrors(() => parseBrukerList(text, kind));
          await onlyFormatErrors(() => parseAuditTrail(text));
          await onlyFormatErrors(() => parseDiffXml(text, 'diff.xml', []));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(byteMutation, async (m) =>
        onlyFormatErrors(() => parseAuditTrail(latin1Text(mutate(latin1Bytes(AUDITA), m)))),
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('diff.xml: mutations of a valid file and random tags give warnings, never a throw', async () => {
    const valid = formatDiffXml({
      delta: 0.002,
      bigDelta: 0.1,
      gradients: [0.01, 0.2, 0.5],
      bValues: [1e6, 4e8, 2.5e9],
    });
    const xValid = formatDiffXml({ delta: 0.002, bigDelta: 0.1, gradients: [0.01, 0.2], layout: 'x-elements' });
    const tag = fc.constantFrom('delta', 'DELTA', 'xValues', 'List', 'X', 'exDiffCoff', 'gradients', 'bValues');
    const randomTags = fc
      .array(fc.tuple(tag, fc.string({ maxLength: 20 }), fc.boolean()), { maxLength: 12 })
      .map((parts) => parts.map(([t, body, close]) => `<${t}>${body}${close ? `</${t}>` : ''}`).join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          byteMutation.map((m) => latin1Text(mutate(latin1Bytes(valid), m))),
          byteMutation.map((m) => latin1Text(mutate(latin1Bytes(xValid), m))),
          randomTags,
        ),
        async (text) => {
          const t0 = performance.now();
          const warnings: string[] = [];
          const s = parseDiffXml(text, 'diff.xml', warnings);
          expect(performance.now() - t0).toBeLessThan(FUZZ_MAX_MS);
          if (s === undefined) expect(warnings.length).toBeGreaterThan(0);
          for (const v of [s?.delta, s?.bigDelta, s?.expectedD]) if (v !== undefined) expect(v).toBeGreaterThan(0);
          if (s?.bValues) expect(s.bValues.every((b) => Number.isFinite(b) && b >= 0)).toBe(true);
          if (s?.gradients) expect(s.gradients.every((g) => Number.isFinite(g))).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('readBrukerBinary on random bytes and layouts, including absurd sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.record({
          td: fc.oneof(fc.integer({ min: -4, max: 2048 }), fc.constant(2 ** 40), fc.constant(Number.NaN)),
          rows: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.constant(1e9)),
          dtype: fc.constantFrom('int32' as const, 'float64' as const),
          littleEndian: fc.boolean(),
          nc: fc.integer({ min: -10, max: 10 }),
        }),
        fc.boolean(),
        async (bytes, layout, allowPartial) =>
          onlyFormatErrors(() => readBrukerBinary(bytes, layout, { allowPartial })),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('folder readers never fail except with FormatError', () => {
  let root: string;
  let validSer: Uint8Array;
  let dosy: Record<string, Uint8Array>;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lapis-fuzz-'));
    const data = simulatePseudo2d({
      points: 128,
      sw: 5000,
      sfo1: 400.13,
      lines: [{ ppm: 1, amplitudes: [-1e4, 0, 5e3, 1e4] }],
      seed: 3,
    });
    const dir = join(root, 'valid');
    await writeBrukerDataset(dir, { acqus: { PULPROG: 't1ir' }, acqu2s: {}, data });
    validSer = latin1Bytes(latin1Text(await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'ser')))));
    // a ¹³C DOSY whose δ, Δ, gradients and b-values are only in diff.xml
    const dosyDir = join(root, 'dosy');
    const sim = simulateDosy({
      nucleus: '13C',
      sequence: 'diffSte',
      delta: 0.002,
      bigDelta: 0.1,
      gradients: [0.5, 2, 4, 6],
      timings: 'diffXml',
      lines: [{ ppm: 30, D: 1e-10, amplitude: 1e4, t2star: 0.05 }],
      points: 128,
      noise: 1,
    });
    await writeBrukerDataset(dosyDir, sim.dataset);
    // the unmutated folder reads to one region on TopSpin's b-values, so mutations start from a working case
    const base = await readBrukerPseudo2d(dosyDir);
    expect(base.acquisitions).toHaveLength(1);
    expect(base.acquisitions[0]!.metadata.axisSource).toMatch(/^diff\.xml b-values/);
    const fs = await import('node:fs');
    dosy = Object.fromEntries(
      ['acqus', 'acqu2s', 'ser', 'diff.xml'].map((f) => [f, new Uint8Array(fs.readFileSync(join(dosyDir, f)))]),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('readBruker, readBrukerPseudo2d and classifyCompletion on mutated acqus, acqu2s, ser, vdlist and audita', async () => {
    let n = 0;
    const acqu2s = writeJcamp(buildJcamp('p', { TD: 4 }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('acqus', 'acqu2s', 'ser', 'vdlist', 'audita.txt'),
        byteMutation,
        fc.boolean(),
        async (target, m, partial) => {
          const dir = join(root, String(++n));
          const files: Record<string, Uint8Array> = {
            acqus: latin1Bytes(ACQUS),
            acqu2s: latin1Bytes(acqu2s),
            ser: validSer,
            vdlist: latin1Bytes('10m\n100m\n1\n5s\n'),
            'audita.txt': latin1Bytes(AUDITA),
          };
          files[target] = mutate(files[target]!, m);
          const { mkdir } = await import('node:fs/promises');
          await mkdir(dir, { recursive: true });
          for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
          await onlyFormatErrors(() => readBruker(dir, { allowPartial: partial }));
          await onlyFormatErrors(() => readBrukerPseudo2d(dir, { allowPartial: partial }));
          await onlyFormatErrors(() => classifyCompletion(dir));
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('readBruker and readBrukerPseudo2d on a DOSY folder with mutated diff.xml or acqus', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('diff.xml', 'diff.xml', 'acqus'), byteMutation, async (target, m) => {
        const dir = join(root, `dosy-${++n}`);
        const files = { ...dosy, [target]: mutate(dosy[target]!, m) };
        const { mkdir } = await import('node:fs/promises');
        await mkdir(dir, { recursive: true });
        for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
        await onlyFormatErrors(() => readBruker(dir));
        await onlyFormatErrors(() => readBrukerPseudo2d(dir));
        await rm(dir, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: 120 },
    );
  });
});

describe('TopSpin pdata/: intrng, ct1t2.txt and procs, mutated or missing', () => {
  let root: string;
  let pdata: Record<string, Uint8Array>;
  let raw: Record<string, Uint8Array>;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lapis-fuzz-pdata-'));
    const sim = simulateTopspinSeries({
      experiment: 'T1-IR',
      signals: [
        { ppm: 3.2, couplings: [{ hz: 7, partners: 2 }], value: 1, amplitude: 1e4 },
        { ppm: 1.1, couplings: [{ hz: 6 }], value: 0.5, amplitude: 2e4 },
      ],
      delays: [0.01, 0.3, 1, 5],
      points: 256,
      noise: 1,
      pdata: { ct1t2: true },
    });
    const dir = join(root, 'valid');
    await writeBrukerDataset(dir, sim.dataset);
    // the unmutated folder reads to its two intrng regions, each with its TopSpin fit
    const base = await readBrukerPseudo2d(dir);
    expect(base.processed.regionSource).toBe('given');
    expect(base.acquisitions.map((a) => a.vendorResults?.length)).toEqual([1, 1]);
    const fs = await import('node:fs');
    const read = (f: string) => new Uint8Array(fs.readFileSync(join(dir, f)));
    raw = Object.fromEntries(['acqus', 'acqu2s', 'ser', 'vdlist'].map((f) => [f, read(f)]));
    pdata = Object.fromEntries(['pdata/1/procs', 'pdata/1/intrng', 'pdata/1/ct1t2.txt'].map((f) => [f, read(f)]));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('parseIntrng and parseTopspinFits on random and mutated text: FormatError or warnings, values positive', async () => {
    const texts = fc.oneof(
      byteMutation.map((m) => latin1Text(mutate(pdata['pdata/1/intrng']!, m))),
      byteMutation.map((m) => latin1Text(mutate(pdata['pdata/1/ct1t2.txt']!, m))),
      fc.string({ maxLength: 400 }),
    );
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        const warnings: string[] = [];
        await onlyFormatErrors(() => {
          for (const r of parseIntrng(text, 'intrng', warnings)) {
            expect(Number.isFinite(r.from) && Number.isFinite(r.to)).toBe(true);
            expect(r.from).toBeGreaterThan(r.to);
          }
        });
        for (const v of parseTopspinFits(text, 'ct1t2.txt', warnings)) {
          expect(v.value).toBeGreaterThan(0);
          expect(Number.isFinite(v.value)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('readBrukerPseudo2d with a mutated procs, intrng or ct1t2.txt, or with procs or pdata/ missing', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('pdata/1/procs', 'pdata/1/intrng', 'pdata/1/ct1t2.txt', 'no procs', 'no pdata'),
        byteMutation,
        async (target, m) => {
          const dir = join(root, `p-${++n}`);
          const files: Record<string, Uint8Array> = { ...raw };
          if (target !== 'no pdata') Object.assign(files, pdata);
          if (target === 'no procs') delete files['pdata/1/procs'];
          else if (target in files) files[target] = mutate(files[target]!, m);
          const { mkdir } = await import('node:fs/promises');
          await mkdir(join(dir, 'pdata', '1'), { recursive: true });
          for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
          await onlyFormatErrors(async () => {
            const out = await readBrukerPseudo2d(dir);
            for (const a of out.acquisitions) {
              const r = a.metadata.region as { from: number; to: number; shift: number };
              expect(r.from).toBeGreaterThanOrEqual(r.to);
              expect(Number.isFinite(r.shift)).toBe(true);
            }
          });
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
