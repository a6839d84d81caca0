/**
 * `lapis invert` in-process with a stand-in `invert` (plain Tikhonov) and the real readers, peak finder and
 * contract. The same bad-input table runs against the real bin in apps/agent/src/cli/invert.e2e.test.ts.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocSchema } from '@lapis/contracts';
import { writeLapisAcquisition, writeTextMatrix } from '@lapis/formats';
import { simulate } from '@lapis/physics';
import { badInputCases } from '../../testing/badInputCases';
import { t1t2Acquisition, t2Acquisition } from '../../testing/fixtures';
import { shimInvert } from '../../testing/shimInvert';
import type { CommandIo } from '../command';
import { createInvertCommand } from './invertCommand';

const command = createInvertCommand({ invert: shimInvert });
let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-invert-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const fresh = async () => {
  const dir = join(root, `c${n++}`);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir);
  return dir;
};

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd };
  const code = await command.run(argv, io);
  return { code, stdout, stderr };
}

describe('lapis invert (stand-in inversion)', () => {
  it('1D T2: prints a peak table with readable units, method, alpha, residual and time', async () => {
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 't2'), t2Acquisition());
    const r = await run(['t2'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Two populations at 5 ms (30 %) and 150 ms (70 %).
    const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\s+T2 /.test(l));
    expect(rows).toHaveLength(2);
    // each position ± its bootstrap spread (relative), each fraction ± its own
    expect(rows[0]).toMatch(/T2 1\d\d ms ±(<0\.1|\d+(\.\d)?) %\s+fraction 0\.[67]\d ±0\.\d+$/);
    expect(rows[1]).toMatch(/T2 \d\.\d\d ms ±(<0\.1|\d+(\.\d)?) %\s+fraction 0\.[23]\d ±0\.\d+$/);
    // --uncertainty 0: no draws, no spreads
    const plain = await run(['t2', '--uncertainty', '0'], dir);
    expect(plain.stdout).toMatch(/^\s+1\s+T2 1\d\d ms\s+fraction 0\.[67]\d$/m);
    expect(plain.stdout).not.toContain('±');
    expect(r.stdout).toMatch(/^method\s+tikhonov — test stand-in$/m);
    expect(r.stdout).toMatch(/^alpha\s+\S+ \(/m);
    expect(r.stdout).toMatch(/^residual\s+\d.*% of the data/m);
    expect(r.stdout).toMatch(/^time\s+\d/m);
  });

  it('2D T1–T2 text matrix with --out writes a schema-valid document atomically, T1/T2 ratio included', async () => {
    const dir = await fresh();
    const acq = t1t2Acquisition();
    await writeTextMatrix({ data: join(dir, 'map.txt'), axis1: join(dir, 'tau.txt'), axis2: join(dir, 'te.txt') }, acq);
    const r = await run(
      [
        'map.txt',
        '--axis1',
        'tau.txt',
        '--kernel1',
        'T1-IR',
        '--axis2',
        'te.txt',
        '--kernel2',
        'T2',
        '--grid',
        '24',
        '--out',
        'out.json',
      ],
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*out\.json \(tikhonov, \d+ peaks?/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const doc = resultDocSchema.parse(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')));
    expect(doc.axes.map((a) => a.name)).toEqual(['T1', 'T2']);
    expect(doc.distribution).toHaveLength(24);
    // the measured decays travel with the fit: recovery at the first echo, echo train at the longest delay
    expect(doc.fit.decays?.map((d) => [d.axis.name, d.at?.index])).toEqual([
      ['tau', 0],
      ['t', 15],
    ]);
    const top = doc.peaks[0]!;
    expect(top.fraction).toBeGreaterThan(0.8);
    expect(Math.abs(Math.log10(top.position.T1! / 0.112))).toBeLessThan(0.15);
    expect(Math.abs(Math.log10(top.position.T2! / 0.0195))).toBeLessThan(0.15);
    expect(top.t1t2Ratio).toBeCloseTo(top.position.T1! / top.position.T2!, 10);
    expect(top.dataSnr).toBeGreaterThan(5); // listed peaks are ones the data show
    expect(doc.provenance?.source?.format).toBe('text-matrix');
    expect(doc.provenance?.rawDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.experiment).toBe('T1-T2');
  });

  it('--json prints the document; the same input hashes the same', async () => {
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 't2'), t2Acquisition());
    const a = await run([join(dir, 't2'), '--json', '--method', 'tikhonov', '--range1', '100us:10s']);
    const b = await run([join(dir, 't2'), '--json']);
    expect(a.code).toBe(0);
    const docA = resultDocSchema.parse(JSON.parse(a.stdout));
    const docB = resultDocSchema.parse(JSON.parse(b.stdout));
    expect(docA.provenance?.rawDataHash).toBe(docB.provenance?.rawDataHash);
    expect(docA.axes[0]!.values[0]).toBeCloseTo(1e-4, 12);
    expect(docA.axes[0]!.values.at(-1)).toBeCloseTo(10, 9);
  });

  it('--range1 bounds may carry any time unit the unit parser knows', async () => {
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 't2'), t2Acquisition());
    const r = await run([join(dir, 't2'), '--json', '--method', 'tikhonov', '--range1', '0.1 ms:0.1min']);
    expect(r.code, r.stderr).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(r.stdout));
    expect(doc.axes[0]!.values[0]).toBeCloseTo(1e-4, 12);
    expect(doc.axes[0]!.values.at(-1)).toBeCloseTo(6, 9);
  });

  it('--help documents the options with examples', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const opt of [
      '--method',
      '--grid',
      '--out',
      '--kernel1',
      '--kernel2',
      '--axis1',
      '--axis2',
      '--range1',
      '--json',
      'Examples:',
    ]) {
      expect(r.stdout).toContain(opt);
    }
  });
});

describe('lapis invert (the real inversion)', () => {
  it('lists one broad population as one peak where the map breaks it in two, and says so in the table and document', async () => {
    // One log-normal population 0.38 decade wide in T2 at SNR 120 (1000 echoes of 0.4 ms): UPEN's map shows a second
    // peak on this seed; the data show one population (libs/physics mergeTest).
    const echoes = Float64Array.from({ length: 1000 }, (_, i) => (i + 1) * 4e-4);
    const sim = simulate({
      axes: [{ spec: { kernel: 'T2' }, x: echoes }],
      peaks: [{ position: [10 ** -1.6], width: [0.38], fraction: 1 }],
      snr: 120,
      seed: 6,
    });
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 'broad'), {
      experiment: 'T2',
      axes: [{ kernel: 'T2', values: echoes, unit: 's' }],
      data: sim.data,
      metadata: { source: 'test', sample: 'one broad T2 population' },
      warnings: [],
    });
    const real = createInvertCommand();
    let stdout = '';
    const io: CommandIo = { stdout: (t) => (stdout += t), stderr: () => {}, cwd: dir };
    expect(await real.run(['broad', '--uncertainty', '0'], io)).toBe(0);
    const rows = stdout.split('\n').filter((l) => /^\s+\d+\s+T2 /.test(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/\(\d peaks of the map, one population in the data; Δχ² \d+\.\dσ²\)$/);
    expect(await real.run(['broad', '--uncertainty', '0', '--out', 'r.json'], io)).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')));
    expect(doc.peaks).toHaveLength(1);
    expect(doc.peaks[0]!.merged?.peaks).toBeGreaterThanOrEqual(2);
    expect(doc.peaks[0]!.merged!.deltaChi2).toBeLessThan(2.37);
    expect(Math.abs(Math.log10(doc.peaks[0]!.position.T2!) - -1.6)).toBeLessThan(0.1);
    expect((doc.warnings ?? []).some((w) => /one population in the data/.test(w))).toBe(true);
  });
});

describe('lapis invert bad input: exit 2, one stderr line, nothing written', () => {
  // the stand-in inversion does not check what libs/physics `invert` refuses; the end-to-end test runs those
  it.each(badInputCases.filter((c) => !c.physics).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await fresh();
    const argv = await c.setup(dir);
    const before = await readdir(dir);
    const r = await run([...argv, '--out', join(dir, 'result.json')], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(c.expect);
    expect(await readdir(dir)).toEqual(before);
  });

  it('--out in a missing directory is refused before any work', async () => {
    const dir = await fresh();
    await writeLapisAcquisition(join(dir, 'ok'), t2Acquisition());
    const r = await run(['ok', '--out', 'no/such/dir/r.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lapis invert: --out: directory .*no\/such\/dir does not exist\n$/);
  });
});
