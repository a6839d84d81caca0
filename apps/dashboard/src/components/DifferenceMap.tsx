'use client';
/**
 * This map minus another, each scaled to unit total and the other carried onto this map's grid
 * (lib/compareDistributions.ts): where a population grew (red) or shrank (blue) between two results.
 */
import * as Plot from '@observablehq/plot';
import type { ResultDoc } from '@lapis/contracts';
import { mapOnGrid, unitAreaMap } from '../lib/compareDistributions';
import { signedMapCells } from '../lib/mapCells';
import { cellTip, MAP_FRAME, mapAxis } from './mapPlot';
import { PlotBox } from './PlotBox';

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
      ...MAP_FRAME,
      x: mapAxis(ax),
      y: mapAxis(ay),
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
        cellTip(cells, ay.name, ax.name, (v) => `${(v * 100).toFixed(2)} % of the total`),
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
