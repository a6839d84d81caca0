import { describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import { LAPIS_SPECTRUM_FORMAT, spectrumEnvelopeSchema, type SpectrumDocument } from '@lapis/contracts';
import { spectrumEnvelope } from '../agent/processors/buildEnvelope';
import { DEFAULT_SPECTRA } from '../agent/config/schema';
import { minMaxBuckets, reduceSpectrum1d } from './reduceSpectrum';

/** Noise σ 1 with Lorentzian lines (height, centre point, half width in points) on `n` points. */
function spectrumOf(n: number, seed: number, lines: [number, number, number][]): Float64Array {
  const rng = createRng(seed);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.normal();
    for (const [h, c, w] of lines) y[i]! += h / (1 + ((i - c) / w) ** 2);
  }
  return y;
}

function documentOf(real: Float64Array, peaks: number): SpectrumDocument {
  return {
    format: LAPIS_SPECTRUM_FORMAT,
    dimensions: 1,
    axes: [{ name: 'shift', unit: 'ppm', nucleus: '1H', first: 12, last: -1, size: real.length, frequencyMHz: 400.13 }],
    spectrum: { real: Array.from(real), step: 1 },
    noise: 1,
    peaks: Array.from({ length: peaks }, (_, k) => ({
      shift: 12 - (13 * k) / peaks,
      height: 50,
      widthHz: 1,
      integral: 80,
      snr: 50,
    })),
    processing: {
      lineBroadeningHz: 0.3,
      groupDelayPoints: 67.98,
      groupDelaySource: 'GRPDLY',
      phase0Deg: 0,
      phase1Deg: 0,
      baseline: 'linear + whittaker',
      reference: 'procs SF',
      picker: { method: 'classical', minSnr: 5 },
    },
    source: { path: '/data/x/1', layout: 'bruker' },
    software: 'lapis test',
    elapsedMs: 1,
    warnings: [],
  };
}

describe('min–max buckets for transport', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps every line's height and the noise band (seed ${seed})`, () => {
      const rng = createRng(100 + seed);
      const n = 65536;
      const lines: [number, number, number][] = Array.from({ length: 12 }, () => [
        20 + 500 * rng.next(),
        200 + Math.floor(rng.next() * (n - 400)),
        2 + 10 * rng.next(),
      ]);
      const y = spectrumOf(n, seed, lines);
      const { real, step } = minMaxBuckets(y, 8192);
      expect(step).toBe(8);
      expect(real).toHaveLength(8192);
      for (const [, c] of lines) {
        const top = Math.max(...y.subarray(c - 3, c + 4));
        const bucket = Math.floor(c / 16) * 2;
        const kept = Math.max(...real.slice(bucket - 2, bucket + 4));
        expect(kept / top).toBeGreaterThan(0.9999); // 5 significant digits
      }
      // noise: the smallest and largest value over a quiet stretch survive
      expect(Math.min(...real)).toBeCloseTo(Math.min(...y), 3);
      // each pair is in the order its values occur
      const i = 2 * 100;
      const chunk = Array.from(y.subarray(1600, 1616));
      const lo = chunk.indexOf(Math.min(...chunk));
      const hi = chunk.indexOf(Math.max(...chunk));
      expect(real[i]! < real[i + 1]!).toBe(lo < hi);
    });
  }

  it('leaves a spectrum that fits alone, and reduces the document with its origin', () => {
    const y = spectrumOf(4096, 4, [[100, 2000, 3]]);
    const doc = documentOf(y, 3);
    expect(reduceSpectrum1d(doc, 8192)).toBe(doc);
    const reduced = reduceSpectrum1d(doc, 1024);
    expect(reduced.spectrum).toMatchObject({ step: 4, reduction: { method: 'min-max', from: 4096 } });
    expect(reduced.spectrum.real).toHaveLength(1024);
    expect(reduced.peaks).toBe(doc.peaks);
    const withDenoised = {
      ...doc,
      denoised: { method: 'wavelet' as const, real: Array.from(y, (v) => v / 2), step: 1 },
    };
    const both = reduceSpectrum1d(withDenoised, 1024);
    if (both.dimensions !== 1) throw new Error('expected a 1D spectrum');
    expect(both.denoised).toMatchObject({ step: 4, reduction: { method: 'min-max', from: 4096 } });
    both.denoised!.real.forEach((v, i) =>
      expect(Math.abs(v - both.spectrum.real[i]! / 2)).toBeLessThan(1e-4 * Math.abs(v) + 1e-9),
    );
    expect(() => minMaxBuckets(y, 1)).toThrow(RangeError);
  });
});

describe('the spectrum message', () => {
  const origin = {
    key: 'a'.repeat(64),
    rawDataHash: 'b'.repeat(64),
    instrument: 'nmr-400',
    path: '/data/x/1',
    reprocessed: false,
  };

  it('fits the payload limit by halving the transported values, and is valid', () => {
    const doc = documentOf(spectrumOf(65536, 5, [[300, 30000, 4]]), 40);
    const analysis = {
      kind: 'spectrum' as const,
      document: doc,
      method: 'classical',
      settings: DEFAULT_SPECTRA,
      reader: 'bruker',
    };
    const roomy = spectrumEnvelope({ ...origin, analysis });
    expect(roomy.envelope.document.spectrum.real).toHaveLength(8192);
    const tight = spectrumEnvelope({ ...origin, analysis }, 40_000);
    expect(Buffer.byteLength(tight.payload)).toBeLessThanOrEqual(40_000);
    expect(tight.envelope.document.spectrum.real.length).toBeLessThanOrEqual(4096);
    expect(spectrumEnvelopeSchema.parse(JSON.parse(tight.payload)).document.peaks).toHaveLength(40);
    // more peaks than any reduction of the spectrum can make room for: a clear error, not a refused message
    const crowded = { ...analysis, document: documentOf(spectrumOf(65536, 6, []), 3000) };
    expect(() => spectrumEnvelope({ ...origin, analysis: crowded }, 40_000)).toThrow(/over the 40000-byte limit/);
  });
});
