// The public bruker-data-test 2D spectra (MIT; cyclosporin HSQC, HMBC, COSY at 500 MHz) read and processed with
// their own procs/proc2s, against TopSpin's processed spectra (pdata/1/2rr): the correlation of the two matrices
// on matching ppm axes, and the peaks the same picker finds in both (the folders hold no TopSpin 2D peak list).
// Then the folders the 2D reader refuses: the NUS COSY and HSQC, the inversion-recovery pseudo-2D.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pickPeaks2d } from '@lapis/spectra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { unzipTo } from '../testing/unzip';
import { brukerSpectrumKind, processBrukerSpectrum2d, readBrukerSpectrum2d } from './readBrukerSpectrum2d';
import { correlation2d, processedAsSpectrum, readProcessed2d } from './testing/processed2d';

const pkg = dirname(dirname(createRequire(import.meta.url).resolve('bruker-data-test')));
const zipped = join(pkg, 'data', 'zipped');
let real: string;
beforeAll(async () => {
  real = await mkdtemp(join(tmpdir(), 'lapis-spectrum2d-real-'));
  for (const z of ['cyclosporin_hsqc', 'cyclosporin_hmbc', 'cyclosporin_cosy', 'inversionRecovery2D'])
    await unzipTo(join(zipped, 'cyclosporin', `${z}.zip`), join(real, z));
  for (const z of ['hsqc-nus', 'cosy-nus'])
    await unzipTo(join(zipped, 'nonUniformSampling', `${z}.zip`), join(real, z));
});
afterAll(async () => {
  await rm(real, { recursive: true, force: true });
});

/**
 * Measured 2026-12-07 (docs/spectra.md): correlation with 2rr (automatic phases; TopSpin's own phases for the
 * HSQC), and the share of the peaks picked at S/N ≥ 16 on 2rr that Lapis's spectrum has at S/N ≥ 8 within two
 * points, same sign. Since the F1 prediction takes NCOEF/2 complex coefficients (session 17): HSQC 0.99905, 63/66;
 * HMBC 0.99991, 271/271; COSY 1.00000, 377/378 (with NCOEF complex ones: 0.9978, 0.9802, 0.9990; 62, 251, 337).
 */
const CASES = [
  { name: 'cyclosporin_hsqc', expno: '3', mode: 'Echo-Antiecho', nuclei: ['13C', '1H'], corr: 0.998, peaks: 0.9 },
  { name: 'cyclosporin_hmbc', expno: '2', mode: 'QF', nuclei: ['13C', '1H'], corr: 0.999, peaks: 0.98 },
  { name: 'cyclosporin_cosy', expno: '1', mode: 'QF', nuclei: ['1H', '1H'], corr: 0.999, peaks: 0.98 },
] as const;

describe('bruker-data-test 2D spectra against TopSpin', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.mode}, correlation with 2rr ≥ ${c.corr}, ≥ ${100 * c.peaks} % of its peaks found`, async () => {
      const dir = join(real, c.name, c.name, c.expno);
      expect(await brukerSpectrumKind(dir)).toBe('2d');
      const read = await readBrukerSpectrum2d(dir);
      expect(read.spectral.mode).toBe(c.mode);
      expect([read.nucleus.f1, read.nucleus.f2]).toEqual(c.nuclei);
      // TopSpin extended t1 from 128 to 256 points by linear prediction (proc2s ME_mod 2, NCOEF 32, real
      // coefficients): so do we, with 16 complex ones (processBrukerSpectrum2d)
      expect(read.procs.f1.linearPrediction).toEqual({ points: 256, order: 32 });
      const spectrum = processBrukerSpectrum2d(read);
      const topspin = await readProcessed2d(dir);
      // the axes: TopSpin's point i + 1 is Lapis's point i (its first point is at +SW/2, an FFT's at SW/2 − SW/N)
      expect(spectrum.ppm1[0]!).toBeCloseTo(topspin.offset1 - topspin.step1, 3);
      expect(spectrum.ppm2[0]!).toBeCloseTo(topspin.offset2 - topspin.step2, 3);
      expect(correlation2d(spectrum, topspin)).toBeGreaterThan(c.corr);
      if (c.mode !== 'QF') {
        const phased = processBrukerSpectrum2d(read, { phase: 'procs' });
        expect(phased.phase2!.automatic).toBe(false);
        expect(correlation2d(phased, topspin)).toBeGreaterThan(c.corr);
      }
      // without TopSpin's linear prediction the F1 lines are twice as wide as its: the correlation drops to ≈ 0.89
      const plain = processBrukerSpectrum2d(read, { f1: { linearPrediction: undefined } });
      expect(plain.linearPrediction).toBeUndefined();
      expect(correlation2d(plain, topspin)).toBeGreaterThan(0.85);

      const mine = pickPeaks2d(spectrum).peaks;
      const theirs = pickPeaks2d(processedAsSpectrum(topspin, spectrum), { minSnr: 16 }).peaks;
      const tol1 = (2 * spectrum.hzPerPoint1) / spectrum.sf1;
      const tol2 = (2 * spectrum.hzPerPoint2) / spectrum.sf2;
      const distances = theirs.flatMap((t) => {
        const m = mine.find(
          (p) =>
            Math.abs(p.shift1 - t.shift1) <= tol1 &&
            Math.abs(p.shift2 - t.shift2) <= tol2 &&
            Math.sign(p.height) === Math.sign(t.height),
        );
        return m ? [Math.hypot((m.shift1 - t.shift1) / tol1, (m.shift2 - t.shift2) / tol2) * 2] : [];
      });
      expect(theirs.length).toBeGreaterThan(50);
      expect(distances.length / theirs.length).toBeGreaterThan(c.peaks);
      // median distance between the matched peaks, in points
      expect(distances.sort((a, b) => a - b)[distances.length >> 1]).toBeLessThan(0.5);
    });
  }

  it('refuses the NUS spectra and the inversion-recovery pseudo-2D, one FormatError line each', async () => {
    for (const [dir, message, kind] of [
      [join(real, 'hsqc-nus', '3'), /nuslist: non-uniformly sampled \(NUS\) 2D/, 'nus'],
      [join(real, 'cosy-nus', '2'), /nuslist: non-uniformly sampled \(NUS\) 2D/, 'nus'],
      [
        join(real, 'inversionRecovery2D', 'inversionRecovery2D', '1'),
        /pseudo-2D T1-IR series .*lapis invert/,
        'pseudo-2d',
      ],
    ] as const) {
      expect(await brukerSpectrumKind(dir)).toBe(kind);
      const error = await readBrukerSpectrum2d(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, dir).toBeInstanceOf(FormatError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.split('\n')).toHaveLength(1);
    }
  });
});
