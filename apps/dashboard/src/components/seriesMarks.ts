/**
 * What the trend charts share (TrendChart, PopulationChart): one coloured series per group of points over time or
 * sample age, each point with its ± range where the results carry one, a tip that says it, and a click that opens
 * the point's acquisition.
 */
import * as Plot from '@observablehq/plot';
import { displayText } from '../lib/displayText';

export interface SeriesPoint {
  /** Which line it belongs to (a sample, an instrument, a population). */
  series: string;
  x: Date | number;
  y: number;
  /** y ± its uncertainty as a range, where known. */
  lo?: number;
  hi?: number;
  /** The acquisition it comes from. */
  key: string;
}

/** A time as the tips write it (UTC, minutes), or a sample age in days. */
export const pointTime = (x: Date | number) =>
  x instanceof Date ? `${x.toISOString().slice(0, 16)}Z` : `day ${+x.toFixed(2)}`;

/** ± ranges, lines, dots and the tip of `points`, coloured by series. */
export function seriesMarks(
  points: readonly SeriesPoint[],
  fmtY: (v: number) => string,
  style: { strokeWidth: number; r: number; rangeOpacity: number },
) {
  return [
    // ± the peak's uncertainty (noise spread and regularisation bias), where the results carry it
    Plot.ruleX(
      points.filter((p) => p.lo !== undefined),
      { x: 'x', y1: 'lo', y2: 'hi', stroke: 'series', strokeOpacity: style.rangeOpacity },
    ),
    Plot.line(points, { x: 'x', y: 'y', stroke: 'series', strokeWidth: style.strokeWidth }),
    Plot.dot(points, { x: 'x', y: 'y', fill: 'series', r: style.r }),
    Plot.tip(
      points,
      Plot.pointer({
        x: 'x',
        y: 'y',
        title: (p: SeriesPoint) =>
          `${displayText(p.series)}\n${pointTime(p.x)}\n${fmtY(p.y)}` +
          (p.lo !== undefined && p.hi !== undefined ? ` (${fmtY(p.lo)} – ${fmtY(p.hi)})` : ''),
      }),
    ),
  ];
}

/** Clicking near a point of `plot` opens that point's acquisition. */
export function openOnClick(plot: Element, open: (path: string) => void): void {
  plot.addEventListener('click', () => {
    const p = (plot as unknown as { value?: SeriesPoint }).value;
    if (p) open(`/acquisitions/${p.key}`);
  });
}
