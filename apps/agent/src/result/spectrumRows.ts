/**
 * The processed spectra of a pseudo-2D as a result document carries them (`spectrum` of lapis-result/1): the first
 * and last spectrum of the series, each cut into at most `maxPoints` buckets keeping the point of largest |value| of
 * each (so a line keeps its height; an average would flatten narrow lines), at 5 significant digits.
 */
import type { ResultSpectrum } from '@lapis/contracts';

/** Points per transported row: enough to see every multiplet of a 1H spectrum, ~2 × 12 kB of JSON. */
export const SPECTRUM_POINTS = 1024;

const round = (v: number) => Number(v.toPrecision(5));

export function spectrumRows(
  processed: { rows: number; size: number; ppm: Float64Array; spectra: Float64Array },
  /** The value the sequence varied for each row (delays in s, b in s/m²). */
  x: ArrayLike<number>,
  maxPoints = SPECTRUM_POINTS,
): ResultSpectrum {
  const { rows, size, ppm, spectra } = processed;
  if (!(rows >= 1) || !(size >= 2) || spectra.length < rows * size || ppm.length !== size)
    throw new RangeError(`spectrumRows: ${rows} rows of ${size} points do not fit ${spectra.length} values`);
  const buckets = Math.min(size, maxPoints);
  const edges = Array.from({ length: buckets + 1 }, (_, k) => Math.round((k * size) / buckets));
  const pick = (row: number) =>
    edges.slice(0, -1).map((start, k) => {
      let best = start;
      for (let i = start; i < edges[k + 1]!; i++)
        if (Math.abs(spectra[row * size + i]!) > Math.abs(spectra[row * size + best]!)) best = i;
      return best;
    });
  const which = rows > 1 ? [0, rows - 1] : [0];
  // Both rows on the same ppm points: the buckets' extreme points of the first (most intense) row.
  const points = pick(0);
  return {
    ppm: points.map((i) => round(ppm[i]!)),
    rows: which.map((r) => ({
      index: r,
      x: x[r] ?? r,
      values: points.map((i) => round(spectra[r * size + i]!)),
    })),
  };
}
