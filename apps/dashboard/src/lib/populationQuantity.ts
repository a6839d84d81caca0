/** What the populations page can draw for each population: its position or width along an axis, or its fraction. */

/** `position:T2`, `width:T2` or `fraction`. */
export type PopulationQuantity = `position:${string}` | `width:${string}` | 'fraction';

const axisUnit = (axis: string) => (axis === 'D' ? 'm²/s' : axis === 'shift' ? 'ppm' : 's');
export const axisLabel = (axis: string) => (axis === 'T2b' ? 'T2 (second)' : axis);

/** The axis title of a quantity, with its unit. */
export function quantityLabel(q: PopulationQuantity): string {
  if (q === 'fraction') return 'fraction of signal (%)';
  const [kind, axis] = q.split(':') as [string, string];
  return kind === 'position'
    ? `${axisLabel(axis)} (${axisUnit(axis)})`
    : `log-normal width along ${axisLabel(axis)} (decades)`;
}
