import { describe, expect, it } from 'vitest';
import {
  formatAxisValue,
  formatDiffusion,
  formatScientific,
  formatSeconds,
  logTicks,
  siLabel,
  tickLabel,
} from './units';

describe('units', () => {
  it('formats times in the unit a spectroscopist reads', () => {
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
    expect(formatSeconds(2.5e-5)).toBe('25 µs');
    expect(formatSeconds(1.5)).toBe('1.5 s');
    expect(formatAxisValue('T2', 0.04002)).toBe('40 ms');
  });
  it('formats diffusion with a power of ten', () => {
    expect(formatDiffusion(2.3e-9)).toBe('2.30×10⁻⁹ m²/s');
  });
});

describe('logTicks', () => {
  it.each([
    [1e-3, 3, 'decades with 1-2-5 where they fit'],
    [1e-12, 1e-8, 'D over four decades'],
    [0.0301, 0.045, 'under a decade'],
    [1.38, 1.62, 'a pseudo-2D T1 axis of 1.4–1.6 s'],
    [4e-3, 0.5, 'a population chart'],
    [1e-6, 10, 'seven decades'],
  ])('%f – %f (%s): 2–9 distinct ticks inside the range that print differently', (lo, hi) => {
    const t = logTicks(lo, hi)!;
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t.length).toBeLessThanOrEqual(9);
    for (const v of t) {
      expect(v).toBeGreaterThanOrEqual(lo * (1 - 1e-6));
      expect(v).toBeLessThanOrEqual(hi * (1 + 1e-6));
    }
    const printed = t.map((v) => formatSeconds(v));
    expect(new Set(printed).size).toBe(t.length);
    expect([...t].sort((a, b) => a - b)).toEqual(t);
  });

  it('labels D ticks that are not powers of ten with their mantissa', () => {
    const label = tickLabel('D');
    expect([1e-9, 2e-9, 5e-10].map(label)).toEqual(['10⁻⁹', '2×10⁻⁹', '5×10⁻¹⁰']);
    expect(tickLabel('T1')(1.45)).toBe('1.45 s');
  });

  it('has no ticks for a range that is not positive', () => {
    expect(logTicks(0, 1)).toBeUndefined();
    expect(logTicks(2, 1)).toBeUndefined();
    expect(logTicks(2, 2)).toEqual([2]);
  });
});

describe('siLabel', () => {
  it.each([
    [0, '0'],
    [40e6, '40M'],
    [2.5e6, '2.5M'],
    [-5000, '−5k'],
    [12, '12'],
    [0.25, '0.25'],
    [1.5e9, '1.5G'],
    [2e-5, '2.0e-5'],
  ])('%f → %s', (v, text) => expect(siLabel(v)).toBe(text));
});

describe('formatScientific', () => {
  it('writes large and small values as a power of ten, with a true minus sign', () => {
    expect(formatScientific(2.6e6)).toBe('2.60 × 10⁶');
    expect(formatScientific(-6e6)).toBe('\u22126.00 × 10⁶');
    expect(formatScientific(0.002)).toBe('2.00 × 10⁻³');
    expect(formatScientific(73)).toBe('73.0');
    expect(formatScientific(0)).toBe('0.00');
    expect(formatScientific(null)).toBe('–');
  });
});
