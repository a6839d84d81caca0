/**
 * A spectrum's picture for the fleet page, small enough to list fifty: a 1D spectrum cut into SPARK_BUCKETS
 * buckets, each giving its smallest and largest value in order (lines keep their height), scaled to 0–100 of the
 * spectrum's range; a 2D spectrum's peaks as points on its two ppm axes. Made once at ingest (`spectra.thumbnail`).
 */
import { axesOf, dimensionsOf, peaksOf, spectrum1dOf } from './spectrumDocument';

export const SPARK_BUCKETS = 80;

export interface SpectrumThumbnailAxis {
  nucleus: string | null;
  /** ppm at the left and right edges (high → low). */
  from: number;
  to: number;
}

export type SpectrumThumbnail =
  | { kind: 'spectrum'; values: number[]; axis: SpectrumThumbnailAxis }
  /** points: [x 0–100 along F2 (axes[1], across), y 0–100 along F1 (axes[0], down)]; `axes` is [F1, F2]. */
  | { kind: 'peaks2d'; points: [number, number][]; axes: [SpectrumThumbnailAxis, SpectrumThumbnailAxis] };

const axisOf = (a: { nucleus: string | null; first: number; last: number }): SpectrumThumbnailAxis => ({
  nucleus: a.nucleus,
  from: a.first,
  to: a.last,
});

/** The thumbnail of a stored spectrum document, or null when it has nothing to draw. */
export function spectrumThumbnailOf(doc: unknown): SpectrumThumbnail | null {
  if (dimensionsOf(doc) === 2) return peaks2dThumbnail(doc);
  const s = spectrum1dOf(doc);
  if (!s) return null;
  const n = s.real.length;
  const buckets = Math.min(SPARK_BUCKETS, Math.floor(n / 2));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of s.real) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const scale = (v: number) => (span > 0 ? Math.round((100 * (v - lo)) / span) : 0);
  const values: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let iMin = start;
    let iMax = start;
    for (let i = start + 1; i < end; i++) {
      if (s.real[i]! < s.real[iMin]!) iMin = i;
      if (s.real[i]! > s.real[iMax]!) iMax = i;
    }
    const [a, b2] = iMin <= iMax ? [iMin, iMax] : [iMax, iMin];
    values.push(scale(s.real[a]!), scale(s.real[b2]!));
  }
  return { kind: 'spectrum', values, axis: axisOf(s.axis) };
}

function peaks2dThumbnail(doc: unknown): SpectrumThumbnail | null {
  // shift1 ↔ axes[0] (F1, indirect), shift2 ↔ axes[1] (F2, direct), as the peaks name them
  const [f1, f2] = axesOf(doc);
  if (!f2 || !f1) return null;
  const at = (v: number, a: { first: number; last: number }) => Math.round((100 * (v - a.first)) / (a.last - a.first));
  const points = peaksOf(doc).flatMap((p): [number, number][] => {
    if (p.shift2 === null || p.shift1 === null) return [];
    const x = at(p.shift2, f2);
    const y = at(p.shift1, f1);
    return x >= 0 && x <= 100 && y >= 0 && y <= 100 ? [[x, y]] : [];
  });
  return { kind: 'peaks2d', points: points.slice(0, 200), axes: [axisOf(f1), axisOf(f2)] };
}
