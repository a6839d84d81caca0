import { createRng } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import type { Spectrum1d } from '../processing/processSpectrum1d';
import { lorentz, spectrumOf } from '../testing/spectrum1d';
import { pickPeaks1d } from './pickPeaks1d';
import { pickPeaks1dFromCandidates } from './pickFromCandidates';

/** Lines (x, height, width in points) on white noise σ = 1. */
function simulate(lines: { x: number; h: number; w: number }[], seed: number, n = 4096): Spectrum1d {
  const rng = createRng(seed);
  const y = Float64Array.from({ length: n }, (_, i) =>
    lines.reduce((a, l) => a + lorentz(i, l.x, l.h, l.w), rng.normal()),
  );
  return spectrumOf(y, 1);
}

const pointOf = (s: Spectrum1d, shift: number) => (10 - shift) / 0.01;

// a doublet, a line with a shoulder 0.7 width beside it (which the classical picker's detection can miss), a singlet
const LINES = [
  { x: 800, h: 200, w: 8 },
  { x: 830, h: 200, w: 8 },
  { x: 2000, h: 300, w: 10 },
  { x: 2007, h: 150, w: 10 },
  { x: 3200, h: 40, w: 6 },
];

describe('pickPeaks1dFromCandidates (candidate lines fitted back, the classical answer kept where it fits better)', () => {
  for (const seed of [1, 2, 3]) {
    it(`finds every line from slightly-off candidates, within 0.1 width (seed ${seed})`, () => {
      const s = simulate(LINES, seed);
      const rng = createRng(100 + seed);
      const candidates = LINES.map((l) => ({ x: l.x + 0.3 * l.w * (rng.next() - 0.5), width: l.w * 1.2 }));
      const out = pickPeaks1dFromCandidates(s, candidates);
      expect(out.peaks).toHaveLength(LINES.length);
      for (const l of LINES) {
        const nearest = Math.min(...out.peaks.map((p) => Math.abs(pointOf(s, p.shift) - l.x)));
        expect(nearest).toBeLessThan(0.1 * l.w);
      }
      expect(out.classical.peaks.length).toBe(pickPeaks1d(s).peaks.length);
    });
  }

  it('adds the line the classical picker missed: two lines half a width apart, 2 : 1', () => {
    const pair = [
      { x: 1000, h: 300, w: 10 },
      { x: 1005, h: 150, w: 10 },
    ];
    const s = simulate(pair, 2, 2048);
    expect(pickPeaks1d(s).peaks).toHaveLength(1);
    const out = pickPeaks1dFromCandidates(
      s,
      pair.map((l) => ({ x: l.x + 0.5, width: l.w })),
    );
    expect(out.fromCandidates).toBe(1);
    expect(out.peaks).toHaveLength(2);
    for (const l of pair)
      expect(Math.min(...out.peaks.map((p) => Math.abs(pointOf(s, p.shift) - l.x)))).toBeLessThan(0.1 * l.w);
  });

  it('drops candidates in the noise: no peak where there is no line', () => {
    const s = simulate(LINES, 4);
    const noise = [400, 1200, 1500, 2600, 3700].map((x) => ({ x, width: 6 }));
    const out = pickPeaks1dFromCandidates(s, [...LINES.map((l) => ({ x: l.x, width: l.w })), ...noise]);
    for (const c of noise) expect(out.peaks.some((p) => Math.abs(pointOf(s, p.shift) - c.x) < 20)).toBe(false);
    expect(out.peaks).toHaveLength(LINES.length);
  });

  it('keeps the classical answer where the candidates miss lines or there are none', () => {
    const s = simulate(LINES, 5);
    const classical = pickPeaks1d(s);
    const none = pickPeaks1dFromCandidates(s, []);
    expect(none.peaks.map((p) => p.shift)).toEqual(classical.peaks.map((p) => p.shift));
    expect(none.fromCandidates).toBe(0);
    // candidates for one line of the doublet only, and a wrong place for the singlet: those regions stay classical
    const out = pickPeaks1dFromCandidates(s, [
      { x: 800, width: 8 },
      { x: 3230, width: 6 },
    ]);
    for (const x of [800, 830, 3200]) expect(out.peaks.some((p) => Math.abs(pointOf(s, p.shift) - x) < 1)).toBe(true);
  });
});
