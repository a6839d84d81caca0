/**
 * TopSpin relaxation series with known truth (simulateTopspinSeries): the ppm axis with and without pdata/, one
 * region per multiplet, the user's intrng regions used as written, TopSpin's ct1t2.txt parsed and attached, and
 * T1/T2 per region; plus the intrng and ct1t2.txt parsers on the layouts TopSpin writes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, logGrid } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../acquisition';
import { formatIntrng, parseIntrng } from './intrng';
import { readBrukerPseudo2d, type BrukerPseudo2d } from './readBrukerPseudo2d';
import { multipletLines } from './simulatePseudo2d';
import { simulateTopspinSeries, type TopspinSignal } from './simulateTopspinSeries';
import { fitExponential } from '../testing/fitRecovery';
import { formatCt1t2, parseTopspinFits } from './topspinFits';
import { writeBrukerDataset, type WriteBrukerOptions } from './writeBruker';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-topspin-series-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const BF1 = 400.13;
const DELAYS = Array.from(logGrid(0.01, 15, 16));

/** Singlets, doublets, triplets, dd, dt and quartets (J 2–15 Hz) down the spectrum, 45–80 Hz between neighbours. */
function randomSignals(seed: number, count = 6): TopspinSignal[] {
  const rng = createRng(seed);
  const kinds: ((j: () => number) => { hz: number; partners?: number }[])[] = [
    () => [],
    (j) => [{ hz: j() }],
    (j) => [{ hz: j(), partners: 2 }],
    (j) => [{ hz: j() }, { hz: j() }],
    () => [{ hz: rng.uniform(8, 15) }, { hz: rng.uniform(2, 7), partners: 2 }],
    (j) => [{ hz: Math.min(j(), 8), partners: 3 }],
  ];
  const signals: TopspinSignal[] = [];
  let edge = 9.5 * BF1; // Hz of the previous signal's lowest line
  for (let k = 0; k < count; k++) {
    const couplings = kinds[k % kinds.length]!(() => rng.uniform(2, 15));
    const half = couplings.reduce((s, c) => s + (c.hz * (c.partners ?? 1)) / 2, 0);
    const centre = edge - rng.uniform(90, 150) - half;
    edge = centre - half;
    signals.push({
      ppm: centre / BF1,
      couplings,
      value: Math.exp(rng.uniform(Math.log(0.3), Math.log(3))),
      amplitude: 1e5 * rng.int(1, 3),
    });
  }
  return signals;
}

/** The same folder with pdata/ removed: raw data as copied off the spectrometer. */
function withoutPdata(o: WriteBrukerOptions): WriteBrukerOptions {
  const { procs: _procs, files: _files, ...raw } = o;
  return raw;
}

function region(out: BrukerPseudo2d, k: number) {
  return out.acquisitions[k]!.metadata.region as { from: number; to: number; peak: number; shift: number };
}

/** The one region holding every line of the signal, with its decay's fitted time constant. */
function regionOf(out: BrukerPseudo2d, t: { lines: number[] }) {
  const k = out.acquisitions.findIndex((_, i) =>
    t.lines.every((l) => l <= region(out, i).from && l >= region(out, i).to),
  );
  return k < 0 ? undefined : { k, ...region(out, k) };
}

function timeConstant(out: BrukerPseudo2d, k: number, decay: boolean): number {
  const a = out.acquisitions[k]!;
  return fitExponential(a.axes[0].values, a.data, decay ? 1e-3 : 0.01, 100).T;
}

describe('intrng', () => {
  it('reads the current layout (edges, bias, slope), the old one (P 0, two columns) and refuses other units', () => {
    const warnings: string[] = [];
    const now = parseIntrng(
      'A 1.0 #regions in PPM\n# low field   high field  bias        slope\n  4.388130368416292  4.295423388801863  -0.0  -0.0  # for region 1\n  0.737  0.682  1.5E7  847.5  # for region 2\n',
      'intrng',
      warnings,
    );
    expect(now).toEqual([
      { from: 4.388130368416292, to: 4.295423388801863 },
      { from: 0.737, to: 0.682 },
    ]);
    expect(parseIntrng('P 0\n7.301127   7.081425\n1.345655 1.631053\n', 'intrng', warnings)).toEqual([
      { from: 7.301127, to: 7.081425 },
      { from: 1.631053, to: 1.345655 },
    ]);
    expect(warnings).toEqual([]);
    expect(parseIntrng('A 1.0 #regions in PPM\n  4.3  x  0 0\n  2 2\n', 'intrng', warnings)).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(() => parseIntrng('A 1.0 #regions in Hz\n 100 50\n', 'intrng', [])).toThrow(FormatError);
    expect(() => parseIntrng('\u0000\u0001', 'intrng', [])).toThrow(/no integral region/);
    const regions = [
      { from: 8.1, to: 7.9 },
      { from: 1.25, to: 1.1 },
    ];
    expect(parseIntrng(formatIntrng(regions), 'intrng', [])).toEqual(regions);
  });
});

