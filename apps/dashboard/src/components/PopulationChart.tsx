'use client';
/**
 * One sample's (or instrument's) populations over time or sample age: a line per population, coloured and labelled by
 * its name, each point with its ± (positions: the peak's uncertainty in decades; fraction: its spread); where a
 * population first appears a ring, where it is gone a cross. Points link to their acquisition.
 */
import * as Plot from '@observablehq/plot';
import { useRouter } from 'next/navigation';
import type { PopulationGroup } from '../server/populations/populationSeries';
import { displayText } from '../lib/displayText';
import { labelOrder, POPULATION_COLOURS, quantityLabel, type PopulationQuantity } from '../lib/populationQuantity';
import { formatAxisValue, logTicks, tickLabel } from '../lib/units';
import { PlotBox } from './PlotBox';

interface Row {
  label: string;
  x: Date | number;
  y: number;
  lo?: number;
  hi?: number;
  key: string;
}

export function PopulationChart({
  group,
  quantity,
  xAxis,
}: {
  group: PopulationGroup;
  quantity: PopulationQuantity;
  xAxis: 'age' | 'time';
}) {
  const router = useRouter();
  const [kind, axis] = quantity === 'fraction' ? ['fraction', ''] : (quantity.split(':') as [string, string]);
  const logY = kind === 'position' && axis !== 'shift';
  const byAge = xAxis === 'age';
  const rows: Row[] = group.populations.flatMap((p) =>
    p.points.flatMap((q): Row[] => {
      const x = byAge ? q.ageDays : q.at;
      if (x === undefined) return [];
      if (kind === 'fraction') {
        const sd = q.fractionSd;
        return [
          {
            label: p.label,
            x,
            y: q.fraction * 100,
            ...(sd === undefined ? {} : { lo: (q.fraction - sd) * 100, hi: (q.fraction + sd) * 100 }),
            key: q.key,
          },
        ];
      }
      if (kind === 'width') {
        const w = q.widthDecades[axis as keyof typeof q.widthDecades];
        return w === undefined ? [] : [{ label: p.label, x, y: w, key: q.key }];
      }
      const v = q.position[axis as keyof typeof q.position];
      if (v === undefined) return [];
      const u = q.uncDecades[axis as keyof typeof q.uncDecades];
      return [
        {
          label: p.label,
          x,
          y: v,
          ...(u === undefined ? {} : { lo: v / 10 ** u, hi: v * 10 ** u }),
          key: q.key,
        },
      ];
    }),
  );
  const firstOf = new Map<string, Row>();
  const lastOf = new Map<string, Row>();
  for (const r of rows) {
    if (!firstOf.has(r.label)) firstOf.set(r.label, r);
    lastOf.set(r.label, r);
  }
  const at = (kind: 'new' | 'gone', ends: Map<string, Row>) =>
    group.events.flatMap((e) => (e.kind === kind && ends.has(e.label) ? [ends.get(e.label)!] : []));
  const appeared = at('new', firstOf);
  const gone = at('gone', lastOf);
  const fmtY = (v: number) =>
    kind === 'fraction' ? `${v.toFixed(1)} %` : kind === 'width' ? `${v.toFixed(3)} dec` : formatAxisValue(axis, v);
  const fmtX = (x: Date | number) => (x instanceof Date ? `${x.toISOString().slice(0, 16)}Z` : `day ${+x.toFixed(2)}`);
  const build = () => {
    const plot = Plot.plot({
      width: 900,
      height: 320,
      marginLeft: 72,
      marginRight: 150,
      style: { fontSize: '12px' },
      x: byAge ? { label: 'sample age (days) →', grid: true } : { type: 'utc', label: 'produced →' },
      y: {
        type: logY ? 'log' : 'linear',
        label: `↑ ${quantityLabel(quantity)}`,
        grid: true,
        ...(logY
          ? {
              tickFormat: tickLabel(axis),
              ticks:
                logTicks(Math.min(...rows.map((r) => r.lo ?? r.y)), Math.max(...rows.map((r) => r.hi ?? r.y)), 7) ?? 5,
            }
          : {}),
      },
      // named populations first, alphabetically, so a name has the same colour in every series
      color: {
        legend: true,
        type: 'categorical',
        domain: labelOrder(group.populations),
        range: POPULATION_COLOURS,
        tickFormat: (g: unknown) => displayText(String(g)),
      },
      marks: [
        Plot.ruleX(
          rows.filter((r) => r.lo !== undefined),
          { x: 'x', y1: 'lo', y2: 'hi', stroke: 'label', strokeOpacity: 0.45 },
        ),
        Plot.line(rows, { x: 'x', y: 'y', stroke: 'label', strokeWidth: 1.6 }),
        Plot.dot(rows, { x: 'x', y: 'y', fill: 'label', r: 3 }),
        Plot.dot(appeared, { x: 'x', y: 'y', stroke: 'label', r: 8, strokeWidth: 2 }),
        Plot.dot(gone, { x: 'x', y: 'y', stroke: 'label', symbol: 'times', r: 7, strokeWidth: 2 }),
        Plot.text([...lastOf.values()], {
          x: 'x',
          y: 'y',
          text: (r: Row) => displayText(r.label, '', 30),
          dx: 8,
          textAnchor: 'start',
          fill: 'label',
        }),
        Plot.tip(
          rows,
          Plot.pointer({
            x: 'x',
            y: 'y',
            title: (r: Row) =>
              `${displayText(r.label)}\n${fmtX(r.x)}\n${fmtY(r.y)}` +
              (r.lo !== undefined && r.hi !== undefined ? ` (${fmtY(r.lo)} – ${fmtY(r.hi)})` : ''),
          }),
        ),
      ],
    });
    plot.addEventListener('click', () => {
      const r = (plot as unknown as { value?: Row }).value;
      if (r) router.push(`/acquisitions/${r.key}`);
    });
    return plot;
  };
  return (
    <PlotBox
      build={build}
      name={`populations-${group.group}-${quantity.replace(':', '-')}`}
      title={`${displayText(group.group)}: ${quantityLabel(quantity)} against ${byAge ? 'sample age' : 'time'}`}
      deps={[group, quantity, xAxis]}
    />
  );
}
