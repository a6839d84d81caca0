/**
 * Tecmag TNT files and TNMR text exports: the layout the writer produces, the reader's decisions (axes from Echo_Time
 * and the 2D delay table, window averaging, phase and sign), the FormatErrors that name the option to give, and
 * write → read → invert round trips with data from libs/physics `simulate` at several seeds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invert, inversionPeaks, type InvertInput } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, type Acquisition } from '../acquisition';
import { detectAndRead } from '../read';
import { parsePseq } from './pseq';
import { readTecmag, tecmagFromBytes } from './readTecmag';
import { simulateTecmag, type TecmagVariant } from './simulateTecmag';
import { parseTnmrTime } from './tnmrValues';
import { parseTnt } from './tnt';
import { writeTnt, writeTntText } from './writeTnt';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-tecmag-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SEEDS = [3, 17, 2026];
const log10 = Math.log10;

/** Axes equal to 1e-12 relative, data to float32 precision (relative to the largest value). */
function expectTruth(acq: Acquisition, truth: ReturnType<typeof simulateTecmag>): void {
  expect(acq.axes.map((a) => a.kernel)).toEqual(truth.axes.map((a) => a.kernel));
  acq.axes.forEach((a, d) => {
    const t = truth.axes[d]!.values;
    expect(a.values.length).toBe(t.length);
    expect(a.unit).toBe('s');
    for (let i = 0; i < t.length; i++) expect(Math.abs(a.values[i]! / t[i]! - 1)).toBeLessThan(1e-12);
  });
  let max = 0;
  for (const v of truth.data) max = Math.max(max, Math.abs(v));
  expect(acq.data.length).toBe(truth.data.length);
  let worst = 0;
  for (let k = 0; k < truth.data.length; k++) worst = Math.max(worst, Math.abs(acq.data[k]! - truth.data[k]!));
  expect(worst / max).toBeLessThan(1e-6);
}

const inputOf = (acq: Acquisition): InvertInput => ({ axes: acq.axes, data: acq.data });

describe('TNMR values', () => {
  it('reads TNMR times: a prefix without the s, a unit, or a bare number', () => {
    expect(parseTnmrTime('10u')).toEqual({ seconds: 1e-5, unitGiven: true });
    expect(parseTnmrTime('0.090m')!.seconds).toBeCloseTo(9e-5, 18);
    expect(parseTnmrTime('1n')!.seconds).toBeCloseTo(1e-9, 20);
    expect(parseTnmrTime('3s')).toEqual({ seconds: 3, unitGiven: true });
    expect(parseTnmrTime('1024s')!.seconds).toBe(1024);
    expect(parseTnmrTime('2 ms')!.seconds).toBe(0.002);
    expect(parseTnmrTime('5')).toEqual({ seconds: 5, unitGiven: false });
    for (const bad of ['=2*[p90]', '1k', 'ph0', '', '1e', '--1u']) expect(parseTnmrTime(bad)).toBeUndefined();
  });
});

describe('TNT layout', () => {
  it('writes the documented sections: magic, TMAG 1024, DATA as complex float32, TMG2 2048, PSEQ', () => {
    const sim = simulateTecmag({ variant: 'ir', seed: 5 });
    const bytes = writeTnt(sim.spec);
    const b = Buffer.from(bytes);
    expect(b.toString('latin1', 0, 12)).toBe('TNT1.008TMAG');
    expect(b.readUInt32LE(16)).toBe(1024);
    expect(b.toString('latin1', 1044, 1048)).toBe('DATA');
    const dataLength = b.readUInt32LE(1052);
    expect(dataLength).toBe(sim.spec.points * sim.spec.rows * 8);
    expect(b.readFloatLE(1056)).toBe(Math.fround(sim.spec.re[0]!));
    const tnt = parseTnt(bytes);
    expect(tnt.sections.map((s) => s.tag)).toEqual(['TMAG', 'DATA', 'TMG2', 'PSEQ']);
    expect(tnt.tmag).toMatchObject({
      npts: [sim.spec.acqPoints, sim.spec.rows, 1, 1],
      actualNpts: [sim.spec.points, sim.spec.rows, 1, 1],
      acqPoints: sim.spec.acqPoints,
      scans: 16,
      lastDelay: 3,
      nDigitalCenter: 3,
      date: '2025/12/5 14:48:24',
      nucleus: 'H1',
    });
    expect(tnt.tmag.dwell[0]).toBe(sim.spec.dwell);
    expect(tnt.warnings).toEqual([]);
    const pseq = tnt.pseq!;
    expect(pseq).toMatchObject({ format: '1.18 BIN', title: 'InvRec_T1', author: 'lapis@test' });
    const table = pseq.tables.find((t) => t.name === 'de0:2')!;
    expect(table.dims).toEqual([2]);
    expect(table.cells).toEqual(['=RecTime']);
    expect(pseq.tables.find((t) => t.name === 'ph0')!.dims).toEqual([1]);
    // the current value (4 bytes after the name's first occurrence), not the second one stored later
    expect(pseq.parameters.get('Last Delay')).toBe('3s');
    expect(pseq.parameters.get('p180')).toBe('=2*[p90]');
  });

  it('rejects broken files with one FormatError line naming the problem', () => {
    const bytes = writeTnt(simulateTecmag({ variant: 'cpmg', seed: 1 }).spec);
    expect(() => parseTnt(bytes.subarray(0, 2000), { file: 'x.tnt' })).toThrow(/x\.tnt: truncated: section DATA/);
    const magic = Uint8Array.from(bytes);
    magic[3] = 0x32;
    expect(() => parseTnt(magic)).toThrow(/not a Tecmag TNT file/);
    const huge = Uint8Array.from(bytes);
    new DataView(huge.buffer).setInt32(20 + 16 + 4, 1 << 30, true); // actual_npts[1]
    expect(() => parseTnt(huge)).toThrow(/truncated: TMAG says/);
    const noTag = Uint8Array.from(bytes);
    noTag.set([0, 1, 2, 3], 1044);
    expect(() => parseTnt(noTag)).toThrow(/no section tag at byte 1044/);
  });

  it('a PSEQ section that is only noise gives no tables and no error', () => {
    const noise = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251);
    expect(parsePseq(noise).tables).toEqual([]);
  });
});

