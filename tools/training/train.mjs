#!/usr/bin/env node
/**
 * `npm run train [-- --quick] [-- --data DIR --skip-generate --out DIR --epochs N]`
 *
 * 1. generate.ts (TypeScript, libs/physics itself): seeded training pairs in two parallel shards + a validation set
 *    from a separate seed;
 * 2. train.py (/usr/bin/python3, Debian python3-torch + python3-onnx): trains the refinement network, exports ONNX
 *    (opset 17) and its manifest with the sha256.
 * --quick: a tiny model in under 2 minutes on CPU, written to tools/training/out/ (not models/), for CI.
 * The full recipe writes models/lapis-refine2d.{onnx,json}. Every step runs under `nice -n 19`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    data: { type: 'string' },
    out: { type: 'string' },
    'skip-generate': { type: 'boolean', default: false },
    epochs: { type: 'string' },
    'max-seconds': { type: 'string' },
    python: { type: 'string', default: process.env.LAPIS_PYTHON ?? '/usr/bin/python3' },
  },
});
const quick = values.quick;
const recipe = quick
  ? {
      shard: 90,
      val: 40,
      epochs: 4,
      width: 16,
      physics: 0.1,
      maxSeconds: 45,
      id: 'lapis-refine2d-quick',
      out: join(here, 'out'),
    }
  : {
      shard: 900,
      val: 150,
      epochs: 5,
      width: 32,
      physics: 0.1,
      maxSeconds: 580,
      id: 'lapis-refine2d',
      out: join(root, 'models'),
    };
const data = resolve(values.data ?? join(here, 'data', quick ? 'quick' : 'full'));
const out = resolve(values.out ?? recipe.out);
const epochs = values.epochs ?? String(recipe.epochs);
const maxSeconds = values['max-seconds'] ?? String(recipe.maxSeconds);

const probe = spawnSync(values.python, ['-c', 'import torch, onnx; print(torch.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error(
    `train: ${values.python} cannot import torch and onnx — install them (Debian: apt-get install python3-torch python3-onnx; ` +
      'or pip install torch onnx numpy in your own environment and set LAPIS_PYTHON)',
  );
  process.exit(1);
}

function run(cmd, args) {
  return new Promise((ok, fail) => {
    const child = spawn('nice', ['-n', '19', cmd, ...args], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

const t0 = Date.now();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const gen = join(here, 'generate.ts');
if (!values['skip-generate']) {
  console.log(`train: generating ${2 * recipe.shard} training pairs and ${recipe.val} validation pairs in ${data}`);
  await Promise.all([
    run(tsx, [gen, '--out', data, '--name', 'train1', '--count', String(recipe.shard), '--seed', '1']),
    run(tsx, [gen, '--out', data, '--name', 'train2', '--count', String(recipe.shard), '--seed', '2']),
  ]);
  await run(tsx, [gen, '--out', data, '--name', 'val', '--count', String(recipe.val), '--seed', '99']);
}
const genSeconds = (Date.now() - t0) / 1000;
const args = [
  join(here, 'train.py'),
  '--data',
  data,
  '--train',
  'train1,train2',
  '--val',
  'val',
  '--out',
  out,
  '--id',
  recipe.id,
  '--epochs',
  epochs,
  '--max-seconds',
  maxSeconds,
  '--width',
  String(recipe.width),
  '--physics',
  String(recipe.physics),
  '--recipe',
  `npm run train${quick ? ' -- --quick' : ''} (generate: 2×${recipe.shard} pairs seeds 1,2 + ${recipe.val} validation seed 99; train.py --epochs ${epochs} --width ${recipe.width} --physics ${recipe.physics})`,
];
await run(values.python, args);
console.log(
  `train: done in ${((Date.now() - t0) / 1000).toFixed(0)} s (data ${genSeconds.toFixed(0)} s) → ${join(out, recipe.id)}.onnx`,
);
