import { describe, expect, it } from 'vitest';
import { mapOnGrid, onGrid, sameGrid, unitArea, unitAreaMap } from './compareDistributions';

const logGrid = (lo: number, hi: number, n: number) =>
  Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));

describe('compareDistributions', () => {
  it('scales to unit total, ignoring negative cells', () => {
    expect(unitArea([1, 3, -1, 0])).toEqual([0.25, 0.75, 0, 0]);
    expect(unitArea([0, 0])).toEqual([0, 0]);
    const m = unitAreaMap([
      [1, 1],
      [2, 0],
    ]);
    expect(m).toEqual([
      [0.25, 0.25],
      [0.5, 0],
    ]);
  });

  it('carries a log-normal peak onto another log grid without moving it', () => {
    const from = logGrid(1e-4, 10, 128);
    const peak = (x: number) => Math.exp(-((Math.log10(x) - Math.log10(0.03)) ** 2) / (2 * 0.1 ** 2));
    const to = logGrid(1e-3, 1, 100);
    const moved = onGrid(from, from.map(peak), to);
    // the maximum stays at 30 ms within half a cell of either grid, the shape within 3 % of its height (linear between cells 0.04 decade apart)
    const k = moved.indexOf(Math.max(...moved));
    expect(Math.abs(Math.log10(to[k]! / 0.03))).toBeLessThan(5 / 127 / 2 + 3 / 99 / 2);
    moved.forEach((v, i) => expect(Math.abs(v - peak(to[i]!))).toBeLessThan(0.03));
    // outside what the first grid covers: nothing
    expect(onGrid(from, from.map(peak), [1e-6, 100])).toEqual([0, 0]);
  });

  it('carries a map bilinearly, the same grid unchanged', () => {
    const y = logGrid(1e-3, 1, 8);
    const x = logGrid(1e-4, 1, 10);
    const map = y.map((_, i) => x.map((_, j) => i * 10 + j));
    expect(mapOnGrid(y, x, map, y, x)).toEqual(map);
    const half = mapOnGrid(y, x, map, [Math.sqrt(y[2]! * y[3]!)], [Math.sqrt(x[4]! * x[5]!)]);
    expect(half[0]![0]).toBeCloseTo(25 + 4.5, 9);
    expect(
      sameGrid(
        x,
        x.map((v) => v * (1 + 1e-12)),
      ),
    ).toBe(true);
    expect(sameGrid(x, y)).toBe(false);
  });
});
