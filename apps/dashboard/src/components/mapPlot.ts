/**
 * What every 2D map figure shares (RelaxationMap, DifferenceMap): the figure's size, an axis of grid values (log
 * with 1-2-5 ticks, or linear for a shift axis) and the tip that reads a cell's position and value.
 */
import * as Plot from '@observablehq/plot';
import type { MapCell } from '../lib/mapCells';
import { formatAxisValue, logTicks, tickLabel } from '../lib/units';

export const MAP_FRAME = {
  width: 560,
  height: 440,
  marginLeft: 64,
  marginBottom: 44,
  style: { fontSize: '12px' },
} as const;

const unitLabel = (name: string) => (name === 'D' ? 'D (m²/s)' : name === 'shift' ? 'shift (ppm)' : name);

/** A map axis over `values` (its grid), log unless `log` is false. */
export function mapAxis(axis: { name: string; values: readonly number[] }, log = true) {
  return {
    type: log ? ('log' as const) : ('linear' as const),
    label: unitLabel(axis.name),
    tickFormat: tickLabel(axis.name),
    ticks: (log ? logTicks(axis.values[0]!, axis.values.at(-1)!, 7) : undefined) ?? 6,
  };
}

/** The pointer tip over a map's cells: both positions in readable units and the cell's value as `value(v)` says. */
export function cellTip(cells: MapCell[], ay: string, ax: string, value: (v: number) => string) {
  return Plot.tip(
    cells,
    Plot.pointer({
      x: (c: MapCell) => Math.sqrt(c.x1 * c.x2),
      y: (c: MapCell) => Math.sqrt(c.y1 * c.y2),
      title: (c: MapCell) =>
        `${ax} ${formatAxisValue(ax, Math.sqrt(c.x1 * c.x2))}\n${ay} ${formatAxisValue(ay, Math.sqrt(c.y1 * c.y2))}\n${value(c.v)}`,
    }),
  );
}
