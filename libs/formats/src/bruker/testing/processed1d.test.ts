import { createRng } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import { correlation1d, significantInTopSpin, type Processed1d } from './processed1d';

/** 8192 points from 10 ppm down, 0.001 ppm apart: σ = 1 noise, a 50 σ line at 6 ppm, its 15 σ neighbour at 5.99. */
function spectrum(seed: number): Processed1d {
  const rng = createRng(seed);
  const real = Float64Array.from({ length: 8192 }, () => rng.normal());
  const line = (ppm: number, h: number) => {
    for (let i = 0; i < real.length; i++) real[i]! += h / (1 + 4 * ((10 - 0.001 * i - ppm) / 0.002) ** 2);
  };
  line(6, 50);
  line(5.99, 15);
  return { real, offset: 10, step: -0.001, noise: 1 };
}

describe('significantInTopSpin', () => {
  it('keeps listed lines that rise above the noise, drops listed noise maxima (seeds 1–3)', () => {
    for (const seed of [1, 2, 3]) {
      const s = spectrum(seed);
      // listed: both lines and the highest noise maximum between 2 and 3 ppm
      let noisy = 7000;
      for (let i = 7000; i < 8000; i++) if (s.real[i]! > s.real[noisy]!) noisy = i;
      const listed = [6, 5.99, 10 - 0.001 * noisy];
      expect(significantInTopSpin(listed, s, 5 * Math.SQRT2, 0.005), `seed ${seed}`).toEqual([6, 5.99]);
    }
  });

  it('correlates a spectrum with itself as 1, on its own ppm axis', () => {
    const s = spectrum(4);
    const ppm = Float64Array.from(s.real, (_, i) => s.offset + i * s.step);
    expect(correlation1d({ ppm, real: s.real }, s)).toBeCloseTo(1, 12);
  });
});
