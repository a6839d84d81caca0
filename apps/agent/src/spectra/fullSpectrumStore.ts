/**
 * The full-resolution spectra this agent processed, kept on disk so that a viewer can ask for any stretch of one
 * (`cmd/spectrum`, docs/mqtt.md): the `spectrum` message carries them reduced for transport. Per key, `<key>.f32`
 * holds the values (float32, little-endian; 7 digits, far below any spectrum's noise) and `<key>.json` the axes;
 * the header is written last, so a key with a header is whole. The oldest spectra go once the store is over its size.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpectrumDocument, SpectrumRegion, SpectrumRequest } from '@lapis/contracts';
import { SPECTRUM_REGION_MAX_VALUES } from '@lapis/contracts';
import { maxAbsPool, minMaxBuckets, poolingSteps } from './reduceSpectrum';

/** What the header says: per axis (1D: one; 2D: F1, F2) ppm of the first and last point and the number of points. */
interface StoredHeader {
  dimensions: 1 | 2;
  axes: { first: number; last: number; size: number }[];
}

const KEY = /^[0-9a-f]{64}$/;

export class FullSpectrumStore {
  /**
   * Bytes kept per key, oldest first (a Map keeps insertion order): read from the folder once, on the first save,
   * then kept up to date — the data folder is this agent's alone (dataDirLock), so nothing else writes there.
   */
  #index: Map<string, number> | undefined;
  #total = 0;

  constructor(
    readonly dir: string,
    /** Total bytes kept; 0 keeps nothing. */
    readonly maxBytes: number,
  ) {
    if (maxBytes > 0) mkdirSync(dir, { recursive: true });
  }

  /** Keeps the document's spectrum under `key`, then trims the store to its size. Only full-resolution documents. */
  save(key: string, doc: SpectrumDocument): void {
    if (this.maxBytes <= 0 || !KEY.test(key)) return;
    const s = doc.spectrum;
    const unreduced = doc.dimensions === 1 ? s.step === 1 : (s.step as number[]).every((v) => v === 1);
    if (!unreduced || 'reduction' in s) return;
    const header = JSON.stringify({
      dimensions: doc.dimensions,
      axes: doc.axes.map((a) => ({ first: a.first, last: a.last, size: a.size })),
    } satisfies StoredHeader);
    const values = Float32Array.from(s.real);
    const path = join(this.dir, key);
    const index = this.index();
    writeFileSync(`${path}.f32.tmp`, new Uint8Array(values.buffer));
    renameSync(`${path}.f32.tmp`, `${path}.f32`);
    writeFileSync(`${path}.json.tmp`, header);
    renameSync(`${path}.json.tmp`, `${path}.json`);
    // a key saved again (reprocessed) is the newest
    this.#total -= index.get(key) ?? 0;
    index.delete(key);
    const bytes = values.byteLength + Buffer.byteLength(header);
    index.set(key, bytes);
    this.#total += bytes;
    this.trim();
  }

  /** Removes the oldest spectra until the store holds at most maxBytes. */
  trim(): void {
    const index = this.index();
    for (const [key, bytes] of index) {
      if (this.#total <= this.maxBytes) break;
      // the header first: from then on the key reads as gone, never as half there
      rmSync(join(this.dir, `${key}.json`), { force: true });
      rmSync(join(this.dir, `${key}.f32`), { force: true });
      index.delete(key);
      this.#total -= bytes;
    }
  }

  /** The keys in the folder with their bytes, oldest (by write time) first; read once. */
  private index(): Map<string, number> {
    if (this.#index) return this.#index;
    const byKey = new Map<string, { bytes: number; at: number }>();
    for (const f of readdirSync(this.dir)) {
      if (!f.endsWith('.f32') && !f.endsWith('.json')) continue;
      const st = statSync(join(this.dir, f));
      const key = f.slice(0, f.indexOf('.'));
      const k = byKey.get(key) ?? { bytes: 0, at: Infinity };
      byKey.set(key, { bytes: k.bytes + st.size, at: Math.min(k.at, st.mtimeMs) });
    }
    this.#index = new Map([...byKey].sort((a, b) => a[1].at - b[1].at).map(([key, k]) => [key, k.bytes]));
    this.#total = [...this.#index.values()].reduce((t, b) => t + b, 0);
    return this.#index;
  }

  /** The stretch a request asks for, or why there is none. Reads only the rows it needs. */
  async region(request: SpectrumRequest): Promise<{ region: SpectrumRegion } | { error: string }> {
    const path = join(this.dir, request.key);
    let header: StoredHeader;
    try {
      header = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as StoredHeader;
    } catch {
      return {
        error:
          this.maxBytes > 0
            ? 'this agent no longer keeps that spectrum at full resolution (spectra.keepFullMiB)'
            : 'this agent keeps no full-resolution spectra (spectra.keepFullMiB is 0)',
      };
    }
    const maxValues = request.maxValues ?? SPECTRUM_REGION_MAX_VALUES;
    const file = await open(`${path}.f32`, 'r');
    try {
      if (header.dimensions === 1) {
        if (request.shift1 || request.shift2) return { error: 'a 1D spectrum: ask with shift, not shift1/shift2' };
        const axis = axisSpan(header.axes[0]!, request.shift);
        const values = await readFloats(file, axis.from, axis.size);
        const { real, step } = minMaxBuckets(values, maxValues);
        return { region: { dimensions: 1, axis, step, real } };
      }
      if (request.shift) return { error: 'a 2D spectrum: ask with shift1 (F1) and shift2 (F2), not shift' };
      const f1 = axisSpan(header.axes[0]!, request.shift1);
      const f2 = axisSpan(header.axes[1]!, request.shift2);
      const columns = header.axes[1]!.size;
      const block = new Float32Array(f1.size * f2.size);
      for (let r = 0; r < f1.size; r++)
        block.set(await readFloats(file, (f1.from + r) * columns + f2.from, f2.size), r * f2.size);
      const step = poolingSteps(f1.size, f2.size, maxValues);
      const pooled = maxAbsPool(block, f1.size, f2.size, step[0], step[1]);
      return {
        region: { dimensions: 2, axes: [f1, f2], rows: pooled.rows, columns: pooled.columns, step, real: pooled.real },
      };
    } finally {
      await file.close();
    }
  }
}

/** The points of an axis inside [lo, hi] ppm (the whole axis without a range), at least two. */
export function axisSpan(
  axis: { first: number; last: number; size: number },
  range?: readonly [number, number],
): { first: number; last: number; from: number; size: number } {
  const n = axis.size;
  const perPoint = n > 1 ? (axis.last - axis.first) / (n - 1) : 1;
  let from = 0;
  let to = n - 1;
  if (range) {
    const a = (range[0] - axis.first) / perPoint;
    const b = (range[1] - axis.first) / perPoint;
    from = Math.max(0, Math.floor(Math.min(a, b)));
    to = Math.min(n - 1, Math.ceil(Math.max(a, b)));
    if (to - from < 1) {
      // a range narrower than a point, or outside the axis: the nearest two points
      from = Math.min(Math.max(0, from), n - 2);
      to = from + 1;
    }
  }
  return { first: axis.first + from * perPoint, last: axis.first + to * perPoint, from, size: to - from + 1 };
}

async function readFloats(file: Awaited<ReturnType<typeof open>>, from: number, count: number): Promise<Float32Array> {
  const bytes = new Uint8Array(count * 4);
  const { bytesRead } = await file.read(bytes, 0, bytes.length, from * 4);
  if (bytesRead !== bytes.length) throw new Error('the stored spectrum is shorter than its header says');
  return new Float32Array(bytes.buffer, 0, count);
}
