import { describe, expect, it } from 'vitest';
import { logGrid } from '../grids/logGrid';
import { confirmPeaks } from './confirmPeaks';
import { findPeaks } from './findPeaks';

const grid = logGrid(1e-3, 10, 100);
/** A 1D map of Gaussian bumps (index, height, width in cells). */
const map = (bumps: [number, number, number][]) =>
  Float64Array.from(grid, (_, i) => bumps.reduce((a, [c, h, w]) => a + h * Math.exp(-(((i - c) / w) ** 2) / 2), 0));

describe('confirmPeaks', () => {
  const main: [number, number, number] = [30, 10, 3];
  const lobe: [number, number, number] = [40, 3, 2];
  const isolated: [number, number, number] = [80, 1.5, 2];
  const fitted = map([main, lobe, isolated]);
  const listed = findPeaks(fitted, [grid]);

  it('joins a side lobe the draws do not reproduce to its neighbour, and sets an isolated one aside', () => {
    expect(listed.peaks).toHaveLength(3);
    // 16 draws: the lobe appears on its own in 3, the isolated peak in 4, the main peak (a little moved) in all
    const draws = Array.from({ length: 16 }, (_, k) =>
      map([[main[0] + (k % 3) - 1, main[1], main[2] + 1.5], ...(k < 3 ? [lobe] : []), ...(k < 4 ? [isolated] : [])]),
    );
    const r = confirmPeaks(listed.peaks, fitted, [grid], listed.total, draws);
    expect(r.peaks).toHaveLength(1);
    expect(r.joined).toBe(1);
    const joinedPeak = r.peaks[0]!;
    expect(joinedPeak.joined).toEqual({ peaks: 2 });
    const mainAndLobe = listed.peaks.filter((p) => p.position[0]! < 1).reduce((a, p) => a + p.fraction, 0);
    expect(joinedPeak.fraction).toBeCloseTo(mainAndLobe, 12);
    expect(r.uncertainty[0]!.detected).toBe(1);
    expect(r.unconfirmed).toHaveLength(1);
    expect(r.unconfirmed[0]!.uncertainty.detected).toBe(0.25);
    expect(r.unconfirmed[0]!.peak.position[0]).toBeCloseTo(listed.peaks[2]!.position[0]!, 12);
    expect(r.notes.join('\n')).toMatch(/found on its own in [0-9] % of 16 noise draws: joined/);
    expect(r.notes.join('\n')).toMatch(/not listed as a population: it was found in 25 % of 16 noise draws/);
  });

  it('keeps every peak the draws reproduce, as they are', () => {
    const draws = Array.from({ length: 16 }, () => map([main, lobe, isolated]));
    const r = confirmPeaks(listed.peaks, fitted, [grid], listed.total, draws);
    expect(r.peaks).toEqual(listed.peaks);
    expect(r.unconfirmed).toHaveLength(0);
    expect(r.uncertainty.every((u) => u!.detected === 1)).toBe(true);
  });

  it('matches a narrow peak with draws whose centroid falls a hair outside its nodes', () => {
    // a peak of three cells, its draws shifted by a third of a cell: inside the half-cell margin of its extent
    const narrow = map([[50, 5, 0.6]]);
    const peaks = findPeaks(narrow, [grid]).peaks;
    const shifted = Array.from({ length: 8 }, () => map([[50.33, 5, 0.6]]));
    const r = confirmPeaks(peaks, narrow, [grid], findPeaks(narrow, [grid]).total, shifted);
    expect(r.peaks).toHaveLength(1);
    expect(r.uncertainty[0]!.detected).toBe(1);
  });
});
