/**
 * Property test of the 1D spectrum path (`lapis process`): a valid TopSpin 1D folder with one of its files mutated
 * (acqus, procs, peaklist.xml, fid) or procs missing, read (readBrukerSpectrum), processed and peak-picked
 * (libs/spectra). Reading may fail only with a FormatError; what it accepts, processing and picking must take without
 * throwing, every peak on the axis, within the time bound.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pickPeaks1d } from '@lapis/spectra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteMutation, mutate, onlyFormatErrors } from '../testing/fuzzing';
import { processBrukerSpectrum, readBrukerSpectrum } from './readBrukerSpectrum';
import { simulatePseudo2d } from './simulatePseudo2d';
import { writeBrukerDataset } from './writeBruker';

const SEED = 20261207;
let root: string;
const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-spectrum-fuzz-'));
  const base = join(root, 'base');
  const data = simulatePseudo2d({
    points: 1024,
    sw: 4000,
    sfo1: 400.13,
    lines: [
      { ppm: 7.26, amplitudes: [1e5], t2star: 0.1 },
      { ppm: 1.2, amplitudes: [5e4], t2star: 0.1 },
    ],
    groupDelay: 68,
    noise: 20,
    seed: 1,
  });
  await writeBrukerDataset(base, {
    acqus: { PULPROG: 'zg30', NUC1: '1H', SOLVENT: 'CDCl3', SW_h: 4000, SFO1: 400.13, BF1: 400.13, O1: 0, GRPDLY: 68 },
    data,
    dataFile: 'fid',
    procs: { SF: 400.13, SI: 4096, LB: 0.3, WDW: 1 },
    files: {
      'pdata/1/peaklist.xml':
        '<PeakList><Peak1D F1="7.26" intensity="10"/><Peak1D F1="1.2" intensity="5"/></PeakList>\n',
    },
  });
  for (const name of ['acqus', 'fid', 'pdata/1/procs', 'pdata/1/peaklist.xml'])
    files[name] = await readFile(join(base, name));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the 1D spectrum path never fails except with FormatError', () => {
  it('on a folder with acqus, fid, procs or peaklist.xml mutated, or procs missing', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('acqus', 'fid', 'pdata/1/procs', 'pdata/1/peaklist.xml', 'no procs'),
        byteMutation,
        async (target, m) => {
          const dir = join(root, `m-${++n}`);
          await mkdir(join(dir, 'pdata', '1'), { recursive: true });
          for (const [name, content] of Object.entries(files)) {
            if (target === 'no procs' && name === 'pdata/1/procs') continue;
            await writeFile(join(dir, name), name === target ? mutate(content, m) : content);
          }
          await onlyFormatErrors(async () => {
            const read = await readBrukerSpectrum(dir);
            const spectrum = processBrukerSpectrum(read);
            const { peaks } = pickPeaks1d(spectrum);
            const [hi, lo] = [spectrum.ppm[0]!, spectrum.ppm[spectrum.ppm.length - 1]!];
            for (const p of peaks) {
              expect(p.shift).toBeLessThanOrEqual(hi);
              expect(p.shift).toBeGreaterThanOrEqual(lo);
              expect(Number.isFinite(p.integral)).toBe(true);
            }
          });
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
  });
});
