import { describe, expect, it } from 'vitest';
import { isRejection, limitsOf, rulesBrokenAt } from './westgard';

/** Standard normal draws from a seeded generator (Box–Muller on a 32-bit LCG). */
function normals(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('Westgard rules', () => {
  it('names each rule on the sequence that breaks it, at the point that completes it', () => {
    const last = (z: number[]) => rulesBrokenAt(z, z.length - 1);
    expect(last([0.1, 3.2])).toEqual(['1-3s']);
    expect(last([0.1, -2.5])).toEqual(['1-2s']);
    expect(last([2.3, 2.4])).toEqual(['1-2s', '2-2s']);
    expect(last([-2.2, 2.1])).toEqual(['1-2s', 'R-4s']);
    expect(last([1.2, 1.5, 1.1, 1.3])).toEqual(['4-1s']);
    expect(last([0.2, 0.5, 0.1, 0.9, 0.3, 0.4, 0.6, 0.2, 0.8, 0.1])).toEqual(['10-x']);
    expect(last([0.2, 0.5, -0.1, 0.9, 0.3, 0.4, 0.6, 0.2, 0.8, 0.1])).toEqual([]);
    expect(last([1.2, 1.5, 0.9, 1.3])).toEqual([]);
    expect(isRejection(['1-2s'])).toBe(false);
    expect(isRejection(['1-2s', '2-2s'])).toBe(true);
  });

  it('limits need enough values that vary', () => {
    expect(limitsOf([1, 2, 3, 4])).toBeUndefined();
    expect(limitsOf([2, 2, 2, 2, 2])).toBeUndefined();
    const l = limitsOf([1, 2, 3, 4, 5])!;
    expect(l.mean).toBe(3);
    expect(l.sd).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('in control, false rejections stay near what the rules promise; a 3 SD shift is caught at once', () => {
    for (const seed of [1, 7, 2026]) {
      const z = normals(20_000, seed);
      let oneThree = 0;
      let rejected = 0;
      for (let i = 0; i < z.length; i++) {
        const r = rulesBrokenAt(z, i);
        if (r.includes('1-3s')) oneThree++;
        if (isRejection(r)) rejected++;
      }
      // 1-3s: P(|z| > 3) = 0.27 %; all rejection rules together a few per cent per point (10-x dominates)
      expect(oneThree / z.length).toBeGreaterThan(0.0015);
      expect(oneThree / z.length).toBeLessThan(0.004);
      expect(rejected / z.length).toBeLessThan(0.05);
      // the same points shifted by 3.5 SD: the first shifted point is rejected in most cases, every run by its 4th
      const shifted = [...z.slice(0, 100), ...z.slice(100, 104).map((v) => v + 3.5)];
      const caughtBy = [100, 101, 102, 103].findIndex((i) => isRejection(rulesBrokenAt(shifted, i)));
      expect(caughtBy).toBeGreaterThanOrEqual(0);
    }
  });
});
