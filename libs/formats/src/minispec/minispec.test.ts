/**
 * Bruker minispec .dps curves and text/CSV exports: the layouts, the reader's choices (unit, kernel, metadata,
 * vendor results), FormatErrors, detection, and write → read → invert round trips with data from libs/physics
 * `simulate` at several seeds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invert, inversionPeaks, type InvertInput } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { detectAndRead } from '../read';
import { parseMinispec } from './minispec';
import { isMinispec, minispecDate, minispecFromText, readMinispec } from './readMinispec';
import { simulateMinispec, type MinispecLayout } from './simulateMinispec';
import { writeMinispecDps, writeMinispecText } from './writeMinispec';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-minispec-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SEEDS = [5, 23, 2026];
const layouts: MinispecLayout[] = ['dps', 'tab', 'semicolon', 'comma'];
const kernels = ['T2', 'T1-IR', 'T1-SR'] as const;

describe('minispec layouts', () => {
  it('reads the documented .dps layout: index, time in ms, signal; tab-separated, CRLF', () => {
    const text = '0\t0.2150800000\t87.0950663919\r\n1\t0.4272800000\t85.4177159646\r\n2\t0.6394800000\t83.9\r\n';
    const c = parseMinispec(text);
    expect(Array.from(c.x)).toEqual([0.21508, 0.42728, 0.63948]);
    expect(Array.from(c.y)).toEqual([87.0950663919, 85.4177159646, 83.9]);
    expect(c.header).toEqual([]);
    const acq = minispecFromText(text, '/data/cpmg.dps');
    expect(acq.axes[0].values[0]).toBeCloseTo(0.00021508, 18);
    expect(acq.axes[0].kernel).toBe('T2');
    expect(acq.warnings).toEqual([
      'the file does not say the unit of its time column: took ms (the minispec software writes ms)',
    ]);
    expect(acq.metadata).toMatchObject({
      source: 'minispec',
      format: 'dps',
      kernelFrom: 'file name',
      axisUnitFrom: 'assumed',
    });
    expect(writeMinispecDps({ x: [0.00021508], y: [87.5] })).toBe('0\t0.21508\t87.5\r\n');
  });

  it('reads headers, titles with units, separators, decimal commas and fitted values', () => {
    const text = [
      '# Sample: cheese A',
      '# Date: 2026-03-01 09:30',
      '# Operator: K. M.',
      'No.;tau [ms];Signal;Imag',
      '1;0,5;-80,5;0,1',
      '2;1,5;10;0,2',
      '3;4;60,25;0,1',
      '# T1 = 1.2 s',
    ].join('\n');
    const acq = minispecFromText(text, 'x.csv');
    expect(Array.from(acq.axes[0].values)).toEqual([0.0005, 0.0015, 0.004]);
    expect(Array.from(acq.data)).toEqual([-80.5, 10, 60.25]);
    expect(acq.axes[0].kernel).toBe('T1-IR'); // from the curve: rising through zero
    expect(acq.warnings.join('\n')).toMatch(/1 further column ignored \(Imag\)/);
    expect(acq.warnings.join('\n')).toMatch(/rises through zero, took T1-IR/);
    expect(acq.metadata).toMatchObject({
      sample: 'cheese A',
      acquiredAt: '2026-03-01T09:30:00',
      user: 'K. M.',
      axisUnitFrom: 'column title',
    });
    expect(acq.vendorResults).toEqual([
      { software: 'Bruker minispec', file: 'x.csv', quantity: 'T1', unit: 's', value: 1.2 },
    ]);
    expect(minispecDate('21.11.2026 14:05:09')).toBe('2026-11-21T14:05:09');
    expect(minispecDate('2026/11/21')).toBe('2026-11-21');
    expect(minispecDate('11/21/2026')).toBeUndefined();
  });

  it('rejects what is not a curve with one FormatError line', () => {
    expect(() => minispecFromText('hello\nworld\n', 'a.dps')).toThrow(/a\.dps: no rows of numbers/);
    expect(() => minispecFromText('0\t1\t2\n1\t2\n', 'b.dps')).toThrow(/row 2 has 2 values, the first row 3/);
    expect(() => minispecFromText('0\t1\t2\n1\t1\t3\n', 'c.dps')).toThrow(/the time 1 appears twice/);
    expect(() => minispecFromText('0\t-1\t2\n1\t1\t3\n', 'd.dps')).toThrow(/time 1 is not ≥ 0/);
    expect(() => minispecFromText('0\t1\t2\n1\t2\t3\n', 'e.dps', { kernel1: 'D' })).toThrow(/kernel D does not fit/);
    expect(() => minispecFromText('0\t1\t2\n1\t2\t3\n', 'e.dps', { unit1: 's/m2' })).toThrow(/not a time unit/);
  });
});

describe('write → read with known truth', () => {
  for (const layout of layouts)
    for (const kernel of kernels) {
      it.each(SEEDS)(`${layout}, ${kernel}, seed %i: axis to 1e-12, data exact`, async (seed) => {
        const sim = simulateMinispec({ layout, kernel, seed });
        const file = join(root, sim.name);
        await writeFile(file, sim.text, 'latin1');
        expect(await isMinispec(file)).toBe(true);
        const acq = await detectAndRead(file);
        expect(acq.metadata.source).toBe('minispec');
        expect(acq.experiment).toBe(kernel === 'T2' ? 'T2' : 'T1');
        expect(acq.axes[0].kernel).toBe(kernel);
        expect(acq.axes[0].unit).toBe('s');
        const x = acq.axes[0].values;
        expect(x.length).toBe(sim.x.length);
        for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! / sim.x[i]! - 1)).toBeLessThan(1e-12);
        expect(Array.from(acq.data)).toEqual(Array.from(sim.y));
        if (layout === 'dps') {
          expect(acq.metadata.kernelFrom).toBe('file name');
        } else {
          expect(acq.metadata).toMatchObject({
            sample: `test sample ${seed}`,
            instrument: 'mq20 #1234',
            acquiredAt: '2026-11-21T14:05:09',
            kernelFrom: 'header Experiment',
            axisUnitFrom: 'column title',
          });
          expect(acq.warnings).toEqual([]);
        }
        if (sim.vendor) {
          expect(acq.vendorResults).toHaveLength(1);
          expect(acq.vendorResults![0]).toMatchObject({ quantity: sim.vendor.quantity, unit: 's' });
          expect(acq.vendorResults![0]!.value).toBeCloseTo(sim.vendor.value, 12);
        }
      });
    }

  it('a headerless curve named nothing: the kernel from its shape, with a warning', () => {
    for (const kernel of kernels) {
      const sim = simulateMinispec({ layout: 'dps', kernel, seed: 9 });
      const acq = minispecFromText(sim.text, 'curve.dps');
      expect(acq.axes[0].kernel).toBe(kernel);
      expect(acq.metadata.kernelFrom).toBe('curve shape');
      expect(acq.warnings.join()).toMatch(new RegExp(`took ${kernel}`));
      expect(minispecFromText(sim.text, 'curve.dps', { kernel1: 'T2' }).axes[0].kernel).toBe('T2');
    }
  });

  it('options override the unit, and rows out of time order are sorted', () => {
    const text = writeMinispecText({ x: [0.003, 0.001, 0.002], y: [1, 3, 2] }, { titles: null, unit: 's' });
    const acq = minispecFromText(text, 't2.txt', { unit1: 's' });
    expect(Array.from(acq.axes[0].values)).toEqual([0.001, 0.002, 0.003]);
    expect(Array.from(acq.data)).toEqual([3, 2, 1]);
    expect(acq.warnings).toEqual(['the rows are not in time order: sorted']);
  });

  it('detection: .dps files, and text exports only when they name the minispec', async () => {
    const plain = join(root, 'plain.txt');
    await writeFile(plain, '1\t2\n2\t3\n');
    expect(await isMinispec(plain)).toBe(false);
    const named = join(root, 'named.txt');
    await writeFile(named, '# minispec mq20 export\n1\t2\n2\t3\n');
    expect(await isMinispec(named)).toBe(true);
    const tnmr = join(root, 'tnmr.txt');
    await writeFile(tnmr, 'Data Point Listing of File minispec.tnt\n');
    expect(await isMinispec(tnmr)).toBe(false);
    const binary = join(root, 'bin.dps');
    await writeFile(binary, Uint8Array.from([1, 0, 2, 0]));
    expect(await isMinispec(binary)).toBe(false);
    expect(await isMinispec(join(root, 'missing.dps'))).toBe(false);
    await expect(readMinispec(join(root, 'missing.dps'))).rejects.toThrow(FormatError);
  });
});

describe('inversion round trip', () => {
  it.each([
    ['T2', 31, [0.05]],
    ['T1-IR', 32, [0.3]],
    ['T1-SR', 33, [0.8]],
    ['T2', 34, [0.004, 0.12]],
  ] as const)('%s, seed %i: peaks within 0.05 decade', (kernel, seed, positions) => {
    const sim = simulateMinispec({
      layout: 'dps',
      kernel,
      seed,
      snr: 2000,
      peaks: positions.map((p) => ({ position: [p], width: [0.05], fraction: 1 })),
    });
    const acq = minispecFromText(sim.text, sim.name);
    const input: InvertInput = { axes: [{ kernel: acq.axes[0].kernel, values: acq.axes[0].values }], data: acq.data };
    const found = inversionPeaks(input, invert(input)).peaks.filter((p) => p.fraction > 0.1);
    expect(found).toHaveLength(positions.length);
    const got = found.map((p) => Math.log10(p.position[0]!)).sort((a, b) => a - b);
    positions.forEach((p, i) => expect(Math.abs(got[i]! - Math.log10(p))).toBeLessThan(0.05));
  });
});
