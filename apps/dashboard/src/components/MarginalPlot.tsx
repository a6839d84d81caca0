'use client';
/**
 * A distribution along one axis (a 1D result, or a 2D map's projection), optionally overlaid with others — each
 * scaled to unit total when `normalise` (so more signal does not read as more of everything) — and, when there are
 * others, their difference from the first on its grid (lib/compareDistributions.ts).
 */
import * as Plot from '@observablehq/plot';
import { onGrid, unitArea } from '../lib/compareDistributions';
import { logTicks, siLabel, tickLabel } from '../lib/units';
import { PlotBox } from './PlotBox';

export interface MarginalSeries {
  label: string;
  values: readonly number[];
  amplitude: readonly number[];
}

/** Colours of the compared results, in order (the first series is the page's own result, blue). */
export const COMPARE_COLOURS = ['#f97316', '#db2777', '#0891b2', '#65a30d'];

export function MarginalPlot({
  axis,
  series,
  name,
  normalise = false,
}: {
  axis: string;
  series: MarginalSeries[];
  name: string;
  normalise?: boolean;
}) {
  const shown = series.map((s) => ({ ...s, amplitude: normalise ? unitArea(s.amplitude) : s.amplitude }));
  const colours = ['#2563eb', ...COMPARE_COLOURS];
  const xAxis = (data: { x: number }[]) => ({
    type: 'log' as const,
    label: axis === 'D' ? 'D (m²/s)' : axis,
    tickFormat: tickLabel(axis),
    ticks: logTicks(Math.min(...data.map((d) => d.x)), Math.max(...data.map((d) => d.x)), 6) ?? 5,
  });
  const build = () => {
    const data = shown.flatMap((s) => s.values.map((v, i) => ({ x: v, y: s.amplitude[i] ?? 0, series: s.label })));
    return Plot.plot({
      width: 420,
      height: 200,
      marginLeft: 56,
      style: { fontSize: '11px' },
      x: xAxis(data),
      y: { label: normalise ? 'share of the total' : 'amplitude', grid: true, tickFormat: siLabel },
      color: {
        legend: series.length > 1,
        domain: series.map((s) => s.label),
        range: colours.slice(0, series.length),
      },
      marks: [
        Plot.areaY(
          data.filter((d) => d.series === series[0]?.label),
          { x: 'x', y: 'y', fill: colours[0], fillOpacity: 0.15 },
        ),
        Plot.line(data, { x: 'x', y: 'y', stroke: 'series', strokeWidth: 1.8 }),
        Plot.ruleY([0]),
      ],
    });
  };
  const base = shown[0];
  const buildDifference = () => {
    const data = shown.slice(1).flatMap((s) => {
      const other = onGrid(s.values, s.amplitude, base!.values);
      return base!.values.map((x, i) => ({ x, y: (base!.amplitude[i] ?? 0) - other[i]!, series: s.label }));
    });
    return Plot.plot({
      width: 420,
      height: 150,
      marginLeft: 56,
      style: { fontSize: '11px' },
      x: xAxis(data),
      y: { label: `${series[0]!.label.slice(0, 24)} − other`, grid: true, tickFormat: siLabel },
      color: { domain: series.slice(1).map((s) => s.label), range: COMPARE_COLOURS },
      marks: [
        Plot.ruleY([0], { stroke: '#64748b' }),
        Plot.line(data, { x: 'x', y: 'y', stroke: 'series', strokeWidth: 1.5 }),
      ],
    });
  };
  return (
    <>
      <PlotBox
        build={build}
        name={`${name}-${axis}`}
        title={`${axis} distribution${normalise && series.length > 1 ? ' (each scaled to unit total)' : ''}`}
        deps={[series, normalise]}
      />
      {series.length > 1 && base ? (
        <PlotBox
          build={buildDifference}
          name={`${name}-${axis}-difference`}
          title={`${axis}: this result minus each compared one${normalise ? ' (unit totals)' : ''}`}
          deps={[series, normalise]}
        />
      ) : null}
    </>
  );
}
