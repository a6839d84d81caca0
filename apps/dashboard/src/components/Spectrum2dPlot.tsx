'use client';
/**
 * The zoomable drawing of a 2D spectrum (Spectrum2dView computes the contours on the server and hands them over in
 * ppm): drag a box to zoom to it, wheel to zoom about the cursor, shift-drag to pan, double-click or Reset for the
 * whole spectrum. F2 across with high ppm on the left, F1 down with high ppm at the bottom, its scale on the right.
 * The visible ranges are mirrored in data attributes (data-f2-lo … data-f1-hi) for tests. Zoomed in past the
 * transported matrix, the window is fetched at full resolution from the agent and contoured here, at the whole
 * spectrum's levels (useFullResolution2d).
 */
import { useMemo, useRef, useState } from 'react';
import type { PointerEvent, WheelEvent } from 'react';
import { clampRange, formatSigned, niceTicks, panBy, zoomAbout, type PpmRange } from '../lib/spectrumAxis';
import { spectrumContours, type ContourRing } from '../lib/spectrumContours';
import { useFullResolution2d } from './useFullResolution';
import { resolutionText } from './resolutionText';

const W = 760;
const H = 560;
const M = { left: 14, right: 62, top: 12, bottom: 46 };
const POSITIVE = '#1e3a8a';
const NEGATIVE = '#be123c';
const btn = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100';

export interface Spectrum2dMark {
  shift1: number;
  shift2: number;
}

export interface Spectrum2dPlotProps {
  /** Whole extent, ppm: F2 (direct, across) and F1 (indirect, down). */
  f2: PpmRange;
  f1: PpmRange;
  /** Smallest spans a zoom may reach (a few points of the matrix), ppm. */
  minSpan: { f2: number; f1: number };
  rings: ContourRing[];
  marks: Spectrum2dMark[];
  f2Label: string;
  f1Label: string;
  /** A matrix pooled for transport: what the agent needs to send, and the plot to contour, a window at full resolution. */
  fullResolution?: {
    spectrumKey: string;
    /** The whole spectrum's contour levels (absolute), kept for the window. */
    levels: number[];
    noise: number;
    magnitude: boolean;
    rows: number;
    columns: number;
    step: [number, number];
  };
}

