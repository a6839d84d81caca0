/**
 * The training pipeline end to end at toy size: the Python simulator's parity with libs/physics (fixtures), the
 * TypeScript pair generator's records, and — only where /usr/bin/python3 has torch (not in CI, on purpose: it is
 * huge) — train.py exporting an ONNX model whose manifest @lapis/inference loads, verifies and runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllModels, loadModel, openModel } from '@lapis/inference';
import { GRID, RANK, sampleFloats } from './sampleLayout';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const python = process.env.LAPIS_PYTHON ?? '/usr/bin/python3';
const has = (mods: string) => spawnSync(python, ['-c', `import ${mods}`]).status === 0;
const hasNumpy = has('numpy');
const hasTorch = hasNumpy && has('torch, onnx');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lapis-train-'));
  const gen = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(here, 'generate.ts'), '--out', dir, '--name', 'toy', '--count', '3', '--seed', '5'],
    { cwd: root, encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`generate.ts failed: ${gen.stderr}`);
}, 60_000);
afterAll(async () => {
  await closeAllModels();
  await rm(dir, { recursive: true, force: true });
});

describe('training pipeline', () => {
  it.skipIf(!hasNumpy)('Python simulator reproduces libs/physics (parity fixtures, 1e-10)', () => {
    const r = spawnSync(python, ['-m', 'unittest', join(here, 'test_parity.py')], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/OK/);
    expect(r.status).toBe(0);
  });

  it('generate.ts writes records of the documented layout', async () => {
    const head = JSON.parse(await readFile(join(dir, 'toy.json'), 'utf8'));
    const raw = new Float32Array((await readFile(join(dir, 'toy.f32'))).buffer.slice(0));
    expect(head.sampleFloats).toBe(sampleFloats);
    expect(raw.length).toBe(3 * sampleFloats);
    for (let s = 0; s < 3; s++) {
      const rec = raw.subarray(s * sampleFloats, (s + 1) * sampleFloats);
      const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);
      expect(sum(rec.subarray(0, GRID * GRID))).toBeCloseTo(1, 4); // classical map, unit sum
      const mask = rec.subarray(GRID * GRID, 2 * GRID * GRID);
      expect(mask.every((v) => v === 0 || v === 1)).toBe(true);
      expect(sum(rec.subarray(2 * GRID * GRID, 3 * GRID * GRID))).toBeCloseTo(1, 4); // truth, unit sum
      const tail = rec.subarray(sampleFloats - 3);
      expect(tail[0]).toBeGreaterThan(0); // σ / total
      expect(tail[1]).toBeGreaterThanOrEqual(1);
      expect(tail[2]).toBeLessThanOrEqual(RANK);
    }
    expect(head.samples[0].peaks.length).toBeGreaterThanOrEqual(1);
  });

  // The only part that needs torch; skipped where it is missing (CI does not install it: it is ~1 GB).
  it.skipIf(!hasTorch)(
    'train.py exports an ONNX model whose manifest verifies and runs',
    async () => {
      const out = join(dir, 'model');
      const r = spawnSync(
        'nice',
        [
          '-n',
          '19',
          python,
          join(here, 'train.py'),
          '--data',
          dir,
          '--train',
          'toy',
          '--val',
          'toy',
          '--out',
          out,
          '--id',
          'toy',
          '--epochs',
          '1',
          '--width',
          '4',
          '--device',
          'cpu',
        ],
        { encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const model = await loadModel(join(out, 'toy.json'));
      expect(model.manifest.training.seed).toBe(0);
      const session = await openModel(join(out, 'toy.json'), { providers: ['cpu'] });
      const [map] = await session.run([new Float32Array(2 * GRID * GRID).fill(1 / (GRID * GRID))]);
      expect(map!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    },
    60_000,
  );
});
