import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from './acquisition';
import { builtInReaders, detectAndRead, detectReader, listReaders, readDetected, registerReader } from './read';
import { writeLapisAcquisition } from './lapis';
import { formatBrukerList } from './bruker/lists';
import { simulatePseudo2d } from './bruker/simulatePseudo2d';
import { writeBrukerDataset } from './bruker/writeBruker';
import { writeProspa } from './prospa/prospa';

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

  it('built in: lapis, Bruker, the low-field vendors, Prospa, text matrix, most specific first', () => {
    expect(builtInReaders.map((r) => r.name)).toEqual([
      'lapis-acquisition/1',
      'bruker',
      'spinsolve',
      'geospec',
      'tecmag',
      'prospa',
      'minispec',
      'text-matrix',
    ]);
    expect(listReaders().map((r) => r.name)).toEqual(builtInReaders.map((r) => r.name));
  });

  it('reads a TopSpin pseudo-2D folder (or its acqus) and a Prospa .1d file', async () => {
    const dir = join(root, 'topspin', '4');
    const delays = [0.01, 0.05, 0.2, 0.5, 1, 2, 5, 10];
    const sw = 4000;
    const sf = 400.13;
    const data = simulatePseudo2d({
      points: 1024,
      sw,
      sfo1: sf,
      lines: [{ ppm: 2, amplitudes: delays.map((t) => 1e5 * (1 - 2 * Math.exp(-t / 0.8))), t2star: 0.1 }],
      noise: 5,
      seed: 3,
    });
    await writeBrukerDataset(dir, {
      acqus: { PULPROG: 't1ir', SW_h: sw, SFO1: sf, BF1: sf },
      acqu2s: {},
      data,
      lists: { vdlist: formatBrukerList(delays, 'delay') },
    });
    for (const p of [dir, join(dir, 'acqus')]) {
      const acq = await detectAndRead(p);
      expect(acq.metadata.source).toBe('bruker');
      expect(acq.axes[0].kernel).toBe('T1-IR');
      expect(Array.from(acq.axes[0].values)).toEqual(delays);
      expect(acq.data[0]).toBeLessThan(0);
      expect(acq.data[7]).toBeGreaterThan(0);
    }

    const file = join(root, 'cpmg.1d');
    const te = [1, 2, 3, 4, 5, 6];
    await writeFile(
      file,
      writeProspa({
        version: 'V1.1',
        dataType: 503,
        dims: [6, 1, 1, 1],
        re: Float64Array.from(te, (t) => Math.exp(-t / 3)),
        x: Float64Array.from(te),
      }),
    );
    const acq = await detectAndRead(file);
    expect(acq.metadata.source).toBe('prospa');
    expect(acq.axes[0].values[1]).toBeCloseTo(0.002, 9); // ms by default
    // a text file named .1d is not Prospa: without axis files it is no known layout
    await writeFile(join(root, 'fake.1d'), '1\n2\n');
    await expect(detectAndRead(join(root, 'fake.1d'))).rejects.toThrow(/fake\.1d: not a known layout/);
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
        axes: [{ kernel: 'T2', values: new Float64Array([0.001, 0.002]), unit: 's' }],
        data: new Float64Array([1, 0.5]),
        metadata: { source: 'fake-vendor' },
        warnings: [],
      }),
    });
    expect(listReaders().map((r) => r.name)).toEqual([
      'lapis-acquisition/1',
      'bruker',
      'spinsolve',
      'geospec',
      'tecmag',
      'prospa',
      'minispec',
      'fake-vendor',
      'text-matrix',
    ]);
    expect((await detectAndRead(dir)).metadata.source).toBe('fake-vendor');
  });
});

describe('detectReader', () => {
  it('answers which layout a path is, once: the reader detectAndRead reads with, or undefined', async () => {
    const dir = join(root, 'detect');
    await writeLapisAcquisition(dir, {
      experiment: 'T2',
      axes: [{ kernel: 'T2', values: new Float64Array([0.001, 0.002]), unit: 's' }],
      data: new Float64Array([1, 0.5]),
      metadata: { source: 'x' },
      warnings: [],
    });
    const found = await detectReader(dir);
    expect(found?.name).toBe('lapis-acquisition/1');
    expect(found?.reader.name).toBe('lapis-acquisition/1');
    // detected once, read with that reader: nothing detects again
    let detections = 0;
    const counting = { ...found!.reader, detect: async () => (detections++, true) };
    const acq = await readDetected(dir, { reader: counting, name: counting.name });
    expect(acq.metadata.source).toBe('lapis-acquisition/1');
    expect(detections).toBe(0);

    const plain = join(root, 'plain.txt');
    await writeFile(plain, '1\n0.5\n');
    expect(await detectReader(plain)).toBeUndefined();
    expect((await detectReader(plain, { axis1: plain }))?.name).toBe('text-matrix');
    await expect(readDetected(plain, undefined)).rejects.toThrow(/plain\.txt: not a known layout/);
    await expect(detectReader(join(root, 'missing'))).rejects.toThrow(/missing: no such file or directory/);
  });
});
