import { describe, expect, it } from 'vitest';
import { iltUpen } from './iltUpen';
import { iltTikhonov } from './iltTikhonov';
import {
  caseT1T2,
  caseT2,
  countMaxima,
  relativeError,
  summarise,
  truthOnGrid,
  expectTwoT2Peaks,
} from '../testing/solverTestCases';

describe('iltUpen', () => {
  it('recovers two T2 peaks at SNR 300 (amplitude, centroids, residual)', () => {
    const c = caseT2(300, 1);
    const r = iltUpen(c.problem);
    expect(r.method).toBe('upen');
    expect(r.warnings).toEqual([]);
    expectTwoT2Peaks(r, c);
  });

  it('recovers two T1–T2 peaks at SNR 300 on a 64 × 64 grid', () => {
    const c = caseT1T2(300, 2);
    const r = iltUpen(c.problem);
    expect(r.distribution.every((v) => v >= 0)).toBe(true);
    const { total, halves } = summarise(r.distribution, c.grids);
    expect(Math.abs(total - 1)).toBeLessThan(0.02);
    const truth = [
      [Math.log10(0.01), Math.log10(0.002)],
      [Math.log10(0.5), Math.log10(0.1)],
    ];
    halves.forEach((h, k) => {
      expect(Math.abs(h.centroid[0]! - truth[k]![0]!)).toBeLessThan(0.05);
      expect(Math.abs(h.centroid[1]! - truth[k]![1]!)).toBeLessThan(0.05);
    });
    expect(halves[0]!.weight / total).toBeCloseTo(0.6, 1);
    expect(r.rmsResidual / c.sim.sigma).toBeGreaterThan(0.95);
    expect(r.rmsResidual / c.sim.sigma).toBeLessThan(1.05);
  });

  it('is closer to the simulated map than discrepancy Tikhonov (T1–T2, SNR 300)', () => {
    // Measured: UPEN 0.10, Tikhonov 0.40 relative L2 error on this case.
    const c = caseT1T2(300, 2);
    const truth = truthOnGrid(c);
    const upen = relativeError(iltUpen(c.problem).distribution, truth);
    const tik = relativeError(iltTikhonov(c.problem).distribution, truth);
    expect(upen).toBeLessThan(0.6 * tik);
  });

  it('keeps a narrow and a broad T2 population as two peaks (SNR 300)', () => {
    const c = caseT2(300, 5, [
      { position: [0.003], width: [0.05], fraction: 0.4 },
      { position: [0.1], width: [0.35], fraction: 0.6 },
    ]);
    const r = iltUpen(c.problem);
    expect(countMaxima(r.distribution)).toBe(2);
    expect(relativeError(r.distribution, truthOnGrid(c))).toBeLessThan(0.5);
  });

  it('smooths more when told the residual energy is larger (the weights really scale with E)', () => {
    const c = caseT2(300, 3);
    const free = iltUpen(c.problem, { energy: 'noise' });
    const stiff = iltUpen(c.problem, { energy: 1e4 * c.sim.sigma ** 2 * (free.compressedSize ?? 1) });
    expect(stiff.alpha).toBeGreaterThan(10 * free.alpha);
    expect(stiff.rmsResidual).toBeGreaterThan(free.rmsResidual);
  });

  it('rejects bad parameters', () => {
    const c = caseT2(300, 1);
    expect(() => iltUpen(c.problem, { beta0: 0 })).toThrow(RangeError);
    expect(() => iltUpen(c.problem, { energy: -1 })).toThrow(RangeError);
  });
});
