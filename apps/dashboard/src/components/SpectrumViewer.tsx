'use client';
/**
 * A 1D spectrum to explore: drawn on a canvas (spectrumCanvas.ts) so that zooming through thousands of values stays
 * smooth. Drag across to zoom to a range, wheel to zoom about the cursor (sideways wheel pans), shift-drag or
 * middle-drag to pan, double-click or Reset for the whole spectrum; keys: ← → pan, + − zoom, 0 resets. The visible
 * range is mirrored in data attributes (data-view-lo / data-view-hi) for tests and shown in words beneath. Zoomed in
 * on a spectrum that came reduced for transport, the stretch in view is fetched at full resolution from the
 * instrument's agent (useFullResolution.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { axisRange, formatSigned, panBy, zoomAbout, type PpmRange } from '../lib/spectrumAxis';
import { downloadBlob } from './download';
import { drawSpectrum, PLOT, type CanvasOverlay, type CanvasSpectrum } from './spectrumCanvas';
import { useFullResolution } from './useFullResolution';
import { resolutionText } from './resolutionText';

export interface SpectrumViewerProps {
  /** ppm of the first and last axis point, the number of points, and value i = point i × step. */
  first: number;
  last: number;
  size: number;
  step: number;
  real: number[];
  /** Peak shifts, ppm. */
  peaks: number[];
  /** As shown: '¹H'. */
  nucleus: string | null;
  frequencyMHz: number | null;
  /** Base of the PNG's file name. */
  name: string;
  /** A denoised copy for display, same points as `real`: a toggle draws it over the faint measured trace. */
  denoised?: { real: number[]; label: string };
  height?: number;
  /** The stored spectrum's key: zoomed in, the view is fetched at full resolution from its agent. */
  spectrumKey?: string;
}

const btn =
  'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-100 disabled:opacity-40';

