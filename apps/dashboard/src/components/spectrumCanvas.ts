/**
 * Draws a 1D spectrum on a canvas for SpectrumViewer: the trace over the visible ppm range (high ppm on the left),
 * min–max per pixel column when there are more values than pixels — one path, fast at any zoom — the ppm axis with
 * round ticks, peaks marked at their apex and, when there is room, labelled with their shift on leader lines, the
 * drag selection and the cursor line. The intensity scale follows the visible range (no intensity axis: spectra
 * are read by shape).
 */
import { formatSigned, niceTicks, shiftDecimals, spreadLabels, type PpmRange } from '../lib/spectrumAxis';

export interface CanvasSpectrum {
  first: number;
  last: number;
  size: number;
  step: number;
  real: ArrayLike<number>;
  /** Peak shifts, ppm. */
  peaks: readonly number[];
  /** Shown in the corner: '¹H · 400.13 MHz'. */
  caption: string;
  /** Drawn faint beneath the trace, on the same points (the measured spectrum under its denoised copy). */
  under?: ArrayLike<number>;
}

export interface CanvasOverlay {
  /** Pixels (CSS) of the drag selection's ends. */
  selection?: [number, number];
  cursorX?: number;
}

/** Plot margins, CSS pixels. */
export const PLOT = { left: 14, right: 14, top: 10, bottom: 46 };
/** Height kept above the trace for peak labels. */
const LABEL_BAND = 58;
const LABEL_GAP = 13;

const COLOURS = {
  trace: '#1e3a8a',
  under: 'rgba(148, 163, 184, 0.55)',
  axis: '#334155',
  tickText: '#334155',
  minor: '#94a3b8',
  peak: '#c2410c',
  leader: 'rgba(234, 88, 12, 0.45)',
  label: '#7c2d12',
  selection: 'rgba(14, 116, 144, 0.14)',
  selectionEdge: 'rgba(14, 116, 144, 0.7)',
  cursor: 'rgba(71, 85, 105, 0.45)',
  caption: '#64748b',
};

const FONT = 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", sans-serif';

export interface DrawResult {
  /** Peaks inside the view, and whether they were labelled (there was room). */
  visiblePeaks: number;
  labelled: boolean;
}

/** Fractional value index at `ppm`. */
const indexAt = (s: CanvasSpectrum, ppm: number) => ((ppm - s.first) * (s.size - 1)) / ((s.last - s.first) * s.step);
const ppmAt = (s: CanvasSpectrum, i: number) => s.first + (i * s.step * (s.last - s.first)) / (s.size - 1);

