import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import type { Acquisition } from '../acquisition';
import { FormatError } from '../acquisition';
import { readLapisAcquisition, writeLapisAcquisition } from './index';

let root: string;
let count = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-formats-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const fresh = () => join(root, `set${count++}`);

function logSpace(lo: number, hi: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
}

function t1t2(): Acquisition {
  const rng = createRng(7);
  const a1 = logSpace(1e-4, 3, 12);
  const a2 = logSpace(2e-4, 0.5, 30);
  const data = Float64Array.from({ length: 12 * 30 }, () => rng.normal() * 1e3);
  return {
    experiment: 'T1-T2',
    axes: [
      { kernel: 'T1-IR', values: a1, unit: 's', beta: 0.93 },
      { kernel: 'T2', values: a2, unit: 's' },
    ],
    data,
    metadata: {
      source: 'test',
      instrument: 'minispec-02',
      sample: 'cement paste, day 3',
      acquiredAt: '2026-11-21T10:00:00Z',
      operatorNote: { x: 1 },
    },
    warnings: [],
  };
}

describe('lapis-acquisition/1 round trip', () => {
  it('2D: write then read gives the same bits, metadata and axes', async () => {
    const dir = fresh();
    const acq = t1t2();
    await writeLapisAcquisition(dir, acq);
    const back = await readLapisAcquisition(dir);
    expect(back.experiment).toBe('T1-T2');
    expect(back.data).toEqual(acq.data);
    expect(back.axes[0].values).toEqual(acq.axes[0].values);
    expect(back.axes[1]!.values).toEqual(acq.axes[1]!.values);
    expect(back.axes[0].beta).toBe(0.93);
    expect(back.axes.map((a) => a.kernel)).toEqual(['T1-IR', 'T2']);
    expect(back.metadata).toMatchObject({
      source: 'lapis-acquisition/1',
      instrument: 'minispec-02',
      sample: 'cement paste, day 3',
      acquiredAt: '2026-11-21T10:00:00Z',
      operatorNote: { x: 1 },
      files: [join(dir, 'acquisition.json'), join(dir, 'data.txt')],
    });
    // Reading the acquisition.json path itself works too.
    const viaJson = await readLapisAcquisition(join(dir, 'acquisition.json'));
    expect(viaJson.data).toEqual(acq.data);
  });

  it('1D: one value per line or one row, D axis in s/m²', async () => {
    const dir = fresh();
    const b = logSpace(1e7, 1e10, 16);
    const data = Float64Array.from(b, (x) => Math.exp(-x * 2e-9));
    await writeLapisAcquisition(dir, {
      experiment: 'D',
      axes: [{ kernel: 'D', values: b, unit: 's/m2' }],
      data,
      metadata: { source: 't' },
      warnings: [],
    });
    const text = await readFile(join(dir, 'data.txt'), 'utf8');
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(16);
    const back = await readLapisAcquisition(dir);
    expect(back.data).toEqual(data);
    // The same numbers as one comma-separated row.
    await writeFile(join(dir, 'data.txt'), Array.from(data).join(', ') + '\n');
    expect((await readLapisAcquisition(dir)).data).toEqual(data);
  });
});

async function writeSet(doc: Record<string, unknown>, data: string, dataName = 'data.txt'): Promise<string> {
  const dir = fresh();
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'acquisition.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  await writeFile(join(dir, dataName), data);
  return dir;
}

const base = () => ({
  format: 'lapis-acquisition/1',
  experiment: 'T1-T2',
  axes: [
    { kernel: 'T1-IR', values: [1, 2, 3], unit: 'ms' },
    { kernel: 'T2', values: [100, 200], unit: 'us' },
  ],
  data: 'data.txt',
});
const goodData = '# T1-T2\n1 2\n3,4\n\n5, 6\n';

