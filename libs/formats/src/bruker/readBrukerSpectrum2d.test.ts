// TopSpin 2D folders written with known peaks — every F1 acquisition mode the reader takes, in every data layout
// the 1D tests cover (int32 little- and big-endian, float64) — read, processed and peak-picked; and the folders it
// refuses, each with one FormatError line. The bruker-data-test spectra against TopSpin: realSpectra2d.test.ts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickPeaks2d, type F1Mode } from '@lapis/spectra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { brukerSpectrumKind, processBrukerSpectrum2d, readBrukerSpectrum2d } from './readBrukerSpectrum2d';
import { spectrum2dFolder, type SimulateSpectrum2dOptions, type SyntheticPeak2d } from './simulateSpectrum2d';
import { writeBrukerDataset } from './writeBruker';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-spectrum2d-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SF2 = 500.13;
const SF1 = 125.76;
/** Five peaks over three decades of S/N, one negative (an edited HSQC's CH₂), none closer than 10 points. */
const PEAKS: SyntheticPeak2d[] = [
  { ppm1: 128.3, ppm2: 7.26, amplitude: 4e5 },
  { ppm1: 55.2, ppm2: 4.12, amplitude: 2e5 },
  { ppm1: 30.7, ppm2: 1.61, amplitude: -1.5e5 },
  { ppm1: 21.4, ppm2: 0.93, amplitude: 3e5 },
  { ppm1: 72.0, ppm2: 3.55, amplitude: 2e4 },
];
const PHASE_ERROR = 0.7; // rad on every row, which the automatic F2 phase must find

function options(mode: F1Mode, peaks = PEAKS): SimulateSpectrum2dOptions {
  return {
    mode,
    points: 256,
    rows: mode === 'QF' ? 32 : 64,
    f2: { sw: 6000, sfo1: SF2 + 2350e-6, sf: SF2 },
    f1: { sw: 20000, sfo1: SF1 + 8800e-6, sf: SF1 },
    // magnitude mode has no negative peaks to show
    peaks: mode === 'QF' ? peaks.map((p) => ({ ...p, amplitude: Math.abs(p.amplitude) })) : peaks,
    groupDelay: 67.98,
    phaseError: PHASE_ERROR,
    noise: 2000,
    seed: 7,
  };
}

const LAYOUTS = [
  { name: 'int32 LE', dtype: 'int32', littleEndian: true },
  { name: 'int32 BE', dtype: 'int32', littleEndian: false },
  { name: 'float64 LE', dtype: 'float64', littleEndian: true },
] as const;
const MODES: F1Mode[] = ['States', 'States-TPPI', 'Echo-Antiecho', 'TPPI', 'QSEQ', 'QF'];

