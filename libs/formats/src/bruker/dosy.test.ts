/**
 * Simulated TopSpin DOSY series of several nuclei (simulateDosy → writeBrukerDataset → readBrukerPseudo2d): the D of
 * each line is recovered within 1 % by a mono-exponential fit in b, with δ/Δ in acqus (P30, D20) or only in diff.xml,
 * bipolar or monopolar sequences and rectangular, sine or SMSQ gradients drawn at random per seed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bValue, createRng, gyromagneticRatio } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Acquisition } from '../acquisition';
import type { JcampValue } from './jcamp';
import { readBruker } from './readBruker';
import { readBrukerPseudo2d } from './readBrukerPseudo2d';
import { simulateDosy, type SimulateDosyOptions } from './simulatePseudo2d';
import { fitExponential } from '../testing/fitRecovery';
import { writeBrukerDataset } from './writeBruker';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-dosy-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const NUCLEI = ['1H', '2H', '13C', '19F', '31P', '7Li'] as const;
const SEEDS = [7, 1234, 90210];
const SEQUENCES = ['stebpgp1s', 'ledbpgp2s', 'diffSte'] as const;
const SHAPES = ['rectangular', 'sine', 'smsq'] as const;

/**
 * A random DOSY of `nucleus`: two lines, the faster decaying to e^-3 at the largest gradient. Sequence, shape and
 * whether diff.xml carries TopSpin's b-values rotate with the seed's index i and the nucleus' j: each nucleus meets
 * every sequence and every shape, and the first three nuclei every pairing of the two.
 */
function randomDosy(nucleus: string, seed: number, i: number, timings: 'acqus' | 'diffXml'): SimulateDosyOptions {
  const rng = createRng(seed);
  const j = NUCLEI.indexOf(nucleus as (typeof NUCLEI)[number]);
  const sequence = SEQUENCES[(i + j) % 3]!;
  const shape = SHAPES[(i + 2 * j) % 3]!;
  const delta = rng.uniform(1e-3, 4e-3);
  const bigDelta = rng.uniform(0.05, 0.2);
  const dFast = Math.exp(rng.uniform(Math.log(2e-10), Math.log(3e-9)));
  // lines 0.016 ppm wide at every field (6 Hz at 400 MHz), decayed within the acquisition, 7 ppm apart: the
  // Lorentzian tail of one line in the other's region stays far below 1 % of D
  const t2star = 0.05 * Math.abs(gyromagneticRatio('1H') / gyromagneticRatio(nucleus));
  const lines = [
    { ppm: 3.5, D: dFast, amplitude: 1e5, t2star },
    { ppm: -3.5, D: dFast * rng.uniform(0.2, 0.6), amplitude: 6e4, t2star },
  ];
  const draft: SimulateDosyOptions = { nucleus, sequence, shape, delta, bigDelta, gradients: [1], timings, lines };
  // b per (T/m)² for this nucleus, shape and timing: the largest gradient gives b·D = 3
  const { bValues: perG2, gamma } = simulateDosy({ ...draft, points: 16 });
  expect(gamma).toBe(gyromagneticRatio(nucleus));
  const gMax = Math.sqrt(3 / (perG2[0]! * dFast));
  const gradients = Array.from({ length: 12 }, (_, i) => gMax * (0.05 + (0.95 * i) / 11));
  return { ...draft, gradients, points: 4096, noise: 0.5, seed, diffXmlB: timings === 'diffXml' && (i + j) % 2 === 0 };
}

async function recovered(o: SimulateDosyOptions): Promise<{ acquisitions: Acquisition[]; warnings: string[] }> {
  const dir = join(root, String(++n));
  await writeBrukerDataset(dir, simulateDosy(o).dataset);
  const out = await readBrukerPseudo2d(dir);
  return { acquisitions: out.acquisitions, warnings: out.warnings };
}

/** D of the region around `ppm`: fit of e^(−bD) (free offset and amplitude; T = 1/D, searched around the b range). */
function fittedD(acquisitions: Acquisition[], ppm: number): number {
  const acq = acquisitions.find((a) => Math.abs((a.metadata.region as { peak: number }).peak - ppm) < 0.1);
  expect(acq, `region at ${ppm} ppm`).toBeDefined();
  expect(acq!.experiment).toBe('D');
  const b = acq!.axes[0].values;
  const bMax = b.reduce((m, x) => Math.max(m, x), 0);
  return 1 / fitExponential(b, acq!.data, bMax / 1e3, bMax * 1e3).T;
}

describe('simulated TopSpin DOSY of several nuclei: D within 1 %', () => {
  for (const timings of ['acqus', 'diffXml'] as const) {
    it.each(NUCLEI)(`%s, δ/Δ in ${timings === 'acqus' ? 'acqus (P30, D20)' : 'diff.xml only'}`, async (nucleus) => {
      for (const [i, seed] of SEEDS.entries()) {
        const o = randomDosy(nucleus, seed, i, timings);
        const { acquisitions, warnings } = await recovered(o);
        const label = `${nucleus} seed ${seed} ${o.sequence} ${o.shape}${o.diffXmlB === true ? ' with b-table' : ''}`;
        expect(warnings.join('\n'), label).not.toMatch(/differ from Lapis|NUC1|not recognised|unchecked/);
        const source = String(acquisitions[0]!.metadata.axisSource);
        if (timings === 'diffXml' && o.diffXmlB === true)
          expect(source, label).toMatch(/^diff\.xml b-values \(TopSpin\)/);
        expect(source, label).toContain(`${nucleus} γ`);
        expect(source, label).toMatch(timings === 'acqus' ? /\((2·)?P30\).*\(D20\)/ : /\(diff\.xml\).*\(diff\.xml\)/);
        for (const line of o.lines) {
          const err = fittedD(acquisitions, line.ppm) / line.D - 1;
          expect(Math.abs(err), `${label}: D ${line.D} at ${line.ppm} ppm, error ${err}`).toBeLessThan(0.01);
        }
      }
    });
  }
});

