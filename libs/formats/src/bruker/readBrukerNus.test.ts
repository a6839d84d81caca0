// NUS TopSpin 2D folders: written here from simulated data with known peaks (echo-antiecho HSQC-like and QF
// COSY-like, TopSpin's layout: the sampled rows in nuslist order, nuslist in acquisition order), read, reconstructed
// and processed against the same data fully sampled; then the public bruker-data-test NUS HSQC and COSY against
// TopSpin's own processed spectra (pdata/1/2rr).
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRng } from '@lapis/physics';
import {
  hsqcLikePeaks,
  pickPeaks2d,
  poissonGapSchedule,
  sampleRows,
  simulateNus2d,
  type F1Mode,
  type Spectrum2d,
} from '@lapis/spectra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { unzipTo } from '../testing/unzip';
import { readBrukerNus, reconstructBrukerNus } from './readBrukerNus';
import { processBrukerSpectrum2d, readBrukerSpectrum2d } from './readBrukerSpectrum2d';
import { correlation2d, processedAsSpectrum, readProcessed2d } from './testing/processed2d';
import { writeBrukerDataset } from './writeBruker';

const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-nus-'));
  for (const z of ['hsqc-nus', 'cosy-nus'])
    await unzipTo(join(pkg, 'data', 'zipped', 'nonUniformSampling', `${z}.zip`), join(root, z));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SW2 = 5000;
const SW1 = 20000;
const T1 = 128;
const POINTS = 512;

/** A fully sampled folder and its NUS twin (25 %, schedule shuffled as TopSpin acquires it). */
async function writePair(name: string, mode: F1Mode, seed: number, nus: Record<string, string | number> = {}) {
  const peaks = hsqcLikePeaks(seed, 20, SW1, SW2);
  const full = simulateNus2d({ mode, points: POINTS, t1Points: T1, sw1: SW1, sw2: SW2, peaks, noise: 3, seed });
  const sorted = Array.from(poissonGapSchedule(T1, T1 / 4, seed));
  const rng = createRng(seed);
  const order = [sorted[0]!, ...sorted.slice(1).sort(() => rng.next() - 0.5)];
  const rpp = mode === 'QF' ? 1 : 2;
  const fnmode = { QF: 1, 'States-TPPI': 5, States: 4, 'Echo-Antiecho': 6, TPPI: 3, QSEQ: 2 }[mode];
  const acqus = { PULPROG: mode === 'QF' ? 'cosygpqf' : 'hsqcetgpsisp2.2', NUC1: '1H', SW_h: SW2, SFO1: 500.13 };
  const acqu2s = { FnMODE: fnmode, NUC1: mode === 'QF' ? '1H' : '13C', SW: SW1 / 125.76, SFO1: 125.76, BF1: 125.76 };
  const proc2s = { SI: 256, WDW: 3, SSB: 2, PHC0: 0, PHC1: 0, PH_mod: mode === 'QF' ? 2 : 1, MC2: fnmode - 1 };
  const procs = { SI: 1024, WDW: 3, SSB: 2, PHC0: 0, PHC1: 0, PH_mod: 1, SF: 500.13 };
  const common = { dtype: 'float64' as const, procs, proc2s };
  const uniform = join(root, name, 'full');
  await writeBrukerDataset(uniform, { acqus: { ...acqus, BF1: 500.13 }, acqu2s, data: full, ...common });
  const dir = join(root, name, 'nus');
  await writeBrukerDataset(dir, {
    acqus: { ...acqus, BF1: 500.13, FnTYPE: 2, NusAMOUNT: 25, NUSLIST: '<automatic>', ...nus },
    acqu2s: { ...acqu2s, NusTD: T1 * rpp },
    data: sampleRows(full, order, mode),
    files: { nuslist: order.join('\n') + '\n' },
    ...common,
  });
  return { dir, uniform, order };
}

