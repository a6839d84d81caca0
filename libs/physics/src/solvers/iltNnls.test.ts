import { describe, expect, it } from 'vitest';
import { iltNnls } from './iltNnls';
import { iltTikhonov } from './iltTikhonov';
import { caseT1T2, caseT2, expectTwoT2Peaks } from '../testing/solverTestCases';

describe('iltNnls', () => {
  it('recovers two T2 peaks at SNR 300 (amplitude, centroids, residual)', () => {
    const c = caseT2(300, 1);
    const r = iltNnls(c.problem);
    expect(r.method).toBe('nnls');
    expectTwoT2Peaks(r, c);
  });

  it('finds the same discrepancy α as the dual-Newton Tikhonov solver (same objective, exact solver)', () => {
    const c = caseT2(300, 12);
    const exact = iltNnls(c.problem);
    const tik = iltTikhonov(c.problem);
    expect(Math.abs(Math.log(exact.alpha / tik.alpha))).toBeLessThan(0.15);
  });

  it("alpha 'none' is plain NNLS: a fit at least as close as the regularised one", () => {
    const c = caseT2(300, 13);
    const bare = iltNnls(c.problem, { alpha: 'none' });
    const reg = iltNnls(c.problem);
    expect(bare.alpha).toBe(0);
    expect(bare.rmsResidual).toBeLessThanOrEqual(reg.rmsResidual * (1 + 1e-9));
  });

  it('refuses a 64 × 64 map with a RangeError that says why', () => {
    const c = caseT1T2(300, 1);
    expect(() => iltNnls(c.problem)).toThrow(/4096 grid cells exceed 1024/);
    expect(() => iltNnls(c.problem)).toThrow(RangeError);
  });
});
