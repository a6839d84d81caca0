import { describe, expect, it } from 'vitest';
import {
  compareNus,
  istReconstruct,
  nusCase,
  type ComplexRows,
  type F1Mode,
  type NusPeak,
} from '@lapis/spectra';
import { openNusNetwork, stagesFor } from './index';

// Simulated HSQC-like data (libs/spectra simulateNus.ts), 512 × 128 complex points, 24 peaks over two decades,
// Poisson-gap schedules, seeds the training never drew (it simulates single t1 columns in numpy, never these 2D
// sets). The network is deterministic on one thread; the bounds leave room for platforms and for retraining, and
// the comparison with IST is made in the same run.
const SW1 = 20000;
const SW2 = 5000;
const T1 = 128;
const POINTS = 512;
const NOISE = 3;
const VE = { f1Phase: { phase0: 0, phase1: 0 } };

const dataset = (mode: F1Mode, seed: number, fraction: number) =>
  nusCase({ mode, seed, fraction, t1Points: T1, points: POINTS, sw1: SW1, sw2: SW2, peaks: 24, noise: NOISE });
const compare = (mode: F1Mode, peaks: NusPeak[], full: ComplexRows, rec: ComplexRows) =>
  compareNus({ mode, sw1: SW1, sw2: SW2 }, peaks, full, rec);

describe('the NUS network (models/lapis-nus1d)', () => {
  it('reconstructs States data at 25 % as well as IST or better, keeping every measured row (seeds 4–6)', async () => {
    const net = await openNusNetwork();
    try {
      for (const seed of [4, 5, 6]) {
        const { peaks, full, schedule, sampled } = dataset('States', seed, 0.25);
        const { ser, quality } = await net.reconstruct(sampled, schedule, 'States', T1, VE);
        expect(quality.virtualEcho).toBe(true);
        expect(quality.iterations.max).toBe(net.stages);
        expect(ser.rows).toBe(2 * T1);
        const r = compare('States', peaks, full, ser);
        const ist = compare('States', peaks, full, istReconstruct(sampled, schedule, 'States', T1, VE).ser);
        expect(r.correlation, `seed ${seed}`).toBeGreaterThan(0.999);
        expect(r.rlne, `seed ${seed}: IST ${ist.rlne}`).toBeLessThan(ist.rlne * 1.05);
        let worst = 0;
        for (let j = 0; j < schedule.length; j++)
          for (let q = 0; q < 2; q++)
            for (let k = 0; k < POINTS; k++) {
              const a = (schedule[j]! * 2 + q) * POINTS + k;
              const b = (j * 2 + q) * POINTS + k;
              worst = Math.max(worst, Math.abs(ser.re[a]! - sampled.re[b]!), Math.abs(ser.im[a]! - sampled.im[b]!));
            }
        expect(worst).toBeLessThan(1e-9);
        // the model explains the sampled points down to about the noise (measured 1.7–2.1; IST 1.3–1.4)
        expect(quality.residualToNoise).toBeGreaterThan(0.5);
        expect(quality.residualToNoise).toBeLessThan(3);
      }
    } finally {
      await net.release();
    }
  });

  it('takes more stages at sparse sampling and then beats IST at 10 % too (seeds 4, 5)', async () => {
    expect([0.5, 0.25, 0.2, 0.1, 0.05].map((f) => stagesFor(10, f))).toEqual([10, 10, 13, 25, 30]);
    const net = await openNusNetwork();
    try {
      for (const seed of [4, 5]) {
        const { peaks, full, schedule, sampled } = dataset('States', seed, 0.1);
        const { ser, quality } = await net.reconstruct(sampled, schedule, 'States', T1, VE);
        expect(quality.iterations.max).toBe(stagesFor(net.stages, schedule.length / T1));
        const r = compare('States', peaks, full, ser);
        const ist = compare('States', peaks, full, istReconstruct(sampled, schedule, 'States', T1, VE).ser);
        expect(r.rlne, `seed ${seed}: IST ${ist.rlne}`).toBeLessThan(ist.rlne);
      }
    } finally {
      await net.release();
    }
  });

  it('says how well it did (hold-out validation) and answers the same in chunks of any size', async () => {
    const net = await openNusNetwork();
    try {
      const { schedule, sampled } = dataset('Echo-Antiecho', 7, 0.25);
      const a = await net.reconstruct(sampled, schedule, 'Echo-Antiecho', T1, { ...VE, validation: 0.1 });
      const v = a.quality.validation!;
      const ist = istReconstruct(sampled, schedule, 'Echo-Antiecho', T1, { ...VE, validation: 0.1 }).quality
        .validation!;
      expect(v.points).toBe(ist.points);
      // measured 3.5 (IST 3.6): the held-out points are predicted as well as IST predicts them
      expect(v.errorToNoise).toBeGreaterThan(0.8);
      expect(v.errorToNoise).toBeLessThan(1.3 * ist.errorToNoise);
      const b = await net.reconstruct(sampled, schedule, 'Echo-Antiecho', T1, { ...VE, chunk: 7 });
      let diff = 0;
      let scale = 0;
      for (let i = 0; i < a.ser.re.length; i++) {
        diff = Math.max(diff, Math.abs(a.ser.re[i]! - b.ser.re[i]!));
        scale = Math.max(scale, Math.abs(a.ser.re[i]!));
      }
      expect(diff).toBeLessThan(1e-6 * scale);
    } finally {
      await net.release();
    }
  });

  it('refuses data it was not trained for with a RangeError (QF; no F1 phase)', async () => {
    const net = await openNusNetwork();
    try {
      const qf = dataset('QF', 1, 0.25);
      await expect(net.reconstruct(qf.sampled, qf.schedule, 'QF', T1, VE)).rejects.toThrow(/virtual echo/);
      const st = dataset('States', 1, 0.25);
      await expect(net.reconstruct(st.sampled, st.schedule, 'States', T1)).rejects.toThrow(RangeError);
    } finally {
      await net.release();
    }
  });
});