describe('readBrukerNus on written folders', () => {
  for (const mode of ['Echo-Antiecho', 'QF'] as const) {
    it(`${mode}: the schedule in acquisition order, the full size from NusTD; reconstructed, it processes like the fully sampled data`, async () => {
      const { dir, uniform, order } = await writePair(`w-${mode}`, mode, 7);
      const read = await readBrukerNus(dir);
      expect(Array.from(read.schedule)).toEqual(order);
      expect(read.t1Points).toBe(T1);
      expect(read.t1PointsSource).toBe('NusTD');
      expect(read.amount).toBe(25);
      expect(read.spectrum.spectral.mode).toBe(mode);
      expect(read.spectrum.ser.rows).toBe((T1 / 4) * (mode === 'QF' ? 1 : 2));
      expect(read.f1Phase !== undefined).toBe(mode !== 'QF');
      const { spectrum, quality } = reconstructBrukerNus(read);
      expect(spectrum.ser.rows).toBe(T1 * (mode === 'QF' ? 1 : 2));
      expect(quality.virtualEcho).toBe(mode !== 'QF');
      expect(quality.residualToNoise).toBeLessThan(2);
      // the same processing (phases fixed: both are simulated with none) on the reconstruction and on the full data
      const fixed = { phase0: 0, phase1: 0 };
      const options = mode === 'QF' ? {} : { f2: { phase: fixed }, f1: { phase: fixed } };
      const mine = processBrukerSpectrum2d(spectrum, options);
      const reference = processBrukerSpectrum2d(await readBrukerSpectrum2d(uniform), options);
      expect(correlation(mine, reference)).toBeGreaterThan(0.99);
      const zeroFilled = processBrukerSpectrum2d(reconstructBrukerNus(read, { noiseFloor: 1e12 }).spectrum, options);
      expect(correlation(zeroFilled, reference)).toBeLessThan(correlation(mine, reference) - 0.02);
      // the same peaks: the 15 strongest of the fully sampled spectrum (magnitude-mode wiggles make more), found in
      // the reconstruction within two points
      const want = pickPeaks2d(reference, { minSnr: 20 })
        .peaks.sort((a, b) => Math.abs(b.height) - Math.abs(a.height))
        .slice(0, 15);
      const got = pickPeaks2d(mine, { minSnr: 10 }).peaks;
      const tol1 = (2 * reference.hzPerPoint1) / reference.sf1;
      const tol2 = (2 * reference.hzPerPoint2) / reference.sf2;
      const found = want.filter((w) =>
        got.some((g) => Math.abs(g.shift1 - w.shift1) <= tol1 && Math.abs(g.shift2 - w.shift2) <= tol2),
      );
      expect(want.length).toBe(15);
      expect(found.length / want.length).toBeGreaterThan(0.9);
    });
  }

  it('takes the full size from NusAMOUNT without NusTD, and the first TD1 entries of a longer nuslist', async () => {
    const { dir } = await writePair('w-amount', 'Echo-Antiecho', 8);
    const { writeFile, readFile } = await import('node:fs/promises');
    const acqu2s = (await readFile(join(dir, 'acqu2s'), 'latin1')).replace(/##\$NusTD=.*\n/, '');
    await writeFile(join(dir, 'acqu2s'), acqu2s, 'latin1');
    await writeFile(join(dir, 'nuslist'), (await readFile(join(dir, 'nuslist'), 'latin1')) + '127\n');
    const read = await readBrukerNus(dir);
    expect(read.t1PointsSource).toBe('NusAMOUNT');
    expect(read.t1Points).toBe(T1);
    expect(read.schedule.length).toBe(T1 / 4);
    expect(read.warnings.join('\n')).toMatch(/nuslist has 33 entries, 32 t1 points/);
  });

  it('refuses broken schedules and non-NUS folders with one FormatError line', async () => {
    const { dir, uniform } = await writePair('w-bad', 'Echo-Antiecho', 9);
    const { writeFile, rm: remove } = await import('node:fs/promises');
    const cases: [string, () => Promise<void>, RegExp][] = [
      ['uniform', async () => {}, /not a NUS acquisition/],
      ['index past the end', () => writeFile(join(dir, 'nuslist'), `0\n${T1}\n` + rangeText(2, 32)), /past the full/],
      ['duplicate', () => writeFile(join(dir, 'nuslist'), '0\n5\n5\n' + rangeText(6, 35)), /listed twice/],
      ['text', () => writeFile(join(dir, 'nuslist'), '0\nfive\n'), /not a t1 index/],
      ['3D list', () => writeFile(join(dir, 'nuslist'), '0 0\n1 2\n'), /more than one indirect/],
      ['too short', () => writeFile(join(dir, 'nuslist'), '0\n1\n2\n'), /3 entries for 32/],
      ['missing', () => remove(join(dir, 'nuslist')), /missing: a NUS acquisition/],
    ];
    for (const [what, mutate, message] of cases) {
      await mutate();
      const error = await readBrukerNus(what === 'uniform' ? uniform : dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(FormatError);
      expect((error as Error).message, what).toMatch(message);
      expect((error as Error).message.split('\n'), what).toHaveLength(1);
    }
  });
});

function rangeText(from: number, to: number): string {
  return Array.from({ length: to - from }, (_, i) => from + i).join('\n') + '\n';
}

function correlation(a: Spectrum2d, b: Spectrum2d): number {
  let [sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0];
  const n = a.real.length;
  for (let i = 0; i < n; i++) {
    const x = a.real[i]!;
    const y = b.real[i]!;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

/**
 * Measured 2026-12 (docs/nus.md): IST (virtual echo for the HSQC, from proc2s's phase) then Lapis's 2D processing
 * with the folders' procs (TopSpin's F1 linear prediction included) against TopSpin's 2rr; zero-filled instead of
 * reconstructed for comparison. Peaks: of TopSpin's 100 strongest, the share the reconstruction's picks have within
 * two points, same sign: HSQC 0.98 (zero-filled 0.85), COSY 0.97 (0.69); correlation HSQC 0.9926 (zero-filled 0.50),
 * COSY 0.9746 (0.71) since the F1 prediction takes NCOEF/2 complex coefficients (session 17; COSY 0.946 and 0.93
 * of the peaks with NCOEF of them).
 */
const REAL = [
  {
    name: 'hsqc-nus',
    expno: '3',
    mode: 'Echo-Antiecho',
    t1: 512,
    sampled: 128,
    corr: 0.985,
    zeroFilled: 0.6,
    peaks: 0.8,
  },
  { name: 'cosy-nus', expno: '2', mode: 'QF', t1: 1024, sampled: 256, corr: 0.97, zeroFilled: 0.8, peaks: 0.95 },
] as const;

describe('bruker-data-test NUS spectra against TopSpin', () => {
  for (const c of REAL) {
    it(`${c.name}: ${c.mode}, ${c.sampled} of ${c.t1} t1 points; reconstructed, correlation with 2rr ≥ ${c.corr}`, async () => {
      const dir = join(root, c.name, c.expno);
      const read = await readBrukerNus(dir);
      expect(read.spectrum.spectral.mode).toBe(c.mode);
      expect(read.t1Points).toBe(c.t1);
      expect(read.schedule.length).toBe(c.sampled);
      expect(read.amount).toBe(25);
      expect(read.schedule[0]).toBe(0);
      const { spectrum, quality } = reconstructBrukerNus(read);
      expect(quality.virtualEcho).toBe(c.mode !== 'QF');
      expect(quality.columns.reconstructed).toBeGreaterThan(0.5 * quality.columns.total);
      const processed = processBrukerSpectrum2d(spectrum, { phase: 'procs' });
      const topspin = await readProcessed2d(dir);
      const corr = correlation2d(processed, topspin);
      const zf = processBrukerSpectrum2d(reconstructBrukerNus(read, { noiseFloor: 1e12 }).spectrum, { phase: 'procs' });
      const corrZf = correlation2d(zf, topspin);
      // TopSpin's 100 strongest peaks (its S/N ≥ 16 picks run into the hundreds: t1-noise ridges and reconstruction
      // artifacts beside lines at S/N 10⁴), found in the reconstruction's S/N ≥ 8 picks within two points, same sign
      const theirs = pickPeaks2d(processedAsSpectrum(topspin, processed), { minSnr: 16 })
        .peaks.sort((a, b) => Math.abs(b.height) - Math.abs(a.height))
        .slice(0, 100);
      const share = (s: Spectrum2d) => {
        const mine = pickPeaks2d(s).peaks;
        const tol1 = (2 * s.hzPerPoint1) / s.sf1;
        const tol2 = (2 * s.hzPerPoint2) / s.sf2;
        const matched = theirs.filter((t) =>
          mine.some(
            (p) =>
              Math.abs(p.shift1 - t.shift1) <= tol1 &&
              Math.abs(p.shift2 - t.shift2) <= tol2 &&
              Math.sign(p.height) === Math.sign(t.height),
          ),
        );
        return matched.length / theirs.length;
      };
      const found = share(processed);
      const foundZf = share(zf);
      expect(corr).toBeGreaterThan(c.corr);
      expect(corrZf).toBeLessThan(c.zeroFilled);
      expect(theirs.length).toBe(100);
      expect(found).toBeGreaterThan(c.peaks);
      expect(found).toBeGreaterThan(foundZf);
    }, 120_000);
  }
});
