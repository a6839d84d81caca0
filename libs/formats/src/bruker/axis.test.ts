import { bValue, gradientShapeFactors } from '@lapis/physics';
import { describe, expect, it } from 'vitest';
import { buildBrukerAxis } from './buildAxis';
import { detectBrukerExperiment } from './detectExperiment';
import { gradientShapeFromName } from './gradientShape';
import { formatBrukerList, parseBrukerList } from './lists';
import { BrukerParameters } from './parameters';
import { buildJcamp } from './writeJcamp';

function params(values: Record<string, number | string | number[] | string[]>): BrukerParameters {
  return new BrukerParameters('/exp/1/acqus', buildJcamp('t', values));
}

const D = (entries: Record<number, number>) => Array.from({ length: 64 }, (_, i) => entries[i] ?? 0);

describe('lists', () => {
  it('reads delays with s, m, u, n and no unit, in either order', () => {
    expect(Array.from(parseBrukerList('10s \n5m\n 250u\n100n\n0.5\n\n', 'delay'))).toEqual([
      10, 0.005, 0.00025, 1e-7, 0.5,
    ]);
    expect(Array.from(parseBrukerList('0.01\n0.1\n1\n', 'delay'))).toEqual([0.01, 0.1, 1]);
  });
  it('reads counts and gradients (G/cm → T/m) and round-trips through the writer', () => {
    expect(Array.from(parseBrukerList('2\n4\n8\n', 'count'))).toEqual([2, 4, 8]);
    const g = parseBrukerList('1.07\n50.64\n', 'gradient');
    expect(g[0]).toBeCloseTo(0.0107, 12);
    expect(g[1]).toBeCloseTo(0.5064, 12);
    for (const unit of ['', 's', 'm', 'u', 'n'] as const) {
      const v = [1e-3, 0.25, 2];
      const back = parseBrukerList(formatBrukerList(v, 'delay', unit), 'delay');
      v.forEach((x, i) => expect(back[i]).toBeCloseTo(x, 12));
    }
  });
  it('names the file and line of a bad entry', () => {
    expect(() => parseBrukerList('1s\n2x\n', 'delay', { file: 'vdlist' })).toThrow(/vdlist: line 2: unknown unit 'x'/);
    expect(() => parseBrukerList('1.5\n', 'count', { file: 'vclist' })).toThrow(/vclist: line 1/);
    expect(() => parseBrukerList('abc\n', 'delay', { file: 'vdlist' })).toThrow(/not a number/);
    expect(() => parseBrukerList('\n\n', 'delay', { file: 'vdlist' })).toThrow(/empty/);
  });
});

describe('detectBrukerExperiment', () => {
  it.each([
    ['t1ir', 'T1-IR', false],
    ['t1irpg', 'T1-IR', false],
    ['satrec', 'T1-SR', false],
    ['cpmgpr1d', 'T2', false],
    ['stebpgp1s', 'D', true],
    ['ledbpgp2s', 'D', true],
    ['stegp1s', 'D', false],
    ['t1ir_cpmg', 'IR-CPMG', false],
    ['zg30', 'unknown', false],
  ])('%s → %s', (name, kind, bipolar) => {
    const e = detectBrukerExperiment(name);
    expect(e.kind).toBe(kind);
    expect(e.bipolar).toBe(bipolar);
  });
  it('falls back to the pulse program comments', () => {
    const pp = ';my_seq\n;T1 measurement using inversion recovery\n1 ze\n';
    expect(detectBrukerExperiment('', pp)).toMatchObject({ kind: 'T1-IR', pulseProgram: 'my_seq' });
  });
});

