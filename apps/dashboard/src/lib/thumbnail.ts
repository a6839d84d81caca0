/**
 * A result's picture at a glance, small enough to list fifty on the fleet page: the map summed into at most 24 × 24
 * blocks, or the distribution into at most 64 points, scaled to 0–100 of its largest value (integers), with each
 * axis' name and range. Made once at ingest and stored beside the result (`acquisitions.thumbnail`).
 */

export const THUMB_MAP_CELLS = 24;
export const THUMB_CURVE_POINTS = 64;

export interface ThumbnailAxis {
  name: string;
  /** First and last grid value, the axis' unit (s, m²/s, ppm). */
  from: number;
  to: number;
}

export type Thumbnail =
  | { kind: 'map'; rows: number; cols: number; values: number[]; axes: [ThumbnailAxis, ThumbnailAxis] }
  | { kind: 'curve'; values: number[]; axes: [ThumbnailAxis] };

interface DocLike {
  axes: readonly { name: string; values: readonly number[] }[];
  distribution: readonly (number | readonly number[])[];
}

/** Edges of `parts` consecutive blocks over n cells (as even as n allows). */
function blocks(n: number, parts: number): number[] {
  const edges = [0];
  for (let k = 1; k <= parts; k++) edges.push(Math.round((k * n) / parts));
  return edges;
}

const scaled = (v: number[]) => {
  const max = Math.max(0, ...v);
  return v.map((x) => (max > 0 && x > 0 ? Math.round((100 * x) / max) : 0));
};

const axisOf = (a: { name: string; values: readonly number[] }): ThumbnailAxis => ({
  name: a.name,
  from: a.values[0] ?? 0,
  to: a.values[a.values.length - 1] ?? 0,
});

/** The thumbnail of a `lapis-result/1` document, or null when its distribution has no shape to show. */
export function thumbnailOf(doc: DocLike): Thumbnail | null {
  // stored documents are trusted only this far: anything without a shape has no picture
  if (!doc || !Array.isArray(doc.axes) || !Array.isArray(doc.distribution)) return null;
  if (!doc.axes.every((a) => a && typeof a.name === 'string' && Array.isArray(a.values))) return null;
  const [a0, a1] = doc.axes;
  if (!a0) return null;
  const finite = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
  if (a1) {
    const n1 = a0.values.length;
    const n2 = a1.values.length;
    const rows = Math.min(n1, THUMB_MAP_CELLS);
    const cols = Math.min(n2, THUMB_MAP_CELLS);
    const re = blocks(n1, rows);
    const ce = blocks(n2, cols);
    const sums: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let s = 0;
        for (let i = re[r]!; i < re[r + 1]!; i++) {
          const row = doc.distribution[i];
          if (!Array.isArray(row)) continue;
          for (let j = ce[c]!; j < ce[c + 1]!; j++) s += finite(row[j]);
        }
        sums.push(s);
      }
    }
    if (!sums.some((s) => s > 0)) return null;
    return { kind: 'map', rows, cols, values: scaled(sums), axes: [axisOf(a0), axisOf(a1)] };
  }
  const n = a0.values.length;
  const parts = Math.min(n, THUMB_CURVE_POINTS);
  const e = blocks(n, parts);
  const sums: number[] = [];
  for (let k = 0; k < parts; k++) {
    let s = 0;
    for (let i = e[k]!; i < e[k + 1]!; i++) s += finite(doc.distribution[i]);
    sums.push(s);
  }
  if (!sums.some((s) => s > 0)) return null;
  return { kind: 'curve', values: scaled(sums), axes: [axisOf(a0)] };
}
