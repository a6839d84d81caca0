/**
 * Comparing results: distributions put on one footing (each scaled to unit total, so a sample that gave more signal
 * does not look like more of everything), another result's distribution carried onto this one's grid (interpolated
 * in log10 of the axis values, zero outside the range it covers), and differences. Pure, for the acquisition page.
 */

/** values / their sum (zeros when the sum is not positive). Negative cells (none from the solvers) count as 0. */
export function unitArea(values: readonly number[]): number[] {
  let total = 0;
  for (const v of values) if (v > 0) total += v;
  return values.map((v) => (total > 0 && v > 0 ? v / total : 0));
}

/** unitArea over a whole map (rows of equal length). */
export function unitAreaMap(map: readonly (readonly number[])[]): number[][] {
  const flat = unitArea(map.flat());
  const cols = map[0]?.length ?? 0;
  return map.map((_, i) => flat.slice(i * cols, (i + 1) * cols));
}

/** Fractional index of x on a monotone grid by log10 (linear for `log: false`), or undefined outside it. */
function indexOn(grid: readonly number[], x: number, log: boolean): number | undefined {
  const n = grid.length;
  if (n === 0) return undefined;
  const t = (v: number) => (log ? Math.log10(v) : v);
  const up = grid[n - 1]! >= grid[0]!;
  const lo = up ? grid[0]! : grid[n - 1]!;
  const hi = up ? grid[n - 1]! : grid[0]!;
  if (!(x >= lo * (1 - 1e-12)) || !(x <= hi * (1 + 1e-12)) || (log && !(x > 0))) return undefined;
  if (n === 1) return 0;
  let a = 0;
  let b = n - 1;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (up ? grid[m]! <= x : grid[m]! >= x) a = m;
    else b = m;
  }
  const span = t(grid[b]!) - t(grid[a]!);
  return a + (span === 0 ? 0 : (t(x) - t(grid[a]!)) / span);
}

const at = (values: readonly number[], u: number) => {
  const i = Math.min(Math.floor(u), values.length - 2);
  if (values.length === 1) return values[0]!;
  const f = u - i;
  return values[i]! * (1 - f) + values[i + 1]! * f;
};

/** `values` on grid `from`, carried onto grid `to` (linear in log10 of the axis; 0 outside `from`). */
export function onGrid(
  from: readonly number[],
  values: readonly number[],
  to: readonly number[],
  log = true,
): number[] {
  return to.map((x) => {
    const u = indexOn(from, x, log);
    return u === undefined ? 0 : at(values, u);
  });
}

/** A map on rows `fromY` × columns `fromX`, carried onto `toY` × `toX` (bilinear in log10 where `log`). */
export function mapOnGrid(
  fromY: readonly number[],
  fromX: readonly number[],
  map: readonly (readonly number[])[],
  toY: readonly number[],
  toX: readonly number[],
  log: [boolean, boolean] = [true, true],
): number[][] {
  const cols = toX.map((x) => indexOn(fromX, x, log[1]));
  return toY.map((y) => {
    const v = indexOn(fromY, y, log[0]);
    if (v === undefined) return toX.map(() => 0);
    const i = Math.min(Math.floor(v), Math.max(0, fromY.length - 2));
    const f = fromY.length === 1 ? 0 : v - i;
    const r0 = map[i] ?? [];
    const r1 = map[Math.min(i + 1, fromY.length - 1)] ?? [];
    return cols.map((u) => (u === undefined ? 0 : at(r0, u) * (1 - f) + at(r1, u) * f));
  });
}

/** Whether two grids are the same (same length, each value within 1e-9 relative). */
export function sameGrid(a: readonly number[], b: readonly number[]): boolean {
  return (
    a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= 1e-9 * Math.max(Math.abs(v), Math.abs(b[i]!)))
  );
}
