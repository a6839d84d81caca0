'use client';
/**
 * The 2D map: a heat map on log axes (axes[1] across, axes[0] up — T2 across and T1 up for a T1–T2 map), the
 * peaks marked and numbered as in the peak table, and the T1 = T2 line where it applies. Observable Plot: log
 * scales and SVG output built in, so axes read in seconds and the export is the figure itself.
 */
import * as Plot from '@observablehq/plot';
import type { ResultDoc } from '@lapis/contracts';
import { mapCells } from '../lib/mapCells';
import { mapContours } from '../lib/mapContours';
import { COMPARE_COLOURS } from './MarginalPlot';
import { cellTip, MAP_FRAME, mapAxis } from './mapPlot';
import { PlotBox } from './PlotBox';

/** The contour colours in words, as the title says them (MarginalPlot's COMPARE_COLOURS). */
const COMPARE_NAMES = ['orange', 'pink', 'teal', 'green'];

export function RelaxationMap({
  doc,
  name,
  compare,
}: {
  doc: ResultDoc;
  name: string;
  /** Other results on the same axes, drawn as contour lines (10 % and 50 % of each one's maximum) over this map. */
  compare?: readonly { doc: ResultDoc; label: string }[];
}) {
  const [ay, ax] = doc.axes;
  if (!ay || !ax) return null;
  const dist = doc.distribution as number[][];
  const build = () => {
    const cells = mapCells(dist, ay.values, ax.values);
    const xKey = ax.name === ay.name ? `${ax.name}_2` : ax.name;
    const peaks = doc.peaks.map((p, i) => ({
      x: (p.position as Record<string, number>)[xKey]!,
      y: (p.position as Record<string, number>)[ay.name]!,
      label: String(i + 1),
    }));
    const yLog = ay.name !== 'shift';
    const lo = Math.max(ax.values[0]!, ay.values[0]!);
    const hi = Math.min(ax.values.at(-1)!, ay.values.at(-1)!);
    const diagonal = ay.name === 'T1' && ax.name === 'T2' && lo < hi;
    const overlay = (compare ?? []).flatMap((c, k) => {
      const [cy, cx] = c.doc.axes;
      return cy && cx && cy.name === ay.name && cx.name === ax.name
        ? mapContours(c.doc.distribution as number[][], cy.values, cx.values, [0.1, 0.5], yLog).map((p) => ({
            ...p,
            ring: `${k}-${p.ring}`,
            colour: COMPARE_COLOURS[k % COMPARE_COLOURS.length]!,
          }))
        : [];
    });
    return Plot.plot({
      ...MAP_FRAME,
      x: mapAxis(ax),
      y: { ...mapAxis(ay, yLog), reverse: !yLog },
      color: { scheme: 'viridis', legend: true, label: 'amplitude' },
      marks: [
        Plot.frame({ stroke: '#cbd5e1' }),
        Plot.rect(cells, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'v', inset: 0 }),
        diagonal
          ? Plot.line(
              [
                { x: lo, y: lo },
                { x: hi, y: hi },
              ],
              { x: 'x', y: 'y', stroke: '#64748b', strokeDasharray: '4 3', strokeOpacity: 0.8 },
            )
          : null,
        overlay.length > 0
          ? Plot.line(overlay, {
              x: 'x',
              y: 'y',
              z: 'ring',
              stroke: (p: { colour: string }) => p.colour,
              strokeWidth: 1.8,
            })
          : null,
        Plot.dot(peaks, { x: 'x', y: 'y', r: 4, stroke: 'white', strokeWidth: 2 }),
        Plot.dot(peaks, { x: 'x', y: 'y', r: 4, stroke: 'black', strokeWidth: 0.8 }),
        Plot.text(peaks, {
          x: 'x',
          y: 'y',
          text: 'label',
          dx: 10,
          dy: -10,
          fill: 'black',
          stroke: 'white',
          strokeWidth: 3,
          fontWeight: 'bold',
          fontSize: 13,
        }),
        cellTip(cells, ay.name, ax.name, (v) => `amplitude ${v.toPrecision(3)}`),
      ],
    });
  };
  return (
    <PlotBox
      build={build}
      name={`${name}-map`}
      title={`${ay.name}–${ax.name} map${
        compare?.length
          ? ` · contours: ${compare.map((c, k) => `${c.label} (${COMPARE_NAMES[k % COMPARE_NAMES.length]})`).join(', ')}`
          : ''
      }`}
      deps={[doc, compare]}
    />
  );
}