describe('ct1t2.txt and dt1t2.txt', () => {
  it('one value per peak with its shift, SI prefixes, components and diffusion units', () => {
    const block = (n: number, ppm: string, line: string) =>
      `10 points for Peak ${n},  Peak Point at ${ppm} ppm\nResults     Comp. 1    \n\nI[0]  =    1.014e+00\nP     =   -2.019e+00\n${line}\nSD    =    2.337e-02\n\n    tau    ppm     integral    intensity\n\n   10.000s     ${ppm}   1.7777e+08    1.551e+07\n  500.000m     ${ppm}  -6.8867e+07  -6.8224e+06\n`;
    const text = `Dataset :\n /opt/x/6/pdata/1\nINTENSITY fit :\n I[t]=I[0]+P*exp(-t/T1)\n\n${block(1, '4.338', 'T1    =       1.397s')}${block(2, '0.857', 'T1    =     867.410m')}`;
    const warnings: string[] = [];
    expect(parseTopspinFits(text, 'pdata/1/ct1t2.txt', warnings)).toEqual([
      { software: 'TopSpin', file: 'pdata/1/ct1t2.txt', quantity: 'T1', unit: 's', value: 1.397, shift: 4.338 },
      { software: 'TopSpin', file: 'pdata/1/ct1t2.txt', quantity: 'T1', unit: 's', value: 0.86741, shift: 0.857 },
    ]);
    expect(warnings).toEqual([]);
    const summary = parseTopspinFits(
      'Peak 1 at 1.586 ppm\nT2    =     804.565m\nPeak 2 at 0.5 ppm\nT2 = 2.5u\n',
      'd',
      [],
    );
    expect(summary.map((v) => [v.quantity, v.value, v.shift])).toEqual([
      ['T2', 0.804565, 1.586],
      ['T2', 2.5e-6, 0.5],
    ]);
    const two = parseTopspinFits('Peak 1 at 3.3 ppm\nT1 =  120.000m   2.100s\n', 'c', []);
    expect(two.map((v) => [v.quantity, v.value])).toEqual([
      ['T1 component 1/2', 0.12],
      ['T1 component 2/2', 2.1],
    ]);
    const d = parseTopspinFits(
      'Peak 1 at 3.35 ppm\nDiff Con. =  2.100e-09m2/s\nPeak 2 at 1 ppm\nD = 4e-6 cm2/s\n',
      'c',
      [],
    );
    expect(d.map((v) => [v.quantity, v.unit, v.value])).toEqual([
      ['D', 'm2/s', 2.1e-9],
      ['D', 'm2/s', 4e-10],
    ]);
    const bad: string[] = [];
    expect(parseTopspinFits('Peak 1 at 1 ppm\nT1 = -1.2s\nT2 = 3furlongs\nT1 =\n', 'c', bad)).toEqual([]);
    expect(bad).toHaveLength(3);
    const written = formatCt1t2([
      { shift: 3.1, quantity: 'T1', value: 1.26 },
      { shift: 0.73, quantity: 'T1', value: 0.918 },
      { shift: 2.2, quantity: 'D', value: 6.9e-10 },
    ]);
    expect(parseTopspinFits(written, 'x', []).map((v) => [v.quantity, v.value, v.shift])).toEqual([
      ['T1', 1.26, 3.1],
      ['T1', 0.918, 0.73],
      ['D', 6.9e-10, 2.2],
    ]);
  });
});

describe('multipletLines', () => {
  it('a doublet of triplets: six lines 1:2:1, 1:2:1 around the centre, weights summing to one', () => {
    const lines = multipletLines(2, [{ hz: 15 }, { hz: 7, partners: 2 }], 400, [1]);
    const hz = lines.map((l) => Math.round((l.ppm - 2) * 400 * 1000) / 1000).sort((a, b) => a - b);
    expect(hz).toEqual([-14.5, -7.5, -0.5, 0.5, 7.5, 14.5]);
    const w = lines.map((l) => l.amplitudes[0]!);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...w) / Math.min(...w)).toBeCloseTo(2, 12);
    expect(multipletLines(1, [{ hz: 7, partners: 3 }], 400, [8]).map((l) => l.amplitudes[0])).toEqual([1, 3, 3, 1]);
  });
});

