/**
 * Spinsolve folders written by simulateSpinsolve from libs/physics simulations (known truth), read back: every
 * experiment and layout (Prospa binaries, 1D_T1IRT2 step folders, text exports) at several seeds (axes to 1e-12,
 * data equal), a round trip through `invert`, and the errors and warnings of odd folders.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, invert, inversionPeaks, type SimPeak } from '@lapis/physics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, type Acquisition } from '../acquisition';
import { detectAndRead } from '../read';
import { parseSpinsolveParameters } from './parameters';
import { readSpinsolve } from './readSpinsolve';
import { spinsolveReader } from './spinsolveReader';
import {
  formatSpinsolveParameters,
  simulateSpinsolve,
  type SimulateSpinsolveOptions,
  type SpinsolveExperimentName,
  type SpinsolveVariant,
} from './writeSpinsolve';

let root: string;
let n = 0;
const fresh = () => join(root, String(++n));
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lapis-spinsolve-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SEEDS = [41, 42, 43];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1e-300));
  }
  expect(worst).toBeLessThanOrEqual(rel);
}

/** Largest deviation over the largest value. */
function deviation(actual: Float64Array, expected: Float64Array): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  return worst / scale;
}

/** Parameters and populations drawn from the seed, so every seed is a different acquisition. */
function caseFor(e: SpinsolveExperimentName, seed: number): Pick<SimulateSpinsolveOptions, 'parameters' | 'peaks'> {
  const rng = createRng(seed);
  const t2 = 10 ** rng.uniform(-2, -1);
  const t1 = t2 * rng.uniform(1.5, 3);
  const d = 10 ** rng.uniform(-9.5, -9);
  const one = (position: number[]): SimPeak[] => [{ position, width: position.map(() => 0.1), fraction: 1 }];
  switch (e) {
    case 'T2Bulk':
      return { parameters: { echoTime: rng.int(100, 400), nrEchoes: rng.int(300, 1500) }, peaks: one([t2]) };
    case 'T2':
      return {
        parameters: { techo: rng.int(200, 600), echoesperstep: rng.int(8, 32), nrSteps: rng.int(12, 24) },
        peaks: one([0.3]),
      };
    case 'T1':
      return {
        parameters: { minDelay: rng.uniform(0.5, 2), maxDelay: rng.uniform(2000, 6000), nrSteps: rng.int(10, 20) },
        peaks: one([t1 * 5]),
      };
    case 'T1IRT2':
      return {
        parameters: {
          echoTime: rng.int(100, 300),
          nrEchoes: rng.int(200, 800),
          minTau: rng.uniform(0.5, 2),
          maxTau: rng.uniform(1000, 5000),
          tauSteps: rng.int(8, 20),
        },
        peaks: one([t1, t2]),
      };
    case 'DT2':
      return {
        parameters: {
          echoTime: rng.int(150, 400),
          nrEchoes: rng.int(200, 800),
          nrSteps: rng.int(8, 20),
          gradMax: rng.uniform(300, 600),
          bDelta: rng.uniform(20, 60),
        },
        peaks: one([d, t2]),
      };
    case 'PGSTE':
      return {
        parameters: { nrSteps: rng.int(12, 24), gradMax: rng.uniform(300, 600), bDelta: rng.uniform(20, 60) },
        peaks: one([d]),
      };
  }
}

const EXPECTED: Record<SpinsolveExperimentName, { experiment: string; kernels: string[] }> = {
  T2Bulk: { experiment: 'T2', kernels: ['T2'] },
  T2: { experiment: 'T2', kernels: ['T2'] },
  T1: { experiment: 'T1', kernels: ['T1-IR'] },
  T1IRT2: { experiment: 'T1-T2', kernels: ['T1-IR', 'T2'] },
  DT2: { experiment: 'D-T2', kernels: ['D', 'T2'] },
  PGSTE: { experiment: 'D', kernels: ['D'] },
};

