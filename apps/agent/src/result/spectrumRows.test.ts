import { describe, expect, it } from 'vitest';
import { resultSpectrumSchema } from '@lapis/contracts';
import { spectrumRows } from './spectrumRows';

/** Two Lorentzian lines on 32 768 points, decaying over 8 rows. */
function spectra() {
  const size = 32_768;
  const rows = 8;
  const ppm = Float64Array.from({ length: size }, (_, i) => 10 - (12 * i) / (size - 1));
  const data = new Float64Array(rows * size);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < size; i++) {
      const line = (at: number, w: number, h: number) => h / (1 + ((ppm[i]! - at) / w) ** 2);
      data[r * size + i] = line(3.35, 0.002, 1000 * Math.exp(-r / 2)) + line(1.2, 0.004, 400 * Math.exp(-r / 6));
    }
  }
  return { rows, size, ppm, spectra: data };
}

describe('spectrumRows', () => {
  it('keeps the first and last spectrum, their lines at full height, on at most 1024 points', () => {
    const p = spectra();
    const x = Float64Array.from({ length: 8 }, (_, r) => 1e8 * (r + 1));
    const s = resultSpectrumSchema.parse(spectrumRows(p, x));
    expect(s.ppm).toHaveLength(1024);
    expect(s.ppm[0]!).toBeGreaterThan(s.ppm.at(-1)!);
    expect(s.rows.map((r) => [r.index, r.x])).toEqual([
      [0, 1e8],
      [7, 8e8],
    ]);
    const [first, last] = s.rows;
    // a 0.004 ppm wide line is narrower than a bucket (12/1024 ppm), and still at its height
    const rawMax = Math.max(...p.spectra.subarray(0, p.size));
    expect(Math.max(...first!.values)).toBeCloseTo(rawMax, 1);
    const at = (row: typeof first, ppm: number) => row!.values[s.ppm.findIndex((v) => Math.abs(v - ppm) < 0.01)]!;
    expect(at(last, 1.2) / at(first, 1.2)).toBeCloseTo(Math.exp(-7 / 6), 1);
  });

  it('keeps a short spectrum whole and a single row alone', () => {
    const s = spectrumRows(
      { rows: 1, size: 3, ppm: Float64Array.from([2, 1, 0]), spectra: Float64Array.from([1, -5, 2]) },
      [0.1],
    );
    expect(s).toEqual({ ppm: [2, 1, 0], rows: [{ index: 0, x: 0.1, values: [1, -5, 2] }] });
    expect(() =>
      spectrumRows({ rows: 2, size: 3, ppm: Float64Array.from([2, 1, 0]), spectra: new Float64Array(3) }, [1, 2]),
    ).toThrow(/do not fit/);
  });
});
