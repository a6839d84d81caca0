/**
 * What every reader's fuzz test shares: the one acceptable failure (a FormatError) within a time bound, and byte
 * mutations of a valid file (edits, an insertion, a truncation) as a fast-check arbitrary.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { FormatError } from '../acquisition';

/** No single call may take longer (a hang or quadratic parse shows here). */
export const FUZZ_MAX_MS = 2000;

/** Runs f; passes if it returns or throws a FormatError, within FUZZ_MAX_MS. */
export function onlyFormatErrorsSync(f: () => unknown): void {
  const t0 = performance.now();
  try {
    f();
  } catch (e) {
    if (!(e instanceof FormatError)) throw new Error(`not a FormatError: ${String(e)}`, { cause: e });
  }
  expect(performance.now() - t0).toBeLessThan(FUZZ_MAX_MS);
}

/** onlyFormatErrorsSync for readers that return a promise. */
export async function onlyFormatErrors(f: () => unknown): Promise<void> {
  const t0 = performance.now();
  try {
    await f();
  } catch (e) {
    if (!(e instanceof FormatError)) throw new Error(`not a FormatError: ${String(e)}`, { cause: e });
  }
  expect(performance.now() - t0).toBeLessThan(FUZZ_MAX_MS);
}

export interface ByteMutation {
  edits: [number, number][];
  insertAt: number;
  insert: Uint8Array;
  keep: number | undefined;
}

/** Byte edits, an insertion, a truncation. */
export const byteMutation: fc.Arbitrary<ByteMutation> = fc.record({
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  insertAt: fc.nat(),
  insert: fc.uint8Array({ maxLength: 16 }),
  keep: fc.option(fc.nat(), { nil: undefined }),
});

export function mutate(src: Uint8Array, m: ByteMutation): Uint8Array {
  const out = Uint8Array.from(src);
  for (const [pos, v] of m.edits) if (out.length > 0) out[pos % out.length] = v;
  const at = out.length > 0 ? m.insertAt % out.length : 0;
  const joined = new Uint8Array(out.length + m.insert.length);
  joined.set(out.subarray(0, at));
  joined.set(m.insert, at);
  joined.set(out.subarray(at), at + m.insert.length);
  return m.keep === undefined ? joined : joined.subarray(0, m.keep % (joined.length + 1));
}

/** Text as the bytes of a latin1 file, and back (every byte survives the round trip). */
export const latin1Bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
export const latin1Text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
