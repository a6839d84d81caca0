/**
 * A 2D distribution on log-spaced grids → rectangles for a heat map on log axes. Each grid value gets the cell
 * between the geometric midpoints to its neighbours, so cells tile the plane exactly on a log scale whatever the
 * grid spacing.
 */
export interface MapCell {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  v: number;
}

/** Cell edges of a positive increasing grid (n values → n + 1 edges), geometric midpoints. */
export function logEdges(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  if (n === 1) return [values[0]! / Math.SQRT2, values[0]! * Math.SQRT2];
  const edges: number[] = [values[0]! / Math.sqrt(values[1]! / values[0]!)];
  for (let i = 0; i < n - 1; i++) edges.push(Math.sqrt(values[i]! * values[i + 1]!));
  edges.push(values[n - 1]! * Math.sqrt(values[n - 1]! / values[n - 2]!));
  return edges;
}

/**
 * rows follow `yValues` (axes[0]), columns `xValues` (axes[1]). Cells below `floor` × max are dropped: they are
 * invisible in the colour scale and a 128×128 map would otherwise be 16k SVG elements.
 */
export function mapCells(
  distribution: readonly (readonly number[])[],
  yValues: readonly number[],
  xValues: readonly number[],
  floor = 1e-3,
): MapCell[] {
  return cellsAbove(distribution, yValues, xValues, floor, (v) => v);
}

/** mapCells for a map of either sign (a difference): cells below `floor` × the largest |value| are dropped. */
export function signedMapCells(
  distribution: readonly (readonly number[])[],
  yValues: readonly number[],
  xValues: readonly number[],
  floor = 1e-3,
): MapCell[] {
  return cellsAbove(distribution, yValues, xValues, floor, Math.abs);
}

/** The cells whose `size` exceeds `floor` × the largest size. */
function cellsAbove(
  distribution: readonly (readonly number[])[],
  yValues: readonly number[],
  xValues: readonly number[],
  floor: number,
  size: (v: number) => number,
): MapCell[] {
  const ye = logEdges(yValues);
  const xe = logEdges(xValues);
  let max = 0;
  for (const row of distribution) for (const v of row) max = Math.max(max, size(v));
  const cells: MapCell[] = [];
  distribution.forEach((row, i) =>
    row.forEach((v, j) => {
      if (size(v) > floor * max) cells.push({ x1: xe[j]!, x2: xe[j + 1]!, y1: ye[i]!, y2: ye[i + 1]!, v });
    }),
  );
  return cells;
}
