import { describe, expect, it } from 'vitest';
import { iltSparse } from './iltSparse';
import { iltTikhonov } from './iltTikhonov';
import {
  caseT1T2,
  caseT2,
  countMaxima,
  logWidth,
  relativeError,
  summarise,
  truthOnGrid,
  expectTwoT2Peaks,
} from '../testing/solverTestCases';

describe('iltSparse', () => {
  it('recovers two T2 peaks at SNR 300 (amplitude, centroids, residual)', () => {
    const c = caseT2(300, 1);
    const r = iltSparse(c.problem);
    expect(r.method).toBe('sparse');
    expectTwoT2Peaks(r, c);
  });

  it('recovers two T1–T2 peaks at SNR 300 on a 64 × 64 grid', () => {
    const c = caseT1T2(300, 2);
    const r = iltSparse(c.problem);
    expect(r.distribution.every((v) => v >= 0)).toBe(true);
    // Closer to the simulated map than Tikhonov (measured 0.25 against 0.40).
    const exact = truthOnGrid(c);
    expect(relativeError(r.distribution, exact)).toBeLessThan(
      0.8 * relativeError(iltTikhonov(c.problem).distribution, exact),
    );
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
    expect(r.rmsResidual / c.sim.sigma).toBeGreaterThan(0.95);
    expect(r.rmsResidual / c.sim.sigma).toBeLessThan(1.05);
  });

  it('gives a narrow peak no wider than Tikhonov does, and sharper at SNR 300', () => {
    const c = caseT2(300, 3, [{ position: [0.02], width: [0.05], fraction: 1 }]);
    const sparse = iltSparse(c.problem);
    const tik = iltTikhonov(c.problem);
    const ws = logWidth(sparse.distribution, c.grids[0]!);
    const wt = logWidth(tik.distribution, c.grids[0]!);
    expect(ws).toBeLessThan(0.9 * wt);
    expect(sparse.alpha).toBeGreaterThan(0); // λ1 active
  });

  it('keeps a broad peak in one piece at SNR 30', () => {
    const c = caseT2(30, 3, [{ position: [0.02], width: [0.35], fraction: 1 }]);
    const r = iltSparse(c.problem);
    expect(countMaxima(r.distribution)).toBe(1);
  });

  it('rejects bad weights', () => {
    const c = caseT2(300, 1);
    expect(() => iltSparse(c.problem, { lambda2: 0 })).toThrow(RangeError);
    expect(() => iltSparse(c.problem, { lambda1: -1 })).toThrow(RangeError);
    expect(() => iltSparse(c.problem, { l2Fraction: 0 })).toThrow(RangeError);
  });
});