describe('TopSpin 2D folders written with known peaks', () => {
  for (const mode of MODES)
    for (const layout of LAYOUTS) {
      it(`${mode}, ${layout.name}: every peak within 0.1 point, with its sign, and nothing else`, async () => {
        const o = options(mode);
        const dir = join(root, `${mode}-${layout.name.replace(' ', '-')}`, '1');
        await writeBrukerDataset(dir, {
          ...spectrum2dFolder(o),
          dtype: layout.dtype,
          littleEndian: layout.littleEndian,
        });
        const read = await readBrukerSpectrum2d(dir);
        expect(read.spectral.mode).toBe(mode);
        expect(read.modeSource).toBe('FnMODE');
        expect(read.nucleus).toEqual({ f1: '13C', f2: '1H' });
        expect(read.referenceSource).toEqual({ f1: 'procs', f2: 'procs' });
        expect(read.groupDelaySource).toBe('GRPDLY');
        expect(read.spectral.f1.sw).toBeCloseTo(20000, 6);
        const spectrum = processBrukerSpectrum2d(read);
        expect(spectrum.magnitude).toBe(mode === 'QF');
        if (mode !== 'QF') expect(Math.abs(spectrum.phase2!.phase0 + PHASE_ERROR) * (180 / Math.PI)).toBeLessThan(2);
        const { peaks } = pickPeaks2d(spectrum);
        const point1 = spectrum.hzPerPoint1 / spectrum.sf1;
        const point2 = spectrum.hzPerPoint2 / spectrum.sf2;
        for (const truth of o.peaks) {
          const found = peaks.find(
            (p) => Math.abs(p.shift1 - truth.ppm1) < 2 * point1 && Math.abs(p.shift2 - truth.ppm2) < 2 * point2,
          );
          expect(found, `${truth.ppm1}/${truth.ppm2}`).toBeDefined();
          expect(Math.abs(found!.shift1 - truth.ppm1) / point1).toBeLessThan(0.1);
          expect(Math.abs(found!.shift2 - truth.ppm2) / point2).toBeLessThan(0.1);
          expect(Math.sign(found!.height)).toBe(Math.sign(truth.amplitude));
        }
        expect(peaks).toHaveLength(o.peaks.length);
      });
    }

  it("phases with TopSpin's procs PHC0/PHC1 when asked, and processes a folder never processed", async () => {
    const o = options('States');
    const dir = join(root, 'procs-phase', '1');
    const folder = spectrum2dFolder(o);
    // Lapis's φ0 = −(PHC0 + PHC1/2): the error +0.7 rad is undone by PHC0 = +40.1°
    folder.procs = { ...folder.procs, PHC0: (PHASE_ERROR * 180) / Math.PI, PHC1: 0, PH_mod: 1 };
    await writeBrukerDataset(dir, folder);
    const read = await readBrukerSpectrum2d(dir);
    const given = processBrukerSpectrum2d(read, { phase: 'procs' });
    expect(given.phase2).toMatchObject({ automatic: false });
    expect(given.phase2!.phase0).toBeCloseTo(-PHASE_ERROR, 9);
    expect(pickPeaks2d(given).peaks).toHaveLength(PEAKS.length);

    const raw = join(root, 'no-procs', '1');
    await writeBrukerDataset(raw, spectrum2dFolder({ ...o, procs: false }));
    const unprocessed = await readBrukerSpectrum2d(raw);
    expect(unprocessed.referenceSource).toEqual({ f1: 'BF1', f2: 'BF1' });
    expect(unprocessed.warnings.some((w) => w.startsWith('F1: no pdata/1/proc2s'))).toBe(true);
    const spectrum = processBrukerSpectrum2d(unprocessed);
    expect(spectrum.windows.f2).toEqual({ kind: 'sine-squared', ssb: 2 });
    expect(pickPeaks2d(spectrum).peaks).toHaveLength(PEAKS.length);
  });

  it('takes the mode from proc2s MC2 when FnMODE is undefined, and extends t1 by linear prediction', async () => {
    const o = options('Echo-Antiecho');
    const folder = spectrum2dFolder(o);
    folder.acqu2s = { ...folder.acqu2s, FnMODE: 0 };
    folder.proc2s = { ...folder.proc2s, MC2: 5, ME_mod: 2, NCOEF: 16, LPBIN: 128, FCOR: 0.5 };
    const dir = join(root, 'mc2', '1');
    await writeBrukerDataset(dir, folder);
    const read = await readBrukerSpectrum2d(dir);
    expect(read).toMatchObject({ modeSource: 'MC2', spectral: { mode: 'Echo-Antiecho' } });
    expect(read.procs.f1.linearPrediction).toEqual({ points: 64, order: 16 });
    const spectrum = processBrukerSpectrum2d(read);
    // 16 coefficients asked, 8 used: a quarter of the 32 measured points
    expect(spectrum.linearPrediction).toEqual({ from: 32, to: 64, order: 8 });
    expect(pickPeaks2d(spectrum).peaks).toHaveLength(PEAKS.length);
  });

  it('refuses NUS, pseudo-2D series, an unknown F1 mode and too few increments, with one FormatError line', async () => {
    const o = options('States');
    const cases: [string, (f: ReturnType<typeof spectrum2dFolder>) => void, RegExp][] = [
      ['nuslist', (f) => (f.files = { nuslist: '0\n3\n7\n' }), /nuslist: non-uniformly sampled \(NUS\)/],
      ['fntype', (f) => Object.assign(f.acqus, { FnTYPE: 2 }), /FnTYPE 2: non-uniformly sampled/],
      [
        'pseudo',
        (f) => {
          Object.assign(f.acqus, { PULPROG: 't1ir' });
          f.lists = { vdlist: '0.01\n0.1\n1\n' };
        },
        /pseudo-2D T1-IR series .*lapis invert/,
      ],
      [
        'mode',
        (f) => {
          Object.assign(f.acqu2s!, { FnMODE: 0 });
          delete f.proc2s;
        },
        /F1 acquisition mode unknown: FnMODE 0 and proc2s MC2 absent/,
      ],
    ];
    const kinds: Record<string, string> = { nuslist: 'nus', fntype: 'nus', pseudo: 'pseudo-2d', mode: '2d' };
    for (const [name, change, message] of cases) {
      const folder = spectrum2dFolder(o);
      change(folder);
      const dir = join(root, `refuse-${name}`, '1');
      await writeBrukerDataset(dir, folder);
      expect(await brukerSpectrumKind(dir), name).toBe(kinds[name]);
      const error = await readBrukerSpectrum2d(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(FormatError);
      expect((error as Error).message, name).toMatch(message);
      expect((error as Error).message.split('\n'), name).toHaveLength(1);
    }
    const few = join(root, 'refuse-few', '1');
    await writeBrukerDataset(few, spectrum2dFolder({ ...o, rows: 2 }));
    await expect(readBrukerSpectrum2d(few)).rejects.toThrow(/too few t1 increments/);
    const oneD = join(root, 'refuse-1d', '1');
    await writeBrukerDataset(oneD, { ...spectrum2dFolder({ ...o, rows: 1 }), acqu2s: undefined, dataFile: 'fid' });
    await expect(readBrukerSpectrum2d(oneD)).rejects.toThrow(/a 1D acquisition/);
    expect(await brukerSpectrumKind(oneD)).toBe('1d');
    await writeFile(join(root, 'refuse-few', '1', 'acqus'), '##TITLE= broken\n##$TD= 512\n##END=\n');
    await expect(readBrukerSpectrum2d(few)).rejects.toBeInstanceOf(FormatError);
  });
});
