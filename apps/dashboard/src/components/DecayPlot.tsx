'use client';
/**
 * A measured decay against the fit: data as points, the fit as a line, and below it the residual (data − fit) with
 * the ±σ noise band — a fit that reaches the noise leaves residuals scattered inside the band without a trend.
 * Two Observable Plot panels sharing the x scale, stacked in one SVG so the SVG/PNG export is the whole figure.
 */
import * as Plot from '@observablehq/plot';
import type { DecayView } from '../lib/decays';
import { decayAxisLabel, decayTickLabel, decayXType } from '../lib/decays';
import { siLabel } from '../lib/units';
import { PlotBox } from './PlotBox';

const WIDTH = 460;
const TOP = 210;
const BOTTOM = 140;
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Plot returns an SVG element unless it adds a legend (then a figure); these panels have none. */
function asSvg(el: Element): SVGSVGElement {
  const svg = el instanceof SVGSVGElement ? el : el.querySelector('svg');
  if (!svg) throw new Error('DecayPlot: Observable Plot returned no SVG');
  return svg;
}

export function DecayPlot({ decay, sigma, name }: { decay: DecayView; sigma?: number | null; name: string }) {
  const build = () => {
    const points = decay.points;
    const xType = decayXType(points);
    const x = {
      type: xType,
      domain: [points[0]?.x ?? 0, points.at(-1)?.x ?? 1],
      tickFormat: decayTickLabel(decay.axis.name),
      ticks: 4,
    } as const;
    const common = { width: WIDTH, marginLeft: 60, marginRight: 28, style: { fontSize: '11px' } };
    const main = Plot.plot({
      ...common,
      height: TOP,
      marginBottom: 18,
      x: { ...x, axis: null }, // the residual panel below carries the ticks
      y: { label: 'signal', grid: true, tickFormat: siLabel },
      marks: [
        Plot.gridX({ ticks: 4, stroke: '#e2e8f0', strokeOpacity: 1 }),
        Plot.ruleY([0], { stroke: '#cbd5e1' }),
        // the fit under the points, so that the measured points stay visible where the fit runs through them
        Plot.line(points, { x: 'x', y: 'fit', stroke: '#dc2626', strokeWidth: 1.4 }),
        Plot.dot(points, { x: 'x', y: 'data', r: 2, stroke: '#1e293b', strokeWidth: 0.8, fill: 'white' }),
      ],
    });
    const s = sigma != null && Number.isFinite(sigma) ? sigma : undefined;
    const extent = Math.max(3 * (s ?? 0), ...points.map((p) => Math.abs(p.residual)));
    const residual = Plot.plot({
      ...common,
      height: BOTTOM,
      marginTop: 18,
      marginBottom: 36,
      x: { ...x, label: decayAxisLabel(decay.axis.name) },
      y: { label: 'residual', domain: [-extent, extent], ticks: 4, tickFormat: siLabel },
      marks: [
        ...(s !== undefined
          ? [Plot.areaY(points, { x: 'x', y1: () => -s, y2: () => s, fill: '#94a3b8', fillOpacity: 0.25 })]
          : []),
        Plot.ruleY([0], { stroke: '#64748b' }),
        Plot.dot(points, { x: 'x', y: 'residual', r: 1.6, fill: '#334155' }),
      ],
    });
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('width', String(WIDTH));
    svg.setAttribute('height', String(TOP + BOTTOM));
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${TOP + BOTTOM}`);
    svg.setAttribute('data-decay', decay.axis.name);
    const lower = asSvg(residual);
    lower.setAttribute('y', String(TOP));
    lower.setAttribute('data-panel', 'residual');
    asSvg(main).setAttribute('data-panel', 'fit');
    svg.append(asSvg(main), lower);
    return svg;
  };
  const sub = decay.totalPoints > decay.points.length ? ` · ${decay.points.length} of ${decay.totalPoints} points` : '';
  return (
    <PlotBox
      build={build}
      name={name}
      title={`${decay.label}${sub}${sigma != null ? ' · band ±σ' : ''}`}
      deps={[decay, sigma]}
    />
  );
}
