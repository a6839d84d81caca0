'use client';
/**
 * A Levey–Jennings chart of one quality-control reference: each result in time order, the baseline's mean and ±1,
 * ±2, ±3 SD lines, the baseline in grey, results breaking a Westgard rejection rule in red (a 1-2s warning in amber)
 * with the rule named. Positions on a log axis (the limits are in decades), fractions in %. Points open their result.
 */
import * as Plot from '@observablehq/plot';
import { useRouter } from 'next/navigation';
import { axisOf, isPosition, QC_QUANTITY_LABELS, type QcQuantity } from '../lib/qcQuantity';
import { formatAxisValue, logTicks, tickLabel } from '../lib/units';
import { displayText } from '../lib/displayText';
import { isRejection, type WestgardRule } from '../lib/westgard';
import { PlotBox } from './PlotBox';
import { openOnClick } from './seriesMarks';

export interface QcChartPoint {
  key: string;
  producedAt: Date;
  value: number;
  baseline: boolean;
  rules: WestgardRule[];
  sample: string | null;
}

export function QcChart({
  name,
  quantity,
  points,
  limits,
}: {
  name: string;
  quantity: QcQuantity;
  points: QcChartPoint[];
  limits: { mean: number; sd: number } | undefined;
}) {
  const router = useRouter();
  const position = isPosition(quantity);
  const axis = axisOf(quantity);
  // stored in decades (positions) or 0–1 (fractions); shown in seconds / m²/s, or %
  const show = (v: number) => (position ? 10 ** v : v * 100);
  const fmt = (v: number) => (position ? formatAxisValue(axis, v) : `${v.toFixed(1)} %`);
  const rows = points.map((p) => ({
    x: new Date(p.producedAt),
    y: show(p.value),
    key: p.key,
    status: p.baseline ? 'baseline' : isRejection(p.rules) ? 'rejected' : p.rules.length ? 'warning' : 'in control',
    label: `${displayText(p.sample ?? '')} · ${fmt(show(p.value))}${p.rules.length ? ` · ${p.rules.join(', ')}` : ''}`,
  }));
  const lines = limits ? [-3, -2, -1, 0, 1, 2, 3].map((k) => ({ k, y: show(limits.mean + k * limits.sd) })) : [];
  const build = () => {
    const ys = [...rows.map((r) => r.y), ...lines.map((l) => l.y)];
    const plot = Plot.plot({
      width: 900,
      height: 300,
      marginLeft: 72,
      marginRight: 60,
      style: { fontSize: '12px' },
      x: { type: 'utc', label: 'produced →' },
      y: {
        type: position ? 'log' : 'linear',
        label: `↑ ${QC_QUANTITY_LABELS[quantity]}`,
        grid: true,
        ...(position ? { tickFormat: tickLabel(axis), ticks: logTicks(Math.min(...ys), Math.max(...ys), 7) ?? 5 } : {}),
      },
      color: {
        legend: true,
        domain: ['baseline', 'in control', 'warning', 'rejected'],
        range: ['#94a3b8', '#0f766e', '#d97706', '#dc2626'],
      },
      marks: [
        Plot.ruleY(
          lines.filter((l) => l.k !== 0),
          {
            y: 'y',
            stroke: (l: { k: number }) => (Math.abs(l.k) === 3 ? '#dc2626' : '#94a3b8'),
            strokeDasharray: '4,3',
          },
        ),
        Plot.ruleY(
          lines.filter((l) => l.k === 0),
          { y: 'y', stroke: '#334155' },
        ),
        Plot.text(lines, {
          x: () => rows.at(-1)?.x,
          y: 'y',
          text: (l: { k: number }) => (l.k === 0 ? 'mean' : `${l.k > 0 ? '+' : '−'}${Math.abs(l.k)} SD`),
          dx: 6,
          textAnchor: 'start',
          fill: '#475569',
        }),
        Plot.line(rows, { x: 'x', y: 'y', stroke: '#cbd5e1' }),
        Plot.dot(rows, { x: 'x', y: 'y', fill: 'status', r: 3.5 }),
        Plot.tip(rows, Plot.pointer({ x: 'x', y: 'y', title: 'label' })),
      ],
    });
    openOnClick(plot, (path) => router.push(path));
    return plot;
  };
  return (
    <PlotBox
      build={build}
      name={`qc-${name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40)}`}
      title={`${displayText(name)}: ${QC_QUANTITY_LABELS[quantity]}`}
      deps={[points, limits, quantity]}
    />
  );
}
