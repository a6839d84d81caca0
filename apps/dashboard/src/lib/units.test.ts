import { describe, expect, it } from 'vitest';
import { formatAxisValue, formatDiffusion, formatSeconds } from './units';

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