describe('write → read with known truth', () => {
  const variants: TecmagVariant[] = ['cpmg', 'ir', 'sr', 'ir-cpmg', 'train'];
  for (const variant of variants) {
    it.each(SEEDS)(`${variant}, seed %i: axes exact, data to float32 precision`, async (seed) => {
      const sim = simulateTecmag({ variant, seed });
      const file = join(root, `${variant}-${seed}.tnt`);
      await writeFile(file, writeTnt(sim.spec));
      const acq = await readTecmag(file);
      expectTruth(acq, sim);
      expect(acq.experiment).toBe({ cpmg: 'T2', train: 'T2', ir: 'T1', sr: 'T1', 'ir-cpmg': 'T1-T2' }[variant]);
      expect(acq.metadata).toMatchObject({
        source: 'tecmag',
        path: file,
        files: [file],
        format: 'tnt',
        acquiredAt: new Date((1_764_942_504 + seed) * 1000).toISOString(),
        nucleus: 'H1',
        scans: 16,
      });
      if (variant !== 'ir' && variant !== 'sr')
        expect(acq.metadata.echoTimeFrom).toMatch(/^parameter Echo_Time = \d+u$/);
      if (variant === 'train') expect(acq.warnings.join()).toMatch(/echo top/);
      else expect(acq.warnings.filter((w) => !/used the first/.test(w))).toEqual([]);
    });
  }

  it.each(SEEDS)('the text export of a CPMG and an IR–CPMG file (seed %i)', async (seed) => {
    const sim = simulateTecmag({ variant: 'cpmg', seed });
    const file = join(root, `cpmg-${seed}.txt`);
    await writeFile(file, writeTntText(sim.spec, `C:\\data\\CPMG_${seed}.tnt`));
    const acq = await readTecmag(file);
    expectTruth(acq, sim);
    expect(acq.metadata).toMatchObject({
      format: 'tnmr-text',
      acquiredAt: '2025-12-05T14:48:24',
      sequence: 'CPMG_echo',
    });
    expect(acq.metadata.experimentNumber).toBe(`CPMG_${seed}`);
    // the export has no tables: the delays must be given
    const ir = simulateTecmag({ variant: 'ir-cpmg', seed });
    const irFile = join(root, `ircpmg-${seed}.txt`);
    await writeFile(irFile, writeTntText(ir.spec));
    await expect(readTecmag(irFile)).rejects.toThrow(
      /carries no delay table: give the delays with --axis1 FILE --kernel1 T1-IR/,
    );
    const delays = join(root, `delays-${seed}.txt`);
    await writeFile(delays, Array.from(ir.axes[0]!.values, (v) => String(v * 1e3)).join('\n'));
    const given = await readTecmag(irFile, { axis1: delays, unit1: 'ms', kernel1: 'T1-IR' });
    expectTruth(given, ir);
    expect(given.metadata.files).toEqual([irFile, delays]);
  });

  it('says which option to give when the file lacks the echo time or enough delays', async () => {
    const sim = simulateTecmag({ variant: 'cpmg', seed: 8 });
    const seq = sim.spec.sequence!;
    const noTe = {
      ...sim.spec,
      sequence: { ...seq, parameters: seq.parameters.filter((p) => p.name !== 'Echo_Time') },
    };
    const bytes = writeTnt(noTe);
    expect(() => tecmagFromBytes(bytes, 'cpmg.tnt')).toThrow(/no echo time.*--axis1 FILE --kernel1 T2.*echoTime/);
    const te = sim.axes[0]!.values[0]!;
    expectTruth(tecmagFromBytes(bytes, 'cpmg.tnt', { echoTime: te }), sim);
    const formula = {
      ...seq,
      parameters: [...seq.parameters.filter((p) => p.name !== 'Echo_Time'), { name: 'Echo_Time', value: '=2*[tau]' }],
    };
    expect(() => tecmagFromBytes(writeTnt({ ...sim.spec, sequence: formula }), 'f.tnt')).toThrow(
      /formulas are not evaluated/,
    );

    const ir = simulateTecmag({ variant: 'ir', seed: 8 });
    const irSeq = ir.spec.sequence!;
    const short = {
      ...irSeq,
      tables: irSeq.tables.map((t) => (t.name === 'de0:2' ? { ...t, entries: t.entries.slice(0, 3) } : t)),
    };
    expect(() => tecmagFromBytes(writeTnt({ ...ir.spec, sequence: short }), 'ir.tnt')).toThrow(
      /delay table de0:2 has 3 entries but the data \d+ rows: give the delays with --axis1/,
    );
    const none = { ...irSeq, cells: irSeq.cells.filter((c) => c.value !== '=RecTime'), tables: [] };
    expect(() => tecmagFromBytes(writeTnt({ ...ir.spec, sequence: none }), 'ir.tnt')).toThrow(FormatError);
    const { sequence: _drop, ...bare } = ir.spec;
    const noPseq = writeTnt(bare);
    expect(() => tecmagFromBytes(noPseq, 'ir.tnt')).toThrow(/no delay table/);
    // an unnamed experiment is taken as inversion recovery, with a warning
    const anon = tecmagFromBytes(writeTnt({ ...ir.spec, sequence: { ...irSeq, title: 'exp7' } }), 'exp7.tnt');
    expect(anon.axes[0].kernel).toBe('T1-IR');
    expect(anon.warnings.join()).toMatch(/took T1-IR/);
    expect(
      tecmagFromBytes(writeTnt({ ...ir.spec, sequence: { ...irSeq, title: 'exp7' } }), 'exp7.tnt', { kernel1: 'T1-SR' })
        .axes[0].kernel,
    ).toBe('T1-SR');
  });

  it('detectAndRead picks the tecmag reader for .tnt files and text exports', async () => {
    const sim = simulateTecmag({ variant: 'cpmg', seed: 4 });
    const tnt = join(root, 'detect.tnt');
    const txt = join(root, 'detect.txt');
    await writeFile(tnt, writeTnt(sim.spec));
    await writeFile(txt, writeTntText(sim.spec));
    expect((await detectAndRead(tnt)).metadata.source).toBe('tecmag');
    expect((await detectAndRead(txt)).metadata.source).toBe('tecmag');
    await expect(detectAndRead(tnt, { echoTime: '1m' })).resolves.toMatchObject({ metadata: { echoTime: 0.001 } });
  });
});

