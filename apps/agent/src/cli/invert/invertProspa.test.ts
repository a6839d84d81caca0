/** `lapis invert FILE.1d`: a Magritek Prospa echo train, through the registry (no --axis1), kernel and unit options. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { writeLapisAcquisition, writeProspa } from '@lapis/formats';
import { t2Acquisition } from '../../testing/fixtures';
import { main } from '../../main';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-prospa-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['invert', ...argv], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: root,
  });
  return { code, stdout, stderr };
}

describe('lapis invert: Prospa .1d', () => {
  it('an echo train with its x axis in ms (the default) or µs (--unit1 us) gives the same T2 peaks', async () => {
    const acq = t2Acquisition(); // two populations, T2 5 ms and 150 ms
    const te = acq.axes[0].values;
    for (const [name, scale] of [
      ['ms.1d', 1e3],
      ['us.1d', 1e6],
    ] as const) {
      const bytes = writeProspa({
        version: 'V1.1',
        dataType: 503,
        dims: [te.length, 1, 1, 1],
        re: Float64Array.from(acq.data),
        x: Float64Array.from(te, (t) => t * scale),
      });
      await writeFile(join(root, name), bytes);
    }
    const ms = await run(['ms.1d', '--json']);
    expect(ms.stderr).toBe('');
    expect(ms.code).toBe(0);
    const us = await run(['us.1d', '--kernel1', 'T2', '--unit1', 'us', '--json']);
    expect(us.code).toBe(0);
    for (const doc of [ms, us].map((r) => resultDocSchema.parse(JSON.parse(r.stdout)))) {
      expect(doc.provenance?.source?.format).toBe('prospa');
      expect(doc.axes.map((a) => a.name)).toEqual(['T2']);
      const t2 = doc.peaks
        .slice(0, 2)
        .map((p) => p.position.T2!)
        .sort((a, b) => a - b);
      expect(Math.abs(Math.log10(t2[0]! / 0.005))).toBeLessThan(0.1);
      expect(Math.abs(Math.log10(t2[1]! / 0.15))).toBeLessThan(0.1);
    }
  });

  it('--kernel1 without --axis1 is refused for layouts that name their own kernels; --region for non-TopSpin input', async () => {
    await writeLapisAcquisition(join(root, 'lapis'), t2Acquisition());
    const k = await run(['lapis', '--kernel1', 'T1-IR']);
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(
      /--kernel1\/--unit1 without --axis1 are for layouts that do not name their own \(.*prospa.*\); lapis-acquisition\/1 names/,
    );
    const r = await run(['lapis', '--region', '1:2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--region is for TopSpin pseudo-2D folders/);
    const bad = await run(['lapis', '--region', 'a:b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--region: expected LO:HI in ppm/);
  });
});
