/**
 * runReference: the `unavailable` answers CI relies on (no tools, no interpreters there), argument checks, and — only
 * where FLINT and numpy are present locally — one small real run.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { kernelMatrix, forward2d, logGrid } from '../../../libs/physics/src/index';
import { referenceDir, runReference } from './reference';

const work = mkdtempSync(join(tmpdir(), 'lapis-ref-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['LAPIS_REF_FLINT', 'LAPIS_REF_MUPEN2D', 'LAPIS_PYTHON', 'LAPIS_OCTAVE']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

/** A small noiseless T1-IR × T2 case, 8 × 120, one population at T1 0.2 s, T2 0.05 s. */
function writeCase(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const tau = logGrid(1e-3, 3, 8);
  const te = Float64Array.from({ length: 120 }, (_, i) => 2e-3 * (i + 1));
  const g1 = logGrid(1e-3, 5, 16);
  const g2 = logGrid(1e-3, 1, 16);
  const f = new Float64Array(256);
  f[10 * 16 + 11] = 1;
  const s = forward2d(kernelMatrix({ kernel: 'T1-IR' }, tau, g1), kernelMatrix({ kernel: 'T2' }, te, g2), f);
  const rows: string[] = [];
  for (let i = 0; i < 8; i++)
    rows.push(Array.from(s.subarray(i * 120, i * 120 + 120), (v) => v.toPrecision(12)).join(' '));
  writeFileSync(join(dir, 'data.txt'), `# test case\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'acquisition.json'),
    JSON.stringify({
      format: 'lapis-acquisition/1',
      experiment: 'T1-T2',
      axes: [
        { kernel: 'T1-IR', values: Array.from(tau), unit: 's' },
        { kernel: 'T2', values: Array.from(te), unit: 's' },
      ],
      data: 'data.txt',
    }),
  );
}

const caseDir = join(work, 'case');
writeCase(caseDir);

describe('runReference', () => {
  it('answers unavailable when the tool directory has no FLINT', async () => {
    process.env.LAPIS_REF_FLINT = join(work, 'empty');
    const r = await runReference('flint', caseDir, [1e-3, 5], [1e-3, 1]);
    expect(r).toHaveProperty('unavailable');
    expect((r as { unavailable: string }).unavailable).toMatch(/flint\.py not found.*LAPIS_REF_FLINT/);
  });

  it('answers unavailable when the Python interpreter is missing', async () => {
    const fake = join(work, 'fake-flint');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'flint.py'), '# placeholder\n');
    process.env.LAPIS_REF_FLINT = fake;
    process.env.LAPIS_PYTHON = join(work, 'no-such-python');
    const r = await runReference('flint', caseDir, [1e-3, 5], [1e-3, 1]);
    expect(r).toEqual({ unavailable: `flint: no Python interpreter at ${join(work, 'no-such-python')}` });
  });

  it('answers unavailable when MUPen2D or Octave is missing', async () => {
    process.env.LAPIS_REF_MUPEN2D = join(work, 'empty');
    expect(await runReference('mupen2d', caseDir, [1e-3, 5], [1e-3, 1])).toHaveProperty('unavailable');
    const fake = join(work, 'fake-mupen');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'MUpen2D.m'), '% placeholder\n');
    process.env.LAPIS_REF_MUPEN2D = fake;
    process.env.LAPIS_OCTAVE = join(work, 'no-such-octave');
    const r = await runReference('mupen2d', caseDir, [1e-3, 5], [1e-3, 1]);
    expect((r as { unavailable: string }).unavailable).toMatch(/no GNU Octave/);
  });

  it('rejects bad ranges and missing cases early', async () => {
    await expect(runReference('flint', caseDir, [5, 1e-3], [1e-3, 1])).rejects.toThrow(RangeError);
    await expect(runReference('flint', caseDir, [0, 1], [1e-3, 1])).rejects.toThrow(/range1/);
    await expect(runReference('flint', join(work, 'nothing'), [1e-3, 5], [1e-3, 1])).rejects.toThrow(
      /acquisition\.json/,
    );
  });

  it('prefers the environment variable for the tool directory', () => {
    process.env.LAPIS_REF_MUPEN2D = '/opt/mupen';
    expect(referenceDir('mupen2d')).toBe('/opt/mupen');
    delete process.env.LAPIS_REF_MUPEN2D;
    expect(referenceDir('mupen2d')).toMatch(/\.refs[/\\]mupen2d$/);
  });

  // A real FLINT run, only where a local copy and numpy exist (never in CI): the map must put its mass where the
  // single population is.
  it('runs FLINT on a small case when it is installed locally', async (ctx) => {
    const r = await runReference('flint', caseDir, [1e-3, 5], [1e-3, 1], { n: 16, alpha: 1e-4 });
    if ('unavailable' in r) {
      ctx.skip(`FLINT not available here: ${r.unavailable}`);
      return;
    }
    expect(r.tool).toBe('flint');
    expect(r.alpha).toBe(1e-4);
    expect(r.distribution.length).toBe(256);
    expect(r.grid1.length).toBe(16);
    expect(r.elapsedMs).toBeGreaterThan(0);
    let total = 0;
    let near = 0;
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const v = r.distribution[i * 16 + j]!;
        expect(v).toBeGreaterThanOrEqual(0);
        total += v;
        if (Math.abs(i - 10) <= 2 && Math.abs(j - 11) <= 2) near += v;
      }
    }
    expect(total).toBeGreaterThan(0.8);
    expect(total).toBeLessThan(1.2);
    expect(near / total).toBeGreaterThan(0.9);
  });
});
