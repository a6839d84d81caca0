/** What bench:dashboard's cases share: the sizes, the figures it writes, the clock and the result messages. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envelope, json } from '../src/test/fixtures';

export const appDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = resolve(appDir, '../..');
export const N = Number(process.env.BENCH_RESULTS ?? 1000);
export const INSTRUMENTS = 50;
export const PER_INSTRUMENT = 10_000;
export const quiet = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e) };
export const figures: Record<string, unknown> = {};

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
export const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export function payloads(n: number, tag: string): { topic: string; payload: Buffer }[] {
  const base = envelope({ instrument: 'bench-00', seed: 'x' });
  return Array.from({ length: n }, (_, i) => {
    const instrument = `bench-${String(i % INSTRUMENTS).padStart(2, '0')}`;
    const e = {
      ...base,
      instrument,
      key: envelope({ instrument, seed: `${tag}-${i}` }).key,
      path: `/data/${instrument}/${i}`,
    };
    return { topic: `lapis/v1/${instrument}/result`, payload: json(e) };
  });
}
