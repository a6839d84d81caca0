/**
 * The training pipeline end to end at toy size: the Python simulator's parity with libs/physics (fixtures), the
 * TypeScript pair generator's records, and — where /usr/bin/python3 has torch (`.ci/run` installs Debian's) —
 * train.py exporting an ONNX model whose manifest @lapis/inference loads, verifies and runs, and the documented
 * `npm run train -- --quick` itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invertDl, closeAllModels, inputChannels, loadModel, openModel } from '@lapis/inference';
import { logGrid, simulate, type SimAxis } from '@lapis/physics';
import { GRID, RANK, sampleFloats, sampleFloatsFor } from './sampleLayout';

const CHANNELS4 = 'map,mask,map-alpha/300,snr';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const python = process.env.LAPIS_PYTHON ?? '/usr/bin/python3';
const has = (mods: string) => spawnSync(python, ['-c', `import ${mods}`]).status === 0;

/** train.py for one epoch of a width-4 net on the records `name` (trained and validated on), writing OUT/NAME.json. */
function trainToy(dataDir: string, name: string, out: string) {
  const args = ['--data', dataDir, '--train', name, '--val', name, '--out', out, '--id', name];
  return spawnSync(
    'nice',
    ['-n', '19', python, join(here, 'train.py'), ...args, '--epochs', '1', '--width', '4', '--device', 'cpu'],
    { encoding: 'utf8' },
  );
}
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
  const gen4 = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [
      join(here, 'generate.ts'),
      ...['--out', dir, '--name', 'toy4', '--count', '3', '--seed', '6', '--channels', CHANNELS4, '--mix', 'close'],
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (gen4.status !== 0) throw new Error(`generate.ts --channels failed: ${gen4.stderr}`);
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

  it('generate.ts --kinds keeps to the experiments asked for and refuses unknown ones', async () => {
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const gen = (kinds: string) =>
      spawnSync(
        tsx,
        [join(here, 'generate.ts'), '--out', dir, '--name', 'kinds', '--count', '4', '--seed', '7', '--kinds', kinds],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
    const ok = gen('D-T2');
    expect(ok.status, ok.stderr).toBe(0);
    const head = JSON.parse(await readFile(join(dir, 'kinds.json'), 'utf8'));
    expect(head.samples.map((x: { kind: string }) => x.kind)).toEqual(['D-T2', 'D-T2', 'D-T2', 'D-T2']);
    const bad = gen('T1-T2');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--kinds must list some of T1IR-T2, T1SR-T2, D-T2/);
  }, 60_000);

  it('generate.ts --channels writes the input prepareInput builds for those channels', async () => {
    const head = JSON.parse(await readFile(join(dir, 'toy4.json'), 'utf8'));
    const raw = new Float32Array((await readFile(join(dir, 'toy4.f32'))).buffer.slice(0));
    const per = sampleFloatsFor(4);
    expect(head.sampleFloats).toBe(per);
    expect(head.channels.map((c: { kind: string }) => c.kind)).toEqual(['map', 'mask', 'map-alpha', 'snr']);
    expect(head.channels[2].alphaDivisor).toBe(300);
    expect(raw.length).toBe(3 * per);
    const n = GRID * GRID;
    for (let s = 0; s < 3; s++) {
      const rec = raw.subarray(s * per, (s + 1) * per);
      const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);
      expect(sum(rec.subarray(0, n))).toBeCloseTo(1, 4);
      expect(sum(rec.subarray(2 * n, 3 * n))).toBeCloseTo(1, 4); // the small-α map, its own unit sum
      // a different map from the discrepancy-α one (sharper: a higher maximum)
      expect(Math.max(...rec.subarray(2 * n, 3 * n))).toBeGreaterThan(Math.max(...rec.subarray(0, n)));
      const snr = rec[3 * n]!;
      expect(snr).toBeGreaterThan(Math.log10(10) / 4);
      expect(rec[4 * n - 1]).toBe(snr);
      expect(sum(rec.subarray(4 * n, 5 * n))).toBeCloseTo(1, 4); // truth
    }
  });

  it.skipIf(!hasTorch)(
    'train.py trains on 4-channel records; invertDl builds the channels the manifest names',
    async () => {
      const out = join(dir, 'model4');
      const r = trainToy(dir, 'toy4', out);
      expect(r.status, r.stderr).toBe(0);
      const model = await loadModel(join(out, 'toy4.json'));
      expect(model.manifest.input.shape[1]).toBe(4);
      expect(inputChannels(model.manifest).map((c) => c.kind)).toEqual(['map', 'mask', 'map-alpha', 'snr']);
      const delays = logGrid(1e-4, 5, 24);
      const echoes = Float64Array.from({ length: 400 }, (_, i) => (i + 1) * 4e-4);
      const sim = simulate({
        axes: [
          { spec: { kernel: 'T1-SR' }, x: delays },
          { spec: { kernel: 'T2' }, x: echoes },
        ] as unknown as [SimAxis, SimAxis],
        peaks: [{ position: [0.05, 0.02], width: [0.1, 0.1], fraction: 1 }],
        snr: 300,
        seed: 4,
      });
      const inv = await invertDl(
        {
          axes: [
            { kernel: 'T1-SR', values: delays },
            { kernel: 'T2', values: echoes },
          ],
          data: sim.data,
        },
        { model: join(out, 'toy4.json'), providers: ['cpu'] },
      );
      expect(inv.dl.modelId).toBe('toy4');
      expect(inv.dl.inferenceMs).toBeGreaterThan(0); // the network ran (not a load or shape failure)
      expect(inv.dl.auxiliaryMs).toBeGreaterThan(0);
    },
    60_000,
  );

  // The parts that need torch; skipped where it is missing.
  it.skipIf(!hasTorch)(
    'train.py exports an ONNX model whose manifest verifies and runs',
    async () => {
      const out = join(dir, 'model');
      const r = trainToy(dir, 'toy', out);
      expect(r.status, r.stderr).toBe(0);
      const model = await loadModel(join(out, 'toy.json'));
      expect(model.manifest.training.seed).toBe(0);
      const session = await openModel(join(out, 'toy.json'), { providers: ['cpu'] });
      const [map] = await session.run([new Float32Array(2 * GRID * GRID).fill(1 / (GRID * GRID))]);
      expect(map!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    },
    60_000,
  );

  it.skipIf(!hasTorch)(
    '`npm run train -- --quick` generates, trains and writes a model that loads, verifies and runs',
    async () => {
      const data = join(dir, 'quick-data');
      const out = join(dir, 'quick-out');
      const r = spawnSync('npm', ['run', 'train', '--', '--quick', '--data', data, '--out', out], {
        cwd: join(here, '..', '..'),
        encoding: 'utf8',
      });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const manifest = join(out, 'lapis-refine2d-quick.json');
      const model = await loadModel(manifest);
      expect(model.manifest.training.recipe).toMatch(/--quick/);
      // the training data's domain travels into the manifest (invertDl's out-of-domain warning)
      expect(model.manifest.domain?.snr).toEqual([30, 3000]);
      const session = await openModel(manifest, { providers: ['cpu'] });
      const channels = inputChannels(model.manifest).length;
      const [map] = await session.run([new Float32Array(channels * GRID * GRID).fill(1 / (GRID * GRID))]);
      expect(map!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    },
    240_000,
  );
});
