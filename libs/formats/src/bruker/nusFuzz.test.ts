/**
 * Property test of the NUS path: a valid TopSpin NUS folder (echo-antiecho, written from simulated data) with
 * nuslist, acqus, acqu2s, proc2s or ser mutated (bytes, or hostile tokens in the text files), read
 * (readBrukerNus), reconstructed (reconstructBrukerNus, few iterations: this tests failures, not quality),
 * processed and peak-picked. Reading and reconstructing may fail only with a FormatError; what they accept,
 * processing and picking must take without throwing, every peak on the axes, within the time bound.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pickPeaks2d, poissonGapSchedule, sampleRows, simulateNus2d } from '@lapis/spectra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  byteMutation,
  latin1Bytes,
  latin1Text,
  mutate,
  mutateTokens,
  onlyFormatErrors,
  tokenMutation,
} from '../testing/fuzzing';
import { readBrukerNus, reconstructBrukerNus } from './readBrukerNus';
import { processBrukerSpectrum2d } from './readBrukerSpectrum2d';
import { writeBrukerDataset } from './writeBruker';

const SEED = 20261208;
const T1 = 32;
let root: string;
const files: Record<string, Uint8Array> = {};
const TARGETS = ['nuslist', 'acqus', 'acqu2s', 'pdata/1/proc2s', 'ser'] as const;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-nus-fuzz-'));
  const base = join(root, 'base');
  const full = simulateNus2d({
    mode: 'Echo-Antiecho',
    points: 64,
    t1Points: T1,
    sw1: 20000,
    sw2: 5000,
    peaks: [
      { nu1: 3000, nu2: 800, amplitude: 1e5, t2f1: 0.02, t2f2: 0.03 },
      { nu1: -5000, nu2: -1200, amplitude: 3e4, t2f1: 0.02, t2f2: 0.03 },
    ],
    noise: 50,
    seed: 1,
  });
  const schedule = Array.from(poissonGapSchedule(T1, 8, 1)).reverse();
  await writeBrukerDataset(base, {
    acqus: { PULPROG: 'hsqcetgpsi', NUC1: '1H', SW_h: 5000, SFO1: 500.13, BF1: 500.13, FnTYPE: 2, NusAMOUNT: 25 },
    acqu2s: { FnMODE: 6, NUC1: '13C', SW: 159, SFO1: 125.76, BF1: 125.76, NusTD: 2 * T1 },
    data: sampleRows(full, schedule, 'Echo-Antiecho'),
    proc2s: { SI: 128, WDW: 3, SSB: 2, PHC0: 10, PHC1: 0, PH_mod: 1, ME_mod: 2, NCOEF: 8, LPBIN: 128 },
    files: { nuslist: schedule.join('\n') + '\n' },
  });
  for (const name of TARGETS) files[name] = await readFile(join(base, name));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function check(target: string, content: Uint8Array): Promise<void> {
  const dir = join(root, `m-${++n}`);
  await mkdir(join(dir, 'pdata', '1'), { recursive: true });
  for (const [name, bytes] of Object.entries(files))
    await writeFile(join(dir, name), name === target ? content : bytes);
  await onlyFormatErrors(async () => {
    const read = await readBrukerNus(dir);
    const { spectrum, quality } = reconstructBrukerNus(read, { maxIterations: 20 });
    expect(Number.isFinite(quality.residual)).toBe(true);
    const processed = processBrukerSpectrum2d(spectrum);
    const { peaks } = pickPeaks2d(processed);
    const [hi1, lo1] = [processed.ppm1[0]!, processed.ppm1[processed.rows - 1]!];
    const [hi2, lo2] = [processed.ppm2[0]!, processed.ppm2[processed.columns - 1]!];
    for (const p of peaks) {
      expect(p.shift1).toBeLessThanOrEqual(hi1);
      expect(p.shift1).toBeGreaterThanOrEqual(lo1);
      expect(p.shift2).toBeLessThanOrEqual(hi2);
      expect(p.shift2).toBeGreaterThanOrEqual(lo2);
    }
  });
  await rm(dir, { recursive: true, force: true });
}

describe('the NUS path never fails except with FormatError', () => {
  it('reads, reconstructs, processes and picks the unmutated folder', async () => {
    const read = await readBrukerNus(join(root, 'base'));
    expect(read.schedule.length).toBe(8);
    const { quality } = reconstructBrukerNus(read);
    expect(quality.virtualEcho).toBe(true);
    expect(pickPeaks2d(processBrukerSpectrum2d(reconstructBrukerNus(read).spectrum)).peaks.length).toBeGreaterThan(0);
  });

  it('on a folder with nuslist, acqus, acqu2s, proc2s or ser mutated byte-wise', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TARGETS), byteMutation, (target, m) =>
        check(target, mutate(files[target]!, m)),
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('with hostile tokens in nuslist, acqus or acqu2s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('nuslist', 'acqus', 'acqu2s'), tokenMutation, (target, ops) =>
        check(target, latin1Bytes(mutateTokens(latin1Text(files[target]!), ops))),
      ),
      { seed: SEED, numRuns: 80 },
    );
  });
});
