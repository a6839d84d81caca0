'use client';
/**
 * This map minus another, each scaled to unit total and the other carried onto this map's grid
 * (lib/compareDistributions.ts): where a population grew (red) or shrank (blue) between two results.
 */
import * as Plot from '@observablehq/plot';
import type { ResultDoc } from '@lapis/contracts';
import { mapOnGrid, unitAreaMap } from '../lib/compareDistributions';
import { signedMapCells } from '../lib/mapCells';
import { formatAxisValue, logTicks, tickLabel } from '../lib/units';
import { PlotBox } from './PlotBox';

const unitLabel = (name: string) => (name === 'D' ? 'D (m²/s)' : name);

export function DifferenceMap({
  doc,
  other,
  label,
  name,
}: {
  doc: ResultDoc;
  other: ResultDoc;
  label: string;
  name: string;
}) {
  const [ay, ax] = doc.axes;
  const [oy, ox] = other.axes;
  if (!ay || !ax || !oy || !ox || ay.name !== oy.name || ax.name !== ox.name || ay.name === 'shift') return null;
  const build = () => {
    const mine = unitAreaMap(doc.distribution as number[][]);
    const theirs = mapOnGrid(oy.values, ox.values, unitAreaMap(other.distribution as number[][]), ay.values, ax.values);
    const diff = mine.map((row, i) => row.map((v, j) => v - theirs[i]![j]!));
    const extent = Math.max(1e-12, ...diff.flat().map(Math.abs));
    const cells = signedMapCells(diff, ay.values, ax.values);
    return Plot.plot({
      width: 560,
      height: 440,
      marginLeft: 64,
      marginBottom: 44,
      style: { fontSize: '12px' },
      x: {
        type: 'log',
        label: unitLabel(ax.name),
        tickFormat: tickLabel(ax.name),
        ticks: logTicks(ax.values[0]!, ax.values.at(-1)!, 7) ?? 6,
      },
      y: {
        type: 'log',
        label: unitLabel(ay.name),
        tickFormat: tickLabel(ay.name),
        ticks: logTicks(ay.values[0]!, ay.values.at(-1)!, 7) ?? 6,
      },
      color: {
        type: 'diverging',
        scheme: 'rdbu',
        reverse: true,
        domain: [-extent, extent],
        legend: true,
        label: 'share of the total: this − other',
        tickFormat: (v: number) => `${(v * 100).toFixed(1)} %`,
      },
      marks: [
        Plot.frame({ stroke: '#cbd5e1' }),
        Plot.rect(cells, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'v', inset: 0 }),
        Plot.tip(
          cells,
          Plot.pointer({
            x: (c: { x1: number; x2: number }) => Math.sqrt(c.x1 * c.x2),
            y: (c: { y1: number; y2: number }) => Math.sqrt(c.y1 * c.y2),
            title: (c: { x1: number; x2: number; y1: number; y2: number; v: number }) =>
              `${ax.name} ${formatAxisValue(ax.name, Math.sqrt(c.x1 * c.x2))}\n${ay.name} ${formatAxisValue(ay.name, Math.sqrt(c.y1 * c.y2))}\n${(c.v * 100).toFixed(2)} % of the total`,
          }),
        ),
      ],
    });
  };
  return (
    <PlotBox
      build={build}
      name={`${name}-difference`}
      title={`This map minus ${label} (each scaled to unit total)`}
      deps={[doc, other]}
    />
  );
}
