/**
 * `lapis invert` on TopSpin pseudo-2D folders: synthetic inversion-recovery and LED diffusion series written by the
 * project's own Bruker writer (known T1 and D per line), and the real menthol inversion recovery from the npm
 * package bruker-data-test, whose pdata/1/ct1t2.txt holds TopSpin's own T1 fits. One run spawns the real bin.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultDocSchema, type ResultDoc } from '@lapis/contracts';
import { formatBrukerList, simulatePseudo2d, writeBrukerDataset } from '@lapis/formats';
import { bValues, logGrid } from '@lapis/physics';
// test-only helper of libs/formats (a zip reader on node's zlib); not part of its public API
import { unzipTo } from '../../../../../libs/formats/src/testing/unzip';
import { main } from '../../main';
import { runLapis } from '../../testing/runLapis';

const SW = 6000;
const SF = 400.13;
const O1 = 1900;
const D = (entries: Record<number, number>) => Array.from({ length: 64 }, (_, i) => entries[i] ?? 0);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-p2d-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(argv: string[], cwd = root) {
  let stdout = '';
  let stderr = '';
  const code = await main(['invert', ...argv], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
  });
  return { code, stdout, stderr };
}

/** The main peak (largest share of its region) of the row nearest `ppm`. */
function mainPeakNear(doc: ResultDoc, ppm: number, name: 'T1' | 'D') {
  const candidates = doc.peaks.filter((p) => Math.abs(p.position.shift! - ppm) < 0.02);
  candidates.sort((a, b) => (b.regionFraction ?? 0) - (a.regionFraction ?? 0));
  return candidates[0]?.position[name];
}

async function writeT1(dir: string): Promise<void> {
  const delays = Array.from(logGrid(0.01, 12, 16));
  const lines = [
    { ppm: 3.4, t1: 2.0 },
    { ppm: 1.2, t1: 0.45 },
  ].map((l) => ({ ppm: l.ppm, amplitudes: delays.map((t) => 2e5 * (1 - 2 * Math.exp(-t / l.t1))), t2star: 0.25 }));
  const data = simulatePseudo2d({
    points: 8192,
    sw: SW,
    sfo1: SF + O1 * 1e-6,
    sf: SF,
    lines,
    groupDelay: 67.98,
    noise: 20,
    seed: 5,
  });
  await writeBrukerDataset(dir, {
    acqus: { PULPROG: 't1ir', SW_h: SW, SFO1: SF + O1 * 1e-6, BF1: SF, O1, GRPDLY: 67.98 },
    acqu2s: {},
    data,
    nc: -2,
    lists: { vdlist: formatBrukerList(delays, 'delay', 'm') },
    files: { 'pdata/1/procs': `##TITLE= p\n##$SF= ${SF}\n##END=\n` },
  });
}

