/**
 * End to end: spawn the real `lapis` bin (tsx, the real @lapis/physics invert) on acquisitions written to temp
 * dirs. Bad input must exit 2 with one stderr line and leave nothing behind.
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { writeLapisAcquisition, writeTextMatrix } from '@lapis/formats';
import { badInputCases } from '../../testing/badInputCases';
import { t1t2Acquisition, t2Acquisition } from '../../testing/fixtures';
import { LAPIS_BIN, runLapis } from '../../testing/runLapis';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-e2e-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const fresh = async () => {
  const dir = join(root, `e${n++}`);
  await mkdir(dir);
  return dir;
};

describe.concurrent('lapis invert (real bin)', () => {
  it('1D T2 → exit 0 and a schema-valid result with both populations', async () => {
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 't2'), t2Acquisition());
    const r = await runLapis(['invert', 't2', '--out', 'r.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')));
    expect(doc.axes.map((a) => a.name)).toEqual(['T2']);
    const positions = doc.peaks
      .slice(0, 2)
      .map((p) => p.position.T2!)
      .sort((a, b) => a - b);
    expect(Math.abs(Math.log10(positions[0]! / 0.005))).toBeLessThan(0.2);
    expect(Math.abs(Math.log10(positions[1]! / 0.15))).toBeLessThan(0.2);
    expect((await readdir(dir)).sort()).toEqual(['r.json', 't2']);
    // The same data as a text matrix (axis in ms) gives the same peaks.
    const acq = t2Acquisition();
    await writeTextMatrix({ data: join(dir, 'sig.txt'), axis1: join(dir, 'te.txt') }, acq);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'te-ms.txt'), Array.from(acq.axes[0].values, (v) => v * 1e3).join('\n') + '\n');
    const tm = await runLapis(
      ['invert', 'sig.txt', '--axis1', 'te-ms.txt', '--unit1', 'ms', '--kernel1', 'T2', '--json'],
      dir,
    );
    expect(tm.code).toBe(0);
    const tmDoc = resultDocSchema.parse(JSON.parse(tm.stdout));
    expect(tmDoc.provenance?.source?.format).toBe('text-matrix');
    tmDoc.peaks.forEach((p, i) => expect(p.position.T2).toBeCloseTo(doc.peaks[i]!.position.T2!, 6));
  });

  it('2D T1–T2 → exit 0 and a schema-valid result; the table without --out', async () => {
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 't1t2'), t1t2Acquisition());
    const r = await runLapis(['invert', 't1t2', '--grid', '32', '--out', 'r.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')));
    expect(doc.axes.map((a) => a.name)).toEqual(['T1', 'T2']);
    expect(doc.distribution).toHaveLength(32);
    const top = doc.peaks[0]!;
    expect(Math.abs(Math.log10(top.position.T1! / 0.112))).toBeLessThan(0.2);
    expect(Math.abs(Math.log10(top.position.T2! / 0.0195))).toBeLessThan(0.2);
    // 16 bootstrap draws: a spread per axis, the peak found in (nearly) every draw
    expect(top.uncertainty).toMatchObject({ replicates: 16 });
    expect(top.uncertainty!.detected).toBeGreaterThanOrEqual(0.9);
    for (const key of ['T1', 'T2']) {
      const sd = top.uncertainty!.positionSdDecades[key]!;
      expect(sd).toBeGreaterThan(0);
      expect(sd).toBeLessThan(0.05);
    }
    const table = await runLapis(['invert', 't1t2', '--grid', '32'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /T1 1\d\d ms ±\S+ %\s+T2 \d\d\.\d ms ±\S+ %\s+T1\/T2 \d\.\d\d\s+fraction [01]\.\d\d ±0\.\d+/,
    );
    expect(table.stdout).toMatch(/^method\s+\w+ — /m);
    // which numeric code ran: the WebAssembly kernels in a built checkout, the TypeScript when told so
    expect(table.stdout).toMatch(/^time\s+\d+ ms \(WebAssembly kernels\)$/m);
    const typescript = await runLapis(['invert', 't1t2', '--grid', '32'], dir, { env: { LAPIS_WASM: '0' } });
    expect(typescript.stdout).toMatch(/^time\s+\d+ ms \(TypeScript, LAPIS_WASM=0\)$/m);
  });

  it('--help from the repository root via npx-style bin', async () => {
    const r = await runLapis(['--help'], resolve(LAPIS_BIN, '../../../..'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('invert');
  });

  for (const c of badInputCases) {
    it(`bad input: ${c.name} → exit 2, one line, nothing written`, async () => {
      const dir = await fresh();
      const argv = await c.setup(dir);
      const before = await readdir(dir);
      const r = await runLapis(['invert', ...argv, '--out', join(dir, 'result.json')], dir);
      expect(r.stderr).toMatch(c.expect);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(await readdir(dir)).toEqual(before);
    });
  }
});
