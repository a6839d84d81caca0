import { describe, expect, it } from 'vitest';
import { downsampleIndices, measuredDecays } from './measuredDecays';

describe('downsampleIndices', () => {
  it('keeps every point when they fit', () => {
    expect(downsampleIndices(5, 256)).toEqual([0, 1, 2, 3, 4]);
    expect(downsampleIndices(256, 256)).toHaveLength(256);
  });

  it('keeps the head, then log-spaced indices up to the last point, strictly increasing', () => {
    const idx = downsampleIndices(4000, 256, 32);
    expect(idx).toHaveLength(256);
    expect(idx.slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, i) => i)); // dense while log steps < 1
    expect(idx.at(-1)).toBe(3999);
    expect(idx.every((v, i) => i === 0 || v > idx[i - 1]!)).toBe(true);
    // log-spaced late on: ratios of neighbours roughly constant, gaps growing
    const late = idx.slice(200);
    const ratios = late.slice(1).map((v, i) => v / late[i]!);
    expect(Math.max(...ratios) / Math.min(...ratios)).toBeLessThan(1.01);
    expect(idx[255]! - idx[254]!).toBeGreaterThan(50);
  });

  it('reaches the end even when few points are left for the log part', () => {
    const idx = downsampleIndices(300, 256, 250);
    expect(idx).toHaveLength(256);
    expect(idx.at(-1)).toBe(299);
    expect(new Set(idx).size).toBe(256);
  });

  it('refuses nonsense', () => {
    expect(() => downsampleIndices(-1)).toThrow(RangeError);
    expect(() => downsampleIndices(10, 1)).toThrow(RangeError);
  });
});

describe('measuredDecays', () => {
  it('2D: picks the column and row with the most |signal|, even when the recovery starts negative', () => {
    // 3 delays × 4 echoes; column 1 and row 0 dominate in absolute value (row 0 is negative).
    const data = [-9, -10, -2, -1, 1, 2, 1, 0.5, 4, 5, 3, 1];
    const fitted = data.map((v) => v + 0.1);
    const axes = [
      { kernel: 'T1-IR' as const, values: [0.01, 0.1, 1] },
      { kernel: 'D' as const, values: [1e8, 1e9, 1e10, 1e11] },
    ];
    const [a0, a1] = measuredDecays({ axes, data }, fitted);
    expect(a0!.at).toEqual({ name: 'b', unit: 's/m2', value: 1e9, index: 1 });
    expect(a0!.data).toEqual([-10, 2, 5]);
    expect(a0!.fit).toEqual([-9.9, 2.1, 5.1]);
    expect(a0!.label).toBe('inversion recovery at b = 1e9 s/m²');
    expect(a1!.label).toBe('diffusion attenuation at τ = 10 ms');
    expect(a1!.axis).toEqual({ name: 'b', unit: 's/m2', values: [1e8, 1e9, 1e10, 1e11] });
    expect(a1!.at).toMatchObject({ name: 'tau', index: 0 });
    expect(a1!.data).toEqual([-9, -10, -2, -1]);
  });

  it('refuses data and fit of different shapes', () => {
    const axes = [{ kernel: 'T2' as const, values: [1, 2, 3] }];
    expect(() => measuredDecays({ axes, data: [1, 2, 3] }, [1, 2])).toThrow(/fitted 2/);
    expect(() => measuredDecays({ axes, data: [1, 2] }, [1, 2])).toThrow(RangeError);
  });
});
