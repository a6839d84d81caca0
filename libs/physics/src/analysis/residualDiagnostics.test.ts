import { describe, expect, it } from 'vitest';
import { createRng } from '../simulate/rng';
import { residualDiagnostics } from './residualDiagnostics';

const sigma = 0.01;
/** A decaying "fit" and data = fit + residual, so the residual is exactly what we put in. */
function pair(residual: Float64Array): { data: Float64Array; fitted: Float64Array } {
  const fitted = residual.map((_, k) => Math.exp(-k / 200));
  return { data: fitted.map((f, k) => f + residual[k]!), fitted };
}
function noise(n: number, seed: number, s = sigma): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => s * rng.normal());
}

describe('residualDiagnostics', () => {
  it('passes seeded white noise, with chi2 per point ≈ 1', () => {
    const { data, fitted } = pair(noise(500, 7));
    const d = residualDiagnostics(data, fitted, sigma, [500]);
    expect(d.white).toBe(true);
    expect(d.reasons).toEqual([]);
    expect(d.chi2PerPoint).toBeGreaterThan(0.85);
    expect(d.chi2PerPoint).toBeLessThan(1.15);
    expect(Math.abs(d.lag1[0]!)).toBeLessThan(0.15);
    expect(d.rms).toBeCloseTo(Math.sqrt(d.chi2PerPoint) * sigma, 12);
    expect(d.relativeResidual).toBeGreaterThan(0);
  });

  it('is calibrated: white noise is rarely rejected over many seeds', () => {
    let rejected = 0;
    for (let seed = 100; seed < 160; seed++) {
      const { data, fitted } = pair(noise(400, seed));
      if (!residualDiagnostics(data, fitted, sigma, [400]).white) rejected++;
    }
    // four tests at |z| ≤ 3: ~1 % false alarms expected
    expect(rejected).toBeLessThanOrEqual(3);
  });

  it('flags a sinusoidal residual as not white', () => {
    const r = noise(500, 8).map((e, k) => e + sigma * Math.sin((2 * Math.PI * k) / 50));
    const { data, fitted } = pair(r);
    const d = residualDiagnostics(data, fitted, sigma, [500]);
    expect(d.white).toBe(false);
    // signal variance σ²/2 over a total 3σ²/2: lag-1 ≈ cos(2π/50)/3 ≈ 0.33
    expect(d.lag1[0]).toBeGreaterThan(0.2);
    expect(d.runsZ).toBeLessThan(-3);
    expect(d.reasons.join()).toMatch(/correlated along axis 0/);
  });

  it('flags an offset and an alternating residual', () => {
    const off = pair(noise(1000, 9).map((e) => e + 0.3 * sigma));
    const d1 = residualDiagnostics(off.data, off.fitted, sigma, [1000]);
    expect(d1.white).toBe(false);
    expect(d1.reasons.join()).toMatch(/offset/);
    const alt = pair(Float64Array.from({ length: 200 }, (_, k) => (k % 2 ? 1 : -1) * sigma));
    const d2 = residualDiagnostics(alt.data, alt.fitted, sigma, [200]);
    expect(d2.white).toBe(false);
    expect(d2.lag1[0]).toBeLessThan(-0.9);
    expect(d2.runsZ).toBeGreaterThan(3);
  });

  it('tests each axis of a 2D residual', () => {
    const [m1, m2] = [30, 100];
    const white = pair(noise(m1 * m2, 10));
    const d0 = residualDiagnostics(white.data, white.fitted, sigma, [m1, m2]);
    expect(d0.white).toBe(true);
    expect(d0.lag1).toHaveLength(2);
    // structure along axis 0 only: each column carries a slow function of the row index with a random sign, so
    // neighbours along axis 1 stay independent (a common row offset would correlate them too)
    const signs = noise(m2, 99).map((x) => Math.sign(x));
    const r = noise(m1 * m2, 11).map(
      (e, k) => e + sigma * signs[k % m2]! * Math.cos((2 * Math.PI * Math.floor(k / m2)) / 15),
    );
    const bad = pair(r);
    const d1 = residualDiagnostics(bad.data, bad.fitted, sigma, [m1, m2]);
    expect(d1.white).toBe(false);
    expect(d1.lag1Z[0]).toBeGreaterThan(3);
    expect(Math.abs(d1.lag1Z[1]!)).toBeLessThan(3);
    expect(d1.reasons.join()).toMatch(/axis 0/);
  });

  it('reports chi2 against the σ given', () => {
    const { data, fitted } = pair(noise(500, 12, 2 * sigma));
    const d = residualDiagnostics(data, fitted, sigma, [500]);
    expect(d.chi2PerPoint).toBeGreaterThan(3.4);
    expect(d.chi2PerPoint).toBeLessThan(4.6);
  });

  it('rejects misuse', () => {
    const a = new Float64Array(10);
    expect(() => residualDiagnostics(a, a, sigma, [11])).toThrow(RangeError);
    expect(() => residualDiagnostics(a, a, 0, [10])).toThrow(/sigma/);
    expect(() => residualDiagnostics(a, [0] as unknown as Float64Array, sigma, [10])).toThrow(TypeError);
  });
});
