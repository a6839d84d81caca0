/**
 * Property test: random text and bytes, and mutations (byte edits, insertions, truncations) of valid generated
 * exports of every layout, through the whole reader (minispecFromText). The only acceptable failure is a
 * FormatError; each call must finish within 2 s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { minispecFromText } from './readMinispec';
import { simulateMinispec, type MinispecLayout } from './simulateMinispec';

const SEED = 20261206;
const MAX_MS = 2000;

function onlyFormatErrors(f: () => unknown): void {
  const t0 = performance.now();
  try {
    f();
  } catch (e) {
    if (!(e instanceof FormatError)) throw new Error(`not a FormatError: ${String(e)}`, { cause: e });
  }
  expect(performance.now() - t0).toBeLessThan(MAX_MS);
}

const mutation = fc.record({
  edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  insertAt: fc.nat(),
  insert: fc.uint8Array({ maxLength: 16 }),
  keep: fc.option(fc.nat(), { nil: undefined }),
});
type Mutation = { edits: [number, number][]; insertAt: number; insert: Uint8Array; keep: number | undefined };
function mutate(src: Uint8Array, m: Mutation): Uint8Array {
  const out = Uint8Array.from(src);
  for (const [pos, v] of m.edits) if (out.length > 0) out[pos % out.length] = v;
  const at = out.length > 0 ? m.insertAt % out.length : 0;
  const joined = new Uint8Array(out.length + m.insert.length);
  joined.set(out.subarray(0, at));
  joined.set(m.insert, at);
  joined.set(out.subarray(at), at + m.insert.length);
  return m.keep === undefined ? joined : joined.subarray(0, m.keep % (joined.length + 1));
}

const layouts: MinispecLayout[] = ['dps', 'tab', 'semicolon', 'comma'];
const valid = layouts.flatMap((layout, i) =>
  (['T2', 'T1-IR'] as const).map((kernel) => {
    const sim = simulateMinispec({ layout, kernel, seed: 50 + i });
    return { bytes: Uint8Array.from(Buffer.from(sim.text, 'latin1')), name: sim.name };
  }),
);
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('minispec reader never fails except with FormatError', () => {
  it('random text and bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 }).map(latin1)),
        fc.constantFrom('x.dps', 'x.txt', 'cpmg.csv'),
        fc.constantFrom(undefined, 'T2', 'T1-IR', 'bogus'),
        (text, name, kernel1) => onlyFormatErrors(() => minispecFromText(text, name, kernel1 ? { kernel1 } : {})),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('mutated exports of every layout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), mutation, (k, m) => {
        const v = valid[k]!;
        onlyFormatErrors(() => minispecFromText(latin1(mutate(v.bytes, m)), v.name));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('long lines and long numbers stay linear', () => {
    onlyFormatErrors(() => minispecFromText(`Time/${' '.repeat(200000)}x\tA\n1\t2\n`, 'x.txt'));
    onlyFormatErrors(() => minispecFromText(`${'1'.repeat(300000)}x\t2\n`, 'x.dps'));
    onlyFormatErrors(() => minispecFromText(`T2 [ms]: 1${' '.repeat(200000)}x\n1\t2\n2\t1\n`, 'x.txt'));
  });
});
