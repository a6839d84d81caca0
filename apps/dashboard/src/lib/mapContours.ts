/**
 * Contour lines of a 2D distribution in data coordinates (seconds, m²/s), for drawing on log axes: d3-contour
 * traces the grid in index space, and each vertex is mapped back by interpolating log10 of the grid values, so the
 * lines sit where the heat-map cells are.
 */
import { contours } from 'd3-contour';

export interface ContourPoint {
  x: number;
  y: number;
  /** One id per ring, for Plot's `z` channel. */
  ring: string;
  /** The level as a share of the map's maximum. */
  level: number;
}

/** log10-interpolated grid value at fractional index `t` (cell centre i ↔ t = i + 0.5). */
function valueAt(values: readonly number[], t: number, log: boolean): number {
  const n = values.length;
  const u = Math.min(Math.max(t - 0.5, 0), n - 1);
  const i = Math.min(Math.floor(u), n - 2);
  if (n === 1) return values[0]!;
  const f = u - i;
  const a = values[i]!;
  const b = values[i + 1]!;
  return log ? 10 ** (Math.log10(a) * (1 - f) + Math.log10(b) * f) : a * (1 - f) + b * f;
}

/**
 * rows follow `yValues`, columns `xValues`; `levels` are shares of the maximum (default 10 %, 50 %).
 * Returns points ring by ring (each ring closed), ready for Plot.line with z: 'ring'.
 */
export function mapContours(
  distribution: readonly (readonly number[])[],
  yValues: readonly number[],
  xValues: readonly number[],
  levels: readonly number[] = [0.1, 0.5],
  yLog = true,
  /** false for a linear axis (ppm: a 2D spectrum's contours, lib/spectrumContours.ts). */
  xLog = true,
): ContourPoint[] {
  const n1 = yValues.length;
  const n2 = xValues.length;
  const flat = new Array<number>(n1 * n2);
  let max = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const v = distribution[i]?.[j] ?? 0;
      flat[i * n2 + j] = v;
      if (v > max) max = v;
    }
  }
  if (max <= 0) return [];
  const out: ContourPoint[] = [];
  const generator = contours()
    .size([n2, n1])
    .thresholds(levels.map((l) => l * max));
  for (const [k, geometry] of generator(flat).entries()) {
    geometry.coordinates.forEach((polygon, p) =>
      polygon.forEach((ring, r) => {
        const id = `${k}-${p}-${r}`;
        for (const [cx, cy] of ring) {
          out.push({ x: valueAt(xValues, cx!, xLog), y: valueAt(yValues, cy!, yLog), ring: id, level: levels[k]! });
        }
      }),
    );
  }
  return out;
}