const CASES: [SpinsolveExperimentName, SpinsolveVariant, Partial<SimulateSpinsolveOptions>][] = [
  ['T2Bulk', 'binary', {}],
  ['T2Bulk', 'text', {}],
  ['T2Bulk', 'text-comma', { lineEnd: '\n' }],
  ['T1IRT2', 'binary', {}],
  ['T1IRT2', 'steps', {}],
  ['T1IRT2', 'text', {}],
  ['T1IRT2', 'text-comma', {}],
  ['DT2', 'binary', {}],
  ['DT2', 'binary', { gradientsFile: true }],
  ['DT2', 'text', {}],
  ['T1', 'text-comma', {}],
  ['T2', 'text', {}],
  ['PGSTE', 'text', {}],
];

describe('Spinsolve round trips: write → read equals the truth', () => {
  for (const [experiment, variant, extra] of CASES) {
    it(`${experiment}, ${variant}${extra.gradientsFile ? ' with gradients.par' : ''}`, async () => {
      for (const seed of SEEDS) {
        const dir = fresh();
        const c = caseFor(experiment, seed);
        const sim = await simulateSpinsolve(dir, { experiment, variant, ...c, seed, snr: 500, ...extra });
        const acq = await readSpinsolve(dir);
        expect(acq.experiment).toBe(EXPECTED[experiment].experiment);
        expect(acq.axes.map((a) => a.kernel)).toEqual(EXPECTED[experiment].kernels);
        acq.axes.forEach((a, d) => {
          expect(a.unit).toBe(a.kernel === 'D' ? 's/m2' : 's');
          expectClose(a.values, sim.axes[d]!, 1e-12);
        });
        expect(Array.from(acq.data)).toEqual(Array.from(sim.data));
        expect(acq.metadata).toMatchObject({
          source: 'spinsolve',
          path: dir,
          sample: `simulated seed ${seed}`,
          acquiredAt: '2026-01-05T09:30:00',
          instrument: 'Spinsolve Simulated (LAPIS)',
        });
        expect(acq.metadata.files).toEqual(
          expect.arrayContaining(sim.files.filter((f) => !/1D_T1IRT2\/\d+\/acqu/.test(f)).map((f) => join(dir, f))),
        );
        // the only warnings are the stated readings of a diffusion experiment
        const expected = experiment === 'DT2' || experiment === 'PGSTE' ? /^(δ taken as|no gradients\.par)/ : /^$/;
        expect(acq.warnings.filter((w) => !expected.test(w))).toEqual([]);
        expect(acq.warnings.some((w) => /no gradients\.par/.test(w))).toBe(
          experiment === 'DT2' && !extra.gradientsFile,
        );
      }
    });
  }

  it('spectroscopic T1, T2 and PGSTE (FIDs in data.2d): axes exact, bulk signal proportional to the truth', async () => {
    for (const experiment of ['T1', 'T2', 'PGSTE'] as const) {
      for (const seed of SEEDS) {
        const dir = fresh();
        const sim = await simulateSpinsolve(dir, { experiment, ...caseFor(experiment, seed), seed, snr: 1000 });
        expect(sim.fids).toBe(true);
        const acq = await readSpinsolve(dir);
        acq.axes.forEach((a, d) => expectClose(a.values, sim.axes[d]!, 1e-12));
        const k = acq.data.reduce((a, v, i) => a + v * sim.data[i]!, 0) / sim.data.reduce((a, v) => a + v * v, 0);
        expect(k).toBeGreaterThan(0);
        expect(
          deviation(
            acq.data.map((v) => v / k),
            sim.data,
          ),
        ).toBeLessThan(2e-3);
        expect(String(acq.metadata.notes)).toMatch(/bulk signal: \d+ FIDs/);
      }
    }
  });

  it('a receiver phase is taken out: echo data within float32 precision, the phase reported', async () => {
    for (const [experiment, variant] of [
      ['T2Bulk', 'binary'],
      ['T1IRT2', 'binary'],
      ['T1IRT2', 'text'],
      ['DT2', 'text-comma'],
    ] as [SpinsolveExperimentName, SpinsolveVariant][]) {
      for (const seed of SEEDS) {
        const dir = fresh();
        const phase = createRng(seed).uniform(-3, 3);
        const sim = await simulateSpinsolve(dir, {
          experiment,
          variant,
          ...caseFor(experiment, seed),
          seed,
          snr: 300,
          phase,
        });
        const acq = await readSpinsolve(dir);
        expect(deviation(acq.data, sim.data)).toBeLessThan(variant === 'binary' ? 1e-6 : 1e-12);
        expect(acq.metadata.phase0).toBeCloseTo(phase, 5);
      }
    }
  });

  it('reads a folder, its acqu.par or its data file alike; writes tags in the order of real Prospa files', async () => {
    const dir = fresh();
    await simulateSpinsolve(dir, { experiment: 'T1IRT2', variant: 'binary', ...caseFor('T1IRT2', 1), seed: 1 });
    const bytes = await readFile(join(dir, 'data.2d'));
    expect(bytes.toString('latin1', 0, 12)).toBe('SORPATAD1.1V');
    const a = await readSpinsolve(dir);
    for (const p of [join(dir, 'acqu.par'), join(dir, 'data.2d')]) {
      const b = await readSpinsolve(p);
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
    }
    for (const p of [dir, join(dir, 'acqu.par'), join(dir, 'data.2d')]) {
      expect(await spinsolveReader.detect(p, {})).toBe(true);
      expect((await detectAndRead(p)).metadata.source).toBe('spinsolve');
    }
  });
});

