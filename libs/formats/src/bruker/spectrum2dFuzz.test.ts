/**
 * Property test of the 2D spectrum path (`lapis process` on a 2D ser): a valid TopSpin 2D folder (echo-antiecho
 * or QF, with procs, proc2s and a 2D peaklist.xml) with one of its files mutated (acqus, acqu2s, procs, proc2s,
 * peaklist.xml, ser: bytes, or the value of a parameter the 2D path reads replaced by a hostile token) or proc2s
 * missing, read (readBrukerSpectrum2d), processed and peak-picked (libs/spectra).
 * Reading or processing may fail only with a FormatError; what they accept, picking must take without throwing,
 * every peak finite and on the axes, within the time bound.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pickPeaks2d } from '@lapis/spectra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteMutation, hostileToken, latin1Bytes, latin1Text, mutate, onlyFormatErrors } from '../testing/fuzzing';
import { processBrukerSpectrum2d, readBrukerSpectrum2d } from './readBrukerSpectrum2d';
import { spectrum2dFolder } from './simulateSpectrum2d';
import { writeBrukerDataset } from './writeBruker';

const SEED = 20261207;
const FILES = ['acqus', 'acqu2s', 'ser', 'pdata/1/procs', 'pdata/1/proc2s', 'pdata/1/peaklist.xml'];
let root: string;
const folders: Record<'Echo-Antiecho' | 'QF', Record<string, Uint8Array>> = { 'Echo-Antiecho': {}, QF: {} };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-spectrum2d-fuzz-'));
  for (const mode of ['Echo-Antiecho', 'QF'] as const) {
    const base = join(root, `base-${mode}`);
    const folder = spectrum2dFolder({
      mode,
      points: 128,
      rows: mode === 'QF' ? 16 : 32,
      f2: { sw: 5000, sfo1: 500.132, sf: 500.13 },
      f1: { sw: 20000, sfo1: 125.768, sf: 125.76 },
      peaks: [
        { ppm1: 60, ppm2: 4, amplitude: 2e5 },
        { ppm1: 30, ppm2: 1.5, amplitude: -1e5 },
      ],
      groupDelay: 67.98,
      noise: 500,
      seed: 3,
    });
    folder.proc2s = { ...folder.proc2s, ME_mod: 2, NCOEF: 8, LPBIN: 2 * (mode === 'QF' ? 16 : 32), FCOR: 0.5 };
    folder.files = {
      'pdata/1/peaklist.xml':
        '<PeakList2D><Peak2D F1="60.0" F2="4.0" intensity="10"/><Peak2D F1="30" F2="1.5" intensity="-5"/></PeakList2D>\n',
    };
    await writeBrukerDataset(base, folder);
    for (const name of FILES) folders[mode][name] = await readFile(join(base, name));
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Read, process and pick `dir`: only FormatErrors, and whatever comes out finite and on the axes. */
async function check(dir: string): Promise<void> {
  await onlyFormatErrors(async () => {
    const read = await readBrukerSpectrum2d(dir);
    const spectrum = processBrukerSpectrum2d(read);
    const { peaks } = pickPeaks2d(spectrum);
    const range = (a: Float64Array) => [a[a.length - 1]!, a[0]!];
    const [lo1, hi1] = range(spectrum.ppm1);
    const [lo2, hi2] = range(spectrum.ppm2);
    expect(Number.isFinite(spectrum.noise)).toBe(true);
    for (const p of peaks) {
      expect(p.shift1).toBeGreaterThanOrEqual(lo1!);
      expect(p.shift1).toBeLessThanOrEqual(hi1!);
      expect(p.shift2).toBeGreaterThanOrEqual(lo2!);
      expect(p.shift2).toBeLessThanOrEqual(hi2!);
      for (const v of [p.height, p.widthHz1, p.widthHz2, p.volume, p.snr]) expect(Number.isFinite(v)).toBe(true);
    }
  });
}

/** Parameters the 2D path reads, and the files they are in. */
const PARAMETERS: [string, string][] = [
  ...[
    'TD',
    'SW_h',
    'SFO1',
    'BF1',
    'O1',
    'GRPDLY',
    'DSPFVS',
    'DECIM',
    'NC',
    'DTYPA',
    'BYTORDA',
    'FnTYPE',
    'PULPROG',
  ].map((k): [string, string] => ['acqus', k]),
  ...['TD', 'SW', 'SFO1', 'BF1', 'O1', 'FnMODE', 'NUC1'].map((k): [string, string] => ['acqu2s', k]),
  ...['SI', 'SF', 'OFFSET', 'WDW', 'SSB', 'LB', 'GB', 'PHC0', 'PHC1', 'PH_mod'].map((k): [string, string] => [
    'pdata/1/procs',
    k,
  ]),
  ...['SI', 'SF', 'WDW', 'SSB', 'MC2', 'ME_mod', 'NCOEF', 'LPBIN', 'FCOR', 'SW_p'].map((k): [string, string] => [
    'pdata/1/proc2s',
    k,
  ]),
];

describe('the 2D spectrum path never fails except with FormatError', () => {
  it('on a parameter of acqus, acqu2s, procs or proc2s set to a hostile value', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'Echo-Antiecho' | 'QF'>('Echo-Antiecho', 'QF'),
        fc.constantFrom(...PARAMETERS),
        fc.oneof(hostileToken, fc.constantFrom('1e9', '-5', '65536', '3', '0.5', '7', '1e-9', '<t1ir>')),
        async (mode, [file, key], token) => {
          const dir = join(root, `p-${++n}`);
          await mkdir(join(dir, 'pdata', '1'), { recursive: true });
          for (const [name, content] of Object.entries(folders[mode])) {
            const text =
              name === file ? latin1Text(content).replace(new RegExp(`^(##\\$${key}=).*$`, 'm'), `$1 ${token}`) : '';
            await writeFile(join(dir, name), name === file ? latin1Bytes(text) : content);
          }
          await check(dir);
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('on a folder with acqus, acqu2s, ser, procs, proc2s or peaklist.xml mutated, or proc2s missing', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'Echo-Antiecho' | 'QF'>('Echo-Antiecho', 'QF'),
        fc.constantFrom(...FILES, 'no proc2s'),
        byteMutation,
        async (mode, target, m) => {
          const dir = join(root, `m-${++n}`);
          await mkdir(join(dir, 'pdata', '1'), { recursive: true });
          for (const [name, content] of Object.entries(folders[mode])) {
            if (target === 'no proc2s' && name === 'pdata/1/proc2s') continue;
            await writeFile(join(dir, name), name === target ? mutate(content, m) : content);
          }
          await check(dir);
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
