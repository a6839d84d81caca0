import { describe, expect, it } from 'vitest';
import { mapContours } from './mapContours';

describe('mapContours', () => {
  it('puts the half-maximum line of a single bump around its centre, in data units', () => {
    const xs = Array.from({ length: 21 }, (_, j) => 10 ** (-4 + j * 0.2)); // 1e-4 … 1 s
    const ys = Array.from({ length: 21 }, (_, i) => 10 ** (-3 + i * 0.2)); // 1e-3 … 10 s
    const dist = ys.map((_, i) => xs.map((_, j) => Math.exp(-((i - 10) ** 2 + (j - 5) ** 2) / 4)));
    const pts = mapContours(dist, ys, xs, [0.5]);
    expect(pts.length).toBeGreaterThan(8);
    const lx = pts.map((p) => Math.log10(p.x));
    const ly = pts.map((p) => Math.log10(p.y));
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    // the bump is at column 5 (x = 1e-3 s) and row 10 (y = 0.1 s)
    expect(mean(lx)).toBeCloseTo(-3, 1);
    expect(mean(ly)).toBeCloseTo(-1, 1);
    // half maximum of exp(-r²/4) is at r = 2√ln2 ≈ 1.67 cells = 0.33 decades
    expect(Math.max(...lx) - Math.min(...lx)).toBeCloseTo(2 * 1.665 * 0.2, 1);
  });
  it('returns nothing for an empty map', () => {
    expect(mapContours([[0, 0]], [1], [1, 2])).toEqual([]);
  });
});