describe('units and text layout', () => {
  it('converts ms, us, µs and s/mm2 to SI and accepts comments, commas, CRLF, a BOM', async () => {
    const dir = await writeSet(base(), '\ufeff# header\r\n1 2\r\n3,4\r\n# mid\r\n5 , 6\r\n');
    const acq = await readLapisAcquisition(dir);
    expect(Array.from(acq.axes[0].values)).toEqual([0.001, 0.002, 0.003]);
    expect(Array.from(acq.axes[1]!.values)).toEqual([0.0001, 0.0002]);
    expect(Array.from(acq.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const micro = await writeSet(
      { ...base(), axes: [base().axes[0], { kernel: 'T2', values: [100, 200], unit: 'µs' }] },
      goodData,
    );
    expect(Array.from((await readLapisAcquisition(micro)).axes[1]!.values)).toEqual([0.0001, 0.0002]);
    const d = await writeSet(
      {
        format: 'lapis-acquisition/1',
        experiment: 'D',
        axes: [{ kernel: 'D', values: [0, 100, 1000], unit: 's/mm2' }],
        data: 'data.txt',
      },
      '1\n0.5\n0.1\n',
    );
    expect(Array.from((await readLapisAcquisition(d)).axes[0].values)).toEqual([0, 1e8, 1e9]);
  });

  it.each([
    ['s/m^2', 1],
    ['s/m²', 1],
    ['s m-2', 1],
    ['s/cm2', 1e4],
  ])('reads b-values written in %s', async (unit, factor) => {
    const dir = await writeSet(
      {
        format: 'lapis-acquisition/1',
        experiment: 'D',
        axes: [{ kernel: 'D', values: [0, 1e5, 1e6], unit }],
        data: 'd.txt',
      },
      '1\n0.5\n0.1\n',
      'd.txt',
    );
    expect(Array.from((await readLapisAcquisition(dir)).axes[0].values)).toEqual([0, 1e5 * factor, 1e6 * factor]);
  });

  it('refuses a time unit on a D axis, naming the axis and the units that fit', async () => {
    const dir = await writeSet(
      {
        format: 'lapis-acquisition/1',
        experiment: 'D',
        axes: [{ kernel: 'D', values: [0, 1, 2], unit: 'ms' }],
        data: 'd.txt',
      },
      '1\n0.5\n0.1\n',
      'd.txt',
    );
    await expect(readLapisAcquisition(dir)).rejects.toThrow(
      /axes\[0\]: unit ms does not fit kernel D \(expected s\/m²/,
    );
  });
});

describe('bad input is one FormatError line naming the file', () => {
  const cases: [string, Record<string, unknown> | string, string, RegExp][] = [
    ['NaN in data', base(), '1 2\nNaN 4\n5 6\n', /data\.txt: line 2: NaN \(not finite\)/],
    ['Inf in data', base(), '1 2\n3 inf\n5 6\n', /not finite/],
    ['text in data', base(), '1 2\n3 x\n5 6\n', /'x' is not a number/],
    ['empty data file', base(), '# nothing\n\n', /data\.txt: empty file/],
    ['ragged rows', base(), '1 2\n3\n5 6\n', /ragged rows: line 2 has 1 values, line 1 has 2/],
    ['too few rows', base(), '1 2\n3 4\n', /wrong dimensions: data is 2×2, the axes need 3×2/],
    ['transposed', base(), '1 2 3\n4 5 6\n', /transposed/],
    [
      'axis length mismatch 1D',
      {
        format: 'lapis-acquisition/1',
        experiment: 'T2',
        axes: [{ kernel: 'T2', values: [1, 2, 3], unit: 's' }],
        data: 'data.txt',
      },
      '1\n2\n',
      /axis length mismatch/,
    ],
    [
      'non-monotonic axis',
      { ...base(), axes: [{ kernel: 'T1-IR', values: [1, 3, 2], unit: 'ms' }, base().axes[1]] },
      goodData,
      /axes\[0\] is not monotonic/,
    ],
    [
      'negative time',
      { ...base(), axes: [{ kernel: 'T1-IR', values: [-1, 2, 3], unit: 'ms' }, base().axes[1]] },
      goodData,
      /negative time/,
    ],
    [
      'duplicate value',
      { ...base(), axes: [{ kernel: 'T1-IR', values: [1, 2, 2], unit: 'ms' }, base().axes[1]] },
      goodData,
      /duplicate value/,
    ],
    [
      'unknown kernel',
      { ...base(), axes: [{ kernel: 'T3', values: [1, 2, 3], unit: 'ms' }, base().axes[1]] },
      goodData,
      /unknown kernel 'T3'/,
    ],
    [
      'kernel not fitting',
      { ...base(), axes: [base().axes[1], base().axes[1]] },
      goodData,
      /does not fit experiment T1-T2/,
    ],
    ['unknown experiment', { ...base(), experiment: 'T1-D' }, goodData, /unknown experiment "T1-D"/],
    [
      'unknown unit',
      { ...base(), axes: [{ kernel: 'T1-IR', values: [1, 2, 3], unit: 'fortnight' }, base().axes[1]] },
      goodData,
      /unknown unit "fortnight"/,
    ],
    ['wrong format', { ...base(), format: 'other/1' }, goodData, /format is "other\/1"/],
    ['broken JSON', '{"format": ', goodData, /acquisition\.json: not valid JSON/],
    ['empty JSON', '', goodData, /acquisition\.json: empty file/],
    ['data outside the directory', { ...base(), data: '../x.txt' }, goodData, /inside the acquisition directory/],
    ['missing data file', { ...base(), data: 'other.txt' }, goodData, /other\.txt: data file not found/],
    [
      'beta out of range',
      { ...base(), axes: [{ ...base().axes[0], beta: 2 }, base().axes[1]] },
      goodData,
      /beta must be/,
    ],
  ];
  it.each(cases)('%s', async (_name, doc, data, message) => {
    const dir = await writeSet(doc as Record<string, unknown>, data);
    const error = await readLapisAcquisition(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FormatError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
    expect(text.startsWith(dir)).toBe(true);
  });

  it('refuses a data file over the byte limit before reading it', async () => {
    const dir = await writeSet(base(), goodData + '#'.repeat(2000) + '\n');
    await expect(readLapisAcquisition(dir, { maxBytes: 1000 })).rejects.toThrow(/data\.txt: file too large/);
  });

  it('a missing directory', async () => {
    await expect(readLapisAcquisition(join(root, 'nope'))).rejects.toThrow(FormatError);
  });
});