describe('TopSpin T1 series with multiplets (simulateTopspinSeries), several seeds', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: with pdata (intrng, ct1t2.txt) and with pdata removed`, async () => {
      const signals = randomSignals(seed);
      const sim = simulateTopspinSeries({
        experiment: 'T1-IR',
        signals,
        delays: DELAYS,
        noise: 20,
        seed,
        pdata: {},
      });
      // SF ≠ SFO1: the transmitter sits at 4.7 ppm
      expect(Math.abs((sim.dataset.acqus as { SFO1: number }).SFO1 - sim.sf) * 1e6).toBeGreaterThan(1800);

      const withDir = join(root, `t1-${seed}`, '1');
      await writeBrukerDataset(withDir, sim.dataset);
      const out = await readBrukerPseudo2d(withDir);
      expect(out.processed.regionSource).toBe('given');
      expect(out.acquisitions).toHaveLength(signals.length);
      expect(out.vendorResults).toHaveLength(signals.length);
      for (const [k, t] of sim.truth.entries()) {
        const a = out.acquisitions[k]!;
        const r = region(out, k);
        expect(a.metadata.regionSource).toBe('intrng');
        // the intrng edges, to the nearest point
        const step = Math.abs(out.processed.ppm[1]! - out.processed.ppm[0]!);
        expect(Math.abs(r.from - (t.from + 12 / sim.sf))).toBeLessThanOrEqual(step);
        expect(Math.abs(r.to - (t.to - 12 / sim.sf))).toBeLessThanOrEqual(step);
        expect(Math.abs(r.shift - t.ppm), `shift of ${t.ppm}`).toBeLessThan(0.02);
        expect(Math.abs(timeConstant(out, k, false) / t.value - 1), `T1 at ${t.ppm}`).toBeLessThan(0.02);
        expect(a.vendorResults).toEqual([
          {
            software: 'TopSpin',
            file: 'pdata/1/ct1t2.txt',
            quantity: 'T1',
            unit: 's',
            value: expect.any(Number),
            shift: expect.any(Number),
          },
        ]);
        expect(a.vendorResults![0]!.value).toBeCloseTo(t.value, 3);
      }

      const rawDir = join(root, `t1-${seed}-raw`, '1');
      await writeBrukerDataset(rawDir, withoutPdata(sim.dataset));
      const raw = await readBrukerPseudo2d(rawDir);
      expect(raw.processed.regionSource).toBe('automatic');
      expect(raw.vendorResults).toEqual([]);
      expect(raw.warnings.filter((w) => /ppm axis from acqus/.test(w))).toHaveLength(1);
      // one region per multiplet
      expect(raw.acquisitions, raw.acquisitions.map((_, i) => region(raw, i).peak.toFixed(3)).join()).toHaveLength(
        signals.length,
      );
      for (const t of sim.truth) {
        const r = regionOf(raw, t);
        expect(r, `one region holds every line of the multiplet at ${t.ppm}`).toBeDefined();
        expect(Math.abs(r!.shift - t.ppm), `shift of ${t.ppm}`).toBeLessThan(0.02);
        expect(Math.abs(r!.peak - t.ppm), `peak of ${t.ppm}`).toBeLessThan(0.02);
        expect(Math.abs(timeConstant(raw, r!.k, false) / t.value - 1), `T1 at ${t.ppm}`).toBeLessThan(0.02);
      }

      // pdata present but its intrng set aside: the automatic regions, on procs' SF
      const auto = await readBrukerPseudo2d(withDir, { useIntegralRegions: false });
      expect(auto.acquisitions).toHaveLength(signals.length);
      for (const t of sim.truth) expect(Math.abs(regionOf(auto, t)!.shift - t.ppm)).toBeLessThan(0.02);
    });
  }
});

describe('reference frequency', () => {
  it('procs SF (SR ≠ 0) sets the axis; without procs the axis is BF1-referenced, off by SR as in TopSpin', async () => {
    const signals: TopspinSignal[] = [
      { ppm: 7.26, couplings: [{ hz: 8 }], value: 1.5, amplitude: 2e5 },
      { ppm: 1.25, couplings: [{ hz: 7, partners: 2 }], value: 0.8, amplitude: 3e5 },
    ];
    const sr = 40; // Hz: a calibrated spectrum, 0.1 ppm from BF1
    const sim = simulateTopspinSeries({ experiment: 'T1-IR', signals, delays: DELAYS, noise: 10, pdata: { sr } });
    const dir = join(root, 'sr', '1');
    await writeBrukerDataset(dir, sim.dataset);
    const out = await readBrukerPseudo2d(dir);
    expect(out.acquisitions[0]!.metadata.shiftReference).toBe('procs SF');
    for (const [k, t] of sim.truth.entries()) expect(Math.abs(region(out, k).shift - t.ppm)).toBeLessThan(0.005);
    const rawDir = join(root, 'sr-raw', '1');
    await writeBrukerDataset(rawDir, withoutPdata(sim.dataset));
    const raw = await readBrukerPseudo2d(rawDir);
    expect(raw.acquisitions[0]!.metadata.shiftReference).toMatch(/BF1/);
    for (const [k, t] of sim.truth.entries()) {
      // ν is fixed: ppm·SF − (SFO1 − SF)·10⁶ = ppm'·BF1 − (SFO1 − BF1)·10⁶, so ppm' = (ppm·SF + SR)/BF1
      const expected = (t.ppm * sim.sf + sr) / BF1;
      expect(Math.abs(region(raw, k).shift - expected)).toBeLessThan(0.005);
    }
  });

  it('no BF1: SFO1 − O1; neither: the transmitter is 0 ppm; a procs OFFSET that contradicts SF is a warning', async () => {
    const sim = simulateTopspinSeries({
      experiment: 'T1-IR',
      signals: [{ ppm: 3.3, value: 1, amplitude: 1e5 }],
      delays: DELAYS,
      noise: 5,
      points: 4096,
      pdata: { intrng: false, ct1t2: false },
    });
    const { BF1: _bf1, ...noBf1 } = sim.dataset.acqus as Record<string, number | string>;
    const a = join(root, 'nobf1', '1');
    await writeBrukerDataset(a, { ...withoutPdata(sim.dataset), acqus: noBf1 });
    const outA = await readBrukerPseudo2d(a);
    expect(outA.warnings.join()).toMatch(/SF = SFO1 − O1/);
    expect(region(outA, 0).shift).toBeCloseTo(3.3, 2);
    const { O1: _o1, ...bare } = noBf1;
    const b = join(root, 'bare', '1');
    await writeBrukerDataset(b, { ...withoutPdata(sim.dataset), acqus: bare });
    const outB = await readBrukerPseudo2d(b);
    expect(outB.warnings.join()).toMatch(/0 ppm put at the transmitter/);
    expect(region(outB, 0).shift).toBeCloseTo(3.3 - 4.7, 2);
    const c = join(root, 'offset', '1');
    await writeBrukerDataset(c, { ...sim.dataset, procs: { ...(sim.dataset.procs as object), OFFSET: 3 } });
    expect((await readBrukerPseudo2d(c)).warnings.join()).toMatch(/OFFSET 3 ppm disagrees with SF/);
  });
});

describe('grouping rules', () => {
  it('close signals stay apart when their recovery or their height differs; a T2 series groups its multiplets', async () => {
    // a triplet whose outer line is 9 Hz from a doublet with another T1; a small doublet 9 Hz from a big singlet
    const signals: TopspinSignal[] = [
      { ppm: 3.0, couplings: [{ hz: 7, partners: 2 }], value: 2.5, amplitude: 2e5 },
      { ppm: 3.0 - (7 + 9 + 3) / BF1, couplings: [{ hz: 6 }], value: 0.4, amplitude: 2e5 },
      { ppm: 1.5, value: 1, amplitude: 2e6 },
      { ppm: 1.5 - (9 + 3) / BF1, couplings: [{ hz: 6 }], value: 1, amplitude: 1e5 },
    ];
    const sim = simulateTopspinSeries({ experiment: 'T1-IR', signals, delays: DELAYS, noise: 10 });
    const dir = join(root, 'close', '1');
    await writeBrukerDataset(dir, sim.dataset);
    const out = await readBrukerPseudo2d(dir);
    expect(out.acquisitions).toHaveLength(4);
    for (const t of sim.truth) {
      const r = regionOf(out, t);
      expect(r, `${t.ppm}`).toBeDefined();
      // lines 9 Hz apart share their Lorentzian tails: each region's T1 is its own, bent by its neighbour's
      expect(Math.abs(timeConstant(out, r!.k, false) / t.value - 1), `T1 at ${t.ppm}`).toBeLessThan(0.1);
    }

    const t2 = simulateTopspinSeries({
      experiment: 'T2',
      signals: randomSignals(7, 4).map((s) => ({ ...s, value: s.value / 3 })),
      delays: Array.from({ length: 16 }, (_, i) => 2 + 40 * i),
      noise: 10,
      pdata: { intrng: false },
    });
    const t2dir = join(root, 'cpmg', '1');
    await writeBrukerDataset(t2dir, t2.dataset);
    const outT2 = await readBrukerPseudo2d(t2dir);
    expect(outT2.acquisitions[0]!.experiment).toBe('T2');
    expect(outT2.acquisitions).toHaveLength(4);
    for (const t of t2.truth) {
      const r = regionOf(outT2, t)!;
      expect(Math.abs(timeConstant(outT2, r.k, true) / t.value - 1), `T2 at ${t.ppm}`).toBeLessThan(0.02);
      expect(outT2.acquisitions[r.k]!.vendorResults?.map((v) => v.quantity)).toEqual(['T2']);
    }
  });
});
