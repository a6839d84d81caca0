import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuantity, parseUnit, unitProblem } from './units';

describe('parseUnit', () => {
  it.each([
    ['s', 'time', 1],
    ['sec', 'time', 1],
    ['ms', 'time', 1e-3],
    ['msec', 'time', 1e-3],
    ['us', 'time', 1e-6],
    ['\u00b5s', 'time', 1e-6],
    ['\u03bcs', 'time', 1e-6],
    ['ns', 'time', 1e-9],
    ['min', 'time', 60],
    ['h', 'time', 3600],
    ['s/m2', 'b-value', 1],
    ['s/m^2', 'b-value', 1],
    ['s/m²', 'b-value', 1],
    ['s m-2', 'b-value', 1],
    ['s·m⁻²', 'b-value', 1],
    ['s*m^-2', 'b-value', 1],
    [' s / m^2 ', 'b-value', 1],
    ['s/mm2', 'b-value', 1e6],
    ['s/mm²', 'b-value', 1e6],
    ['s mm-2', 'b-value', 1e6],
    ['s/cm2', 'b-value', 1e4],
    ['s/cm^2', 'b-value', 1e4],
    ['ms/µm²', 'b-value', 1e9],
    ['ms/um2', 'b-value', 1e9],
    ['m2/s', 'diffusion', 1],
    ['m^2/s', 'diffusion', 1],
    ['m²/s', 'diffusion', 1],
    ['m2 s-1', 'diffusion', 1],
    ['m²·s⁻¹', 'diffusion', 1],
    ['mm2/s', 'diffusion', 1e-6],
    ['cm2/s', 'diffusion', 1e-4],
    ['µm²/s', 'diffusion', 1e-12],
    ['um2/ms', 'diffusion', 1e-9],
  ] as const)('%s is a %s unit, × %f to SI', (text, quantity, factor) => {
    const u = parseUnit(text);
    expect(u?.quantity).toBe(quantity);
    expect(u!.factor / factor).toBeCloseTo(1, 12);
    expect(u!.toSi(3) / (3 * factor)).toBeCloseTo(1, 12);
  });

  it.each(['', 'S', 'Ms', 'kg', 's/m', 's/m3', 'm/s', 'm2', 's2', 'ppm', 'Hz', 's/m2/s', 'mss'])(
    '%j is not a unit',
    (text) => {
      expect(parseUnit(text)).toBeUndefined();
    },
  );

  it('converts decimal values as written: 0.1 ms is 1e-4 s exactly', () => {
    expect(parseUnit('ms')!.toSi(0.1)).toBe(1e-4);
    expect(parseUnit('us')!.toSi(200)).toBe(2e-4);
    expect(parseUnit('mm2/s')!.toSi(2.3e-3)).toBe(2.3e-9);
    expect(parseUnit('s/mm2')!.toSi(1500)).toBe(1.5e9);
  });

  it('says what is wrong: unknown, or of another quantity', () => {
    expect(unitProblem('ms', ['time'])).toBeUndefined();
    expect(unitProblem('furlong', ['time'])).toMatch(/unknown unit "furlong" \(expected s, ms/);
    expect(unitProblem('s/m^2', ['time'])).toMatch(/is a b-value unit \(expected s, ms/);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 24 }), (text) => {
        const u = parseUnit(text);
        if (u) expect(u.factor).toBeGreaterThan(0);
      }),
      { seed: 20261206, numRuns: 2000 },
    );
  });
});

describe('parseQuantity', () => {
  it('reads a number with an optional unit of the given quantity, in SI', () => {
    expect(parseQuantity('1e-3', 'time')).toBe(1e-3);
    expect(parseQuantity('2.5 ms', 'time')).toBeCloseTo(2.5e-3, 15);
    expect(parseQuantity('100us', 'time')).toBeCloseTo(1e-4, 15);
    expect(parseQuantity('2.3e-9 m^2/s', 'diffusion')).toBeCloseTo(2.3e-9, 20);
    expect(parseQuantity('2.3e-3 mm²/s', 'diffusion')).toBeCloseTo(2.3e-9, 20);
    expect(parseQuantity('1500 s/mm2', 'b-value')).toBeCloseTo(1.5e9, 3);
    expect(parseQuantity('1 ms', 'diffusion')).toBeUndefined();
    expect(parseQuantity('ms', 'time')).toBeUndefined();
    expect(parseQuantity('1 parsec', 'time')).toBeUndefined();
  });
});
