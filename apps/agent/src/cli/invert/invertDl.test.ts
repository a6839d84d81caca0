/**
 * `lapis invert --method dl` end to end in-process: real readers, real inversion, real ONNX Runtime, with the two
 * test models of libs/inference (LAPIS_MODEL): one whose map fits as well as the classical one (kept) and one whose
 * map cannot explain the data (refused by the safety net, classical result written, fallback stated).
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { writeLapisAcquisition } from '@lapis/formats';
import { closeAllModels } from '@lapis/inference';
import { t1t2Acquisition, t2Acquisition } from '../../testing/fixtures';
import type { CommandIo } from '../command';
import { createInvertCommand } from './invertCommand';

const fixtures = fileURLToPath(new URL('../../../../../libs/inference/src/testing/fixtures/', import.meta.url));
const command = createInvertCommand();
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-invert-dl-'));
  await writeLapisAcquisition(join(root, 't1t2'), t1t2Acquisition());
  await writeLapisAcquisition(join(root, 't2'), t2Acquisition());
});
afterAll(async () => {
  await closeAllModels();
  await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.LAPIS_MODEL;
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root };
  const code = await command.run(argv, io);
  return { code, stdout, stderr };
}

describe('lapis invert --method dl', () => {
  it('keeps a network map that fits and records the model and provider', async () => {
    process.env.LAPIS_MODEL = join(fixtures, 'test-identity.json');
    const r = await run(['t1t2', '--method', 'dl', '--out', 'dl.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(await readFile(join(root, 'dl.json'), 'utf8')));
    expect(doc.method).toBe('dl');
    expect(doc.methodReason).toMatch(/test-identity/);
    const model = (doc.provenance as Record<string, unknown>).model as Record<string, unknown>;
    expect(model).toMatchObject({ accepted: true, modelId: 'test-identity', provider: 'cpu' });
    expect(doc.peaks.length).toBeGreaterThan(0);
  });

  it('writes the classical result when the safety net refuses the network map, and says so', async () => {
    process.env.LAPIS_MODEL = join(fixtures, 'test-shifted.json');
    const r = await run(['t1t2', '--method', 'dl', '--json']);
    expect(r.code).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(r.stdout));
    expect(doc.method).toBe('tikhonov');
    expect(doc.methodReason).toMatch(/^dl → tikhonov fallback: .*fits the data worse/);
    expect(doc.warnings?.some((w) => w.startsWith('dl:'))).toBe(true);
    const model = (doc.provenance as Record<string, unknown>).model as Record<string, number | boolean>;
    expect(model.accepted).toBe(false);
    expect(model.chi2 as number).toBeGreaterThan(1.1 * (model.chi2Classical as number));
  });

  it('1D data: classical inversion with the reason, and a missing model is a stated fallback too', async () => {
    process.env.LAPIS_MODEL = join(root, 'no-such-model.json');
    const one = await run(['t2', '--method', 'dl', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).methodReason).toMatch(/2D only/);
    const two = await run(['t1t2', '--method', 'dl', '--json']);
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout).methodReason).toMatch(/could not be loaded/);
  });

  it('lists dl among the methods and rejects unknown ones', async () => {
    const r = await run(['t1t2', '--method', 'deep']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected auto, tikhonov, upen, sparse, nnls, dl/);
    await mkdir(join(root, 'x'), { recursive: true });
  });
});
