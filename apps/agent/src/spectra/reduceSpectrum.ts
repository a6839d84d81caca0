/**
 * A spectrum document made small enough for an MQTT message: the processed spectrum is cut into buckets and each
 * bucket keeps its smallest and largest value, in the order they occur (docs/contracts.md, `spectrum.reduction`),
 * so a narrow line keeps its height and the noise its band at any zoom the transported points allow. Peaks, noise
 * and processing were computed on the full spectrum and travel unchanged.
 */
import type { SpectrumDocument } from '@lapis/contracts';

/** Values a 1D spectrum keeps for transport by default (≈ 70 kB of JSON at 5 significant digits). */
export const SPECTRUM_TRANSPORT_VALUES = 8192;

/**
 * Values a 2D spectrum keeps for transport by default (3 × the 1D default): 24 576 values at 5 significant digits,
 * ≈ 7–9 bytes each as JSON text for the magnitudes TopSpin data have (`1.2345e+6,` at worst 12), ≈ 200 kB; a 2D
 * document's peaks (≈ 150 bytes each) come on top, so a caller that must stay under MQTT's 256 KiB halves the
 * values when a spectrum has many peaks (buildEnvelope does).
 */
export const SPECTRUM_TRANSPORT_VALUES_2D = 24_576;

/** Block sizes (F1, F2) that bring rows × columns to ≤ maxValues, growing the block along the longer pooled axis. */
export function poolingSteps(rows: number, columns: number, maxValues: number): [number, number] {
  if (!(maxValues >= 4)) throw new RangeError(`poolingSteps: maxValues must be ≥ 4, got ${maxValues}`);
  let f1 = 1;
  let f2 = 1;
  while (Math.ceil(rows / f1) * Math.ceil(columns / f2) > maxValues) {
    if (Math.ceil(rows / f1) >= Math.ceil(columns / f2)) f1++;
    else f2++;
  }
  return [f1, f2];
}

/**
 * The document with its 2D spectrum reduced to ≤ `maxValues` values by max-|value| pooling: each block of
 * step[0] × step[1] points gives its value of largest magnitude, sign kept (an edited HSQC's negative peaks stay
 * negative, a narrow peak keeps its height), at 5 significant digits; `reduction.from` records the full size.
 * Unchanged when it already fits.
 */
export function reduceSpectrum2d(doc: SpectrumDocument, maxValues = SPECTRUM_TRANSPORT_VALUES_2D): SpectrumDocument {
  if (doc.dimensions !== 2) throw new RangeError('reduceSpectrum2d: a 1D document (reduceSpectrum1d)');
  const { rows, columns, real, step } = doc.spectrum;
  if (real.length <= maxValues) return doc;
  const [f1, f2] = poolingSteps(rows, columns, maxValues);
  const pooled = maxAbsPool(real, rows, columns, f1, f2);
  const from = doc.spectrum.reduction?.from ?? [rows * step[0], columns * step[1]];
  return {
    ...doc,
    spectrum: {
      ...doc.spectrum,
      rows: pooled.rows,
      columns: pooled.columns,
      real: pooled.real,
      step: [f1 * step[0], f2 * step[1]],
      reduction: { method: 'max-abs', from },
    },
  };
}

/** Each f1 × f2 block of a row-major rows × columns array as its value of largest magnitude (sign kept), 5 digits. */
export function maxAbsPool(
  real: ArrayLike<number>,
  rows: number,
  columns: number,
  f1: number,
  f2: number,
): { real: number[]; rows: number; columns: number } {
  const outRows = Math.ceil(rows / f1);
  const outColumns = Math.ceil(columns / f2);
  const out: number[] = new Array<number>(outRows * outColumns);
  for (let a = 0; a < outRows; a++) {
    for (let b = 0; b < outColumns; b++) {
      let best = 0;
      for (let r = a * f1, rEnd = Math.min(rows, r + f1); r < rEnd; r++)
        for (let c = b * f2, cEnd = Math.min(columns, c + f2); c < cEnd; c++) {
          const v = real[r * columns + c]!;
          if (Math.abs(v) > Math.abs(best)) best = v;
        }
      out[a * outColumns + b] = round5(best);
    }
  }
  return { real: out, rows: outRows, columns: outColumns };
}

/** Rounds to 5 significant digits: far below the noise of any spectrum, and half the bytes of a double's text. */
const round5 = (x: number): number => (x === 0 ? 0 : Number(x.toPrecision(5)));

/** Min–max buckets of `values`: ≤ `maxValues` numbers, each standing for `step` points of the input. */
export function minMaxBuckets(values: ArrayLike<number>, maxValues: number): { real: number[]; step: number } {
  const n = values.length;
  if (maxValues < 2) throw new RangeError(`minMaxBuckets: maxValues must be ≥ 2, got ${maxValues}`);
  const step = Math.max(1, Math.ceil(n / maxValues));
  const real: number[] = [];
  if (step === 1) {
    for (let i = 0; i < n; i++) real.push(round5(values[i]!));
    return { real, step };
  }
  const width = 2 * step;
  for (let start = 0; start < n; start += width) {
    const end = Math.min(n, start + width);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    if (lo <= hi) real.push(round5(values[lo]!), round5(values[hi]!));
    else real.push(round5(values[hi]!), round5(values[lo]!));
  }
  return { real, step };
}

/** The document with its 1D spectrum reduced to ≤ `maxValues` values; unchanged when it already fits. */
export function reduceSpectrum1d(doc: SpectrumDocument, maxValues = SPECTRUM_TRANSPORT_VALUES): SpectrumDocument {
  if (doc.dimensions !== 1) throw new RangeError('reduceSpectrum1d: a 2D document (reduceSpectrum2d)');
  const { real, step: given } = doc.spectrum;
  if (real.length <= maxValues) return doc;
  const reduced = minMaxBuckets(real, maxValues);
  const from = doc.spectrum.reduction?.from ?? real.length * given;
  const reduction = { method: 'min-max' as const, from };
  const out: SpectrumDocument = {
    ...doc,
    spectrum: { ...doc.spectrum, real: reduced.real, step: reduced.step * given, reduction },
  };
  // the denoised spectrum, when there is one, in the same buckets
  if (doc.denoised && doc.denoised.real.length === real.length) {
    const d = minMaxBuckets(doc.denoised.real, maxValues);
    out.denoised = { ...doc.denoised, real: d.real, step: d.step * given, reduction };
  }
  return out;
}

/**
 * The document reduced for transport, by its number of dimensions: a 1D spectrum to ≤ `maxValues` values, a 2D
 * one to ≤ `maxValues2d` (default 3 × maxValues: 24 576 for the default 8192, and halved with it when a caller
 * halves maxValues to fit a payload).
 */
export function reduceSpectrumForTransport(
  doc: SpectrumDocument,
  maxValues = SPECTRUM_TRANSPORT_VALUES,
  maxValues2d = 3 * maxValues,
): SpectrumDocument {
  if (doc.dimensions === 1) return reduceSpectrum1d(doc, maxValues);
  return reduceSpectrum2d(doc, maxValues2d);
}
