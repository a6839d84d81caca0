import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bValues, logGrid } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBrukerList } from './lists';
import { readBrukerPseudo2d } from './readBrukerPseudo2d';
import { simulatePseudo2d } from './simulatePseudo2d';
import { fitExponential } from '../testing/fitRecovery';
import { writeBrukerDataset } from './writeBruker';
import { fftInPlace, processPseudo2d } from '@lapis/spectra';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-pseudo2d-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SF = 400.13;
const O1 = 1800; // Hz: carrier at 4.5 ppm
const SW = 5000;
const D = (entries: Record<number, number>) => Array.from({ length: 64 }, (_, i) => entries[i] ?? 0);

describe('fftInPlace', () => {
  it('matches a direct DFT', () => {
    const n = 16;
    const re = Float64Array.from({ length: n }, (_, k) => Math.cos(k * 0.7) + k / n);
    const im = Float64Array.from({ length: n }, (_, k) => Math.sin(k * 1.3));
    const dr = new Float64Array(n);
    const di = new Float64Array(n);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * k * j) / n;
        dr[k] = dr[k]! + re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
        di[k] = di[k]! + re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
      }
    fftInPlace(re, im);
    for (let k = 0; k < n; k++) {
      expect(re[k]).toBeCloseTo(dr[k]!, 10);
      expect(im[k]).toBeCloseTo(di[k]!, 10);
    }
  });
});

describe('T1 inversion-recovery pseudo-2D written by writeBrukerDataset', () => {
  it('recovers the T1 of two lines within 2 % through group delay, phase, baseline and region finding', async () => {
    const dir = join(root, 't1ir', '7');
    const delays = Array.from(logGrid(0.01, 12, 16));
    const T1 = { 3.4: 2.0, 1.2: 0.45 };
    const lines = Object.entries(T1).map(([ppm, t1]) => ({
      ppm: Number(ppm),
      amplitudes: delays.map((t) => 2e5 * (1 - 2 * Math.exp(-t / t1))),
      t2star: 0.25,
    }));
    const grpdly = 67.9852447509766;
    const data = simulatePseudo2d({
      points: 8192,
      sw: SW,
      sfo1: SF + O1 * 1e-6,
      sf: SF,
      lines,
      groupDelay: grpdly,
      noise: 20,
      seed: 5,
    });
    // A phase error the processing must find: rotate every row by 40°.
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    for (let i = 0; i < data.re.length; i++) {
      const a = data.re[i]!;
      data.re[i] = a * c - data.im[i]! * s;
      data.im[i] = a * s + data.im[i]! * c;
    }
    await writeBrukerDataset(dir, {
      acqus: { PULPROG: 't1ir', SW_h: SW, SFO1: SF + O1 * 1e-6, BF1: SF, O1, GRPDLY: grpdly, DSPFVS: 20, DECIM: 16 },
      acqu2s: {},
      data,
      nc: -2,
      lists: { vdlist: formatBrukerList(delays, 'delay', 'm') },
      files: { 'pdata/1/procs': '##TITLE= p\n##$SF= 400.13\n##$LB= 0.5\n##END=\n' },
    });
    const out = await readBrukerPseudo2d(dir);
    expect(out.acquisitions).toHaveLength(2);
    const [high, low] = out.acquisitions;
    const region = (a: typeof high) => a!.metadata.region as { from: number; to: number; peak: number };
    expect(region(high).peak).toBeCloseTo(3.4, 2);
    expect(region(low).peak).toBeCloseTo(1.2, 2);
    for (const [acq, t1] of [
      [high, 2.0],
      [low, 0.45],
    ] as const) {
      expect(acq!.experiment).toBe('T1');
      expect(acq!.axes[0].kernel).toBe('T1-IR');
      const fit = fitExponential(acq!.axes[0].values, acq!.data, 0.01, 50);
      expect(Math.abs(fit.T / t1 - 1)).toBeLessThan(0.02);
      expect(fit.b / fit.a).toBeCloseTo(-2, 1); // ideal inversion: a(1 − 2e^(−τ/T1))
      // the longest delay is positive, the shortest negative: the sign was fixed from the recovered row
      expect(acq!.data[15]).toBeGreaterThan(0);
      expect(acq!.data[0]).toBeLessThan(0);
    }
    // Absorption mode: the same lines simulated with no group delay and no phase error, processed alike, give the
    // same spectrum (a left-over delay or phase would mix in dispersion).
    const clean = simulatePseudo2d({ points: 8192, sw: SW, sfo1: SF + O1 * 1e-6, sf: SF, lines, seed: 5 });
    const ref = processPseudo2d(clean, { sw: SW, sfo1: SF + O1 * 1e-6, sf: SF }, { lineBroadening: 0.5 });
    const p = out.processed;
    expect(Math.abs(ref.phase0)).toBeLessThan(0.01);
    let peak = 0;
    let worst = 0;
    for (let i = 15 * p.size; i < 16 * p.size; i++) {
      peak = Math.max(peak, ref.spectra![i]!);
      worst = Math.max(worst, Math.abs(p.spectra![i]! - ref.spectra![i]!));
    }
    expect(worst / peak).toBeLessThan(0.01);
  });
});

describe('diffusion pseudo-2D', () => {
  it('recovers D of two lines within 2 % from difflist, P30, D20 and the gradient shape', async () => {
    const dir = join(root, 'dosy', '3');
    const g = Array.from({ length: 12 }, (_, i) => 0.02 + (i * 0.45) / 11); // T/m
    const acqus = {
      PULPROG: 'ledbpgp2s',
      SW_h: SW,
      SFO1: SF + O1 * 1e-6,
      BF1: SF,
      GRPDLY: 0,
      D: D({ 16: 0.0002, 20: 0.1 }),
      P: D({ 2: 20, 30: 1000 }),
      GPNAM: Array.from({ length: 32 }, () => 'SINE.100'),
    };
    const b = bValues(g, { delta: 0.002, bigDelta: 0.1, shape: 'sine', bipolarGap: 0.0002 + 20e-6 });
    const Ds = { 3.35: 2.1e-9, 0.9: 4e-10 };
    const lines = Object.entries(Ds).map(([ppm, d]) => ({
      ppm: Number(ppm),
      amplitudes: Array.from(b, (x) => 1e5 * Math.exp(-x * d)),
    }));
    const data = simulatePseudo2d({ points: 4096, sw: SW, sfo1: SF + O1 * 1e-6, sf: SF, lines, noise: 5, seed: 2 });
    await writeBrukerDataset(dir, {
      acqus,
      acqu2s: {},
      data,
      dtype: 'float64',
      littleEndian: false,
      lists: { difflist: formatBrukerList(g, 'gradient') },
      files: { 'pdata/1/procs': '##TITLE= p\n##$SF= 400.13\n##END=\n' },
    });
    const out = await readBrukerPseudo2d(dir);
    expect(out.acquisitions.map((a) => Math.round((a.metadata.region as { peak: number }).peak * 100) / 100)).toEqual([
      3.35, 0.9,
    ]);
    for (const [acq, d] of [
      [out.acquisitions[0], 2.1e-9],
      [out.acquisitions[1], 4e-10],
    ] as const) {
      expect(acq!.experiment).toBe('D');
      expect(acq!.axes[0].unit).toBe('s/m2');
      // fit exp(−b·D) as a decay in b: T = 1/D
      const fit = fitExponential(acq!.axes[0].values, acq!.data, 1e7, 1e11);
      expect(Math.abs(1 / fit.T / d - 1)).toBeLessThan(0.02);
    }
  });
});