describe('inversion round trip', () => {
  it.each([
    ['cpmg', 11, [[0.08]]],
    ['ir', 12, [[0.4]]],
    ['cpmg', 13, [[0.01], [0.2]]],
  ] as const)('%s, seed %i: peaks within 0.05 decade', (variant, seed, positions) => {
    const sim = simulateTecmag({
      variant,
      seed,
      snr: 2000,
      peaks: positions.map((p) => ({ position: [...p], width: [0.05], fraction: 1 })),
    });
    const acq = tecmagFromBytes(writeTnt(sim.spec), `${variant}.tnt`);
    const input = inputOf(acq);
    const inv = invert(input);
    const found = inversionPeaks(input, inv).peaks.filter((p) => p.fraction > 0.1);
    expect(found).toHaveLength(positions.length);
    const got = found.map((p) => log10(p.position[0]!)).sort((a, b) => a - b);
    positions.forEach((p, i) => expect(Math.abs(got[i]! - log10(p[0]!))).toBeLessThan(0.05));
  });

  it('IR–CPMG (T1–T2): one population within 0.05 decade on both axes', () => {
    const sim = simulateTecmag({
      variant: 'ir-cpmg',
      seed: 14,
      snr: 2000,
      peaks: [{ position: [0.3, 0.05], width: [0.05, 0.05], fraction: 1 }],
    });
    const acq = tecmagFromBytes(writeTnt(sim.spec), 'ircpmg.tnt');
    expect(acq.experiment).toBe('T1-T2');
    const input = inputOf(acq);
    const inv = invert(input, { grid: 32 });
    const found = inversionPeaks(input, inv).peaks.filter((p) => p.fraction > 0.1);
    expect(found).toHaveLength(1);
    expect(Math.abs(log10(found[0]!.position[0]!) - log10(0.3))).toBeLessThan(0.05);
    expect(Math.abs(log10(found[0]!.position[1]!) - log10(0.05))).toBeLessThan(0.05);
  });
});
