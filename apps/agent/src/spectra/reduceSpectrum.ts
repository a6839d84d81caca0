/**
 * A spectrum document made small enough for an MQTT message: the processed spectrum is cut into buckets and each
 * bucket keeps its smallest and largest value, in the order they occur (docs/contracts.md, `spectrum.reduction`),
 * so a narrow line keeps its height and the noise its band at any zoom the transported points allow. Peaks, noise
 * and processing were computed on the full spectrum and travel unchanged.
 */
import type { SpectrumDocument } from '@lapis/contracts';

/** Values a 1D spectrum keeps for transport by default (≈ 70 kB of JSON at 5 significant digits). */
export const SPECTRUM_TRANSPORT_VALUES = 8192;

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
  const { real, step: given } = doc.spectrum;
  if (real.length <= maxValues) return doc;
  const reduced = minMaxBuckets(real, maxValues);
  const from = doc.spectrum.reduction?.from ?? real.length * given;
  return {
    ...doc,
    spectrum: {
      ...doc.spectrum,
      real: reduced.real,
      step: reduced.step * given,
      reduction: { method: 'min-max', from },
    },
  };
}

/** The document reduced for transport, by its number of dimensions. */
export function reduceSpectrumForTransport(
  doc: SpectrumDocument,
  maxValues = SPECTRUM_TRANSPORT_VALUES,
): SpectrumDocument {
  if (doc.dimensions === 1) return reduceSpectrum1d(doc, maxValues);
  throw new RangeError(`reduceSpectrumForTransport: ${String(doc.dimensions)}-dimensional spectra are not reduced yet`);
}
