/**
 * End to end: the real `lapis` bin on TopSpin 1D and 2D folders written to temp dirs with known lines and peaks —
 * the table, --json and --out (schema-valid lapis-spectrum/1 documents) — and bad input: exit 2, one stderr line,
 * nothing written.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spectrumDocumentSchema } from '@lapis/contracts';
import { simulatePseudo2d, spectrum2dFolder, writeBrukerDataset } from '@lapis/formats';
import { unzipTo } from '../../../../../libs/formats/src/testing/unzip';
import { runLapis } from '../../testing/runLapis';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-process-e2e-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SF = 500.13;
const SW = 8000;
/** A ¹H spectrum: a singlet, a doublet and a weak line at known shifts, decayed within the acquisition; seeded noise. */
async function writeFolder(dir: string, seed: number) {
  const lines = [
    { ppm: 7.26, amplitudes: [4e5], t2star: 0.15 },
    { ppm: 3.71, amplitudes: [2e5], t2star: 0.15 },
    { ppm: 3.71 + 7 / SF, amplitudes: [2e5], t2star: 0.15 },
    { ppm: 1.25, amplitudes: [2e4], t2star: 0.15 },
  ];
  const data = simulatePseudo2d({
    points: 8192,
    sw: SW,
    sfo1: SF + 2000e-6,
    sf: SF,
    lines,
    groupDelay: 76,
    noise: 40,
    seed,
  });
  await writeBrukerDataset(dir, {
    acqus: {
      PULPROG: 'zg30',
      NUC1: '1H',
      SOLVENT: 'CDCl3',
      SW_h: SW,
      SFO1: SF + 2000e-6,
      BF1: SF,
      O1: 2000,
      GRPDLY: 76,
      DSPFVS: 21,
      DECIM: 1000,
    },
    data,
    dataFile: 'fid',
    procs: { SF, SI: 16384, LB: 0.3, WDW: 1 },
    files: { 'pdata/1/title': 'menthol test sample\n' },
  });
  return lines.map((l) => l.ppm);
}

