/**
 * libs/formats may not import @lapis/contracts, so the lapis reader checks acquisition.json by hand. This test
 * (apps may import every lib) keeps the reader and the contract's acquisitionDocSchema in step.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquisitionDocSchema } from '@lapis/contracts';
import { readLapisAcquisition, writeLapisAcquisition } from '@lapis/formats';
import { t1t2Acquisition, t2Acquisition } from '../testing/fixtures';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-consistency-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const base = {
  format: 'lapis-acquisition/1',
  experiment: 'T1-T2',
  axes: [
    { kernel: 'T1-SR', values: [1, 2, 3], unit: 'ms' },
    { kernel: 'T2', values: [100, 200], unit: 'µs' },
  ],
  data: 'data.txt',
};
const docs: [string, unknown][] = [
  ['valid', base],
  ['valid with extras', { ...base, instrument: 'i', sample: 's', acquiredAt: '2026-11-21T10:00:00Z', operator: 'x' }],
  [
    'valid s/mm2',
    {
      format: 'lapis-acquisition/1',
      experiment: 'D',
      axes: [{ kernel: 'D', values: [0, 100, 1000], unit: 's/mm2' }],
      data: 'd.txt',
    },
  ],
  ['unknown experiment', { ...base, experiment: 'T1-D' }],
  ['kernel vs experiment', { ...base, axes: [base.axes[1], base.axes[1]] }],
  ['unit vs kernel', { ...base, axes: [{ ...base.axes[0], unit: 's/m2' }, base.axes[1]] }],
  ['unknown unit', { ...base, axes: [{ ...base.axes[0], unit: 'min' }, base.axes[1]] }],
  ['path in data', { ...base, data: 'sub/data.txt' }],
  ['beta above 1', { ...base, axes: [{ ...base.axes[0], beta: 1.2 }, base.axes[1]] }],
  ['beta in range', { ...base, axes: [{ ...base.axes[0], kernel: 'T1-IR', beta: 0.9 }, base.axes[1]] }],
  ['wrong format', { ...base, format: 'lapis-acquisition/2' }],
  ['instrument not a string', { ...base, instrument: 3 }],
];

describe('lapis reader ⇔ acquisitionDocSchema', () => {
  it('what the writer writes meets the contract', async () => {
    for (const acq of [t2Acquisition(), t1t2Acquisition()]) {
      const dir = join(root, `w${n++}`);
      const { json } = await writeLapisAcquisition(dir, acq);
      const parsed = acquisitionDocSchema.safeParse(JSON.parse(await readFile(json, 'utf8')));
      expect(parsed.error?.issues).toBeUndefined();
    }
  });

  it.each(docs)('%s: the reader accepts exactly when the schema does', async (_name, doc) => {
    const dir = join(root, `c${n++}`);
    await mkdir(dir);
    await writeFile(join(dir, 'acquisition.json'), JSON.stringify(doc));
    const dataName = (doc as { data: string }).data;
    const oneD = (doc as { axes: unknown[] }).axes.length === 1;
    if (!dataName.includes('/')) await writeFile(join(dir, dataName), oneD ? '1\n0.5\n0.1\n' : '1 2\n3 4\n5 6\n');
    const schemaOk = acquisitionDocSchema.safeParse(doc).success;
    const readerOk = await readLapisAcquisition(dir).then(
      () => true,
      () => false,
    );
    expect(readerOk).toBe(schemaOk);
  });
});