describe('nucleus and diff.xml b-values', () => {
  const c13: SimulateDosyOptions = {
    nucleus: '13C',
    sequence: 'diffSte',
    shape: 'rectangular',
    delta: 0.002,
    bigDelta: 0.1,
    // a Diff50-like probe: up to 15 T/m, so that D = 7.5e-12 m²/s decays to e^-3
    gradients: Array.from({ length: 10 }, (_, i) => 0.5 + (i * 14.5) / 9),
    timings: 'diffXml',
    diffXmlB: false,
    lines: [{ ppm: 30, D: 7.5e-12, amplitude: 1e5 }],
    points: 2048,
    noise: 0.5,
    seed: 3,
  };

  it('the reported case: a ¹³C diffSte with δ/Δ only in diff.xml gives TopSpin’s D, not 15.8× less', async () => {
    const { acquisitions } = await recovered(c13);
    const d = fittedD(acquisitions, 30);
    expect(Math.abs(d / c13.lines[0]!.D - 1)).toBeLessThan(0.01);
    // read as if it were ¹H (the old behaviour): D comes out (γH/γC)² ≈ 15.8 times too small
    const dir = join(root, String(n));
    const asProton = await readBrukerPseudo2d(dir, { diffusion: { nucleus: '1H' } });
    const ratio = d / fittedD(asProton.acquisitions, 30);
    expect(ratio).toBeCloseTo((gyromagneticRatio('1H') / gyromagneticRatio('13C')) ** 2, 2);
  });

  it('diff.xml b-values are the axis; a difference over 1 % from Lapis’ is a warning', async () => {
    const { bValues } = simulateDosy(c13);
    const off = Array.from(bValues, (b) => b * 1.05);
    const { acquisitions, warnings } = await recovered({ ...c13, diffXmlB: off });
    expect(Array.from(acquisitions[0]!.axes[0].values)).toEqual(off);
    expect(warnings.join('\n')).toMatch(/diff\.xml b-values differ from Lapis' by up to 5\.00 % .*TopSpin's are used/);
    // b computed with ¹H γ for a ¹³C series: the warning says so
    const proton = Array.from(c13.gradients, (g) =>
      bValue(g, { delta: c13.delta, bigDelta: c13.bigDelta, gamma: gyromagneticRatio('1H') }),
    );
    const asIfH = await recovered({ ...c13, diffXmlB: proton });
    expect(asIfH.warnings.join('\n')).toMatch(/median ratio 15\.8\d* \(as if with ¹H γ\)/);
    // within 1 %: quiet
    const close = await recovered({ ...c13, diffXmlB: Array.from(bValues, (b) => b * 1.005) });
    expect(close.warnings.join('\n')).not.toMatch(/differ/);
  });

  it('NUC1 off or unknown: an error naming NUC1, or diff.xml b-values used unchecked', async () => {
    for (const nuc of ['off', '13X']) {
      const { dataset } = simulateDosy({ ...c13, timings: 'acqus' });
      const dir = join(root, String(++n));
      await writeBrukerDataset(dir, { ...dataset, acqus: { ...dataset.acqus, NUC1: nuc } });
      const ds = await readBruker(dir);
      expect(ds.axisError?.message).toMatch(new RegExp(`acqus: NUC1 "${nuc}" is not a nucleus`));
      await expect(readBrukerPseudo2d(dir)).rejects.toThrow(/NUC1/);
      // with TopSpin's b-values in diff.xml the axis stands, unchecked
      const withB = join(root, String(++n));
      const sim = simulateDosy({ ...c13, diffXmlB: true });
      await writeBrukerDataset(withB, { ...sim.dataset, acqus: { ...sim.dataset.acqus, NUC1: nuc } });
      const out = await readBrukerPseudo2d(withB);
      expect(out.warnings.join('\n')).toMatch(/diff\.xml b-values used unchecked: NUC1/);
      expect(Array.from(out.acquisitions[0]!.axes[0].values)).toEqual(Array.from(sim.bValues));
    }
  });

  it('no NUC1: ¹H assumed with a warning', async () => {
    const { dataset } = simulateDosy({
      ...c13,
      nucleus: '1H',
      timings: 'acqus',
      lines: [{ ppm: 2, D: 2e-9, amplitude: 1e5 }],
    });
    const acqus = { ...(dataset.acqus as Record<string, JcampValue>) };
    delete acqus.NUC1;
    const dir = join(root, String(++n));
    await writeBrukerDataset(dir, { ...dataset, acqus });
    const ds = await readBruker(dir);
    expect(ds.warnings.join('\n')).toMatch(/NUC1 missing from acqus: ¹H/);
    expect(ds.axis?.nucleus).toBe('1H');
  });
});
