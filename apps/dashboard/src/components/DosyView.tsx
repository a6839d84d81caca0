'use client';
/**
 * A high-field pseudo-2D as a DOSY display: the processed spectrum on top (first and last of the series, ppm
 * decreasing to the right as spectra are drawn) with the integrated regions shaded and each region's result written
 * over it; below, on the same ppm axis, each region's distribution along D (or T1, T2) on a log axis, scaled to its
 * own maximum so weak lines show, with the listed peaks marked.
 */
import * as Plot from '@observablehq/plot';
import type { ResultDoc } from '@lapis/contracts';
import { displayText } from '../lib/displayText';
import { formatAxisValue, logTicks, siLabel, tickLabel } from '../lib/units';
import { TableExport } from './ExportButtons';
import { PlotBox } from './PlotBox';

const WIDTH = 900;
const MARGINS = { marginLeft: 72, marginRight: 24 };

interface Region {
  /** 1, 2, … from the highest ppm, as drawn from left to right. */
  n: number;
  from: number;
  to: number;
  peak: number;
  /** What the spectrum says over the region: short. */
  short: string;
  /** The main value ± its uncertainty, e.g. `2.06×10⁻⁹ m²/s ± 1.0 %`; undefined when no peak was listed. */
  value?: string;
  /** The same in numbers: SI units, and log10 uncertainty in decades. */
  valueSi?: number;
  uncDecades?: number;
  vendor?: string;
  /** The main peak's share of its region, and how many more peaks the region has. */
  share?: number;
  more: number;
}

/** Two shifts closer than this (ppm) are the same region's: documents carry 6 significant digits after transport. */
const SAME_SHIFT = 1e-4;

/** Index of the value of `values` nearest `x`. */
function nearestIndex(values: readonly number[], x: number): number {
  let best = 0;
  values.forEach((v, i) => {
    if (Math.abs(v - x) < Math.abs(values[best]! - x)) best = i;
  });
  return best;
}

/** Up to this many regions, the spectrum carries each one's value; beyond, its number (the table has the values). */
const LABELLED_REGIONS = 4;

/** ppm domain (high → low) around the regions, clipped to the spectrum. */
function ppmDomain(doc: ResultDoc): [number, number] {
  const ppm = doc.spectrum?.ppm ?? [];
  const top = ppm.length ? Math.max(ppm[0]!, ppm.at(-1)!) : Infinity;
  const bottom = ppm.length ? Math.min(ppm[0]!, ppm.at(-1)!) : -Infinity;
  const regions = doc.regions ?? [];
  if (regions.length === 0) return [top, bottom];
  const hi = Math.max(...regions.map((r) => Math.max(r.from, r.to)));
  const lo = Math.min(...regions.map((r) => Math.min(r.from, r.to)));
  const pad = Math.max(0.5, 0.2 * (hi - lo));
  return [Math.min(top, hi + pad), Math.max(bottom, lo - pad)];
}

/** Each region's main result: the listed peak with the largest share of it, ± its uncertainty, and the vendor's. */
function regionResults(doc: ResultDoc, axis: string): Region[] {
  const ordered = [...(doc.regions ?? [])].sort((x, y) => y.peak - x.peak);
  return ordered.map((r, k) => {
    const mine = doc.peaks.filter((p) => Math.abs((p.position.shift ?? NaN) - r.peak) < SAME_SHIFT);
    mine.sort((a, b) => (b.regionFraction ?? b.fraction) - (a.regionFraction ?? a.fraction));
    const main = mine[0];
    const value = main?.position[axis];
    const u = main?.uncertainty?.positionUncertaintyDecades[axis];
    const pm = typeof u === 'number' ? ` ± ${((10 ** u - 1) * 100).toFixed(u < 0.0043 ? 1 : 0)} %` : '';
    const lo = Math.min(r.from, r.to);
    const hi = Math.max(r.from, r.to);
    const vendor = doc.vendorResults?.find(
      (v) => v.quantity === axis && v.shift !== undefined && v.shift >= lo && v.shift <= hi,
    );
    const has = typeof value === 'number';
    return {
      n: k + 1,
      from: r.from,
      to: r.to,
      peak: r.peak,
      short: has ? `${r.peak.toFixed(2)} ppm: ${axis} ${formatAxisValue(axis, value)}` : `${r.peak.toFixed(2)} ppm`,
      ...(has ? { value: `${formatAxisValue(axis, value)}${pm}`, valueSi: value } : {}),
      ...(typeof u === 'number' ? { uncDecades: u } : {}),
      ...(vendor ? { vendor: `${formatAxisValue(axis, vendor.value)} (${displayText(vendor.software)})` } : {}),
      ...(main?.regionFraction !== undefined ? { share: main.regionFraction } : {}),
      more: Math.max(0, mine.length - 1),
    };
  });
}

