import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { rowStride, type ComplexRows } from './binary';
import { formatBrukerList } from './lists';
import { readBruker } from './readBruker';
import { readBrukerPseudo2d } from './readBrukerPseudo2d';
import { writeJcamp } from './writeJcamp';
import { writeBrukerDataset } from './writeBruker';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-bruker-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function randomRows(rows: number, points: number, seed: number, scale: number, integer: boolean): ComplexRows {
  const rng = createRng(seed);
  const gen = () => (integer ? Math.round(rng.uniform(-1, 1) * scale) + 0 : rng.normal() * scale); // + 0: no -0
  return {
    rows,
    points,
    re: Float64Array.from({ length: rows * points }, gen),
    im: Float64Array.from({ length: rows * points }, gen),
  };
}

const BASE = { PULPROG: 't1ir', SW_h: 5000, SFO1: 400.13, BF1: 400.13, INSTRUM: 'spect', DATE: 1605703903, GRPDLY: 0 };
let n = 0;
const fresh = () => join(root, String(++n));

describe('readBruker round trips', () => {
  // TD 2·150 = 300 values: not a multiple of 256, so every int32 row carries padding (1200 → 2048 bytes).
  it.each([
    ['int32', true],
    ['int32', false],
    ['float64', true],
    ['float64', false],
  ] as const)('%s, little-endian %s, TD not a multiple of 256', async (dtype, littleEndian) => {
    const dir = fresh();
    const rows = 5;
    const points = 150;
    const nc = dtype === 'int32' ? 3 : 0;
    // int32 data are exact multiples of 2^NC so the round trip is exact.
    const data = randomRows(rows, points, 7, dtype === 'int32' ? 1e6 : 1e3, dtype === 'int32');
    if (dtype === 'int32')
      for (const a of [data.re, data.im]) for (let i = 0; i < a.length; i++) a[i] = a[i]! * 2 ** nc;
    const delays = [2, 1, 0.5, 0.1, 0.01];
    await writeBrukerDataset(dir, {
      acqus: BASE,
      acqu2s: {},
      data,
      dtype,
      littleEndian,
      nc,
      lists: { vdlist: formatBrukerList(delays, 'delay', 'm') },
      pulseProgram: ';t1ir\n1 ze\n',
    });
    const size = (await stat(join(dir, 'ser'))).size;
    expect(size).toBe(rows * rowStride(2 * points, dtype));
    expect(size % 1024).toBe(0);
    const ds = await readBruker(dir);
    expect(ds.layout).toMatchObject({ td: 300, td1: rows, dtype, littleEndian, nc, file: 'ser' });
    expect(ds.data.rows).toBe(rows);
    expect(ds.data.points).toBe(points);
    expect(Array.from(ds.data.re)).toEqual(Array.from(data.re));
    expect(Array.from(ds.data.im)).toEqual(Array.from(data.im));
    expect(ds.experiment.kind).toBe('T1-IR');
    expect(ds.axis?.kernel).toBe('T1-IR');
    delays.forEach((d, i) => expect(ds.axis!.values[i]).toBeCloseTo(d, 12));
    expect(ds.metadata).toMatchObject({
      source: 'bruker',
      instrument: 'spect',
      acquiredAt: '2020-11-18T12:51:43.000Z',
    });
    expect(ds.warnings).toEqual([]);
  });

  it('reads a 1D fid and rewrites acqus byte for byte from the parsed parameters', async () => {
    const dir = fresh();
    const data = randomRows(1, 1000, 3, 1000, true);
    await writeBrukerDataset(dir, { acqus: { ...BASE, PULPROG: 'zg30' }, data });
    const ds = await readBruker(dir);
    expect(ds.layout.file).toBe('fid');
    expect(Array.from(ds.data.re)).toEqual(Array.from(data.re));
    const copy = fresh();
    await writeBrukerDataset(copy, { acqus: ds.acqus.jcamp, data: ds.data });
    expect(await readFile(join(copy, 'acqus'), 'latin1')).toBe(await readFile(join(dir, 'acqus'), 'latin1'));
    expect(writeJcamp(ds.acqus.jcamp)).toBe(await readFile(join(dir, 'acqus'), 'latin1'));
  });

  it('an unknown pulse program with a vdlist is taken as an inversion recovery, with a warning', async () => {
    const dir = fresh();
    const data = randomRows(3, 64, 2, 100, true);
    await writeBrukerDataset(dir, {
      acqus: { ...BASE, PULPROG: 'my_t1_v2' },
      acqu2s: {},
      data,
      lists: { vdlist: '1\n2\n3\n' },
    });
    const ds = await readBruker(dir);
    expect(ds.experiment.kind).toBe('T1-IR');
    expect(ds.axis?.values).toEqual(Float64Array.from([1, 2, 3]));
    expect(ds.warnings.join()).toMatch(/not recognised: T1-IR assumed/);
  });

  it('applies NC: int32 × 2^NC, and not to float64', async () => {
    const dir = fresh();
    const data: ComplexRows = { rows: 1, points: 2, re: Float64Array.from([1, -2]), im: Float64Array.from([3, 4]) };
    await writeBrukerDataset(dir, { acqus: BASE, data, nc: 0 });
    // rewrite acqus with NC = -2 over the same integer file: values scale by 1/4
    const text = (await readFile(join(dir, 'acqus'), 'latin1')).replace('##$NC= 0', '##$NC= -2');
    await writeFile(join(dir, 'acqus'), text);
    expect(Array.from((await readBruker(dir)).data.re)).toEqual([0.25, -0.5]);
    const fdir = fresh();
    await writeBrukerDataset(fdir, { acqus: BASE, data, dtype: 'float64', nc: 5 });
    expect(Array.from((await readBruker(fdir)).data.re)).toEqual([1, -2]);
  });
});

