import { describe, expect, it } from 'vitest';
import { GAMMA_1H, GYROMAGNETIC_RATIOS, bValue, gyromagneticRatio, normaliseNucleus } from '../index';

const MHzPerT = (nucleus: string) => Math.abs(gyromagneticRatio(nucleus)) / (2 * Math.PI) / 1e6;

describe('gyromagneticRatio', () => {
  it('matches γ/2π (MHz/T) as commonly quoted', () => {
    // ¹H 42.577, ¹³C 10.708, ¹⁹F 40.078, ⁷Li 16.548, ²H 6.536 agree to the digits quoted
    for (const [nucleus, quoted] of [
      ['1H', 42.577],
      ['13C', 10.708],
      ['19F', 40.078],
      ['7Li', 16.548],
      ['2H', 6.536],
    ] as const) {
      expect(Math.abs(MHzPerT(nucleus) / quoted - 1), nucleus).toBeLessThan(5e-5);
    }
    // ³¹P: the often-quoted 17.235 is the frequency ratio in H₃PO₄ (shielded); IUPAC's bare-nucleus γ gives 17.251
    expect(MHzPerT('31P')).toBeCloseTo(17.251, 3);
    expect(Math.abs(MHzPerT('31P') / 17.235 - 1)).toBeLessThan(1.5e-3);
  });

  it('(γH/γC)² ≈ 15.81: the factor a ¹³C DOSY read with ¹H γ is off by', () => {
    const r = (gyromagneticRatio('1H') / gyromagneticRatio('13C')) ** 2;
    expect(r).toBeCloseTo(15.809, 3);
    // the same through b: D from ¹H b-values is 15.8× too small
    const o = { delta: 0.002, bigDelta: 0.1 };
    expect(bValue(0.3, o) / bValue(0.3, { ...o, gamma: gyromagneticRatio('13C') })).toBeCloseTo(r, 10);
  });

  it('¹H is GAMMA_1H; signs follow IUPAC', () => {
    expect(gyromagneticRatio('1H')).toBe(GAMMA_1H);
    expect(gyromagneticRatio('15N')).toBeLessThan(0);
    expect(gyromagneticRatio('29Si')).toBeLessThan(0);
    expect(gyromagneticRatio('129Xe')).toBeCloseTo(-7.452103e7, 0);
    expect(gyromagneticRatio('23Na')).toBeCloseTo(7.0808493e7, 0);
    expect(gyromagneticRatio('195Pt')).toBeCloseTo(5.8385e7, 0);
  });

  it('takes TopSpin NUC1 spellings and the common variants', () => {
    for (const s of ['13C', '13c', 'C13', '¹³C', ' 13C ', '13-C']) expect(normaliseNucleus(s), s).toBe('13C');
    expect(normaliseNucleus('7LI')).toBe('7Li');
    expect(gyromagneticRatio('2H')).toBe(GYROMAGNETIC_RATIOS['2H']);
    for (const bad of ['off', '', 'H', '13X', '999C', '1H1']) expect(normaliseNucleus(bad), bad).toBeUndefined();
    expect(() => gyromagneticRatio('off')).toThrow(RangeError);
    expect(() => gyromagneticRatio('off')).toThrow(/"off"/);
  });

  it('covers the nuclei people measure, every value finite and non-zero', () => {
    for (const n of [
      '1H',
      '2H',
      '3He',
      '6Li',
      '7Li',
      '11B',
      '13C',
      '14N',
      '15N',
      '17O',
      '19F',
      '23Na',
      '27Al',
      '29Si',
    ]) {
      expect(Number.isFinite(gyromagneticRatio(n)), n).toBe(true);
    }
    for (const n of ['31P', '33S', '35Cl', '129Xe', '133Cs', '119Sn', '195Pt'])
      expect(gyromagneticRatio(n)).not.toBe(0);
    for (const v of Object.values(GYROMAGNETIC_RATIOS)) expect(Number.isFinite(v) && v !== 0).toBe(true);
  });
});