describe('lapis invert: TopSpin pseudo-2D', () => {
  it('T1 inversion recovery, two lines (real bin): one shift × T1 document, each T1 within 2 %', async () => {
    const dir = join(root, 't1ir', '7');
    await writeT1(dir);
    const r = await runLapis(['invert', dir, '--out', 'r.json'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = await readFile(join(root, 'r.json'), 'utf8');
    const doc = resultDocSchema.parse(JSON.parse(text));
    expect(doc.experiment).toBe('T1');
    expect(doc.axes.map((a) => [a.name, a.unit])).toEqual([
      ['shift', 'ppm'],
      ['T1', 's'],
    ]);
    const shifts = doc.axes[0]!.values;
    expect(shifts).toHaveLength(2);
    expect(shifts[0]).toBeCloseTo(1.2, 2);
    expect(shifts[1]).toBeCloseTo(3.4, 2);
    expect(doc.distribution).toHaveLength(2);
    expect((doc.distribution as number[][]).every((row) => row.length === doc.axes[1]!.values.length)).toBe(true);
    expect(doc.regions).toHaveLength(2);
    // the first and last spectrum of the series, downsampled: ppm highest first, the lines where they are, the
    // 1.2 ppm line (T1 0.45 s) recovered by the last delay (12 s) and inverted at the first (0.01 s)
    const spec = doc.spectrum!;
    expect(spec.ppm.length).toBeLessThanOrEqual(1024);
    expect(spec.ppm[0]!).toBeGreaterThan(spec.ppm.at(-1)!);
    expect(spec.rows.map((r) => r.index)).toEqual([0, 15]);
    expect(spec.rows[0]!.x).toBeCloseTo(0.01, 6);
    const near = (row: number[], ppm: number) =>
      row.reduce((best, v, i) => (Math.abs(spec.ppm[i]! - ppm) < 0.05 && Math.abs(v) > Math.abs(best) ? v : best), 0);
    expect(near(spec.rows[0]!.values, 1.2)).toBeLessThan(0);
    expect(near(spec.rows[1]!.values, 1.2)).toBeGreaterThan(0);
    expect(near(spec.rows[1]!.values, 3.4)).toBeGreaterThan(0);
    for (const [ppm, t1] of [
      [3.4, 2.0],
      [1.2, 0.45],
    ] as const) {
      const found = mainPeakNear(doc, ppm, 'T1');
      expect(found, `T1 at ${ppm} ppm`).toBeDefined();
      expect(Math.abs(found! / t1 - 1), `T1 at ${ppm} ppm: ${found}`).toBeLessThan(0.02);
    }
    // equal amplitudes: each line about half of all the signal; fractions of all regions sum to ≤ 1
    const total = doc.peaks.reduce((s, p) => s + p.fraction, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    for (const p of doc.peaks.filter((q) => (q.regionFraction ?? 0) > 0.5)) {
      expect(p.fraction).toBeGreaterThan(0.4);
      expect(p.fraction).toBeLessThan(0.6);
      expect(p.region!.from).toBeGreaterThan(p.position.shift!);
      expect(p.region!.to).toBeLessThan(p.position.shift!);
    }
    // each line's T1 ± its bootstrap uncertainty (the shift is the region's own: no spread); 2 % T1 accuracy above
    // means a few thousandths of a decade at most
    for (const p of doc.peaks.filter((q) => (q.regionFraction ?? 0) > 0.5)) {
      expect(p.uncertainty).toMatchObject({ replicates: 16, positionUncertaintyDecades: { shift: null } });
      const u = p.uncertainty!.positionUncertaintyDecades.T1!;
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(0.02);
    }
    // written as docs/contracts.md shows positions: shift first
    expect(text).toMatch(/"position":\{"shift":[-\d.e]+,"T1":/);
    expect(doc.provenance?.source?.format).toBe('bruker');
    expect(doc.provenance?.source?.files?.map((f) => f.slice(dir.length + 1))).toEqual([
      'acqus',
      'acqu2s',
      'ser',
      'vdlist',
    ]);
    expect(doc.provenance?.rawDataHash).toMatch(/^[0-9a-f]{64}$/);

    // the readable table: "3.40 ppm   T1 2.00 s   fraction 0.50"
    const table = await run([dir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^\s+1\s+(3\.40|1\.20) ppm\s+T1 (2\.0\d s|4[45]\d ms) ±\S+ %\s+fraction 0\.[45]\d ±\S+$/m,
    );
    expect(table.stdout).toMatch(/regions \(ppm\)/);

    // --region picks one; a range with no region is bad input naming the regions found
    const one = await run([dir, '--region', '3.0:3.6', '--json']);
    expect(one.code).toBe(0);
    const oneDoc = resultDocSchema.parse(JSON.parse(one.stdout));
    expect(oneDoc.axes[0]!.values).toHaveLength(1);
    expect(oneDoc.axes[0]!.values[0]).toBeCloseTo(3.4, 2);
    expect(oneDoc.axes[1]!.values).toEqual(doc.axes[1]!.values);
    const none = await run([dir, '--region', '5:6', '--out', join(root, 'none.json')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /^lapis invert: --region 5:6: no region peaks there \(regions found at 3\.(39|40)\d, 1\.(19|20)\d ppm\)\n$/,
    );
    expect(await readdir(root)).not.toContain('none.json');
    const wrong = await run([dir, '--kernel1', 'T2']);
    expect(wrong.code).toBe(2);
  });

  it('LED diffusion (ledbpgp2s), two lines: D within 3 % on one common D grid', async () => {
    const dir = join(root, 'dosy', '3');
    const g = Array.from({ length: 16 }, (_, i) => 0.02 + (i * 0.45) / 15); // T/m
    const b = bValues(g, { delta: 0.002, bigDelta: 0.1, shape: 'sine', bipolarGap: 0.0002 + 20e-6 });
    const lines = [
      { ppm: 3.35, d: 2.1e-9 },
      { ppm: 0.9, d: 4e-10 },
    ].map((l) => ({ ppm: l.ppm, amplitudes: Array.from(b, (x) => 1e5 * Math.exp(-x * l.d)) }));
    const data = simulatePseudo2d({ points: 4096, sw: SW, sfo1: SF + O1 * 1e-6, sf: SF, lines, noise: 5, seed: 2 });
    await writeBrukerDataset(dir, {
      acqus: {
        PULPROG: 'ledbpgp2s',
        SW_h: SW,
        SFO1: SF + O1 * 1e-6,
        BF1: SF,
        GRPDLY: 0,
        D: D({ 16: 0.0002, 20: 0.1 }),
        P: D({ 2: 20, 30: 1000 }),
        GPNAM: Array.from({ length: 32 }, () => 'SINE.100'),
      },
      acqu2s: {},
      data,
      dtype: 'float64',
      lists: { difflist: formatBrukerList(g, 'gradient') },
      files: { 'pdata/1/procs': `##TITLE= p\n##$SF= ${SF}\n##END=\n` },
    });
    const r = await run([dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(r.stdout));
    expect(doc.experiment).toBe('D');
    expect(doc.axes.map((a) => [a.name, a.unit])).toEqual([
      ['shift', 'ppm'],
      ['D', 'm2/s'],
    ]);
    expect(doc.axes[0]!.values).toHaveLength(2);
    for (const [ppm, d] of [
      [3.35, 2.1e-9],
      [0.9, 4e-10],
    ] as const) {
      const found = mainPeakNear(doc, ppm, 'D');
      expect(found, `D at ${ppm} ppm`).toBeDefined();
      expect(Math.abs(found! / d - 1), `D at ${ppm} ppm: ${found}`).toBeLessThan(0.03);
    }
    const table = await run([dir]);
    expect(table.stdout).toMatch(/^\s+\d\s+3\.35 ppm\s+D 2\.\d\de-9 m²\/s ±\S+ %\s+fraction 0\.\d\d ±\S+$/m);
  });

  it('real data: the menthol inversion recovery of bruker-data-test, T1 per peak near TopSpin’s own fits', async () => {
    const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
    const dest = join(root, 'menthol');
    await unzipTo(join(pkg, 'data', 'zipped', 'cyclosporin', 'inversionRecovery2D.zip'), dest);
    const dir = join(dest, 'inversionRecovery2D', '1');
    const r = await run([dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = resultDocSchema.parse(JSON.parse(r.stdout));
    expect(doc.axes[0]!.name).toBe('shift');
    // TopSpin's own integral regions (pdata/1/intrng), one per signal, not one per multiplet line
    expect(doc.regions).toHaveLength(13);
    for (const r of doc.regions!) expect(r.relativeResidual, `region ${r.from}–${r.to}`).toBeLessThan(0.9);
    // TopSpin's fits (pdata/1/ct1t2.txt) beside Lapis' value, in the document and in the table
    expect(doc.vendorResults).toHaveLength(13);
    for (const v of doc.vendorResults!) {
      expect(v).toMatchObject({ software: 'TopSpin', file: 'pdata/1/ct1t2.txt', quantity: 'T1', unit: 's' });
      expect(v.lapis, `T1 at ${v.shift} ppm: ${v.note}`).toBeDefined();
    }
    const table = await run([dir]);
    expect(table.stdout).toMatch(/^ {2}4\.338 ppm {2}T1: TopSpin 1\.40 s, Lapis 1\.\d\d s \([+-]\d+\.\d %\)$/m);
    // TopSpin t1/t2 module, pdata/1/ct1t2.txt: peak ppm → T1 (s), a mono-exponential fit per peak
    const topspin: [number, number][] = [
      [4.338, 1.397],
      [3.156, 1.26],
      [2.172, 1.656],
      [1.586, 0.8046],
      [1.499, 0.7358],
      [1.328, 1.431],
      [0.857, 0.8674],
    ];
    const found = topspin.map(([ppm, t1]) => {
      const row = doc.axes[0]!.values.reduce(
        (best, v, i, all) => (Math.abs(v - ppm) < Math.abs(all[best]! - ppm) ? i : best),
        0,
      );
      const shift = doc.axes[0]!.values[row]!;
      // TopSpin fits one exponential to the whole integral, so compare with the fraction-weighted mean relaxation
      // rate of the region's populations (what a mono-exponential fit of a sum of exponentials tracks); peaks at the
      // grid edge (baseline offsets, T1 beyond the last delay) are left out, as TopSpin's fit has a free offset.
      const inRegion = doc.peaks.filter((p) => p.position.shift === shift && p.atEdge !== true);
      const weight = inRegion.reduce((a, p) => a + p.fraction, 0);
      const rate = inRegion.reduce((a, p) => a + p.fraction / p.position.T1!, 0) / weight;
      return { ppm, shift, topspin: t1, lapis: inRegion.length > 0 ? 1 / rate : undefined };
    });
    for (const f of found) {
      expect(Math.abs(f.shift - f.ppm), `a region at ${f.ppm} ppm`).toBeLessThan(0.01);
      expect(f.lapis, `T1 at ${f.ppm} ppm`).toBeDefined();
      expect(Math.abs(f.lapis! / f.topspin - 1), `T1 at ${f.ppm} ppm: ${f.lapis} vs TopSpin ${f.topspin}`).toBeLessThan(
        0.06,
      );
    }
  });
});
