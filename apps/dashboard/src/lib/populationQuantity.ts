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

/** Colours of the populations, in labelOrder (Observable's categorical palette, as the charts draw them). */
export const POPULATION_COLOURS = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
];

/** The order colours are given in: named populations first, alphabetically (a name keeps its colour), then the rest. */
export function labelOrder(populations: readonly { label: string; name?: string }[]): string[] {
  return [
    ...populations
      .filter((p) => p.name)
      .map((p) => p.label)
      .sort(),
    ...populations.filter((p) => !p.name).map((p) => p.label),
  ];
}