export function SpectrumViewer(p: SpectrumViewerProps) {
  const height = p.height ?? 440;
  const full = useMemo(() => axisRange({ first: p.first, last: p.last }), [p.first, p.last]);
  // no narrower than 8 values (of the full resolution, where the agent can send it): a line is still a line
  const minSpan = (8 * (p.spectrumKey ? 1 : p.step) * Math.abs(p.last - p.first)) / (p.size - 1);
  const [showDenoised, setShowDenoised] = useState(false);
  const denoised = showDenoised ? p.denoised : undefined;
  const [view, setViewState] = useState<PpmRange>(full);
  const viewRef = useRef(view);
  const setView = useCallback((v: PpmRange) => {
    viewRef.current = v;
    setViewState(v);
  }, []);
  const [width, setWidth] = useState(0);
  const plotWidth = Math.max(1, width - PLOT.left - PLOT.right);
  const { detail, resolution } = useFullResolution({
    spectrumKey: p.spectrumKey,
    step: p.step,
    values: p.real.length,
    full,
    view,
    plotWidth,
  });
  const spectrum = useMemo<CanvasSpectrum>(
    () => ({
      ...(detail && !denoised
        ? { ...detail.axis, step: detail.step, real: detail.real }
        : { first: p.first, last: p.last, size: p.size, step: p.step, real: denoised ? denoised.real : p.real }),
      ...(denoised ? { under: p.real } : {}),
      peaks: p.peaks,
      caption: [
        p.nucleus,
        p.frequencyMHz ? `${p.frequencyMHz.toFixed(2)} MHz` : null,
        denoised ? `denoised (${denoised.label}) for display` : null,
      ]
        .filter(Boolean)
        .join(' · '),
    }),
    [p.first, p.last, p.size, p.step, p.real, p.peaks, p.nucleus, p.frequencyMHz, denoised, detail],
  );
  /** Pointer position over the plot, CSS pixels; the ppm under it follows the view. */
  const [cursorX, setCursorX] = useState<number | null>(null);
  const [labelled, setLabelled] = useState(true);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const overlay = useRef<CanvasOverlay>({});
  const drag = useRef<{ mode: 'select' | 'pan'; x: number; view: PpmRange } | null>(null);
  const frame = useRef(0);

  const draw = useCallback(() => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || width === 0) return;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      setLabelled(drawSpectrum(ctx, spectrum, viewRef.current, width, height, overlay.current).labelled);
    });
  }, [spectrum, width, height]);

  useEffect(() => draw(), [draw, view]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => setWidth(Math.floor(entries[0]!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const xOf = (clientX: number) => clientX - (canvasRef.current?.getBoundingClientRect().left ?? 0);
  const ppmAtX = useCallback(
    (x: number) => viewRef.current.hi - ((x - PLOT.left) / plotWidth) * (viewRef.current.hi - viewRef.current.lo),
    [plotWidth],
  );

  // The wheel zooms about the cursor; a native listener, as React's is passive and cannot keep the page still.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const v = viewRef.current;
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        setView(panBy(v, (-e.deltaX / plotWidth) * (v.hi - v.lo), full));
        return;
      }
      const x = e.clientX - canvas.getBoundingClientRect().left;
      setView(zoomAbout(v, ppmAtX(x), Math.exp(e.deltaY * 0.0015), full, minSpan));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [full, minSpan, plotWidth, ppmAtX, setView]);

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.button !== 1) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const pan = e.shiftKey || e.button === 1;
    drag.current = { mode: pan ? 'pan' : 'select', x: xOf(e.clientX), view: viewRef.current };
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const x = xOf(e.clientX);
    overlay.current.cursorX = x;
    setCursorX(x >= PLOT.left && x <= PLOT.left + plotWidth ? x : null);
    const d = drag.current;
    if (d?.mode === 'pan') {
      const v = d.view;
      setView(panBy(v, ((x - d.x) / plotWidth) * (v.hi - v.lo), full));
      return;
    }
    if (d?.mode === 'select') overlay.current.selection = [d.x, x];
    draw();
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    overlay.current.selection = undefined;
    if (d?.mode === 'select') {
      const x = xOf(e.clientX);
      if (Math.abs(x - d.x) >= 5) {
        const [a, b] = [ppmAtX(d.x), ppmAtX(x)];
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const mid = (lo + hi) / 2;
        const span = Math.max(hi - lo, minSpan);
        setView(zoomAbout({ lo: mid - span / 2, hi: mid + span / 2 }, mid, 1, full, minSpan));
        return;
      }
    }
    draw();
  };
  const onPointerLeave = () => {
    overlay.current.cursorX = undefined;
    setCursorX(null);
    draw();
  };
  const zoom = (factor: number) => {
    const v = viewRef.current;
    setView(zoomAbout(v, (v.lo + v.hi) / 2, factor, full, minSpan));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const v = viewRef.current;
    const handled: Record<string, () => void> = {
      ArrowLeft: () => setView(panBy(v, 0.1 * (v.hi - v.lo), full)),
      ArrowRight: () => setView(panBy(v, -0.1 * (v.hi - v.lo), full)),
      '+': () => zoom(1 / 1.5),
      '=': () => zoom(1 / 1.5),
      '-': () => zoom(1.5),
      '0': () => setView(full),
      Escape: () => setView(full),
    };
    const act = handled[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  };
  const savePng = () =>
    canvasRef.current?.toBlob((blob) => blob && downloadBlob(`${p.name}-spectrum.png`, 'image/png', blob));

  const span = view.hi - view.lo;
  const digits = span < 1 ? 3 : 2;
  const cursor = cursorX === null ? null : view.hi - ((cursorX - PLOT.left) / plotWidth) * span;
  const whole = view.lo <= full.lo && view.hi >= full.hi;
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-3"
      data-testid="spectrum-viewer"
      data-view-lo={view.lo.toFixed(4)}
      data-view-hi={view.hi.toFixed(4)}
      data-labelled={labelled}
      data-resolution={resolution.state}
    >
      <figcaption className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium text-slate-700">
          {p.nucleus ? `${p.nucleus} spectrum` : 'Spectrum'}
          <span className="ml-2 font-normal tabular-nums text-slate-500" data-testid="spectrum-range">
            {formatSigned(view.hi, digits)} – {formatSigned(view.lo, digits)} ppm
          </span>
        </span>
        <span className="flex items-center gap-1">
          {p.denoised ? (
            <button
              type="button"
              className={`${btn} ${showDenoised ? 'border-sky-500 bg-sky-50 text-sky-800' : ''}`}
              aria-pressed={showDenoised}
              title="Show a denoised copy over the measured spectrum (display only: peaks and integrals are the measured spectrum's)"
              onClick={() => setShowDenoised((v) => !v)}
            >
              Denoised
            </button>
          ) : null}
          <button type="button" className={btn} onClick={() => zoom(1 / 2)} aria-label="zoom in">
            +
          </button>
          <button type="button" className={btn} onClick={() => zoom(2)} disabled={whole} aria-label="zoom out">
            −
          </button>
          <button type="button" className={btn} onClick={() => setView(full)} disabled={whole}>
            Reset
          </button>
          <button type="button" className={btn} onClick={savePng}>
            PNG
          </button>
        </span>
      </figcaption>
      <div
        ref={wrapRef}
        className="relative outline-none focus-visible:ring-2 focus-visible:ring-sky-400"
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-label="spectrum: arrow keys pan, + and − zoom, 0 shows it whole"
      >
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`${p.nucleus ?? ''} spectrum, ${formatSigned(view.hi, 2)} to ${formatSigned(view.lo, 2)} ppm, ${p.peaks.length} peaks`}
          style={{ width: '100%', height, display: 'block', cursor: 'crosshair', touchAction: 'none' }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onPointerLeave={onPointerLeave}
          onDoubleClick={() => setView(full)}
        />
      </div>
      <div className="mt-1 flex flex-wrap justify-between gap-2 text-xs text-slate-500">
        <span className="tabular-nums" data-testid="spectrum-cursor">
          {cursor !== null
            ? `δ ${formatSigned(cursor, 3)} ppm${p.frequencyMHz ? ` · ${formatSigned(cursor * p.frequencyMHz, 1)} Hz` : ''}`
            : '\u00a0'}
        </span>
        <span data-testid="spectrum-resolution">
          {denoised
            ? `denoised copy, as transported (1 value per ${p.step} points)`
            : resolutionText(resolution, `${p.size.toLocaleString('en')} points`)}
        </span>
        <span>
          Drag to zoom · wheel to zoom · shift-drag to pan · double-click to reset
          {labelled ? '' : ' · zoom in to label the peaks'}
        </span>
      </div>
    </figure>
  );
}