describe('readBruker bad input: typed errors naming the file', () => {
  const data = randomRows(4, 100, 1, 1000, true);
  const write = async (dir: string, acqus: Record<string, number | string> = BASE, vd = [1, 2, 3, 4]) =>
    writeBrukerDataset(dir, { acqus, acqu2s: {}, data, lists: { vdlist: formatBrukerList(vd, 'delay') } });

  it('truncated ser', async () => {
    const dir = fresh();
    await write(dir);
    await truncate(join(dir, 'ser'), 1500);
    const err = await readBruker(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).file).toBe(join(dir, 'ser'));
    expect((err as FormatError).problem).toMatch(/truncated/);
    const partial = await readBruker(dir, { allowPartial: true });
    expect(partial.data.rows).toBe(1);
    expect(partial.warnings.join()).toMatch(/holds 1 of 4 rows/);
  });

  it('missing TD', async () => {
    const dir = fresh();
    await write(dir);
    const text = (await readFile(join(dir, 'acqus'), 'latin1')).replace(/##\$TD= \d+\n/, '');
    await writeFile(join(dir, 'acqus'), text);
    await expect(readBruker(dir)).rejects.toThrow(/acqus: missing parameter TD/);
  });

  it('unknown DTYPA', async () => {
    const dir = fresh();
    await write(dir);
    const text = (await readFile(join(dir, 'acqus'), 'latin1')).replace('##$DTYPA= 0', '##$DTYPA= 1');
    await writeFile(join(dir, 'acqus'), text);
    await expect(readBruker(dir)).rejects.toThrow(/acqus: unknown DTYPA 1/);
  });

  it('vdlist shorter than TD1', async () => {
    const dir = fresh();
    await write(dir, BASE, [1, 2, 3]);
    // the raw data stay readable; the axis (and so the pseudo-2D) is the error
    const ds = await readBruker(dir);
    expect(ds.axis).toBeUndefined();
    expect(ds.axisError).toBeInstanceOf(FormatError);
    expect(ds.axisError?.message).toMatch(/vdlist: list has 3 entries but TD1 is 4/);
    await expect(readBrukerPseudo2d(dir)).rejects.toThrow(/vdlist: list has 3 entries but TD1 is 4/);
    // a bad entry in a list the experiment needs is its error too
    await writeFile(join(dir, 'vdlist'), '1s\n2q\n3\n4\n');
    await expect(readBrukerPseudo2d(dir)).rejects.toThrow(/vdlist: line 2: unknown unit 'q'/);
  });

  it('binary garbage in acqus', async () => {
    const dir = fresh();
    await write(dir);
    const rng = createRng(9);
    await writeFile(
      join(dir, 'acqus'),
      Uint8Array.from({ length: 4096 }, () => rng.int(0, 255)),
    );
    const err = await readBruker(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toMatch(/acqus: binary content/);
  });

  it('a 10 GB declared size is refused before any allocation', async () => {
    const dir = fresh();
    await write(dir);
    // TD 2^20 values × TD1 2560 rows of int32 = 10 GiB
    const text = (await readFile(join(dir, 'acqus'), 'latin1')).replace('##$TD= 200', '##$TD= 1048576');
    await writeFile(join(dir, 'acqus'), text);
    await writeFile(
      join(dir, 'acqu2s'),
      (await readFile(join(dir, 'acqu2s'), 'latin1')).replace('##$TD= 4', '##$TD= 2560'),
    );
    const before = process.memoryUsage().arrayBuffers;
    await expect(readBruker(dir)).rejects.toThrow(/ser: truncated: TD 1048576 × 2560 rows need 10737418240 bytes/);
    await expect(readBruker(dir, { allowPartial: true })).rejects.toThrow(FormatError);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('missing acqus and missing ser', async () => {
    const dir = fresh();
    await expect(readBruker(dir)).rejects.toThrow(/acqus: missing/);
    await write(dir);
    await rm(join(dir, 'ser'));
    await expect(readBruker(dir)).rejects.toThrow(/ser: missing or unreadable/);
  });
});
