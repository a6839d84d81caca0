// A 2D spectrum document made small for transport: max-|value| pooling keeps every peak's height and sign, the
// document stays schema-valid with its origin recorded, and a 1024 × 2048 HSQC-like spectrum with 500 peaks
// travels in under 256 KiB of JSON.
import { describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import { LAPIS_SPECTRUM_FORMAT, spectrumDocumentSchema, type SpectrumDocument } from '@lapis/contracts';
import {
  poolingSteps,
  reduceSpectrum2d,
  reduceSpectrumForTransport,
  SPECTRUM_TRANSPORT_VALUES_2D,
} from './reduceSpectrum';

/** rows × columns of noise σ 1e3 (values like TopSpin's int32 data) with Gaussian peaks (row, column, height). */
function document2d(rows: number, columns: number, peaks: [number, number, number][], seed = 1): SpectrumDocument {
  const rng = createRng(seed);
  const real: number[] = new Array<number>(rows * columns);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < columns; j++) {
      let v = 1e3 * rng.normal();
      for (const [r, c, h] of peaks) {
        const d = ((i - r) / 3) ** 2 + ((j - c) / 2) ** 2;
        if (d < 30) v += h * Math.exp(-4 * Math.LN2 * d);
      }
      real[i * columns + j] = Number(v.toPrecision(6));
    }
  return {
    format: LAPIS_SPECTRUM_FORMAT,
    dimensions: 2,
    axes: [
      { name: 'shift', unit: 'ppm', nucleus: '13C', first: 150, last: -10, size: rows, frequencyMHz: 125.76 },
      { name: 'shift', unit: 'ppm', nucleus: '1H', first: 10, last: -1, size: columns, frequencyMHz: 500.13 },
    ],
    spectrum: { rows, columns, real, step: [1, 1] },
    noise: 1e3,
    peaks: peaks.map(([r, c, h]) => ({
      shift1: 150 - (160 * r) / rows,
      shift2: 10 - (11 * c) / columns,
      height: h,
      widthHz: 14.3,
      widthHz1: 80.3,
      integral: h * 1.3e3,
      snr: Math.abs(h) / 1e3,
    })),
    processing: {
      mode: 'Echo-Antiecho',
      magnitude: false,
      groupDelayPoints: 67.98,
      groupDelaySource: 'GRPDLY',
      f2: { window: 'QSINE SSB 2', phase0Deg: 31.1, phase1Deg: -1.4, phaseSource: 'automatic', reference: 'procs SF' },
      f1: { window: 'QSINE SSB 2', phase0Deg: 0.5, phase1Deg: 10.8, phaseSource: 'automatic', reference: 'proc2s SF' },
      baseline: 'row and column medians',
      picker: { method: 'local maxima', minSnr: 8 },
    },
    source: { path: '/data/hsqc/3', layout: 'bruker', pulseProgram: 'hsqcedetgpsp.3' },
    software: 'lapis test',
    elapsedMs: 1,
    warnings: [],
  };
}

describe('2D max-|value| pooling for transport', () => {
  it('chooses blocks along the longer axis first and stays within the budget', () => {
    expect(poolingSteps(1024, 1024, 24_576)).toEqual([7, 7]);
    expect(poolingSteps(256, 2048, 24_576)).toEqual([2, 11]);
    expect(poolingSteps(64, 64, 24_576)).toEqual([1, 1]);
    for (const [r, c] of [
      [1024, 2048],
      [4096, 1024],
      [100, 30_000],
    ])
      for (const max of [1000, 8192, 24_576]) {
        const [f1, f2] = poolingSteps(r!, c!, max);
        expect(Math.ceil(r! / f1) * Math.ceil(c! / f2)).toBeLessThanOrEqual(max);
      }
  });

  it('keeps every peak with its sign, records the origin, and fits a 1024 × 2048 spectrum in 256 KiB', () => {
    const rng = createRng(4);
    const peaks: [number, number, number][] = Array.from({ length: 500 }, (_, k) => [
      5 + Math.floor(rng.next() * 1014),
      5 + Math.floor(rng.next() * 2038),
      (k % 5 === 0 ? -1 : 1) * (2e4 + 1e6 * rng.next()),
    ]);
    const doc = document2d(1024, 2048, peaks);
    const reduced = reduceSpectrumForTransport(doc);
    expect(reduced.dimensions).toBe(2);
    if (reduced.dimensions !== 2 || doc.dimensions !== 2) return;
    const { rows, columns, real, step, reduction } = reduced.spectrum;
    expect(rows * columns).toBeLessThanOrEqual(SPECTRUM_TRANSPORT_VALUES_2D);
    expect(real).toHaveLength(rows * columns);
    expect(reduction).toEqual({ method: 'max-abs', from: [1024, 2048] });
    expect([rows, columns]).toEqual([Math.ceil(1024 / step[0]), Math.ceil(2048 / step[1])]);
    for (const [r, c, h] of peaks) {
      // the block holding the peak's top keeps it, to 5 digits (or a taller overlapping neighbour wins the block)
      const kept = real[Math.floor(r / step[0]) * columns + Math.floor(c / step[1])]!;
      const top = doc.spectrum.real[r * 2048 + c]!;
      expect(Math.abs(kept)).toBeGreaterThanOrEqual(Math.abs(top) * 0.9999);
      if (Math.abs(kept) < 1.01 * Math.abs(top)) expect(Math.sign(kept)).toBe(Math.sign(h));
    }
    expect(reduced.peaks).toBe(doc.peaks);
    expect(spectrumDocumentSchema.safeParse(reduced).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(reduced))).toBeLessThan(256 * 1024);
    // reduced again (a smaller budget), the origin stays the full spectrum's and the steps compose
    const again = reduceSpectrum2d(reduced, 2000);
    if (again.dimensions !== 2) return;
    expect(again.spectrum.reduction?.from).toEqual([1024, 2048]);
    expect(again.spectrum.rows).toBe(Math.ceil(1024 / again.spectrum.step[0]));
    expect(spectrumDocumentSchema.safeParse(again).success).toBe(true);
  });

  it('leaves a spectrum that fits alone and refuses the wrong dimensions', () => {
    const small = document2d(64, 128, [[30, 60, 1e5]]);
    expect(reduceSpectrumForTransport(small)).toBe(small);
    expect(() => reduceSpectrum2d({ ...small, dimensions: 1 } as unknown as SpectrumDocument)).toThrow(RangeError);
  });
});
