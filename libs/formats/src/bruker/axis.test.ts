import { bValue, gradientShapeFactors, gyromagneticRatio } from '@lapis/physics';
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

describe('buildBrukerAxis: the nucleus and diff.xml', () => {
  const ste = (extra: Record<string, number | string | number[] | string[]> = {}) =>
    params({ D: D({ 20: 0.1 }), P: D({ 30: 2000 }), GPNAM: Array.from({ length: 32 }, () => 'RECT.1'), ...extra });
  const g = Float64Array.from([0.1, 0.3]);

  it('b-values use NUC1’s γ: ¹³C gives (γC/γH)² of ¹H, and the source says which', () => {
    const h = buildBrukerAxis(detectBrukerExperiment('stegp1s'), ste({ NUC1: '1H' }), { difflist: g }, 2, []);
    const c = buildBrukerAxis(detectBrukerExperiment('stegp1s'), ste({ NUC1: '13C' }), { difflist: g }, 2, []);
    expect(c.values[1]! / h.values[1]!).toBeCloseTo((gyromagneticRatio('13C') / gyromagneticRatio('1H')) ** 2, 12);
    expect(c.source).toMatch(/^difflist; 13C γ 67282840\.0 rad\/s\/T; δ 0\.002 s \(P30\), Δ 0\.1 s \(D20\)/);
    expect(c).toMatchObject({ nucleus: '13C', gamma: gyromagneticRatio('13C') });
    // an option names another nucleus or γ
    const asF = buildBrukerAxis(detectBrukerExperiment('stegp1s'), ste({ NUC1: '13C' }), { difflist: g }, 2, [], {
      diffusion: { nucleus: '19F' },
    });
    expect(asF.nucleus).toBe('19F');
    const given = buildBrukerAxis(detectBrukerExperiment('stegp1s'), ste({ NUC1: '13C' }), { difflist: g }, 2, [], {
      diffusion: { gamma: 1e8 },
    });
    expect(given.values[1]! / bValue(0.3, { delta: 0.002, bigDelta: 0.1, gamma: 1e8 })).toBeCloseTo(1, 12);
  });

  it('NUC1 off or unknown is an error naming NUC1; no NUC1 is ¹H with a warning', () => {
    for (const nuc of ['off', 'Zz9'])
      expect(() =>
        buildBrukerAxis(detectBrukerExperiment('stegp1s'), ste({ NUC1: nuc }), { difflist: g }, 2, []),
      ).toThrow(new RegExp(`/exp/1/acqus: NUC1 "${nuc}" is not a nucleus with a known gyromagnetic ratio`));
    const w: string[] = [];
    expect(buildBrukerAxis(detectBrukerExperiment('stegp1s'), ste(), { difflist: g }, 2, w).nucleus).toBe('1H');
    expect(w.join()).toMatch(/NUC1 missing/);
  });

  it('δ and Δ only in diff.xml (diffSte: P30 = D20 = 0); TopSpin’s b-values take precedence and are checked', () => {
    const acqus = params({ NUC1: '7Li', D: D({}), P: D({}), GPNAM: Array.from({ length: 32 }, () => 'RECT.1') });
    const exp = detectBrukerExperiment('diffSte');
    const xml = { delta: 0.003, bigDelta: 0.05, gradients: g };
    const own = buildBrukerAxis(exp, acqus, { diffXml: xml }, 2, []);
    const gamma = gyromagneticRatio('7Li');
    expect(own.values[1]! / bValue(0.3, { delta: 0.003, bigDelta: 0.05, gamma })).toBeCloseTo(1, 12);
    expect(own.source).toMatch(/δ 0\.003 s \(diff\.xml\), Δ 0\.05 s \(diff\.xml\)/);
    expect(() => buildBrukerAxis(exp, acqus, { difflist: g }, 2, [])).toThrow(/P30 .* and no delta in diff\.xml/);

    const b = Float64Array.from(own.values, (x) => x * 1.02);
    const w: string[] = [];
    const topspin = buildBrukerAxis(exp, acqus, { diffXml: { ...xml, bValues: b } }, 2, w);
    expect(Array.from(topspin.values)).toEqual(Array.from(b));
    expect(topspin.source).toMatch(/^diff\.xml b-values \(TopSpin\), checked against diff\.xml gradients; 7Li γ/);
    expect(w.join()).toMatch(/differ from Lapis' by up to 2\.00 %/);
    // options that change the physics set TopSpin's b-values aside
    const w2: string[] = [];
    const mine = buildBrukerAxis(exp, acqus, { diffXml: { ...xml, bValues: b } }, 2, w2, {
      diffusion: { delta: 0.003 },
    });
    expect(Array.from(mine.values)).toEqual(Array.from(own.values));
    expect(w2.join()).toMatch(/set aside/);
  });
});
