/**
 * scripts/v8Tiering.mjs, the V8 tiering `lapis invert` runs with: set at run time, it must reach V8 — a function that
 * V8's default budget optimises after a few dozen calls stays on the baseline tiers for hundreds, and a WebAssembly
 * loop that V8 hands to TurboFan after a few million iterations stays on Liftoff — and LAPIS_ONE_SHOT_TIERING=0 must
 * leave V8's defaults. Each case in a fresh node (V8's flags are per process), with JavaScript's optimisation
 * synchronous so that the outcome does not depend on a compiler thread's timing; WebAssembly's tier-up is always on a
 * background thread, so the probe waits for it (up to 10 s) where it is expected. For a large input the kernels'
 * compilation hints (libs/physics/scripts/compilationHints.mjs) must reach V8 too: a hinted function is TurboFan code
 * from its first call, the same function unhinted Liftoff code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LARGE_INPUT_BYTES } from '../../scripts/v8Tiering.mjs';

const TIERING = pathToFileURL(fileURLToPath(new URL('../../scripts/v8Tiering.mjs', import.meta.url))).href;
const HINTS = pathToFileURL(
  fileURLToPath(new URL('../../../../libs/physics/scripts/compilationHints.mjs', import.meta.url)),
).href;
const dir = mkdtempSync(join(tmpdir(), 'lapis-tiering-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// %GetOptimizationStatus bit 4: the function has optimised code. The WebAssembly module exports one function,
// sum(n) = n + (n − 1) + … + 1, a loop: (func (param i32) (result i32) (local i32) loop … br_if … end local.get 1).
const PROBE = `
import { tuneForOneShot } from ${JSON.stringify(TIERING)};
import { withCompilationHints } from ${JSON.stringify(HINTS)};
const inputs = process.argv.slice(5);
const { tuned, kernelHints } =
  process.argv[2] === 'tune' ? tuneForOneShot(JSON.parse(process.argv[3]), inputs) : { tuned: false, kernelHints: false };
function work(a) { let s = 0; for (let i = 0; i < 50; i++) s += a * i; return s; }
let total = 0;
for (let k = 0; k < 200; k++) total += work(k);
const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 115,
  117, 109, 0, 0, 10, 27, 1, 25, 1, 1, 127, 3, 64, 32, 1, 32, 0, 106, 33, 1, 32, 0, 65, 1, 107, 34, 0, 13, 0, 11, 32,
  1, 11]);
const hinted = new WebAssembly.Instance(new WebAssembly.Module(withCompilationHints(bytes, ['sum']))).exports.sum;
const plain = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.sum;
hinted(3);
plain(3);
const firstCalls = { hinted: %IsTurboFanFunction(hinted), plain: %IsTurboFanFunction(plain) };
const { sum } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
let sums = 0;
for (let k = 0; k < 4000; k++) sums += sum(1000);
const expectTurboFan = process.argv[4] === 'wait';
for (let waited = 0; expectTurboFan && !%IsTurboFanFunction(sum) && waited < 10000; waited += 20) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
console.log(JSON.stringify({
  tuned, kernelHints, optimised: (%GetOptimizationStatus(work) & 16) !== 0, wasmTurboFan: %IsTurboFanFunction(sum),
  firstCalls, total, sums,
}));
`;
const probe = join(dir, 'probe.mjs');
writeFileSync(probe, PROBE);

// Inputs for the hints: a data file over LARGE_INPUT_BYTES, one under it, and a folder holding the large one.
const large = join(dir, 'large.txt');
writeFileSync(large, Buffer.alloc(LARGE_INPUT_BYTES + 1, 0x31));
const small = join(dir, 'small.txt');
writeFileSync(small, '1 2 3\n');
const folder = join(dir, 'acquisition');
mkdirSync(folder);
writeFileSync(join(folder, 'data.txt'), Buffer.alloc(LARGE_INPUT_BYTES, 0x32));

interface Probe {
  tuned: boolean;
  kernelHints: boolean;
  optimised: boolean;
  wasmTurboFan: boolean;
  firstCalls: { hinted: boolean; plain: boolean };
  sums: number;
}

/**
 * Runs the probe: tuned with `env` and `inputs` when given; `wait` when V8 is expected to tier the WebAssembly loop
 * up.
 */
function run(env: NodeJS.ProcessEnv | undefined, wait: boolean, inputs: string[] = []): Probe {
  const args = env === undefined ? ['none', '{}'] : ['tune', JSON.stringify(env)];
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--no-concurrent-recompilation', probe, ...args, wait ? 'wait' : 'no', ...inputs],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(out) as Probe;
}

// 4000 calls of sum(1000): the same total whichever compiler built the loop.
const SUMS = 4000 * 500500;

describe('V8 tiering of one-shot analyses', () => {
  it('V8 on its own optimises the probe within 200 calls and tiers the loop up (the reference)', () => {
    expect(run(undefined, true)).toMatchObject({ tuned: false, optimised: true, wasmTurboFan: true, sums: SUMS });
  });

  it('tuneForOneShot raises both budgets at run time: the probe stays unoptimised, the loop on Liftoff', () => {
    expect(run({}, false)).toMatchObject({ tuned: true, optimised: false, wasmTurboFan: false, sums: SUMS });
  });

  it('for a large input (a file, or a folder of files) V8 compiles a hinted kernel with TurboFan at its first call', () => {
    const expected = { tuned: true, kernelHints: true, firstCalls: { hinted: true, plain: false }, sums: SUMS };
    expect(run({}, false, ['--out', small, large])).toMatchObject(expected);
    expect(run({}, false, [folder, '--method', 'tikhonov'])).toMatchObject(expected);
  });

  it('for a small input, or none, the hints are left alone: Liftoff first, as for every function', () => {
    const expected = { tuned: true, kernelHints: false, firstCalls: { hinted: false, plain: false }, sums: SUMS };
    expect(run({}, false, [small, join(dir, 'missing')])).toMatchObject(expected);
    expect(run({}, false)).toMatchObject(expected);
    // paths the command will refuse itself (not a folder, a name too long for the system) are not large inputs
    expect(run({}, false, [join(small, 'below'), 'x'.repeat(5000)])).toMatchObject(expected);
  });

  it('LAPIS_ONE_SHOT_TIERING=0 leaves V8 as it is', () => {
    expect(run({ LAPIS_ONE_SHOT_TIERING: '0' }, true, [large])).toMatchObject({
      kernelHints: false,
      firstCalls: { hinted: false, plain: false },
      tuned: false,
      optimised: true,
      wasmTurboFan: true,
      sums: SUMS,
    });
  });
});
