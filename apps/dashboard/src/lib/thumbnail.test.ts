import { describe, expect, it } from 'vitest';
import { cheeseDoc } from '../test/fixtures';
import { thumbnailOf } from './thumbnail';

describe('thumbnailOf', () => {
  it('sums a 2D map into 24 × 24 blocks scaled to 0–100, keeping where its mass is', () => {
    const t = thumbnailOf(cheeseDoc)!;
    expect(t.kind).toBe('map');
    if (t.kind !== 'map') return;
    expect([t.rows, t.cols]).toEqual([24, 24]);
    expect(t.values).toHaveLength(24 * 24);
    expect(Math.max(...t.values)).toBe(100);
    expect(t.values.every((v) => Number.isInteger(v) && v >= 0 && v <= 100)).toBe(true);
    expect(t.axes.map((a) => a.name)).toEqual(['T1', 'T2']);
    expect(t.axes[1].from).toBe(cheeseDoc.axes[1]!.values[0]);
    // the map's centre of mass (in cells, scaled to blocks) is the thumbnail's, within a block
    const dist = cheeseDoc.distribution as number[][];
    const n1 = dist.length;
    const n2 = dist[0]!.length;
    let [w, r, c] = [0, 0, 0];
    dist.forEach((row, i) =>
      row.forEach((v, j) => {
        w += v;
        r += (v * ((i + 0.5) * 24)) / n1;
        c += (v * ((j + 0.5) * 24)) / n2;
      }),
    );
    let [tw, tr, tc] = [0, 0, 0];
    t.values.forEach((v, k) => {
      tw += v;
      tr += v * (Math.floor(k / 24) + 0.5);
      tc += v * ((k % 24) + 0.5);
    });
    expect(Math.abs(tr / tw - r / w)).toBeLessThan(1);
    expect(Math.abs(tc / tw - c / w)).toBeLessThan(1);
  });

  it('sums a 1D distribution into at most 64 points; small grids stay as they are', () => {
    const values = Array.from({ length: 128 }, (_, i) => 1e-3 * 1.05 ** i);
    const distribution = values.map((_, i) => Math.exp(-(((i - 40) / 6) ** 2)));
    const t = thumbnailOf({ axes: [{ name: 'T2', values }], distribution })!;
    expect(t.kind).toBe('curve');
    expect(t.values).toHaveLength(64);
    expect(t.values.indexOf(100)).toBe(20);
    const small = thumbnailOf({ axes: [{ name: 'T2', values: [1, 2, 3] }], distribution: [0, 2, 1] })!;
    expect(small.values).toEqual([0, 100, 50]);
  });

  it('has no picture for an empty or broken distribution', () => {
    expect(thumbnailOf({ seeded: true } as never)).toBeNull();
    expect(thumbnailOf({ axes: [{ name: 'T2' }], distribution: [1] } as never)).toBeNull();
    expect(thumbnailOf({ axes: [{ name: 'T2', values: [1, 2] }], distribution: [0, 0] })).toBeNull();
    expect(thumbnailOf({ axes: [], distribution: [] })).toBeNull();
    expect(
      thumbnailOf({
        axes: [
          { name: 'T1', values: [1, 2] },
          { name: 'T2', values: [1, 2] },
        ],
        distribution: [1, 2] as unknown as number[][],
      }),
    ).toBeNull();
  });
});
