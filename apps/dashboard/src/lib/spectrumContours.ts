/**
 * Contour rings of a 2D spectrum in ppm, as NMR programs draw them: levels from a floor above the noise up to the
 * largest value, each CONTOUR_FACTOR times the one below, positive and — for phase-sensitive data (an edited HSQC's
 * CH₂) — negative. Traced by lib/mapContours.ts (d3-contour) on linear ppm axes.
 */
import { mapContours } from './mapContours';
import { ppmOfPoint, type Spectrum2dView } from './spectrumDocument';

export const CONTOUR_FACTOR = 1.6;
export const MAX_LEVELS = 10;

export interface ContourRing {
  /** +1 positive, −1 negative. */
  sign: 1 | -1;
  /** Index of the level, 0 the lowest. */
  level: number;
  /** [F2 ppm, F1 ppm] along the ring, closed. */
  points: [number, number][];
}

/** The levels (absolute values) for a spectrum whose largest |value| is `maxAbs`: the floor is 6 σ or maxAbs/50. */
export function contourLevels(maxAbs: number, noise: number): number[] {
  if (!(maxAbs > 0)) return [];
  const levels: number[] = [];
  for (let l = Math.max(6 * noise, maxAbs / 50); l < maxAbs && levels.length < MAX_LEVELS; l *= CONTOUR_FACTOR) {
    levels.push(l);
  }
  return levels;
}

/** The largest positive value and the largest magnitude of a negative one. */
function extremes(real: ArrayLike<number>): { maxPos: number; maxNeg: number } {
  let maxPos = 0;
  let maxNeg = 0;
  for (let i = 0; i < real.length; i++) {
    const v = real[i]!;
    if (v > maxPos) maxPos = v;
    if (-v > maxNeg) maxNeg = -v;
  }
  return { maxPos, maxNeg };
}

/** The levels of a whole spectrum, which a stretch of it fetched at full resolution is drawn with too. */
export function spectrumLevels(s: Pick<Spectrum2dView, 'real'>, noise: number): number[] {
  const { maxPos, maxNeg } = extremes(s.real);
  return contourLevels(Math.max(maxPos, maxNeg), noise);
}

/** Rings at `levels` (absolute; default: the spectrum's own, spectrumLevels). */
export function spectrumContours(s: Spectrum2dView, noise: number, given?: readonly number[]): ContourRing[] {
  const { maxPos, maxNeg } = extremes(s.real);
  const levels = given ?? contourLevels(Math.max(maxPos, maxNeg), noise);
  const rowsPpm = Array.from({ length: s.rows }, (_, r) => ppmOfPoint(s.f1, r * s.step[0]));
  const colsPpm = Array.from({ length: s.columns }, (_, c) => ppmOfPoint(s.f2, c * s.step[1]));
  const rings: ContourRing[] = [];
  for (const sign of s.magnitude ? ([1] as const) : ([1, -1] as const)) {
    const max = sign === 1 ? maxPos : maxNeg;
    if (!(max > 0)) continue;
    const grid = Array.from({ length: s.rows }, (_, r) =>
      Array.from(s.real.subarray(r * s.columns, (r + 1) * s.columns), (v) => sign * v),
    );
    // mapContours takes levels as shares of the grid's maximum
    const shares = levels.filter((l) => l < max).map((l) => l / max);
    const points = mapContours(grid, rowsPpm, colsPpm, shares, false, false);
    let current: ContourRing | undefined;
    let id = '';
    for (const p of points) {
      if (p.ring !== id) {
        id = p.ring;
        current = { sign, level: shares.indexOf(p.level), points: [] };
        rings.push(current);
      }
      current!.points.push([p.x, p.y]);
    }
  }
  return rings;
}
