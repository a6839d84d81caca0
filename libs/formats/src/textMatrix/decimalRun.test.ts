/**
 * The text parser's WebAssembly fast path (decimalRun.ts) against its TypeScript path (the kernels switched off):
 * the same values to the bit (the sign of zero included) and the same errors, for Latin-1 bytes fed whole or in any
 * chunks, with and without a ceiling on the count — including 16–19-digit decimals a hair either side of a half-way
 * point, where the exact rounding decides. Perturbing a value in the kernel makes these fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wasmKernelsState, withoutWasmKernels } from '@lapis/physics';
import { nearHalfway, spelling } from '../testing/decimalSpellings';
import { NumberTextParser } from './numberTextParser';

const SEED = 20261208;

/** The parser's answer for `bytes` fed in pieces cut at `cuts`: [rows, cols, values] or the error's message. */
function parse(bytes: Uint8Array, cuts: number[], expected?: number): unknown {
  try {
    const parser = new NumberTextParser('f', expected, undefined, true);
    let from = 0;
    for (const to of [...cuts, bytes.length]) {
      parser.feed(bytes.subarray(from, to));
      from = to;
    }
    const t = parser.finish();
    return [t.rows, t.cols, Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : v))];
  } catch (error) {
    return (error as Error).message;
  }
}

const token = fc.oneof(
  { weight: 6, arbitrary: spelling },
  {
    weight: 1,
    arbitrary: fc.constantFrom('#', '# x', '1,2', 'é', '0'.repeat(64), '1'.repeat(65), '0.' + '0'.repeat(62)),
  },
);
const separator = fc.constantFrom(' ', '  ', '\t', ',', ', ', '\n', '\r\n', '\n\n', '\n# note\n', '\n  #x\n');
const text = fc
  .array(fc.tuple(token, separator), { maxLength: 40 })
  .map((parts) => parts.map(([a, b]) => a + b).join(''));
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('text parser: WebAssembly fast path = TypeScript path', () => {
  it('runs with the kernels here (the repository builds them)', () => {
    expect(wasmKernelsState()).toBe('loaded');
  });

  it('gives the same answer for fuzzed text, whole or in chunks, with or without a ceiling', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 5 }), fc.option(fc.nat({ max: 40 })), (doc, cuts, cap) => {
        const bytes = latin1(doc);
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const expected = cap ?? undefined;
        const fast = parse(bytes, at, expected);
        expect(fast).toEqual(withoutWasmKernels(() => parse(bytes, at, expected)));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('rounds 16–19-digit decimals near half-way points as the TypeScript does', () => {
    const positive = fc.double({ min: 1e-30, max: 1e30, noNaN: true });
    const row = fc.array(fc.tuple(positive, fc.integer({ min: 16, max: 19 }), fc.boolean()), {
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(row, (cells) => {
        const tokens = cells.flatMap(([x, digits, negative]) =>
          nearHalfway(x, digits).map((t) => (negative ? '-' : '') + t),
        );
        const bytes = latin1(`${tokens.join(' ')}\n`);
        expect(parse(bytes, [])).toEqual(withoutWasmKernels(() => parse(bytes, [])));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('reads a 48 × 2000 table of shortest round-trip doubles to the bit', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const values = Array.from({ length: 48 * 2000 }, () => random() * 10 ** Math.round(6 * random()));
    const lines = Array.from({ length: 48 }, (_, r) => values.slice(r * 2000, (r + 1) * 2000).join(' '));
    const bytes = latin1(`# a comment\n${lines.join('\n')}\n`);
    const fast = parse(bytes, [1 << 19, 1 << 20]) as [number, number, number[]];
    expect(fast.slice(0, 2)).toEqual([48, 2000]);
    expect(fast[2]).toEqual(values);
  });
});