/** Smallest and largest value with index in [a, b] (clamped). */
function extent(s: CanvasSpectrum, a: number, b: number): [number, number] {
  const i0 = Math.max(0, Math.floor(Math.min(a, b)));
  const i1 = Math.min(s.real.length - 1, Math.ceil(Math.max(a, b)));
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = i0; i <= i1; i++) {
    const v = s.real[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export function drawSpectrum(
  ctx: CanvasRenderingContext2D,
  s: CanvasSpectrum,
  view: PpmRange,
  width: number,
  height: number,
  overlay: CanvasOverlay = {},
): DrawResult {
  const x0 = PLOT.left;
  const x1 = width - PLOT.right;
  const w = Math.max(1, x1 - x0);
  const yAxis = height - PLOT.bottom;
  const span = view.hi - view.lo;
  const xOf = (ppm: number) => x0 + ((view.hi - ppm) / span) * w;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  // peaks in view, left to right, and whether their labels fit
  const peaks = s.peaks.filter((p) => p >= view.lo && p <= view.hi).sort((a, b) => b - a);
  const xs = peaks.map(xOf);
  const labelX = peaks.length > 0 ? spreadLabels(xs, LABEL_GAP, x0 + 6, x1 - 6) : undefined;
  const labelled = labelX !== undefined && peaks.length > 0;

  // intensity scale from the visible values (of the measured spectrum when it lies beneath); the tallest reaches the
  // top of the trace area
  const scaleBy = s.under ? { ...s, real: s.under } : s;
  const [vLo, vHi] = extent(scaleBy, indexAt(s, view.hi), indexAt(s, view.lo));
  const top = PLOT.top + (labelled ? LABEL_BAND : 14);
  const bottom = yAxis - 8;
  const pad = (vHi - vLo) * 0.02 || 1;
  const yMin = vLo - pad;
  const yMax = vHi > vLo ? vHi : vLo + 1;
  const yOf = (v: number) => bottom - ((v - yMin) / (yMax - yMin)) * (bottom - top);

  // the trace(s), clipped to the plot
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, PLOT.top, w, yAxis - PLOT.top);
  ctx.clip();
  const a = indexAt(s, view.hi);
  const b = indexAt(s, view.lo);
  const count = Math.abs(b - a);
  const trace = (values: ArrayLike<number>, colour: string) => {
    const t = { ...s, real: values };
    ctx.beginPath();
    if (count > 2 * w) {
      // more values than pixels: each column's min and max (min–max reduced values stay min–max)
      const perPx = (b - a) / w;
      for (let px = 0; px < w; px++) {
        const [lo, hi] = extent(t, a + px * perPx, a + (px + 1) * perPx);
        if (lo > hi) continue;
        const x = x0 + px + 0.5;
        if (px === 0) ctx.moveTo(x, yOf(hi));
        else ctx.lineTo(x, yOf(hi));
        ctx.lineTo(x, yOf(lo));
      }
    } else {
      const i0 = Math.max(0, Math.floor(Math.min(a, b)) - 1);
      const i1 = Math.min(values.length - 1, Math.ceil(Math.max(a, b)) + 1);
      for (let i = i0; i <= i1; i++) {
        const x = xOf(ppmAt(s, i));
        const y = yOf(values[i]!);
        if (i === i0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.lineJoin = 'round';
    ctx.stroke();
  };
  if (s.under) trace(s.under, COLOURS.under);
  trace(s.real, COLOURS.trace);

  // peaks: a mark above each apex; labels on leader lines when they fit
  const decimals = shiftDecimals(view);
  const bandBottom = PLOT.top + LABEL_BAND - 14;
  ctx.font = `10.5px ${FONT}`;
  const near = Math.max(1.5, (3 * count) / w); // the apex within ±3 px of the fitted centre
  const apexes = peaks.map((p) => yOf(extent(s, indexAt(s, p) - near, indexAt(s, p) + near)[1]));
  peaks.forEach((p, k) => {
    const x = xs[k]!;
    const apex = apexes[k]!;
    ctx.strokeStyle = COLOURS.peak;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    ctx.moveTo(x, apex - 3);
    ctx.lineTo(x, apex - 9);
    ctx.stroke();
    if (!labelled || !labelX) return;
    // a multiplet's leaders stop above its tallest line, not one over another down its flanks
    let stop = apex;
    for (let j = 0; j < peaks.length; j++) if (Math.abs(xs[j]! - x) < 8) stop = Math.min(stop, apexes[j]!);
    const lx = labelX[k]!;
    ctx.strokeStyle = COLOURS.leader;
    ctx.lineWidth = 0.8;
    ctx.beginPath();
    ctx.moveTo(lx, bandBottom);
    ctx.lineTo(lx, bandBottom + 4);
    ctx.lineTo(x, bandBottom + 12);
    ctx.lineTo(x, Math.max(bandBottom + 12, stop - 11));
    ctx.stroke();
    ctx.save();
    ctx.translate(lx + 3.5, bandBottom - 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillStyle = COLOURS.label;
    ctx.textAlign = 'left';
    ctx.fillText(formatSigned(p, decimals), 0, 0);
    ctx.restore();
  });
  ctx.restore();

  // the ppm axis: line, minor and major ticks, labels, title
  ctx.strokeStyle = COLOURS.axis;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x0, yAxis + 0.5);
  ctx.lineTo(x1, yAxis + 0.5);
  ctx.stroke();
  const ticks = niceTicks(view.lo, view.hi, Math.max(2, Math.floor(w / 90)));
  const mantissa = Math.round(ticks.step / 10 ** Math.floor(Math.log10(ticks.step) + 1e-9));
  const minorStep = ticks.step / (mantissa === 2 ? 4 : 5);
  ctx.strokeStyle = COLOURS.minor;
  ctx.beginPath();
  for (let k = Math.ceil(view.lo / minorStep); k * minorStep <= view.hi; k++) {
    const x = Math.round(xOf(k * minorStep)) + 0.5;
    ctx.moveTo(x, yAxis);
    ctx.lineTo(x, yAxis + 3);
  }
  ctx.stroke();
  ctx.strokeStyle = COLOURS.axis;
  ctx.fillStyle = COLOURS.tickText;
  ctx.font = `11px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.beginPath();
  for (const t of ticks.values) {
    const x = Math.round(xOf(t)) + 0.5;
    ctx.moveTo(x, yAxis);
    ctx.lineTo(x, yAxis + 6);
    ctx.fillText(formatSigned(t, ticks.decimals), x, yAxis + 9);
  }
  ctx.stroke();
  ctx.font = `12px ${FONT}`;
  ctx.fillText('δ (ppm)', x0 + w / 2, yAxis + 27);
  ctx.textBaseline = 'alphabetic';

  // caption, selection, cursor
  ctx.textAlign = 'right';
  ctx.fillStyle = COLOURS.caption;
  ctx.font = `11px ${FONT}`;
  ctx.fillText(s.caption, x1, yAxis + 38);
  if (overlay.selection) {
    const [sa, sb] = overlay.selection;
    const left = Math.max(x0, Math.min(sa, sb));
    const right = Math.min(x1, Math.max(sa, sb));
    ctx.fillStyle = COLOURS.selection;
    ctx.fillRect(left, PLOT.top, right - left, yAxis - PLOT.top);
    ctx.strokeStyle = COLOURS.selectionEdge;
    ctx.strokeRect(left + 0.5, PLOT.top + 0.5, right - left - 1, yAxis - PLOT.top - 1);
  }
  if (overlay.cursorX !== undefined && overlay.cursorX >= x0 && overlay.cursorX <= x1) {
    ctx.strokeStyle = COLOURS.cursor;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(Math.round(overlay.cursorX) + 0.5, PLOT.top);
    ctx.lineTo(Math.round(overlay.cursorX) + 0.5, yAxis);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  return { visiblePeaks: peaks.length, labelled };
}
