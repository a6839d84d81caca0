import { describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import { fftInPlace } from '../processing/fft';
import { waveletDenoise } from './waveletDenoise';

/** Noise as a zero-filled spectrum has it: complex white noise on half the points, transformed; σ = 1. */
function zeroFilledNoise(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n / 2; i++) {
    re[i] = rng.normal();
    im[i] = rng.normal();
  }
  fftInPlace(re, im);
  let s = 0;
  for (const v of re) s += v * v;
  const sd = Math.sqrt(s / n);
  return re.map((v) => v / sd);
}

describe('waveletDenoise', () => {
  for (const seed of [1, 2, 3]) {
    it(`lowers the noise ≥ 3× and keeps line areas and heights (seed ${seed})`, () => {
      const n = 16384;
      const rng = createRng(100 + seed);
      const lines = Array.from({ length: 10 }, (_, k) => ({
        x: 800 + k * 1450 + 200 * rng.next(),
        h: 6 + 14 * rng.next(),
        w: 8 + 16 * rng.next(),
      }));
      const clean = new Float64Array(n);
      for (const l of lines) for (let i = 0; i < n; i++) clean[i]! += l.h / (1 + 4 * ((i - l.x) / l.w) ** 2);
      const noise = zeroFilledNoise(n, seed);
      const noisy = clean.map((v, i) => v + noise[i]!);
      const { real } = waveletDenoise(noisy);
      // noise left between lines
      let before = 0;
      let after = 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        if (!lines.every((l) => Math.abs(i - l.x) > 20 * l.w)) continue;
        before += noise[i]! ** 2;
        after += (real[i]! - clean[i]!) ** 2;
        m++;
      }
      expect(m).toBeGreaterThan(1000);
      expect(Math.sqrt(before / after)).toBeGreaterThan(3);
      // areas over ±3 widths: no systematic shift (mean over the lines within 2 % of the truth), heights kept
      const bias = lines.map((l) => {
        let a = 0;
        let t = 0;
        for (let i = Math.round(l.x - 3 * l.w); i <= Math.round(l.x + 3 * l.w); i++) {
          a += real[i]!;
          t += clean[i]!;
        }
        return (a - t) / t;
      });
      expect(Math.abs(bias.reduce((a, b) => a + b) / bias.length)).toBeLessThan(0.02);
      for (const l of lines) expect(real[Math.round(l.x)]! / l.h).toBeGreaterThan(0.6);
    });
  }

  it('passes a line without noise through: within 0.01 % of its height everywhere', () => {
    const y = Float64Array.from({ length: 4096 }, (_, i) => 100 / (1 + ((i - 2000) / 20) ** 2));
    const { real } = waveletDenoise(y);
    for (let i = 0; i < y.length; i++) expect(Math.abs(real[i]! - y[i]!)).toBeLessThan(0.01);
  });
});
