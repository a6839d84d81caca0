import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import type { Acquisition } from '../acquisition';
import { FormatError } from '../acquisition';
import { parseNumberTable, readTextMatrix, writeTextMatrix } from './index';

let root: string;
let count = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-textmatrix-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
async function fresh(): Promise<string> {
  const dir = join(root, `m${count++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}
const logSpace = (lo: number, hi: number, n: number) =>
  Float64Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));

describe('text matrix round trip', () => {
  it('2D D–T2: write then read gives the same bits', async () => {
    const dir = await fresh();
    const rng = createRng(11);
    const acq: Acquisition = {
      experiment: 'D-T2',
      axes: [
        { kernel: 'D', values: logSpace(1e6, 1e10, 9), unit: 's/m2' },
        { kernel: 'T2', values: logSpace(1e-4, 1, 40), unit: 's' },
      ],
      data: Float64Array.from({ length: 360 }, () => rng.normal()),
      metadata: { source: 'test' },
      warnings: [],
    };
    const paths = { data: join(dir, 'data.txt'), axis1: join(dir, 'b.txt'), axis2: join(dir, 't2.txt') };
    await writeTextMatrix(paths, acq);
    const back = await readTextMatrix({ ...paths, kernel1: 'D', kernel2: 'T2' });
    expect(back.experiment).toBe('D-T2');
    expect(back.data).toEqual(acq.data);
    expect(back.axes[0].values).toEqual(acq.axes[0].values);
    expect(back.axes[1]!.values).toEqual(acq.axes[1]!.values);
    expect(back.metadata.source).toBe('text-matrix');
    expect(back.metadata.files).toEqual([paths.data, paths.axis1, paths.axis2]);
  });

  it('a multi-megabyte matrix streams across chunk boundaries intact', async () => {
    const dir = await fresh();
    const rng = createRng(5);
    const acq: Acquisition = {
      experiment: 'T1-T2',
      axes: [
        { kernel: 'T1-SR', values: logSpace(1e-4, 5, 200), unit: 's' },
        { kernel: 'T2', values: logSpace(1e-4, 1, 400), unit: 's' },
      ],
      data: Float64Array.from({ length: 80_000 }, () => rng.normal() * 1e-7),
      metadata: { source: 'test' },
      warnings: [],
    };
    const paths = { data: join(dir, 'big.txt'), axis1: join(dir, 'a1.txt'), axis2: join(dir, 'a2.txt') };
    await writeTextMatrix(paths, acq);
    expect((await stat(paths.data)).size).toBeGreaterThan(1.5 * 1024 * 1024);
    const back = await readTextMatrix({ ...paths, kernel1: 'T1-SR', kernel2: 'T2' });
    expect(back.data).toEqual(acq.data);
  });

  it('1D T1-SR with the axis as one row in ms', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'tau.txt'), '1, 10, 100, 1000\n');
    await writeFile(join(dir, 'sig.txt'), '0.1\n0.5\n0.9\n1.0\n');
    const acq = await readTextMatrix({
      data: join(dir, 'sig.txt'),
      axis1: join(dir, 'tau.txt'),
      kernel1: 'T1-SR',
      unit1: 'ms',
    });
    expect(acq.experiment).toBe('T1');
    expect(Array.from(acq.axes[0].values)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(acq.axes[0].unit).toBe('s');
  });
});

describe('text matrix validation', () => {
  async function setUp(data: string, axis1: string, axis2?: string) {
    const dir = await fresh();
    await writeFile(join(dir, 'data.txt'), data);
    await writeFile(join(dir, 'a1.txt'), axis1);
    if (axis2 !== undefined) await writeFile(join(dir, 'a2.txt'), axis2);
    return {
      data: join(dir, 'data.txt'),
      axis1: join(dir, 'a1.txt'),
      ...(axis2 !== undefined ? { axis2: join(dir, 'a2.txt') } : {}),
    };
  }
  const cases: [string, string, string, string | undefined, Record<string, string>, RegExp][] = [
    [
      'axis length mismatch',
      '1 2\n3 4\n',
      '1\n2\n3\n',
      '1\n2\n',
      { kernel1: 'T1-IR', kernel2: 'T2' },
      /data\.txt: wrong dimensions: data is 2×2, the axes need 3×2/,
    ],
    [
      'matrix axis file',
      '1 2\n3 4\n',
      '1 2\n3 4\n',
      '1\n2\n',
      { kernel1: 'T1-IR', kernel2: 'T2' },
      /a1\.txt: an axis file needs one column or one row/,
    ],
    [
      'NaN in axis',
      '1 2\n3 4\n',
      '1\nnan\n',
      '1\n2\n',
      { kernel1: 'T1-IR', kernel2: 'T2' },
      /a1\.txt: line 2: nan \(not finite\)/,
    ],
    ['unknown kernel', '1\n2\n', '1\n2\n', undefined, { kernel1: 'T9' }, /unknown kernel 'T9'/],
    [
      'no such experiment',
      '1 2\n3 4\n',
      '1\n2\n',
      '1\n2\n',
      { kernel1: 'T2', kernel2: 'D' },
      /kernels T2 × D make no known experiment/,
    ],
    ['missing kernel2', '1 2\n3 4\n', '1\n2\n', '1\n2\n', { kernel1: 'T2' }, /2 axis files but 1 kernel/],
    [
      '2D data for a 1D axis',
      '1 2\n3 4\n',
      '1\n2\n',
      undefined,
      { kernel1: 'T2' },
      /wrong dimensions: data is 2×2, a 1D axis/,
    ],
    ['decreasing then increasing', '1\n2\n3\n', '3\n1\n2\n', undefined, { kernel1: 'T2' }, /not monotonic/],
    ['empty axis file', '1\n2\n', '# none\n', undefined, { kernel1: 'T2' }, /a1\.txt: empty file/],
    ['wrong unit for D', '1\n2\n', '1\n2\n', undefined, { kernel1: 'D', unit1: 'ms' }, /unit ms does not fit kernel D/],
  ];
  it.each(cases)('%s', async (_name, data, axis1, axis2, extra, message) => {
    const paths = await setUp(data, axis1, axis2);
    const error = await readTextMatrix({ ...paths, ...(extra as { kernel1: string }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('a decreasing axis is accepted', async () => {
    const paths = await setUp('1\n2\n3\n', '3\n2\n1\n');
    const acq = await readTextMatrix({ ...paths, kernel1: 'T2' });
    expect(Array.from(acq.axes[0].values)).toEqual([3, 2, 1]);
  });
});

describe('parseNumberTable', () => {
  it('parses signs, exponents and trailing commas; rejects hex and overflow', () => {
    expect(parseNumberTable('-1.5e-3, +2.,\n.5 3E2\n', 'x')).toEqual({
      rows: 2,
      cols: 2,
      data: new Float64Array([-0.0015, 2, 0.5, 300]),
    });
    expect(() => parseNumberTable('0x10\n', 'x')).toThrow(/'0x10' is not a number/);
    expect(() => parseNumberTable('1e999\n', 'x')).toThrow(/not finite/);
  });
});
