/**
 * What every reader's fuzz test shares: the one acceptable failure (a FormatError) within a time bound, and byte
 * mutations of a valid file (edits, an insertion, a truncation) as a fast-check arbitrary.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { FormatError, type Acquisition } from '../acquisition';
import { acquisitionProblem } from '../checkAcquisition';

/** No single call may take longer (a hang or quadratic parse shows here). */
export const FUZZ_MAX_MS = 2000;

/** A success must be a valid acquisition (a wrong success is a failure of the test, not a FormatError). */
function checkSuccess(value: unknown): void {
  if (typeof value !== 'object' || value === null || !('axes' in value) || !('data' in value)) return;
  const problem = acquisitionProblem(value as Acquisition);
  if (problem) throw new Error(`wrong success: ${problem}`);
}

/** Runs f; passes if it returns (a valid acquisition, when it returns one) or throws a FormatError, within FUZZ_MAX_MS. */
export function onlyFormatErrorsSync(f: () => unknown): void {
  const t0 = performance.now();
  let value: unknown;
  try {
    value = f();
  } catch (e) {
    if (!(e instanceof FormatError)) throw new Error(`not a FormatError: ${String(e)}`, { cause: e });
  }
  checkSuccess(value);
  expect(performance.now() - t0).toBeLessThan(FUZZ_MAX_MS);
}

/** onlyFormatErrorsSync for readers that return a promise. */
export async function onlyFormatErrors(f: () => unknown): Promise<void> {
  const t0 = performance.now();
  let value: unknown;
  try {
    value = await f();
  } catch (e) {
    if (!(e instanceof FormatError)) throw new Error(`not a FormatError: ${String(e)}`, { cause: e });
  }
  checkSuccess(value);
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

/** Tokens a hostile or broken file puts where a number or a name belongs. */
export const HOSTILE_TOKENS = [
  'NaN',
  '-Infinity',
  '1e999',
  '-1e308',
  '1e308',
  '1e-320',
  '',
  '-0',
  '0',
  '2147483648',
  '1,5',
  '0x10',
  '\u0000',
  '\x1b]0;owned\x07\x1b[2J',
  '\u202e',
  '\ud800',
  '9'.repeat(400),
  'x'.repeat(5000),
  '#',
  ',',
  '"',
  '{',
  '[',
  '{"a":'.repeat(2000),
] as const;

export const hostileToken: fc.Arbitrary<string> = fc.constantFrom(...HOSTILE_TOKENS);

/** Text with up to 4 hostile tokens put in at, or in place of, random places (whole tokens between separators). */
export const tokenMutation = fc.array(fc.record({ at: fc.nat(), replace: fc.boolean(), token: hostileToken }), {
  minLength: 1,
  maxLength: 4,
});

export function mutateTokens(src: string, ops: { at: number; replace: boolean; token: string }[]): string {
  const parts = src.split(/(\s+)/);
  for (const o of ops) {
    const i = (o.at % Math.ceil(parts.length / 2)) * 2;
    if (o.replace) parts[i] = o.token;
    else parts.splice(i, 0, o.token, ' ');
  }
  return parts.join('');
}
