/**
 * The full-resolution store on real files: what it keeps, what it answers (1D and 2D stretches, reduced beyond a
 * reply's values), what it trims, and that a missing or damaged spectrum is a reason, never a crash.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpectrumDocument } from '@lapis/contracts';
import { axisSpan, FullSpectrumStore } from './fullSpectrumStore';
import { answerSpectrumRequest } from './spectrumCommand';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const key = (n: number) => n.toString(16).padStart(64, '0');

/** A 1D document of `size` points from 10 to −0.5 ppm, value i = i (exact in float32 below 2²⁴). */
function doc1d(size: number): SpectrumDocument {
  return {
    dimensions: 1,
    axes: [{ name: 'shift', unit: 'ppm', nucleus: '1H', first: 10, last: -0.5, size, frequencyMHz: 400 }],
    spectrum: { real: Array.from({ length: size }, (_, i) => i), step: 1 },
  } as unknown as SpectrumDocument;
}

function doc2d(rows: number, columns: number): SpectrumDocument {
  return {
    dimensions: 2,
    axes: [
      { name: 'shift', unit: 'ppm', nucleus: '13C', first: 150, last: 0, size: rows, frequencyMHz: 100 },
      { name: 'shift', unit: 'ppm', nucleus: '1H', first: 10, last: 0, size: columns, frequencyMHz: 400 },
    ],
    spectrum: {
      rows,
      columns,
      real: Array.from({ length: rows * columns }, (_, i) => (i % 7 === 0 ? -i : i)),
      step: [1, 1],
    },
  } as unknown as SpectrumDocument;
}

describe('FullSpectrumStore', () => {
  it('answers a 1D stretch with the points inside it, and the whole spectrum in min–max buckets', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lapis-full-'));
    const store = new FullSpectrumStore(dir, 2 ** 20);
    store.save(key(1), doc1d(10_501));
    const r = await store.region({ requestId: 'a', key: key(1), shift: [4.0, 5.0] });
    if (!('region' in r) || r.region.dimensions !== 1) throw new Error(JSON.stringify(r));
    // 0.001 ppm per point: 5.0 ppm is point 5000, 4.0 ppm point 6000
    expect(r.region.axis).toEqual({ first: 5, last: 4, from: 5000, size: 1001 });
    expect(r.region.step).toBe(1);
    expect(r.region.real[0]).toBe(5000);
    expect(r.region.real.at(-1)).toBe(6000);
    const whole = await store.region({ requestId: 'b', key: key(1), maxValues: 1000 });
    if (!('region' in whole) || whole.region.dimensions !== 1) throw new Error(JSON.stringify(whole));
    expect(whole.region.axis).toMatchObject({ from: 0, size: 10_501 });
    expect(whole.region.step).toBe(11);
    expect(whole.region.real.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...whole.region.real)).toBe(10_500);
  });

  it('answers a 2D window row by row, pooled by largest magnitude when it is larger than asked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lapis-full-'));
    const store = new FullSpectrumStore(dir, 2 ** 20);
    store.save(key(2), doc2d(151, 101));
    const r = await store.region({ requestId: 'a', key: key(2), shift1: [20, 30], shift2: [1, 2] });
    if (!('region' in r) || r.region.dimensions !== 2) throw new Error(JSON.stringify(r));
    const [f1, f2] = r.region.axes;
    expect(f1).toEqual({ first: 30, last: 20, from: 120, size: 11 });
    expect(f2).toEqual({ first: 2, last: 1, from: 80, size: 11 });
    const at = (row: number, column: number) => {
      const i = row * 101 + column;
      return i % 7 === 0 ? -i : i;
    };
    expect(r.region.real[0]).toBe(at(120, 80));
    expect(r.region.real[12]).toBe(at(121, 81));
    const pooled = await store.region({ requestId: 'b', key: key(2), maxValues: 100 });
    if (!('region' in pooled) || pooled.region.dimensions !== 2) throw new Error(JSON.stringify(pooled));
    expect(pooled.region.rows * pooled.region.columns).toBeLessThanOrEqual(100);
    expect(pooled.region.real).toHaveLength(pooled.region.rows * pooled.region.columns);
    // the most negative value of the block keeps its sign (an edited HSQC's CH₂ peaks stay negative)
    expect(Math.min(...pooled.region.real)).toBeLessThan(-15_000);
    expect(await store.region({ requestId: 'c', key: key(2), shift: [1, 2] })).toEqual({
      error: 'a 2D spectrum: ask with shift1 (F1) and shift2 (F2), not shift',
    });
  });

  it('keeps the newest spectra within its size, nothing at 0, and never a reduced spectrum', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lapis-full-'));
    // 3 × 40 kB of values into 100 kB: the first saved goes
    const store = new FullSpectrumStore(dir, 100_000);
    for (let n = 1; n <= 3; n++) {
      store.save(key(n), doc1d(10_000));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(existsSync(join(dir, `${key(1)}.json`))).toBe(false);
    expect(existsSync(join(dir, `${key(3)}.f32`))).toBe(true);
    expect(await store.region({ requestId: 'a', key: key(1) })).toMatchObject({ error: /no longer keeps/ });
    // after a restart the store finds what the folder holds: a smaller one keeps only the newest that fits
    const restarted = new FullSpectrumStore(dir, 50_000);
    restarted.save(key(5), doc1d(100));
    expect(existsSync(join(dir, `${key(2)}.f32`))).toBe(false);
    expect(existsSync(join(dir, `${key(3)}.f32`))).toBe(true);
    expect(existsSync(join(dir, `${key(5)}.f32`))).toBe(true);
    const reduced = doc1d(100);
    (reduced.spectrum as { step: number }).step = 4;
    store.save(key(9), reduced);
    expect(existsSync(join(dir, `${key(9)}.json`))).toBe(false);
    const off = new FullSpectrumStore(join(dir, 'off'), 0);
    off.save(key(4), doc1d(100));
    expect(existsSync(join(dir, 'off'))).toBe(false);
    expect(await off.region({ requestId: 'b', key: key(4) })).toMatchObject({ error: /keepFullMiB is 0/ });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a damaged file is a failed read the command reports, not a crash of the store', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lapis-full-'));
    const store = new FullSpectrumStore(dir, 2 ** 20);
    store.save(key(5), doc1d(1000));
    truncateSync(join(dir, `${key(5)}.f32`), 100);
    await expect(store.region({ requestId: 'a', key: key(5) })).rejects.toThrow(/shorter than its header/);
    expect(await answerSpectrumRequest(store, 'nmr-1', { requestId: 'a', key: key(5) })).toMatchObject({
      requestId: 'a',
      instrument: 'nmr-1',
      error: 'the stored spectrum could not be read: the stored spectrum is shorter than its header says',
    });
  });

  it('axisSpan: the points inside a range, the nearest two for one narrower than a point or outside', () => {
    const axis = { first: 10, last: 0, size: 11 };
    expect(axisSpan(axis)).toEqual({ first: 10, last: 0, from: 0, size: 11 });
    expect(axisSpan(axis, [2.5, 4.5])).toEqual({ first: 5, last: 2, from: 5, size: 4 });
    expect(axisSpan(axis, [3.1, 3.2])).toEqual({ first: 4, last: 3, from: 6, size: 2 });
    expect(axisSpan(axis, [20, 30])).toEqual({ first: 10, last: 9, from: 0, size: 2 });
    expect(axisSpan(axis, [-9, -8])).toEqual({ first: 1, last: 0, from: 9, size: 2 });
  });
});
