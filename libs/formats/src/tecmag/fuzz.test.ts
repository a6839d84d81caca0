/**
 * Property test: random bytes, and mutations (byte edits, insertions, truncations) of valid generated .tnt files
 * and text exports, through the whole reader (tecmagFromBytes: sections, TMAG, DATA, PSEQ, interpretation). The
 * only acceptable failure is a FormatError; each call must finish within 2 s (no hang, no allocation from a declared
 * size).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { parsePseq } from './pseq';
import { tecmagFromBytes } from './readTecmag';
import { simulateTecmag, type TecmagVariant } from './simulateTecmag';
import { parseTntText } from './tntText';
import { writeTnt, writeTntText } from './writeTnt';
import { byteMutation, mutate, onlyFormatErrorsSync } from '../testing/fuzzing';

const SEED = 20261206;

// Small valid files of every variant (few echoes keep each run fast).
const variants: TecmagVariant[] = ['cpmg', 'ir', 'sr', 'ir-cpmg', 'train'];
const valid = variants.map((variant, i) => {
  const sim = simulateTecmag({ variant, seed: 100 + i });
  return writeTnt(sim.spec);
});
const text = writeTntText(simulateTecmag({ variant: 'cpmg', seed: 7 }).spec);
const textBytes = Uint8Array.from(Buffer.from(text, 'latin1'));

/** Mutations aimed at the header: TMAG counts, section lengths, the PSEQ strings near the start. */
const headerMutation = fc.record({
  edits: fc.array(fc.tuple(fc.integer({ min: 8, max: 1100 }), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 6,
  }),
  insertAt: fc.constant(0),
  insert: fc.constant(new Uint8Array(0)),
  keep: fc.constant(undefined),
});

describe('tecmag reader never fails except with FormatError', () => {
  it('random bytes, with and without a TNT magic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, magic) => {
        const b = magic ? Uint8Array.from([...Buffer.from('TNT1.008TMAG'), ...bytes]) : bytes;
        onlyFormatErrorsSync(() => tecmagFromBytes(b, 'fuzz.tnt'));
        onlyFormatErrorsSync(() => parsePseq(bytes));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('mutated .tnt files of every variant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.oneof(byteMutation, headerMutation), (k, m) => {
        onlyFormatErrorsSync(() => tecmagFromBytes(mutate(valid[k]!, m), 'fuzz.tnt'));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('mutated text exports and random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          byteMutation.map((m) => mutate(textBytes, m)),
          fc
            .string({ maxLength: 600 })
            .map((s) => Uint8Array.from(Buffer.from(`Data Point Listing of File x\r\n${s}`, 'latin1'))),
        ),
        (bytes) => {
          onlyFormatErrorsSync(() => tecmagFromBytes(bytes, 'fuzz.txt'));
          onlyFormatErrorsSync(() => parseTntText(Buffer.from(bytes).toString('latin1'), 'fuzz.txt'));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('absurd declared sizes fail before allocation', () => {
    const b = Uint8Array.from(valid[0]!);
    const v = new DataView(b.buffer);
    for (const counts of [
      [2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1],
      [-1, 1, 1, 1],
      [40000, 65536, 1, 1],
    ]) {
      counts.forEach((c, d) => v.setInt32(20 + 16 + 4 * d, c, true));
      onlyFormatErrorsSync(() => tecmagFromBytes(b, 'huge.tnt'));
      expect(() => tecmagFromBytes(b, 'huge.tnt')).toThrow(FormatError);
    }
    const longLine =
      'Data Point Listing of File x\r\nStarting Point:\t1\tEnding Point:\t2000000000\r\n' + ' '.repeat(100000);
    onlyFormatErrorsSync(() => parseTntText(longLine));
  });
});
