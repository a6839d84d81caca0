/**
 * Property test of the lapis-acquisition/1 reader through detectAndRead (the path `lapis invert` and the agent take):
 * byte mutations and hostile tokens (NaN, 1e999, escape sequences, NUL, lone surrogates, 5000-character tokens, deep
 * JSON) in acquisition.json or the data file. Each read ends in a FormatError or a valid acquisition, within 2 s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { logGrid, simulate } from '@lapis/physics';
import { detectAndRead } from '../read';
import type { Acquisition } from '../acquisition';
import { byteMutation, mutate, mutateTokens, onlyFormatErrors, tokenMutation } from '../testing/fuzzing';
import { writeLapisAcquisition } from './writeLapisAcquisition';
import { readFileSync } from 'node:fs';

const SEED = 20261206;
let root: string;
let valid: { json: string; data: string };
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-fuzz-lapis-'));
  const tau = logGrid(1e-3, 3, 8);
  const te = logGrid(2e-4, 0.5, 16);
  const sim = simulate({
    axes: [
      { spec: { kernel: 'T1-IR' }, x: tau },
      { spec: { kernel: 'T2' }, x: te },
    ],
    peaks: [{ position: [0.1, 0.02], width: [0.1, 0.1], fraction: 1 }],
    snr: 200,
    seed: 7,
  });
  const acq: Acquisition = {
    experiment: 'T1-T2',
    axes: [
      { kernel: 'T1-IR', values: tau, unit: 's' },
      { kernel: 'T2', values: te, unit: 's' },
    ],
    data: sim.data,
    metadata: { source: 'test', sample: 'fuzz', instrument: 'fuzz-01' },
    warnings: [],
  };
  const paths = await writeLapisAcquisition(join(root, 'valid'), acq);
  valid = { json: readFileSync(paths.json, 'utf8'), data: readFileSync(paths.data, 'utf8') };
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function readWith(json: string | Uint8Array, data: string | Uint8Array): Promise<void> {
  const dir = join(root, `c${n++}`);
  await writeLapisAcquisition(join(dir, 'seed'), {
    experiment: 'T2',
    axes: [{ kernel: 'T2', values: Float64Array.of(1e-3, 2e-3), unit: 's' }],
    data: Float64Array.of(1, 0.5),
    metadata: { source: 'test' },
    warnings: [],
  });
  await writeFile(join(dir, 'seed', 'acquisition.json'), json);
  await writeFile(join(dir, 'seed', 'data.txt'), data);
  await onlyFormatErrors(() => detectAndRead(join(dir, 'seed')));
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('lapis-acquisition/1 reader: 500 hostile sets, FormatError or a valid acquisition', () => {
  it('byte mutations of acquisition.json or the data file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), byteMutation, (inJson, m) =>
        inJson
          ? readWith(mutate(bytes(valid.json), m), valid.data)
          : readWith(valid.json, mutate(bytes(valid.data), m)),
      ),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('hostile tokens in acquisition.json or the data file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), tokenMutation, (inJson, ops) =>
        inJson
          ? readWith(mutateTokens(valid.json, ops), valid.data)
          : readWith(valid.json, mutateTokens(valid.data, ops)),
      ),
      { seed: SEED, numRuns: 250 },
    );
  });
});
