/**
 * Reading a stored `lapis-spectrum/1` document (docs/contracts.md) for display: its axes, its 1D spectrum as arrays
 * with the ppm of each value, and its peaks, 1D (`shift`) or 2D (`shift1`, `shift2`). Stored documents are read
 * defensively — a field that is missing or of the wrong type reads as absent — because the dashboard keeps any
 * version of the format it once accepted, 2D documents included, and must still draw the page.
 */
import { superscript } from './units';

export interface SpectrumAxisView {
  nucleus: string | null;
  /** ppm of the first point (the highest) and of the last. */
  first: number;
  last: number;
  /** Points of the processed spectrum. */
  size: number;
  frequencyMHz: number | null;
}

export interface Spectrum1dView {
  axis: SpectrumAxisView;
  /** The values as received: value i stands for axis point i × step. */
  real: Float64Array;
  step: number;
  /** Min–max reduced for transport: pairs of (min, max) in the order they occur, from `reducedFrom` points. */
  reducedFrom: number | null;
}

/** A 2D spectrum: rows along F1 (axes[0], indirect), columns along F2 (axes[1], direct), row-major values. */
export interface Spectrum2dView {
  f1: SpectrumAxisView;
  f2: SpectrumAxisView;
  rows: number;
  columns: number;
  real: Float64Array;
  /** Row r is F1 point r × step[0]; column c is F2 point c × step[1]. */
  step: [number, number];
  /** QF (magnitude) data: no negative levels. */
  magnitude: boolean;
}

export interface SpectrumPeakView {
  /** 1D: the shift; 2D: shift2 (direct, F2) and shift1 (indirect, F1). */
  shift: number | null;
  shift1: number | null;
  shift2: number | null;
  height: number | null;
  /** Width at half height, Hz (2D: in F2; widthHz1 in F1). */
  widthHz: number | null;
  widthHz1: number | null;
  integral: number | null;
  snr: number | null;
}

type Loose = Record<string, unknown>;

const obj = (v: unknown): Loose | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : undefined;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** The document's axes that can be drawn (a ppm range with an extent and at least two points). */
export function axesOf(doc: unknown): SpectrumAxisView[] {
  const axes = obj(doc)?.axes;
  if (!Array.isArray(axes)) return [];
  return axes.flatMap((a): SpectrumAxisView[] => {
    const o = obj(a);
    const first = num(o?.first);
    const last = num(o?.last);
    const size = num(o?.size);
    if (first === null || last === null || first === last || size === null || size < 2) return [];
    return [{ nucleus: str(o?.nucleus), first, last, size, frequencyMHz: num(o?.frequencyMHz) }];
  });
}

/** 1 or 2 (what the document says; 1 when it says nothing usable). */
export function dimensionsOf(doc: unknown): number {
  const d = num(obj(doc)?.dimensions);
  return d === 2 ? 2 : 1;
}

/** The observed nucleus, or a 2D spectrum's nuclei by axis joined with '/': '1H', '13C/1H'. */
export function nucleusOf(doc: unknown): string | null {
  const nuclei = axesOf(doc)
    .map((a) => a.nucleus)
    .filter((n): n is string => n !== null);
  return nuclei.length > 0 ? nuclei.join('/') : null;
}

/** The 1D spectrum to draw, or null (a 2D document, or one without a usable spectrum). */
export function spectrum1dOf(doc: unknown): Spectrum1dView | null {
  if (dimensionsOf(doc) !== 1) return null;
  const axis = axesOf(doc)[0];
  const s = obj(obj(doc)?.spectrum);
  const real = s?.real;
  if (!axis || !Array.isArray(real) || real.length < 2) return null;
  const values = Float64Array.from(real, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0));
  const step = num(s?.step);
  const reduction = obj(s?.reduction);
  return {
    axis,
    real: values,
    step: step !== null && step >= 1 ? Math.round(step) : 1,
    reducedFrom: reduction ? num(reduction.from) : null,
  };
}

/**
 * The denoised copy of a 1D spectrum for display (`denoised`, made by the agent's wavelet or network denoiser), on
 * the same points as the spectrum; null when absent or not matching it.
 */
export function denoisedOf(doc: unknown): { real: Float64Array; label: string } | null {
  const one = spectrum1dOf(doc);
  const d = obj(obj(doc)?.denoised);
  const real = d?.real;
  if (!one || !Array.isArray(real) || real.length !== one.real.length) return null;
  const method = str(d?.method) ?? 'denoised';
  const model = str(d?.model);
  return {
    real: Float64Array.from(real, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)),
    label: model ? `${method}, ${model}` : method,
  };
}

/** The 2D spectrum to draw, or null (a 1D document, or values that do not fill rows × columns). */
export function spectrum2dOf(doc: unknown): Spectrum2dView | null {
  if (dimensionsOf(doc) !== 2) return null;
  const [f1, f2] = axesOf(doc);
  const s = obj(obj(doc)?.spectrum);
  const rows = num(s?.rows);
  const columns = num(s?.columns);
  const real = s?.real;
  if (!f1 || !f2 || rows === null || columns === null || rows < 2 || columns < 2) return null;
  if (!Array.isArray(real) || real.length !== rows * columns) return null;
  const step = Array.isArray(s?.step) ? s.step.map((v) => num(v)) : [];
  const magnitude = obj(obj(doc)?.processing)?.magnitude === true;
  return {
    f1,
    f2,
    rows,
    columns,
    real: Float64Array.from(real, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)),
    step: [Math.max(1, Math.round(step[0] ?? 1)), Math.max(1, Math.round(step[1] ?? 1))],
    magnitude,
  };
}

/** ppm of point `k` of an axis: first + k·(last − first)/(size − 1). */
export function ppmOfPoint(axis: SpectrumAxisView, k: number): number {
  return axis.first + (k * (axis.last - axis.first)) / (axis.size - 1);
}

/** ppm of value `i` of a 1D spectrum: first + (i·step)·(last − first)/(size − 1). */
export function ppmOfValue(view: Pick<Spectrum1dView, 'axis' | 'step'>, i: number): number {
  const { first, last, size } = view.axis;
  return first + (i * view.step * (last - first)) / (size - 1);
}

/** The (fractional) value index at `ppm`; the inverse of ppmOfValue. */
export function valueAtPpm(view: Pick<Spectrum1dView, 'axis' | 'step'>, ppm: number): number {
  const { first, last, size } = view.axis;
  return ((ppm - first) * (size - 1)) / ((last - first) * view.step);
}

export function peaksOf(doc: unknown): SpectrumPeakView[] {
  const peaks = obj(doc)?.peaks;
  if (!Array.isArray(peaks)) return [];
  return peaks.flatMap((p): SpectrumPeakView[] => {
    const o = obj(p);
    if (!o) return [];
    return [
      {
        shift: num(o.shift),
        shift1: num(o.shift1),
        shift2: num(o.shift2),
        height: num(o.height),
        widthHz: num(o.widthHz),
        widthHz1: num(o.widthHz1),
        integral: num(o.integral),
        snr: num(o.snr),
      },
    ];
  });
}

/** A nucleus as written in text: '13C' → '¹³C', '13C/1H' → '¹³C/¹H'; null stays null. */
export function nucleusLabel(nucleus: string | null): string | null {
  return nucleus === null ? null : nucleus.replace(/\d+(?=[A-Z])/g, (d) => superscript(Number(d)));
}