describe('buildBrukerAxis', () => {
  it('T1: vdlist cut to TD1 with a warning when longer, an error when shorter', () => {
    const w: string[] = [];
    const axis = buildBrukerAxis(
      detectBrukerExperiment('t1ir'),
      params({}),
      { vdlist: Float64Array.from([3, 2, 1]) },
      2,
      w,
    );
    expect(Array.from(axis.values)).toEqual([3, 2]);
    expect(w[0]).toMatch(/first TD1 = 2/);
    expect(() =>
      buildBrukerAxis(detectBrukerExperiment('t1ir'), params({}), { vdlist: Float64Array.from([3]) }, 2, []),
    ).toThrow(/\/exp\/1\/vdlist: list has 1 entries but TD1 is 2/);
  });
  it('T2: vclist × (2·D20 + P2)', () => {
    const p = params({ D: D({ 20: 0.0005 }), P: D({ 2: 20 }) });
    const axis = buildBrukerAxis(
      detectBrukerExperiment('cpmgpr1d'),
      p,
      { vclist: Float64Array.from([2, 4, 8]) },
      3,
      [],
    );
    const te = 2 * 0.0005 + 20e-6;
    expect(axis.values[0]).toBeCloseTo(2 * te, 15);
    expect(axis.values[2]).toBeCloseTo(8 * te, 15);
  });
  it('D: difflist with δ = 2·P30 (bipolar), Δ = D20, gap D16 + P2, sine shape, against bValue', () => {
    const p = params({
      D: D({ 16: 0.0002, 20: 0.1 }),
      P: D({ 2: 20, 30: 1000 }),
      GPNAM: Array.from({ length: 32 }, () => 'SINE.100'),
    });
    const g = Float64Array.from([0.01, 0.2, 0.5]);
    const axis = buildBrukerAxis(detectBrukerExperiment('ledbpgp2s'), p, { difflist: g }, 3, []);
    const expected = bValue(0.5, { delta: 0.002, bigDelta: 0.1, shape: 'sine', bipolarGap: 0.0002 + 20e-6 });
    expect(axis.values[2]! / expected).toBeCloseTo(1, 12);
    // independent closed form: (γ g (2/π) δ)² (Δ − δ/4 − τ/2)
    const gamma = 2.6752218744e8;
    const closed = (gamma * 0.5 * (2 / Math.PI) * 0.002) ** 2 * (0.1 - 0.002 / 4 - (0.0002 + 20e-6) / 2);
    expect(axis.values[2]! / closed).toBeCloseTo(1, 10);
    expect(axis.unit).toBe('s/m2');
  });
  it('D: a ramp needs maxGradient; GPZ6 % scales it', () => {
    const p = params({
      D: D({ 20: 0.05 }),
      P: D({ 30: 2000 }),
      GPZ: D({ 6: 50 }),
      GPNAM: Array.from({ length: 32 }, () => 'RECT.1'),
    });
    const exp = detectBrukerExperiment('stegp1s');
    expect(() => buildBrukerAxis(exp, p, { ramp: Float64Array.from([0.5, 1]) }, 2, [])).toThrow(/maxGradient/);
    const axis = buildBrukerAxis(exp, p, { ramp: Float64Array.from([0.5, 1]) }, 2, [], {
      diffusion: { maxGradient: 0.5 },
    });
    expect(axis.values[1]! / bValue(0.25, { delta: 0.002, bigDelta: 0.05 })).toBeCloseTo(1, 12);
  });
});

describe('gradient shapes', () => {
  it('numerical factors match the closed forms for rectangle and sine; SMSQ10 lies between', () => {
    const sine = gradientShapeFromName('SINE.100').shape;
    expect(gradientShapeFactors(sine).lambda).toBeCloseTo(0.25, 12);
    const smsq = gradientShapeFromName('SMSQ10.100').shape as { sigma: number; lambda: number };
    expect(smsq.sigma).toBeGreaterThan(2 / Math.PI);
    expect(smsq.sigma).toBeLessThan(1);
    expect(smsq.sigma).toBeCloseTo(0.8 + (0.2 * 2) / Math.PI, 5); // 80 % flat + two quarter-sine ramps of 10 %
    expect(smsq.lambda).toBeGreaterThan(0.25);
    expect(smsq.lambda).toBeLessThan(1 / 3);
    expect(gradientShapeFromName('weird').warning).toMatch(/not recognised/);
  });
});
