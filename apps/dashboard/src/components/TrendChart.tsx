'use client';
/**
 * A peak quantity over time, one coloured series per group (sample or instrument), with each point's ± range where
 * the results carry an uncertainty; points link to their result.
 */
import * as Plot from '@observablehq/plot';
import { useRouter } from 'next/navigation';
import type { TrendPoint } from '../server/api/routers/trends';
import { formatAxisValue } from '../lib/units';
import { displayText } from '../lib/displayText';
import { PlotBox } from './PlotBox';
import { openOnClick, seriesMarks, type SeriesPoint } from './seriesMarks';

const labels: Record<string, string> = {
  fraction: 'fraction of signal',
  t1: 'T1 (s)',
  t2: 'T2 (s)',
  d: 'D (m²/s)',
  t1t2Ratio: 'T1/T2',
  amplitude: 'amplitude',
};

export function TrendChart({ points, quantity }: { points: TrendPoint[]; quantity: string }) {
  const router = useRouter();
  const logY = quantity === 't1' || quantity === 't2' || quantity === 'd';
  const fmt = (v: number) =>
    quantity === 'fraction'
      ? `${(v * 100).toFixed(1)} %`
      : logY
        ? formatAxisValue(quantity.toUpperCase(), v)
        : v.toPrecision(3);
  const series: SeriesPoint[] = points.map((p) => ({
    series: p.group,
    x: p.at,
    y: p.value,
    ...(p.lo === undefined || p.hi === undefined ? {} : { lo: p.lo, hi: p.hi }),
    key: p.key,
  }));
  const build = () => {
    const plot = Plot.plot({
      width: 900,
      height: 380,
      marginLeft: 64,
      style: { fontSize: '12px' },
      x: { type: 'utc', label: 'produced' },
      y: { type: logY ? 'log' : 'linear', label: labels[quantity] ?? quantity, grid: true, tickFormat: fmt },
      color: { legend: true, type: 'categorical', tickFormat: (g: unknown) => displayText(String(g)) },
      marks: seriesMarks(series, fmt, { strokeWidth: 1.5, r: 3.5, rangeOpacity: 0.5 }),
    });
    openOnClick(plot, (path) => router.push(path));
    return plot;
  };
  return (
    <PlotBox
      build={build}
      name={`trend-${quantity}`}
      title={`${labels[quantity] ?? quantity} over time`}
      deps={[points, quantity]}
    />
  );
}
