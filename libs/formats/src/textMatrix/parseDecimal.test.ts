/**
 * The hand-written number scanner against Number(): bit-identical values (the sign of zero included) over fuzzed
 * spellings, decimals a hair either side of the half-way point between two doubles, and the grammar's refusals; and
 * the parser fed in any split of chunks, or as bytes, answers as it does fed the whole text at once.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearHalfway, spelling } from '../testing/decimalSpellings';
import { parseDecimal } from './parseDecimal';
import { NumberTextParser } from './numberTextParser';
import { parseNumberTable, readNumberTable } from './readNumberTable';

const SEED = 20261206;
const GRAMMAR = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What the reader took before the scanner: Number() on what the grammar accepts, else NaN. */
function reference(text: string): number {
  return GRAMMAR.test(text) ? Number(text) : Number.NaN;
}

describe('parseDecimal', () => {
  it('gives the bits Number() gives, or NaN where the grammar refuses', () => {
    fc.assert(
      fc.property(spelling, (text) => Object.is(parseDecimal(text), reference(text))),
      { seed: SEED, numRuns: 20000 },
    );
  });

  it('rounds decimals a hair either side of a half-way point like Number()', () => {
    const positive = fc.double({ min: 1e-30, max: 1e30, noNaN: true });
    fc.assert(
      fc.property(positive, fc.integer({ min: 16, max: 19 }), fc.boolean(), (x, digits, negative) =>
        nearHalfway(x, digits).every((t) =>
          Object.is(parseDecimal((negative ? '-' : '') + t), reference((negative ? '-' : '') + t)),
        ),
      ),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('NumberTextParser', () => {
  const token = fc.oneof(
    spelling,
    fc.constantFrom('#', '# x', '1,2', '١', 'é', '\ufeff', '0'.repeat(64), '1'.repeat(65), '0.' + '0'.repeat(62)),
  );
  const separator = fc.constantFrom(
    ' ',
    '\t',
    ',',
    '\n',
    '\r\n',
    '\n\n',
    '\n# note × é\n',
    '\n  #x\n',
    '\u00a0',
    '\u2003',
  );
  const text = fc
    .tuple(fc.boolean(), fc.array(fc.tuple(token, separator), { maxLength: 30 }))
    .map(([bom, parts]) => (bom ? '\ufeff' : '') + parts.map(([a, b]) => a + b).join(''));
  const answer = (run: () => { rows: number; cols: number; data: Float64Array }): unknown => {
    try {
      const t = run();
      return [t.rows, t.cols, Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : v))];
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('answers the same whatever the chunks', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (doc, cuts) => {
        const whole = answer(() => parseNumberTable(doc, 'f'));
        const at = [...new Set(cuts.map((c) => c % (doc.length + 1)))].sort((a, b) => a - b);
        const chunked = answer(() => {
          const parser = new NumberTextParser('f');
          let from = 0;
          for (const to of [...at, doc.length]) {
            parser.feed(doc.slice(from, to));
            from = to;
          }
          return parser.finish();
        });
        expect(chunked).toEqual(whole);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lapis-parse-decimal-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Writes `doc` to `file`; whether readNumberTable answers as parseNumberTable does on the text. */
  async function expectReadAsParsed(file: string, doc: string) {
    await writeFile(file, doc, 'utf8');
    const read = await readNumberTable(file).then(
      (t) => answer(() => t),
      (error: Error) => error.message,
    );
    expect(read).toEqual(answer(() => parseNumberTable(doc, file)));
  }

  it('reads a file (bytes as Latin-1, or UTF-8 where it must) as it parses its text', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, (doc) => expectReadAsParsed(join(root, `t${n++ % 4}.txt`), doc)),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('reads the same across the reader’s 256 KiB chunks: a token, a line end or a UTF-8 character cut in two', async () => {
    const CHUNK = 256 * 1024;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.nat(48), fc.boolean(), async (doc, before, leading) => {
        // A comment (or a number row) that ends `before` bytes ahead of the chunk boundary, then the random text.
        const lead = leading ? '# ' : '';
        const pad = lead + 'x'.repeat(Math.max(0, CHUNK - before - lead.length - 1)) + '\n';
        const whole = (leading ? pad : pad.replace(/x/g, ' ').replace(/^ {2}/, '7 ')) + doc;
        await expectReadAsParsed(join(root, `c${n++ % 4}.txt`), whole);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