export function DosyView({ doc, name }: { doc: ResultDoc; name: string }) {
  const spectrum = doc.spectrum;
  const axis = doc.axes[1];
  if (!axis || doc.axes[0]?.name !== 'shift' || !doc.regions?.length) return null;
  const domain = ppmDomain(doc);
  const regions = regionResults(doc, axis.name);
  const labelled = regions.length <= LABELLED_REGIONS;
  const varied = axis.name === 'D' ? 'b' : 'τ';
  const variedUnit = axis.name === 'D' ? 's/m²' : 's';
  const rowLabel = (r: NonNullable<ResultDoc['spectrum']>['rows'][number], k: number) =>
    `${k === 0 ? 'first' : 'last'} spectrum (${varied} = ${axis.name === 'D' ? r.x.toExponential(2) : formatAxisValue('T1', r.x)} ${axis.name === 'D' ? variedUnit : ''})`.replace(
      ' )',
      ')',
    );
  const points = (spectrum?.rows ?? []).flatMap((r, k) =>
    spectrum!.ppm.flatMap((ppm, i) =>
      ppm <= domain[0] && ppm >= domain[1] ? [{ ppm, v: r.values[i]!, row: rowLabel(r, k) }] : [],
    ),
  );
  const buildSpectrum = () =>
    Plot.plot({
      width: WIDTH,
      height: 260,
      ...MARGINS,
      marginTop: 28,
      style: { fontSize: '12px' },
      x: { domain, label: 'chemical shift (ppm)' },
      y: { label: '↑ intensity', grid: true, tickFormat: siLabel },
      color: { legend: true, domain: (spectrum?.rows ?? []).map(rowLabel), range: ['#0f172a', '#0ea5e9'] },
      marks: [
        Plot.rectX(regions, { x1: 'from', x2: 'to', fill: '#fde68a', fillOpacity: 0.45 }),
        Plot.ruleY([0], { stroke: '#cbd5e1' }),
        Plot.line(points, { x: 'ppm', y: 'v', stroke: 'row', z: 'row', strokeWidth: 1.1 }),
        Plot.text(regions, {
          x: 'peak',
          frameAnchor: 'top',
          dy: -18,
          text: (r: Region) => (labelled ? r.short : String(r.n)),
          fontSize: 11,
          fill: '#92400e',
        }),
      ],
    });
  const dist = doc.distribution as number[][];
  const grid = axis.values;
  // cell edges along the relaxation axis: geometric midpoints, as on the 2D maps
  const edges = grid.map((v, j) => [
    j === 0 ? v / Math.sqrt(grid[1]! / v) : Math.sqrt(grid[j - 1]! * v),
    j === grid.length - 1 ? v * Math.sqrt(v / grid[j - 1]!) : Math.sqrt(v * grid[j + 1]!),
  ]);
  const width = Math.abs(domain[0] - domain[1]);
  const shifts = doc.axes[0]!.values;
  const cells = regions.flatMap((r) => {
    // the map's row of this region: the shift axis lists the regions' peaks (increasing); the agent rounds numbers
    // for transport, so the nearest one, not an equal one
    const row = dist[nearestIndex(shifts, r.peak)] ?? [];
    const max = Math.max(0, ...row);
    // a narrow region still gets a visible band: at least 1.5 % of the axis
    const mid = (r.from + r.to) / 2;
    const half = Math.max(Math.abs(r.from - r.to) / 2, 0.0075 * width);
    return row.flatMap((v, j) =>
      max > 0 && v > 0.01 * max
        ? [{ x1: mid + half, x2: mid - half, y1: edges[j]![0]!, y2: edges[j]![1]!, v: v / max }]
        : [],
    );
  });
  const peaks = doc.peaks.map((p) => ({ ppm: p.position.shift!, y: p.position[axis.name]!, f: p.fraction }));
  // the relaxation axis around where the regions have signal (half a decade beyond), within the grid
  const withSignal = cells.flatMap((c) => [c.y1, c.y2]);
  const lo = withSignal.length ? Math.max(grid[0]!, Math.min(...withSignal) / 10 ** 0.5) : grid[0]!;
  const hi = withSignal.length ? Math.min(grid.at(-1)!, Math.max(...withSignal) * 10 ** 0.5) : grid.at(-1)!;
  const buildMap = () =>
    Plot.plot({
      width: WIDTH,
      height: 300,
      ...MARGINS,
      style: { fontSize: '12px' },
      x: { domain, label: 'chemical shift (ppm)' },
      y: {
        type: 'log',
        domain: [lo, hi],
        // increasing downwards, as TopSpin draws a DOSY's F1 axis under the spectrum
        reverse: true,
        label: `↓ ${axis.name} (${axis.name === 'D' ? 'm²/s' : 's'})`,
        tickFormat: tickLabel(axis.name),
        ticks: logTicks(lo, hi, 7) ?? 6,
        grid: true,
      },
      color: { scheme: 'viridis', legend: true, label: 'amplitude, of each region’s maximum', domain: [0, 1] },
      marks: [
        Plot.frame({ stroke: '#cbd5e1' }),
        Plot.rect(cells, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'v' }),
        Plot.dot(peaks, { x: 'ppm', y: 'y', r: 4, stroke: '#e11d48', strokeWidth: 1.5 }),
        Plot.tip(
          peaks,
          Plot.pointer({
            x: 'ppm',
            y: 'y',
            title: (p: (typeof peaks)[number]) =>
              `${p.ppm.toFixed(3)} ppm\n${axis.name} ${formatAxisValue(axis.name, p.y)}\n${(p.f * 100).toFixed(1)} % of the signal`,
          }),
        ),
      ],
    });
  return (
    <section className="space-y-2" data-testid="dosy">
      {spectrum ? (
        <PlotBox build={buildSpectrum} name={`${name}-spectrum`} title="Spectrum and integrated regions" deps={[doc]} />
      ) : (
        <p className="text-xs text-slate-500">
          The spectrum is not shown: this result was produced without it (<code>spectrum</code> of{' '}
          <code>lapis-result/1</code> is optional).
        </p>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <div className="flex items-center justify-between border-b border-slate-100 px-3 py-1.5 text-sm">
          <span className="font-medium text-slate-700">Regions</span>
          <TableExport
            name={`${name}-regions`}
            rows={regions.map((r) => ({
              region: r.n,
              from_ppm: Math.max(r.from, r.to),
              to_ppm: Math.min(r.from, r.to),
              peak_ppm: r.peak,
              [`${axis.name}_${axis.name === 'D' ? 'm2_s' : 's'}`]: r.valueSi ?? '',
              [`${axis.name}_unc_decades`]: r.uncDecades ?? '',
              share_of_region: r.share ?? '',
              more_peaks: r.more,
              vendor: r.vendor ?? '',
            }))}
          />
        </div>
        <table className="min-w-full text-sm" data-testid="region-results">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              <th className="px-3 py-1.5">#</th>
              <th className="px-3 py-1.5">region (ppm)</th>
              <th className="px-3 py-1.5">{axis.name}, main peak ± uncertainty</th>
              <th className="px-3 py-1.5">share of the region</th>
              <th className="px-3 py-1.5">vendor</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r) => (
              <tr key={r.n} className="border-t border-slate-100">
                <td className="px-3 py-1 tabular-nums">{r.n}</td>
                <td className="px-3 py-1 tabular-nums">
                  {Math.max(r.from, r.to).toFixed(2)} – {Math.min(r.from, r.to).toFixed(2)} (peak {r.peak.toFixed(3)})
                </td>
                <td className="px-3 py-1 tabular-nums">
                  {r.value ?? 'no peak listed'}
                  {r.more ? <span className="text-xs text-slate-500"> +{r.more} smaller</span> : null}
                </td>
                <td className="px-3 py-1 tabular-nums">
                  {r.share !== undefined ? `${(r.share * 100).toFixed(1)} %` : '–'}
                </td>
                <td className="px-3 py-1 tabular-nums">{r.vendor ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PlotBox
        build={buildMap}
        name={`${name}-dosy`}
        title={`${axis.name} per region (${axis.name === 'D' ? 'DOSY' : 'relaxation'} map)`}
        deps={[doc]}
      />
    </section>
  );
}
