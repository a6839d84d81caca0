import { describe, expect, it } from 'vitest';
import { logGrid } from '../grids/logGrid';
import { cutoffFractions } from './cutoffFractions';
import { findPeaks } from './findPeaks';
import { logMean } from './logMean';
import { marginals } from './marginals';
import { peakRatios } from './peakRatios';

describe('marginals', () => {
  it('sums rows and columns of a row-major map', () => {
    const d = new Float64Array([1, 2, 3, 4, 5, 6]); // 2 × 3
    const m = marginals(d, 2, 3);
    expect(Array.from(m.axis0)).toEqual([6, 15]);
    expect(Array.from(m.axis1)).toEqual([5, 7, 9]);
    expect(() => marginals(d, 3, 3)).toThrow(RangeError);
  });
});

describe('logMean', () => {
  it('is the weighted geometric mean, ignoring negative ripples', () => {
    const g = new Float64Array([1e-3, 1e-2, 1e-1]);
    expect(logMean(new Float64Array([1, 0, 1]), g)).toBeCloseTo(1e-2, 14);
    expect(logMean(new Float64Array([3, -0.5, 1]), g)).toBeCloseTo(10 ** -2.5, 14);
    expect(logMean(new Float64Array(3), g)).toBeNaN();
    expect(() => logMean(new Float64Array(2), g)).toThrow(RangeError);
  });
});

describe('peakRatios', () => {
  it('gives T1/T2 per peak of a T1–T2 map', () => {
    const t1 = logGrid(1e-3, 10, 64);
    const t2 = logGrid(1e-4, 1, 64);
    const d = new Float64Array(64 * 64);
    const put = (l1: number, l2: number, w: number) => {
      for (let i = 0; i < 64; i++) {
        for (let j = 0; j < 64; j++) {
          const e = ((Math.log10(t1[i]!) - l1) / 0.15) ** 2 + ((Math.log10(t2[j]!) - l2) / 0.15) ** 2;
          d[i * 64 + j]! += w * Math.exp(-e / 2);
        }
      }
    };
    put(-0.5, -0.5, 1); // free liquid, T1/T2 = 1
    put(-1, -3, 1); // bound, T1/T2 = 100
    const { peaks } = findPeaks(d, [t1, t2]);
    const r = peakRatios(peaks)
      .map((x) => x.log10Ratio)
      .sort((a, b) => a - b);
    expect(r[0]).toBeCloseTo(0, 2);
    expect(r[1]).toBeCloseTo(2, 2);
    expect(peakRatios([{ position: [0.2, 0.1], fraction: 1 }])[0]!.ratio).toBeCloseTo(2, 14);
    expect(() => peakRatios([{ position: [0.2], fraction: 1 }])).toThrow(RangeError);
  });
});

describe('cutoffFractions', () => {
  const g = logGrid(1e-4, 10, 101); // 0.05 decade per step
  const twoPeaks = Float64Array.from(g, (y) => {
    const l = Math.log10(y);
    return 0.3 * Math.exp(-(((l + 2.5) / 0.15) ** 2) / 2) + 0.7 * Math.exp(-(((l + 0.5) / 0.15) ** 2) / 2);
  });

  it('splits bound and free fluid at a T2 cut-off', () => {
    const c = cutoffFractions(twoPeaks, g, 0.033);
    expect(c.below).toBeCloseTo(0.3, 3);
    expect(c.above).toBeCloseTo(0.7, 3);
    expect(c.below + c.above).toBeCloseTo(1, 14);
    expect(c.belowAmplitude + c.aboveAmplitude).toBeCloseTo(c.total, 12);
  });

  it('moves continuously and monotonically with the cut-off, sharing the cell that holds it', () => {
    const flat = new Float64Array(g.length).fill(1);
    // a cut-off on node 50 takes the first 50 cells and half of cell 50
    expect(cutoffFractions(flat, g, g[50]!).belowAmplitude).toBeCloseTo(50.5, 10);
    // a quarter step (0.0125 decade) above the node covers half of the cell's upper half
    expect(cutoffFractions(flat, g, g[50]! * 10 ** 0.0125).belowAmplitude).toBeCloseTo(50.75, 10);
    let prev = -1;
    for (let e = -4.2; e <= 1.2; e += 0.01) {
      const b = cutoffFractions(twoPeaks, g, 10 ** e).below;
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
    }
    expect(cutoffFractions(flat, g, 1e-6).below).toBe(0);
    expect(cutoffFractions(flat, g, 1e3).below).toBe(1);
    expect(() => cutoffFractions(flat, g, 0)).toThrow(RangeError);
  });
});
