'use client';
/** Results per day: a small bar chart of an instrument's throughput. */
import * as Plot from '@observablehq/plot';
import { PlotBox } from './PlotBox';

export function DailySparkline({ days, name }: { days: { day: string; n: number }[]; name: string }) {
  const build = () =>
    Plot.plot({
      width: 420,
      height: 120,
      marginLeft: 36,
      style: { fontSize: '10px' },
      x: { type: 'band', label: null, tickFormat: (d: string) => d.slice(5), ticks: 7 },
      y: { label: 'results', grid: true },
      marks: [Plot.barY(days, { x: 'day', y: 'n', fill: 'steelblue' }), Plot.ruleY([0])],
    });
  return <PlotBox build={build} name={`${name}-daily`} title="Results per day (UTC)" deps={[days]} />;
}