describe('Spinsolve → invert', () => {
  const peaksOf = (acq: Acquisition, grid?: number) => {
    const input = { axes: acq.axes, data: acq.data };
    const inv = invert(input, grid === undefined ? {} : { grid });
    return inversionPeaks(input, inv)
      .peaks.filter((p) => p.fraction > 0.1)
      .sort((x, y) => x.position[0]! - y.position[0]!);
  };
  const decades = (a: number, b: number) => Math.abs(Math.log10(a / b));

  it('T2Bulk with two populations: positions within 0.05 decade', async () => {
    const peaks: SimPeak[] = [
      { position: [0.006], width: [0.08], fraction: 0.5 },
      { position: [0.15], width: [0.08], fraction: 0.5 },
    ];
    const dir = fresh();
    await simulateSpinsolve(dir, {
      experiment: 'T2Bulk',
      peaks,
      seed: 51,
      snr: 2000,
      phase: 1.2,
      parameters: { echoTime: 200, nrEchoes: 3000 },
    });
    const found = peaksOf(await readSpinsolve(dir));
    expect(found).toHaveLength(2);
    found.forEach((p, i) => expect(decades(p.position[0]!, peaks[i]!.position[0]!)).toBeLessThan(0.05));
  });

  it('T1IRT2 (step folders) and DT2 with one population: positions within 0.05 decade', async () => {
    for (const [experiment, variant, truth] of [
      ['T1IRT2', 'steps', [0.3, 0.08]],
      ['DT2', 'binary', [2e-9, 0.08]],
    ] as [SpinsolveExperimentName, SpinsolveVariant, number[]][]) {
      const dir = fresh();
      const peaks: SimPeak[] = [{ position: truth, width: [0.08, 0.08], fraction: 1 }];
      const parameters: Record<string, number> =
        experiment === 'T1IRT2'
          ? { nrEchoes: 1000, echoTime: 300, tauSteps: 20 }
          : { nrEchoes: 1000, echoTime: 300, nrSteps: 20 };
      await simulateSpinsolve(dir, { experiment, variant, peaks, seed: 61, snr: 1000, phase: 0.4, parameters });
      const found = peaksOf(await readSpinsolve(dir), 48);
      expect(found).toHaveLength(1);
      expect(decades(found[0]!.position[0]!, truth[0]!)).toBeLessThan(0.05);
      expect(decades(found[0]!.position[1]!, truth[1]!)).toBeLessThan(0.05);
    }
  });
});

