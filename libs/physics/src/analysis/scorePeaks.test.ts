import { describe, expect, it } from 'vitest';
import { scorePeaks } from './scorePeaks';

const at = (log10: number[], fraction: number) => ({ position: log10.map((x) => 10 ** x), fraction });

describe('scorePeaks', () => {
  it('matches found peaks to true ones and measures errors in decades', () => {
    const truth = [at([-2], 0.6), at([-1], 0.4)];
    const found = [at([-0.95], 0.38), at([-2.1], 0.62)];
    const s = scorePeaks(truth, found);
    expect(s.perTruth.map((t) => t.found)).toEqual([1, 0]);
    expect(s.perTruth[0]!.positionError).toBeCloseTo(0.1, 10);
    expect(s.perTruth[1]!.positionError).toBeCloseTo(0.05, 10);
    expect(s.perTruth[0]!.fractionError).toBeCloseTo(0.02, 10);
    expect(s.worstPositionError).toBeCloseTo(0.1, 10);
    expect(s.worstFractionError).toBeCloseTo(0.02, 10);
    expect(s.missed).toEqual([]);
    expect(s.spurious).toEqual([]);
    expect(s.resolved).toBe(true);
  });

  it('counts missed peaks (≥ missFraction) and spurious ones (≥ spuriousFraction)', () => {
    const truth = [at([-2], 0.5), at([-1], 0.35), at([0], 0.15)];
    const found = [at([-2], 0.5), at([-1.05], 0.3), at([1.5], 0.08), at([-3.5], 0.03), at([0.5], 0.09)];
    const s = scorePeaks(truth, found);
    // the peak at 0 has nothing within 0.3 decade: the nearest found one is 0.5 decade away
    expect(s.missed).toEqual([2]);
    expect(s.perTruth[2]!.found).toBeNull();
    expect(s.perTruth[2]!.positionError).toBeCloseTo(0.5, 10);
    expect(s.perTruth[2]!.fractionError).toBeCloseTo(0.15, 10);
    expect(s.worstPositionError).toBeCloseTo(0.5, 10);
    expect(s.spurious).toEqual([2, 4]);
    expect(s.resolved).toBe(false);
  });

  it('does not call a small unmatched true peak missed, but it is not resolved', () => {
    const s = scorePeaks([at([-2], 0.95), at([0], 0.05)], [at([-2], 1)]);
    expect(s.missed).toEqual([]);
    expect(s.resolved).toBe(false);
    expect(s.worstPositionError).toBe(0);
  });

  it('finds the optimal assignment where greedy nearest-first would leave a peak unmatched', () => {
    // greedy takes B–X (0.1) first, and A has nobody left within 0.3; optimal: A–X (0.2) and B–Y (0.25)
    const truth = [at([0], 0.5), at([0.3], 0.5)];
    const found = [at([0.2], 0.5), at([0.55], 0.5)];
    const s = scorePeaks(truth, found);
    expect(s.perTruth.map((t) => t.found)).toEqual([0, 1]);
    expect(s.resolved).toBe(true);
    expect(s.worstPositionError).toBeCloseTo(0.25, 10);
  });

  it('uses the largest per-axis distance in 2D and one found peak for one true peak only', () => {
    const truth = [at([-1, -2], 0.5), at([-1, -1.9], 0.5)];
    const found = [at([-1.2, -1.95], 1)];
    const s = scorePeaks(truth, found);
    expect(s.perTruth.filter((t) => t.found !== null)).toHaveLength(1);
    const m = s.perTruth.find((t) => t.found !== null)!;
    expect(m.positionError).toBeCloseTo(0.2, 10);
    expect(s.resolved).toBe(false);
    expect(s.missed).toHaveLength(1);
  });

  it('honours matchRadius and rejects mismatched dimensions', () => {
    const truth = [at([-2], 1)];
    expect(scorePeaks(truth, [at([-1.6], 1)]).missed).toEqual([0]);
    expect(scorePeaks(truth, [at([-1.6], 1)], { matchRadius: 0.5 }).missed).toEqual([]);
    expect(() => scorePeaks(truth, [at([-1, -2], 1)])).toThrow(RangeError);
    expect(scorePeaks(truth, []).perTruth[0]!.positionError).toBe(Number.POSITIVE_INFINITY);
  });

  it('handles many peaks (Hungarian, not brute force)', () => {
    const truth = Array.from({ length: 12 }, (_, k) => at([-4 + 0.5 * k], 1 / 12));
    const found = truth.map((t, k) => at([Math.log10(t.position[0]!) + (k % 2 ? 0.1 : -0.1)], 1 / 12)).reverse();
    const s = scorePeaks(truth, found);
    expect(s.resolved).toBe(true);
    expect(s.perTruth.map((t) => t.found)).toEqual(truth.map((_, k) => 11 - k));
    expect(s.worstPositionError).toBeCloseTo(0.1, 10);
  });
});
