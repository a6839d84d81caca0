'use client';
/** A distribution along one axis (a 1D result, or a 2D map's projection), optionally overlaid with another. */
import * as Plot from '@observablehq/plot';
import { logTicks, siLabel, tickLabel } from '../lib/units';
import { PlotBox } from './PlotBox';

export interface MarginalSeries {
  label: string;
  values: readonly number[];
  amplitude: readonly number[];
}

export function MarginalPlot({ axis, series, name }: { axis: string; series: MarginalSeries[]; name: string }) {
  const build = () => {
    const data = series.flatMap((s) => s.values.map((v, i) => ({ x: v, y: s.amplitude[i] ?? 0, series: s.label })));
    return Plot.plot({
      width: 420,
      height: 200,
      marginLeft: 56,
      style: { fontSize: '11px' },
      x: {
        type: 'log',
        label: axis === 'D' ? 'D (m²/s)' : axis,
        tickFormat: tickLabel(axis),
        ticks: logTicks(Math.min(...data.map((d) => d.x)), Math.max(...data.map((d) => d.x)), 6) ?? 5,
      },
      y: { label: 'amplitude', grid: true, tickFormat: siLabel },
      color: { legend: series.length > 1, domain: series.map((s) => s.label) },
      marks: [
        Plot.areaY(
          data.filter((d) => d.series === series[0]?.label),
          { x: 'x', y: 'y', fill: 'steelblue', fillOpacity: 0.15 },
        ),
        Plot.line(data, { x: 'x', y: 'y', stroke: 'series', strokeWidth: 1.8 }),
        Plot.ruleY([0]),
      ],
    });
  };
  return <PlotBox build={build} name={`${name}-${axis}`} title={`${axis} distribution`} deps={[series]} />;
}