describe.concurrent('lapis process (real bin)', () => {
  it('writes a schema-valid lapis-spectrum/1 with every line, and prints a table without --out', async () => {
    const dir = join(root, 'ok');
    const truth = await writeFolder(join(dir, 'exp', '1'), 7);
    const r = await runLapis(['process', 'exp/1', '--out', 'spectrum.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lapis process: wrote .*spectrum\.json \(4 peaks, \d+ ms\)\n$/);
    const doc = spectrumDocumentSchema.parse(JSON.parse(await readFile(join(dir, 'spectrum.json'), 'utf8')));
    expect(doc.axes[0]).toMatchObject({ name: 'shift', unit: 'ppm', nucleus: '1H', size: 16384, frequencyMHz: SF });
    expect(doc.spectrum.real).toHaveLength(16384);
    expect(doc.sample).toBe('menthol test sample');
    expect(doc.solvent).toBe('CDCl3');
    // procs without PHC1: both phases found automatically (with it, φ1 is the user's: readBrukerSpectrum.test.ts)
    expect(doc.processing.phaseSource).toBe('automatic');
    const shifts = doc.peaks.map((p) => p.shift!);
    for (const ppm of truth) expect(Math.min(...shifts.map((s) => Math.abs(s - ppm)))).toBeLessThan(0.001);
    // the two doublet lines have equal areas; the singlet twice one of them
    const at = (ppm: number) => doc.peaks.find((p) => Math.abs(p.shift! - ppm) < 0.001)!;
    expect(at(3.71).integral / at(3.71 + 7 / SF).integral).toBeCloseTo(1, 1);
    const table = await runLapis(['process', 'exp/1'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('shift (ppm)');
    expect(table.stdout).toContain('7.2600');
    expect(table.stdout).toMatch(/1H in CDCl3 — menthol test sample/);
    const json = await runLapis(['process', join(dir, 'exp', '1', 'acqus'), '--json', '--min-snr', '3'], dir);
    expect(spectrumDocumentSchema.parse(JSON.parse(json.stdout)).processing.picker.minSnr).toBe(3);
    expect(doc.denoised).toBeUndefined();
  });

  it('--denoise adds a quieter copy of the spectrum for display, peaks unchanged', async () => {
    const dir = join(root, 'denoise');
    await writeFolder(join(dir, 'exp', '1'), 8);
    const plain = spectrumDocumentSchema.parse(
      JSON.parse((await runLapis(['process', 'exp/1', '--json'], dir)).stdout),
    );
    for (const method of ['network', 'wavelet'] as const) {
      const r = await runLapis(['process', 'exp/1', '--json', '--denoise', method], dir);
      expect(r.code, r.stderr).toBe(0);
      const doc = spectrumDocumentSchema.parse(JSON.parse(r.stdout));
      if (doc.dimensions !== 1 || plain.dimensions !== 1) throw new Error('expected 1D documents');
      expect(doc.denoised).toMatchObject({ method, step: 1 });
      if (method === 'network') expect(doc.denoised!.model).toBe('lapis-denoise1d');
      expect(doc.denoised!.real).toHaveLength(doc.spectrum.real.length);
      expect(doc.peaks).toEqual(plain.peaks);
      // between 9 and 10 ppm there are no lines: what is left of the noise there
      const quiet = (v: number[]) => {
        const a = doc.axes[0]!;
        const at = (ppm: number) => Math.round(((a.first - ppm) / (a.first - a.last)) * (a.size - 1));
        const part = v.slice(at(10), at(9));
        const mean = part.reduce((x, y) => x + y, 0) / part.length;
        return Math.sqrt(part.reduce((x, y) => x + (y - mean) ** 2, 0) / part.length);
      };
      expect(quiet(doc.denoised!.real), method).toBeLessThan(quiet(doc.spectrum.real) / 3);
    }
    const bad = await runLapis(['process', 'exp/1', '--denoise', 'median'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--denoise: 'median' is not wavelet or network/);
  });

  it('--picker network finds the same lines (the network candidates fitted back, or the classical ones) and says so', async () => {
    const dir = join(root, 'picker');
    const truth = await writeFolder(join(dir, 'exp', '1'), 9);
    const r = await runLapis(['process', 'exp/1', '--json', '--picker', 'network'], dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = spectrumDocumentSchema.parse(JSON.parse(r.stdout));
    expect(doc.processing.picker).toMatchObject({ method: 'network', minSnr: 5, model: 'lapis-pick1d' });
    expect(doc.warnings.join(' ')).not.toMatch(/could not run/);
    const shifts = doc.peaks.map((p) => p.shift!);
    for (const ppm of truth) expect(Math.min(...shifts.map((s) => Math.abs(s - ppm)))).toBeLessThan(0.001);
    expect(doc.peaks.length).toBeLessThanOrEqual(truth.length + 1);
    const bad = await runLapis(['process', 'exp/1', '--picker', 'magic'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--picker: 'magic' is not classical or network/);
  });

  it('bad input exits 2 with one line and writes nothing', async () => {
    const dir = join(root, 'bad');
    await mkdir(join(dir, 'empty'), { recursive: true });
    await writeFile(join(dir, 'note.txt'), 'not a spectrum\n');
    const cases: [string[], RegExp][] = [
      [['process'], /PATH missing/],
      [['process', 'nowhere'], /no such file or folder/],
      [['process', 'empty'], /acqus.*missing/],
      [['process', 'note.txt'], /not a TopSpin experiment folder/],
      [['process', 'empty', '--min-snr', 'x'], /--min-snr/],
      [['process', 'empty', '--frobnicate'], /frobnicate/],
    ];
    for (const [args, message] of cases) {
      const r = await runLapis([...args, '--out', 'x.json'], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect((await readdir(dir)).sort()).toEqual(['empty', 'note.txt']);
  });

  it('processes a 2D folder: a 2D document with the known peaks, an F1/F2 table; a broken NUS folder exits 2', async () => {
    const dir = join(root, 'twod');
    const truth = [
      { ppm1: 128.3, ppm2: 7.26, amplitude: 4e5 },
      { ppm1: 55.2, ppm2: 4.12, amplitude: 2e5 },
      { ppm1: 30.7, ppm2: 1.61, amplitude: -1.5e5 },
    ];
    const folder = spectrum2dFolder({
      mode: 'Echo-Antiecho',
      points: 256,
      rows: 64,
      f2: { sw: 6000, sfo1: 500.13235, sf: 500.13 },
      f1: { sw: 20000, sfo1: 125.7688, sf: 125.76 },
      peaks: truth,
      groupDelay: 67.98,
      phaseError: 0.5,
      noise: 2000,
      seed: 5,
    });
    // TopSpin's 2D peak list: the three peaks and one where there is none
    const peakList = [...truth, { ppm1: 100, ppm2: 9 }]
      .map((t) => `<Peak2D F1="${t.ppm1}" F2="${t.ppm2}" intensity="1"/>`)
      .join('');
    await writeBrukerDataset(join(dir, 'hsqc', '3'), {
      ...folder,
      files: { 'pdata/1/title': 'edited HSQC test\n', 'pdata/1/peaklist.xml': `<PeakList>${peakList}</PeakList>` },
    });
    const r = await runLapis(['process', 'hsqc/3', '--out', 'hsqc.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lapis process: wrote .*hsqc\.json \(3 peaks, \d+ ms\)\n$/);
    const doc = spectrumDocumentSchema.parse(JSON.parse(await readFile(join(dir, 'hsqc.json'), 'utf8')));
    expect(doc.dimensions).toBe(2);
    if (doc.dimensions !== 2) return;
    expect(doc.axes.map((a) => a.nucleus)).toEqual(['13C', '1H']);
    expect(doc.spectrum.real).toHaveLength(doc.spectrum.rows * doc.spectrum.columns);
    expect(doc.processing).toMatchObject({ mode: 'Echo-Antiecho', magnitude: false });
    expect(doc.vendor).toMatchObject({ source: 'TopSpin pdata/1/peaklist.xml', peaks: 4, matched: 3 });
    for (const t of truth) {
      const p = doc.peaks.find((q) => Math.abs(q.shift1 - t.ppm1) < 0.2 && Math.abs(q.shift2 - t.ppm2) < 0.01);
      expect(p, `${t.ppm1}/${t.ppm2}`).toBeDefined();
      expect(Math.sign(p!.height)).toBe(Math.sign(t.amplitude));
    }
    const table = await runLapis(['process', 'hsqc/3'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('F1 (ppm)');
    expect(table.stdout).toMatch(/13C × 1H 2D \(hsqcedetgpsp\.3\) in CDCl3 — edited HSQC test/);
    expect(table.stdout).toContain('Echo-Antiecho (phase-sensitive)');
    const json = await runLapis(['process', join(dir, 'hsqc', '3', 'ser'), '--json', '--min-snr', '20'], dir);
    expect(spectrumDocumentSchema.parse(JSON.parse(json.stdout)).processing.picker.minSnr).toBe(20);

    // a nuslist of 3 t1 points beside a fully sampled ser: not a NUS acquisition TopSpin writes
    await writeBrukerDataset(join(dir, 'nus', '3'), { ...folder, files: { nuslist: '0\n5\n9\n' } });
    const nus = await runLapis(['process', 'nus/3', '--out', 'nus.json'], dir);
    expect(nus.code).toBe(2);
    expect(nus.stderr.trim().split('\n')).toHaveLength(1);
    expect(nus.stderr).toMatch(/nuslist/);
    expect((await readdir(dir)).sort()).toEqual(['hsqc', 'hsqc.json', 'nus']);
  });

  it('--nus network reconstructs the real 25 % NUS HSQC with the network and finds IST’s strong peaks', async () => {
    const dir = join(root, 'nus-network');
    const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
    await unzipTo(join(pkg, 'data', 'zipped', 'nonUniformSampling', 'hsqc-nus.zip'), dir);
    const run = async (method: string) => {
      const r = await runLapis(['process', '3', '--json', '--nus', method], dir);
      expect(r.code, r.stderr).toBe(0);
      const doc = spectrumDocumentSchema.parse(JSON.parse(r.stdout));
      if (doc.dimensions !== 2) throw new Error('expected a 2D document');
      return doc;
    };
    const net = await run('network');
    expect(net.processing.nus).toMatchObject({ method: 'network (learned IST, virtual echo)', model: 'lapis-nus1d' });
    expect(net.warnings.join(' ')).not.toMatch(/NUS network could not run/);
    const ist = await run('ist');
    expect(ist.processing.nus).toMatchObject({ method: 'IST with virtual echo' });
    // IST's 50 strongest peaks, found by the network's reconstruction within two points in each dimension
    const step = (a: { first: number; last: number; size: number }) => Math.abs(a.last - a.first) / (a.size - 1);
    const [tol1, tol2] = [2 * step(ist.axes[0]!), 2 * step(ist.axes[1]!)];
    const strong = [...ist.peaks].sort((a, b) => Math.abs(b.height) - Math.abs(a.height)).slice(0, 50);
    const found = strong.filter((p) =>
      net.peaks.some(
        (q) =>
          Math.abs(q.shift1 - p.shift1) <= tol1 &&
          Math.abs(q.shift2 - p.shift2) <= tol2 &&
          Math.sign(q.height) === Math.sign(p.height),
      ),
    );
    expect(found.length).toBeGreaterThanOrEqual(48);
    const bad = await runLapis(['process', '3', '--nus', 'magic'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--nus: 'magic' is not ist or network/);
  }, 180_000);
});
