import { createRng } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import { spectrumNoise } from '../processing/spectrumNoise';
import { whittakerBaseline } from '../processing/whittakerBaseline';
import { lorentz, spectrumOf } from '../testing/spectrum1d';
import { fitLines } from './fitLines';
import { lineArea } from './lineshape';
import { pickPeaks1d } from './pickPeaks1d';
import { savitzkyGolay } from './savitzkyGolay';

describe('Savitzky–Golay', () => {
  it('is exact on quadratics: the value and the second derivative', () => {
    const y = Float64Array.from({ length: 50 }, (_, i) => 3 - 0.5 * i + 0.25 * i * i);
    const { smooth, secondDerivative } = savitzkyGolay(y, 4);
    for (let i = 0; i < 50; i++) {
      expect(smooth[i]).toBeCloseTo(y[i]!, 8);
      expect(secondDerivative[i]).toBeCloseTo(0.5, 8);
    }
  });
});

describe('Whittaker baseline', () => {
  it('recovers a smooth baseline under narrow lines, within the noise (compared where their tails have died)', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const n = 8192;
      const base = Float64Array.from({ length: n }, (_, i) => 50 * Math.sin((2 * Math.PI * i) / n) + 20 * (i / n) ** 2);
      const y = Float64Array.from(
        base,
        (b, i) => b + lorentz(i, 2000, 5000, 8) + lorentz(i, 6000, 3000, 12) + rng.normal(),
      );
      const z = whittakerBaseline(y);
      let worst = 0;
      for (let i = 0; i < n; i += 7)
        if (Math.abs(i - 2000) > 1000 && Math.abs(i - 6000) > 1000) worst = Math.max(worst, Math.abs(z[i]! - base[i]!));
      expect(worst).toBeLessThan(1.5);
    }
  });
});

describe('noise', () => {
  it('measures σ in the quiet segments, even with correlated (zero-filled) noise and lines', () => {
    const rng = createRng(9);
    const white = Float64Array.from({ length: 4096 }, () => rng.normal());
    // 4× oversampled noise: linear interpolation keeps σ within a factor of ~0.8 but correlates neighbours
    const y = Float64Array.from({ length: 16384 }, (_, i) => {
      const k = Math.floor(i / 4);
      const t = (i % 4) / 4;
      return (1 - t) * white[k]! + t * white[Math.min(k + 1, 4095)]! + lorentz(i, 8000, 1e4, 10);
    });
    const sigma = spectrumNoise(y);
    expect(sigma).toBeGreaterThan(0.6);
    expect(sigma).toBeLessThan(1.1);
  });
});

describe('line fits', () => {
  it('separate two lines half a width apart and give their areas', () => {
    const y = Float64Array.from({ length: 200 }, (_, i) => lorentz(i, 95, 1000, 10) + lorentz(i, 100, 500, 10));
    const fit = fitLines(y, 40, 160, [
      { x: 94, height: 900, width: 8 },
      { x: 101, height: 600, width: 8 },
    ]);
    const [a, b] = fit.lines;
    expect(a!.x).toBeCloseTo(95, 1);
    expect(b!.x).toBeCloseTo(100, 1);
    expect(lineArea(a!.height, a!.width, fit.eta) / lineArea(1000, 10, 1)).toBeCloseTo(1, 2);
    expect(fit.eta).toBeGreaterThan(0.95);
  });
});

describe('pickPeaks1d', () => {
  it('finds lines over three decades of height, seeds varied, and nothing else', () => {
    for (const seed of [4, 5, 6, 7]) {
      const rng = createRng(seed);
      const truth = Array.from({ length: 12 }, (_, k) => ({
        x: 300 + k * 600 + 200 * rng.next(),
        h: 10 ** (1.5 + 3 * rng.next()),
        w: 4 + 6 * rng.next(),
      }));
      const real = Float64Array.from(
        { length: 8192 },
        (_, i) => truth.reduce((s, t) => s + lorentz(i, t.x, t.h, t.w), 0) + rng.normal(),
      );
      const { peaks } = pickPeaks1d(spectrumOf(real, 1));
      for (const t of truth) {
        const ppm = 10 - t.x * 0.01;
        const found = peaks.filter((p) => Math.abs(p.shift - ppm) < 0.1 * t.w * 0.01);
        expect(found, `seed ${seed}, line at ${t.x.toFixed(1)}`).toHaveLength(1);
        expect(found[0]!.integral / lineArea(t.h, t.w, 1)).toBeGreaterThan(0.85);
        expect(found[0]!.integral / lineArea(t.h, t.w, 1)).toBeLessThan(1.15);
      }
      expect(peaks.length).toBe(truth.length);
    }
  });

  it('splits two lines that look like one: half a width apart, the second 0.7 as high', () => {
    for (const seed of [8, 9, 10]) {
      const rng = createRng(seed);
      const real = Float64Array.from(
        { length: 4096 },
        (_, i) => lorentz(i, 2000, 400, 10) + lorentz(i, 2005, 280, 10) + rng.normal(),
      );
      const { peaks } = pickPeaks1d(spectrumOf(real, 1));
      const xs = peaks.map((p) => (10 - p.shift) / 0.01).sort((a, b) => a - b);
      expect(xs, `seed ${seed}`).toHaveLength(2);
      expect(Math.abs(xs[0]! - 2000)).toBeLessThan(1);
      expect(Math.abs(xs[1]! - 2005)).toBeLessThan(1);
    }
  });
});
