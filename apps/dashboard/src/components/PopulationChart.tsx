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
import { openOnClick, seriesMarks, type SeriesPoint } from './seriesMarks';

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
  const rows: SeriesPoint[] = group.populations.flatMap((p) =>
    p.points.flatMap((q): SeriesPoint[] => {
      const x = byAge ? q.ageDays : q.at;
      if (x === undefined) return [];
      if (kind === 'fraction') {
        const sd = q.fractionSd;
        return [
          {
            series: p.label,
            x,
            y: q.fraction * 100,
            ...(sd === undefined ? {} : { lo: (q.fraction - sd) * 100, hi: (q.fraction + sd) * 100 }),
            key: q.key,
          },
        ];
      }
      if (kind === 'width') {
        const w = q.widthDecades[axis as keyof typeof q.widthDecades];
        return w === undefined ? [] : [{ series: p.label, x, y: w, key: q.key }];
      }
      const v = q.position[axis as keyof typeof q.position];
      if (v === undefined) return [];
      const u = q.uncDecades[axis as keyof typeof q.uncDecades];
      return [
        {
          series: p.label,
          x,
          y: v,
          ...(u === undefined ? {} : { lo: v / 10 ** u, hi: v * 10 ** u }),
          key: q.key,
        },
      ];
    }),
  );
  const firstOf = new Map<string, SeriesPoint>();
  const lastOf = new Map<string, SeriesPoint>();
  for (const r of rows) {
    if (!firstOf.has(r.series)) firstOf.set(r.series, r);
    lastOf.set(r.series, r);
  }
  const at = (kind: 'new' | 'gone', ends: Map<string, SeriesPoint>) =>
    group.events.flatMap((e) => (e.kind === kind && ends.has(e.label) ? [ends.get(e.label)!] : []));
  const appeared = at('new', firstOf);
  const gone = at('gone', lastOf);
  const fmtY = (v: number) =>
    kind === 'fraction' ? `${v.toFixed(1)} %` : kind === 'width' ? `${v.toFixed(3)} dec` : formatAxisValue(axis, v);
  const build = () => {
    // the tip over everything else, the rings and names included
    const [range, line, dot, tip] = seriesMarks(rows, fmtY, { strokeWidth: 1.6, r: 3, rangeOpacity: 0.45 });
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
        range,
        line,
        dot,
        Plot.dot(appeared, { x: 'x', y: 'y', stroke: 'series', r: 8, strokeWidth: 2 }),
        Plot.dot(gone, { x: 'x', y: 'y', stroke: 'series', symbol: 'times', r: 7, strokeWidth: 2 }),
        Plot.text([...lastOf.values()], {
          x: 'x',
          y: 'y',
          text: (r: SeriesPoint) => displayText(r.series, '', 30),
          dx: 8,
          textAnchor: 'start',
          fill: 'series',
        }),
        tip,
      ],
    });
    openOnClick(plot, (path) => router.push(path));
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
