/**
 * Property test of the text-matrix reader through detectAndRead: byte mutations and hostile tokens in the data or an
 * axis file, with every kernel and unit a user may give. Each read ends in a FormatError or a valid acquisition,
 * within 2 s.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { detectAndRead } from '../read';
import { formatNumberTable } from './checkAxis';
import { byteMutation, mutate, mutateTokens, onlyFormatErrors, tokenMutation } from '../testing/fuzzing';

const SEED = 20261207;
let root: string;
let n = 0;
const rows = 8;
const cols = 12;
const AXIS1 = formatNumberTable(
  Float64Array.from({ length: rows }, (_, i) => 1e-3 * 2 ** i),
  rows,
  1,
);
const AXIS2 = formatNumberTable(
  Float64Array.from({ length: cols }, (_, j) => 2e-4 * (j + 1)),
  cols,
  1,
);
const DATA = formatNumberTable(
  Float64Array.from(
    { length: rows * cols },
    (_, k) => Math.exp(-(k % cols) / 5) * (1 - 2 * Math.exp(-Math.floor(k / cols))),
  ),
  rows,
  cols,
);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-fuzz-matrix-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const OPTIONS = [
  { kernel1: 'T1-IR', kernel2: 'T2' },
  { kernel1: 'T1-SR', kernel2: 'T2', unit1: 'ms', unit2: 'us' },
  { kernel1: 'D', kernel2: 'T2', unit1: 's/mm^2' },
  { kernel1: 'T2', kernel2: 'T2', unit2: 'µs' },
  { kernel1: 'T1', kernel2: 'T3' },
];

async function readWith(files: [string | Uint8Array, string | Uint8Array, string | Uint8Array], o: number) {
  const dir = join(root, `c${n++}`);
  await mkdir(dir);
  const [data, axis1, axis2] = ['data.txt', 'tau.txt', 'te.txt'].map((f) => join(dir, f)) as [string, string, string];
  await writeFile(data, files[0]);
  await writeFile(axis1, files[1]);
  await writeFile(axis2, files[2]);
  await onlyFormatErrors(() => detectAndRead(data, { axis1, axis2, ...OPTIONS[o % OPTIONS.length] }));
}

describe('text-matrix reader: 500 hostile sets, FormatError or a valid acquisition', () => {
  it('byte mutations of the data or an axis file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), byteMutation, fc.nat(), (which, m, o) => {
        const files: [string | Uint8Array, string | Uint8Array, string | Uint8Array] = [DATA, AXIS1, AXIS2];
        files[which] = mutate(bytes(files[which] as string), m);
        return readWith(files, o);
      }),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('hostile tokens in the data or an axis file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), tokenMutation, fc.nat(), (which, ops, o) => {
        const files: [string, string, string] = [DATA, AXIS1, AXIS2];
        files[which] = mutateTokens(files[which]!, ops);
        return readWith(files, o);
      }),
      { seed: SEED, numRuns: 250 },
    );
  });
});
