import { describe, expect, it } from 'vitest';
import { medianInPlace, selectInPlace } from './selectInPlace';

/** A seeded generator of doubles in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('selectInPlace / medianInPlace', () => {
  it('give what a sort gives, for random, tied, sorted and mirrored values of odd and even counts', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const u = uniform(seed);
      for (const n of [1, 2, 3, 10, 101, 1000, 4097]) {
        const cases = [
          Float64Array.from({ length: n }, () => u() - 0.5),
          Float64Array.from({ length: n }, () => Math.floor(u() * 5)), // many ties
          Float64Array.from({ length: n }, (_, i) => i),
          Float64Array.from({ length: n }, (_, i) => n - i),
        ];
        for (const values of cases) {
          const sorted = Float64Array.from(values).sort();
          const mid = n >> 1;
          const median = n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
          expect(medianInPlace(Float64Array.from(values))).toBe(median);
          const k = Math.floor(u() * n);
          const v = Float64Array.from(values);
          expect(selectInPlace(v, k)).toBe(sorted[k]);
          for (let i = 0; i < n; i++) expect(i < k ? v[i]! <= v[k]! : v[i]! >= v[k]!).toBe(true);
        }
      }
    }
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});