describe('Spinsolve errors and stated readings', () => {
  const base = async (experiment: SpinsolveExperimentName = 'T1IRT2', variant: SpinsolveVariant = 'binary') => {
    const dir = fresh();
    await simulateSpinsolve(dir, { experiment, variant, ...caseFor(experiment, 7), seed: 7 });
    return dir;
  };
  const setParameters = async (dir: string, change: Record<string, string | number | undefined>) => {
    const p = parseSpinsolveParameters(await readFile(join(dir, 'acqu.par'), 'latin1'), 'acqu.par');
    const values: Record<string, string | number> = Object.fromEntries(p.values);
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete values[k];
      else values[k] = v;
    }
    await writeFile(join(dir, 'acqu.par'), formatSpinsolveParameters(values));
  };

  it('missing acqu.par, unknown experiments and missing data are FormatErrors naming the file', async () => {
    const empty = fresh();
    await mkdir(empty);
    await expect(readSpinsolve(empty)).rejects.toThrow(/acqu\.par: missing/);
    const dir = await base();
    await setParameters(dir, { experiment: 'Proton' });
    await expect(readSpinsolve(dir)).rejects.toThrow(/experiment "Proton" is not one Lapis reads/);
    expect(await spinsolveReader.detect(dir, {})).toBe(false);
    const noData = await base();
    await rm(join(noData, 'data.2d'));
    await expect(readSpinsolve(noData)).rejects.toThrow(/no data: expected data\.2d/);
    const noEcho = await base();
    await setParameters(noEcho, { echoTime: undefined });
    await expect(readSpinsolve(noEcho)).rejects.toThrow(/acqu\.par: no echoTime \(needed for the echo times\)/);
    const factory = await base('DT2');
    await setParameters(factory, { gradMax: 'factory' });
    await expect(readSpinsolve(factory)).rejects.toThrow(/gradMax = "factory" is not a number/);
    await expect(readSpinsolve(join(root, 'nowhere'))).rejects.toThrow(FormatError);
  });

  it('one step folder of a T1IRT2 is refused with a pointer to the experiment folder', async () => {
    const dir = await base('T1IRT2', 'steps');
    await expect(readSpinsolve(join(dir, '1D_T1IRT2', '0003'))).rejects.toThrow(/one echo train of a T1IRT2/);
  });

  it('says which reading it took: missing spacing, incomplete runs, lists that disagree, linear gradients', async () => {
    const noSpacing = await base();
    await setParameters(noSpacing, { logspace: undefined });
    expect((await readSpinsolve(noSpacing)).warnings.join()).toMatch(/logspace not given: delays taken log-spaced/);
    const partial = await base();
    await setParameters(partial, { tauSteps: 40 });
    await expect(readSpinsolve(partial)).resolves.toMatchObject({
      warnings: [expect.stringMatching(/tauSteps = 40 but the data hold \d+ inversion delays/)],
    });
    const steps = await base('T1IRT2', 'steps');
    const t1 = join(steps, '1D_T1IRT2', 'timeT1_s.dat');
    const list = (await readFile(t1, 'latin1')).trim().split('\n').map(Number);
    await writeFile(t1, list.map((v) => v * 1.1).join('\n'));
    const acq = await readSpinsolve(steps);
    expect(acq.warnings.join()).toMatch(
      /timeT1_s\.dat does not follow acqu\.par: the file's values are used, read in us/,
    );
    expectClose(
      acq.axes[0].values,
      Float64Array.from(list, (v) => v * 1.1e-6),
      1e-12,
    );
    const linear = await base('DT2');
    await setParameters(linear, { gradSpacing: 'no' });
    expect((await readSpinsolve(linear)).warnings.join()).toMatch(/gradSpacing = "no": gradients taken linear/);
  });
});
