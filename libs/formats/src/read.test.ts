import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from './acquisition';
import { detectAndRead, listReaders, registerReader } from './read';
import { writeLapisAcquisition } from './lapis';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-read-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('detectAndRead', () => {
  it('reads a lapis directory and a text matrix, and names the path it cannot read', async () => {
    const dir = join(root, 'lapis');
    await writeLapisAcquisition(dir, {
      experiment: 'T2',
      axes: [{ kernel: 'T2', values: new Float64Array([0.001, 0.002]), unit: 's' }],
      data: new Float64Array([1, 0.5]),
      metadata: { source: 'x' },
      warnings: [],
    });
    expect((await detectAndRead(dir)).metadata.source).toBe('lapis-acquisition/1');
    expect((await detectAndRead(join(dir, 'acquisition.json'))).metadata.source).toBe('lapis-acquisition/1');

    const tm = join(root, 'tm');
    await mkdir(tm);
    await writeFile(join(tm, 'd.txt'), '1\n0.5\n');
    await writeFile(join(tm, 'x.txt'), '0.001\n0.002\n');
    const acq = await detectAndRead(join(tm, 'd.txt'), { axis1: join(tm, 'x.txt'), kernel1: 'T2' });
    expect(acq.metadata.source).toBe('text-matrix');

    await expect(detectAndRead(join(tm, 'd.txt'))).rejects.toThrow(/d\.txt: not a known layout/);
    await expect(detectAndRead(join(tm, 'd.txt'), { axis1: join(tm, 'x.txt') })).rejects.toThrow(/needs the kernel/);
    await expect(detectAndRead(tm)).rejects.toThrow(/tm: no known acquisition layout/);
    await expect(detectAndRead(join(root, 'missing'))).rejects.toThrow(FormatError);
  });

  it('tries registered readers by priority', async () => {
    const dir = join(root, 'vendor');
    await mkdir(dir);
    await writeFile(join(dir, 'acqus'), '##TITLE= x\n');
    registerReader({
      name: 'fake-vendor',
      priority: 50,
      detect: async (p) => p === dir,
      read: async () => ({
        experiment: 'T2',
        axes: [{ kernel: 'T2', values: new Float64Array([1]), unit: 's' }],
        data: new Float64Array([1]),
        metadata: { source: 'fake-vendor' },
        warnings: [],
      }),
    });
    expect(listReaders().map((r) => r.name)).toEqual(['lapis-acquisition/1', 'fake-vendor', 'text-matrix']);
    expect((await detectAndRead(dir)).metadata.source).toBe('fake-vendor');
  });
});
