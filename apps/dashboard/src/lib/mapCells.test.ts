import { describe, expect, it } from 'vitest';
import { logEdges, mapCells, signedMapCells } from './mapCells';

describe('mapCells', () => {
  it('puts cell edges at geometric midpoints', () => {
    const e = logEdges([1, 10, 100]);
    expect(e.map((x) => Math.log10(x))).toEqual([-0.5, 0.5, 1.5, 2.5].map((x) => expect.closeTo(x, 12)));
  });
  it('keeps rows on y, columns on x, and drops cells far below the maximum', () => {
    const cells = mapCells(
      [
        [0, 1],
        [1e-9, 0.5],
      ],
      [1, 10],
      [0.01, 0.1],
    );
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatchObject({ v: 1 });
    expect(cells[0]!.x1).toBeCloseTo(Math.sqrt(0.001), 12);
    expect(cells[1]!.y1).toBeCloseTo(Math.sqrt(10), 12);
  });
});

describe('signedMapCells', () => {
  it('keeps the cells of either sign above the floor of the largest |value|', () => {
    const cells = signedMapCells(
      [
        [1, -2],
        [1e-6, 0],
      ],
      [1, 10],
      [1, 10],
    );
    expect(cells.map((c) => c.v)).toEqual([1, -2]);
  });
});
