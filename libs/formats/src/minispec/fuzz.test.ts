/**
 * Property test: random text and bytes, and mutations (byte edits, insertions, truncations) of valid generated
 * exports of every layout, through the whole reader (minispecFromText). The only acceptable failure is a
 * FormatError; each call must finish within 2 s.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { minispecFromText } from './readMinispec';
import { simulateMinispec, type MinispecLayout } from './simulateMinispec';
import { byteMutation, mutate, onlyFormatErrorsSync } from '../testing/fuzzing';

const SEED = 20261206;

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
        (text, name, kernel1) => onlyFormatErrorsSync(() => minispecFromText(text, name, kernel1 ? { kernel1 } : {})),
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('mutated exports of every layout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), byteMutation, (k, m) => {
        const v = valid[k]!;
        onlyFormatErrorsSync(() => minispecFromText(latin1(mutate(v.bytes, m)), v.name));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('long lines and long numbers stay linear', () => {
    onlyFormatErrorsSync(() => minispecFromText(`Time/${' '.repeat(200000)}x\tA\n1\t2\n`, 'x.txt'));
    onlyFormatErrorsSync(() => minispecFromText(`${'1'.repeat(300000)}x\t2\n`, 'x.dps'));
    onlyFormatErrorsSync(() => minispecFromText(`T2 [ms]: 1${' '.repeat(200000)}x\n1\t2\n2\t1\n`, 'x.txt'));
  });
});