export function Spectrum2dPlot(p: Spectrum2dPlotProps) {
  const w = W - M.left - M.right;
  const h = H - M.top - M.bottom;
  const [view, setView] = useState({ x: p.f2, y: p.f1 });
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const drag = useRef<{ mode: 'box' | 'pan'; x: number; y: number; view: typeof view } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const { x: xr, y: yr } = view;
  const x = (ppm: number) => M.left + ((xr.hi - ppm) / (xr.hi - xr.lo)) * w;
  const y = (ppm: number) => M.top + ((ppm - yr.lo) / (yr.hi - yr.lo)) * h;
  const ppmX = (px: number) => xr.hi - ((px - M.left) / w) * (xr.hi - xr.lo);
  const ppmY = (py: number) => yr.lo + ((py - M.top) / h) * (yr.hi - yr.lo);
  const full = p.fullResolution;
  const { detail, resolution } = useFullResolution2d({
    spectrumKey: full?.spectrumKey,
    step: full?.step ?? [1, 1],
    rows: full?.rows ?? 1,
    columns: full?.columns ?? 1,
    full: { f1: p.f1, f2: p.f2 },
    view: { f1: yr, f2: xr },
    plot: { width: w, height: h },
  });
  // the window's own contours, traced once per window
  const detailRings = useMemo(() => {
    if (!detail || !full) return null;
    const axis = (a: { first: number; last: number; size: number }) => ({ ...a, nucleus: null, frequencyMHz: null });
    const [a1, a2] = detail.axes;
    return spectrumContours(
      {
        f1: axis(a1),
        f2: axis(a2),
        rows: detail.rows,
        columns: detail.columns,
        real: Float64Array.from(detail.real),
        step: detail.step,
        magnitude: full.magnitude,
      },
      full.noise,
      full.levels,
    );
  }, [detail, full]);
  const rings = detailRings ?? p.rings;
  // the contour paths change with the view only, not with the box being dragged (a render per pointer move)
  const paths = useMemo(() => {
    const path = (sign: 1 | -1) =>
      rings
        .filter((r) => r.sign === sign)
        .map((r) => `M${r.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('L')}Z`)
        .join('');
    return { pos: path(1), neg: path(-1) };
  }, [rings, view]); // x and y follow from view
  const xt = niceTicks(xr.lo, xr.hi, 8);
  const yt = niceTicks(yr.lo, yr.hi, 8);
  const zoomed = xr.lo !== p.f2.lo || xr.hi !== p.f2.hi || yr.lo !== p.f1.lo || yr.hi !== p.f1.hi;

  /** Pointer position in the viewBox's units. */
  const at = (e: { clientX: number; clientY: number }) => {
    const r = svgRef.current!.getBoundingClientRect();
    return { px: ((e.clientX - r.left) / r.width) * W, py: ((e.clientY - r.top) / r.height) * H };
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    const { px, py } = at(e);
    if (px < M.left || px > M.left + w || py < M.top || py > M.top + h) return;
    e.currentTarget.setPointerCapture?.(e.pointerId);
    drag.current = { mode: e.shiftKey || e.button === 1 ? 'pan' : 'box', x: px, y: py, view };
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const { px, py } = at(e);
    if (d.mode === 'box') {
      setBox({ x0: d.x, y0: d.y, x1: px, y1: py });
      return;
    }
    const dx = ((px - d.x) / w) * (d.view.x.hi - d.view.x.lo);
    const dy = ((py - d.y) / h) * (d.view.y.hi - d.view.y.lo);
    setView({ x: panBy(d.view.x, dx, p.f2), y: panBy(d.view.y, -dy, p.f1) });
  };
  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    drag.current = null;
    setBox(null);
    if (!d || d.mode !== 'box') return;
    const { px, py } = at(e);
    // a click, not a box
    if (Math.abs(px - d.x) < 6 || Math.abs(py - d.y) < 6) return;
    const span = (a: number, b: number, full: PpmRange, min: number): PpmRange => {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const mid = (lo + hi) / 2;
      const s = Math.max(min, hi - lo);
      return clampRange({ lo: mid - s / 2, hi: mid + s / 2 }, full);
    };
    setView({
      x: span(ppmX(d.x), ppmX(px), p.f2, p.minSpan.f2),
      y: span(ppmY(d.y), ppmY(py), p.f1, p.minSpan.f1),
    });
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    const { px, py } = at(e);
    if (px < M.left || px > M.left + w || py < M.top || py > M.top + h) return;
    const factor = e.deltaY > 0 ? 1.25 : 0.8;
    setView({
      x: zoomAbout(xr, ppmX(px), factor, p.f2, p.minSpan.f2),
      y: zoomAbout(yr, ppmY(py), factor, p.f1, p.minSpan.f1),
    });
  };
  const reset = () => setView({ x: p.f2, y: p.f1 });

  return (
    <div
      data-f2-lo={xr.lo}
      data-f2-hi={xr.hi}
      data-f1-lo={yr.lo}
      data-f1-hi={yr.hi}
      data-testid="spectrum-2d-plot"
      data-resolution={resolution.state}
      className="relative"
    >
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`2D spectrum, ${p.marks.length} peaks`}
        className="cursor-crosshair touch-none select-none"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => ((drag.current = null), setBox(null))}
        onWheel={onWheel}
        onDoubleClick={reset}
      >
        <defs>
          <clipPath id="spectrum-2d-clip">
            <rect x={M.left} y={M.top} width={w} height={h} />
          </clipPath>
        </defs>
        <rect x={M.left} y={M.top} width={w} height={h} fill="#fff" stroke="#cbd5e1" />
        <g clipPath="url(#spectrum-2d-clip)">
          <g data-contours="positive">
            <path d={paths.pos} fill="none" stroke={POSITIVE} strokeWidth={0.8} />
          </g>
          <g data-contours="negative">
            <path d={paths.neg} fill="none" stroke={NEGATIVE} strokeWidth={0.8} />
          </g>
          {p.marks.map((m, i) => (
            <g key={i} stroke="#c2410c" strokeWidth={1.2}>
              <line x1={x(m.shift2) - 5} x2={x(m.shift2) + 5} y1={y(m.shift1)} y2={y(m.shift1)} />
              <line x1={x(m.shift2)} x2={x(m.shift2)} y1={y(m.shift1) - 5} y2={y(m.shift1) + 5} />
              <title>
                {formatSigned(m.shift2, 3)} ppm / {formatSigned(m.shift1, 2)} ppm
              </title>
            </g>
          ))}
          {box && (
            <rect
              x={Math.min(box.x0, box.x1)}
              y={Math.min(box.y0, box.y1)}
              width={Math.abs(box.x1 - box.x0)}
              height={Math.abs(box.y1 - box.y0)}
              fill="#0ea5e9"
              fillOpacity={0.12}
              stroke="#0284c7"
              strokeDasharray="4 3"
            />
          )}
        </g>
        {xt.values.map((t) => (
          <g key={`x${t}`} fill="#334155" stroke="#334155">
            <line x1={x(t)} x2={x(t)} y1={M.top + h} y2={M.top + h + 5} />
            <text x={x(t)} y={M.top + h + 17} fontSize={11} textAnchor="middle" stroke="none">
              {formatSigned(t, xt.decimals)}
            </text>
          </g>
        ))}
        {yt.values.map((t) => (
          <g key={`y${t}`} fill="#334155" stroke="#334155">
            <line x1={M.left + w} x2={M.left + w + 5} y1={y(t)} y2={y(t)} />
            <text x={M.left + w + 8} y={y(t) + 4} fontSize={11} stroke="none">
              {formatSigned(t, yt.decimals)}
            </text>
          </g>
        ))}
        <text x={M.left + w / 2} y={H - 8} fontSize={12} textAnchor="middle" fill="#334155">
          {p.f2Label}
        </text>
        <text
          x={W - 12}
          y={M.top + h / 2}
          fontSize={12}
          textAnchor="middle"
          fill="#334155"
          transform={`rotate(90 ${W - 12} ${M.top + h / 2})`}
        >
          {p.f1Label}
        </text>
      </svg>
      <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <button type="button" className={btn} onClick={reset} disabled={!zoomed} data-testid="spectrum-2d-reset">
          Reset
        </button>
        <span data-testid="spectrum-2d-range">
          F2 {formatSigned(xr.hi, xt.decimals + 1)} to {formatSigned(xr.lo, xt.decimals + 1)} ppm · F1{' '}
          {formatSigned(yr.hi, yt.decimals + 1)} to {formatSigned(yr.lo, yt.decimals + 1)} ppm
        </span>
        <span data-testid="spectrum-2d-resolution">{resolutionText(resolution, 'a matrix at full resolution')}</span>
        <span>drag a box to zoom · wheel zooms · shift-drag pans · double-click resets</span>
      </div>
    </div>
  );
}
