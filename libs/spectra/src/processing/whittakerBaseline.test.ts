import { createRng } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import { signalMask, whittakerBaseline } from './whittakerBaseline';

const N = 131072;

/** A 128k-point spectrum: σ = 1 noise, `roll(i)` under it, and Lorentzian lines (x, height, FWHM in points). */
function spectrum(seed: number, lines: [number, number, number][], roll: (i: number) => number = () => 0) {
  const rng = createRng(seed);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) y[i] = roll(i) + rng.normal();
  for (const [x, h, w] of lines) {
    // tails kept out to 2000 widths: a 10⁵ σ line is still 6 σ at 60 widths
    const from = Math.max(0, Math.floor(x - 2000 * w));
    const to = Math.min(N, Math.ceil(x + 2000 * w));
    for (let i = from; i < to; i++) y[i]! += h / (1 + 4 * ((i - x) / w) ** 2);
  }
  return y;
}

/** A forest: `count` lines 2–8 points wide over [from, from + span), heights log-uniform over 10²–10⁵ σ. */
function forest(seed: number, from: number, span: number, count: number): [number, number, number][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => [from + span * rng.next(), 100 * 1000 ** rng.next(), 2 + 6 * rng.next()]);
}

describe('whittakerBaseline', () => {
  // Strychnine's 3.8–4.5 ppm: lines close for 6000 points left no baseline there; their p-weighted points pulled the
  // unmasked fit up by 260 σ and the smoother dipped 75 σ beside them (a false 0.6 ppm hump once subtracted).
  it('bridges a ppm of crowded tall lines without lifting or dipping beside them (seeds 1–3)', () => {
    for (const seed of [1, 2, 3]) {
      const lines = [...forest(seed, 60000, 6000, 60), ...forest(seed + 10, 20000, 3000, 25)];
      const y = spectrum(seed, lines);
      const z = whittakerBaseline(y);
      // the true baseline is 0; Lorentzian tails are lines, not baseline: look where every line's tail is < 1 σ
      let worst = 0;
      for (let i = 0; i < N; i += 7) {
        const tails = lines.reduce((s, [x, h, w]) => s + h / (1 + 4 * ((i - x) / w) ** 2), 0);
        if (tails < 1) worst = Math.max(worst, Math.abs(z[i]!));
      }
      expect(worst, `seed ${seed}`).toBeLessThan(3);
    }
  });

  it('follows a broad roll of 40 σ under lines (period 1/6 of the spectrum)', () => {
    const roll = (i: number) => 40 * Math.sin((2 * Math.PI * i * 6) / N);
    const y = spectrum(4, forest(4, 30000, 2000, 20), roll);
    const z = whittakerBaseline(y);
    const errors: number[] = [];
    for (let i = 2000; i < N - 2000; i += 11) if (i < 27000 || i > 35000) errors.push(Math.abs(z[i]! - roll(i)));
    errors.sort((a, b) => a - b);
    expect(errors[errors.length >> 1]!).toBeLessThan(1);
    expect(errors[Math.floor(0.99 * errors.length)]!).toBeLessThan(4);
  });
});

describe('signalMask', () => {
  it('leaves noise alone and takes in a line with its flanks', () => {
    const noise = spectrum(5, []);
    const quiet = signalMask(noise).reduce((s, v) => s + v, 0);
    expect(quiet / N).toBeLessThan(0.01);
    const y = spectrum(6, [[50000, 1000, 4]]);
    const mask = signalMask(y);
    expect(mask[50000]).toBe(1);
    expect(mask[50000 - 20]).toBe(1); // 5 widths out the line is still 10 σ and steep
    expect(mask[50000 + 2000]).toBe(0);
  });

  it('takes in a negative dip as well (a phase error beside a strong line)', () => {
    const y = spectrum(7, [[70000, -300, 6]]);
    expect(signalMask(y)[70000]).toBe(1);
  });
});
