/**
 * scripts/v8Tiering.mjs, the V8 tiering `lapis invert` runs with: set at run time, it must reach V8 — a function that
 * V8's default budget optimises after a few dozen calls stays on the baseline tiers for hundreds — and
 * LAPIS_ONE_SHOT_TIERING=0 must leave V8's defaults. Each case in a fresh node (V8's flags are per process), with
 * optimisation synchronous so that the outcome does not depend on a compiler thread's timing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const TIERING = pathToFileURL(fileURLToPath(new URL('../../scripts/v8Tiering.mjs', import.meta.url))).href;
const dir = mkdtempSync(join(tmpdir(), 'lapis-tiering-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// %GetOptimizationStatus bit 4: the function has optimised code.
const PROBE = `
import { tuneForOneShot } from ${JSON.stringify(TIERING)};
const tuned = process.argv[2] === 'tune' ? tuneForOneShot(JSON.parse(process.argv[3])) : false;
function work(a) { let s = 0; for (let i = 0; i < 50; i++) s += a * i; return s; }
let total = 0;
for (let k = 0; k < 200; k++) total += work(k);
console.log(JSON.stringify({ tuned, optimised: (%GetOptimizationStatus(work) & 16) !== 0, total }));
`;
const probe = join(dir, 'probe.mjs');
writeFileSync(probe, PROBE);

function run(...args: string[]): { tuned: boolean; optimised: boolean } {
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--no-concurrent-recompilation', probe, ...args],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(out) as { tuned: boolean; optimised: boolean };
}

describe('V8 tiering of one-shot analyses', () => {
  it('V8 on its own optimises the probe within 200 calls (the reference)', () => {
    expect(run()).toMatchObject({ tuned: false, optimised: true });
  });

  it('tuneForOneShot raises the budget at run time: the probe stays unoptimised', () => {
    expect(run('tune', '{}')).toEqual(expect.objectContaining({ tuned: true, optimised: false }));
  });

  it('LAPIS_ONE_SHOT_TIERING=0 leaves V8 as it is', () => {
    expect(run('tune', JSON.stringify({ LAPIS_ONE_SHOT_TIERING: '0' }))).toMatchObject({
      tuned: false,
      optimised: true,
    });
  });
});
