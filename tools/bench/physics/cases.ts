/**
 * The seeded case suite of `npm run bench:physics` (and, later, `bench:dl`): simulated acquisitions with realistic
 * designs — T1–T2 by inversion and saturation recovery (24–48 delays × 1000–4000 echoes), D–T2 (16–32 b-values ×
 * 1000–4000 echoes), 1D T2 (1000–4000 echoes) and 1D T1 (24–48 delays) — with one log-normal population or two,
 * 0.5–1.0 decade apart, at SNR 50–1000 (SNR = max |signal| / σ, see libs/physics simulate).
 * Peak positions are drawn inside what each acquisition can resolve (0.5 decade inside its sensitive range), widths
 * 0.05–0.15 decade. Inversion-recovery cases are simulated with an imperfect inversion, β drawn in 0.8–1 (its own
 * random stream, so the rest of the suite is as before), and β is left to the pipeline to estimate, as are σ and the
 * grid ranges: nothing is handed to the solver that a real acquisition would not carry. A different `seed` gives a
 * held-out suite of the same design.
 */
import {
  confirmInversionPeaks,
  createRng,
  estimatedIrBeta,
  findPeaks,
  fitComponents,
  inversionCompressed,
  inversionPeaks,
  logGrid,
  scorePeaks,
  simulate,
  type InvertedMap,
  type InvertInput,
  type KernelName,
  type Peak,
  type SimAxis,
  type SimPeak,
  type Rng,
} from '@lapis/physics';

export type CaseKind = 'T1IR-T2' | 'T1SR-T2' | 'D-T2' | 'T2' | 'T1IR';

export interface BenchCase {
  id: string;
  kind: CaseKind;
  snr: number;
  seed: number;
  axes: { kernel: KernelName; values: Float64Array }[];
  peaks: SimPeak[];
  /** For two-peak cases: distance between the peaks in decades (Euclidean in log10 space). */
  separation?: number;
  /** Inversion efficiency the T1-IR axis was simulated with (0.8–1); the pipeline must estimate it. */
  beta?: number;
}

export interface SuiteOptions {
  seed?: number;
  snrs?: number[];
  /** Cases per (kind, SNR): one single-peak case and two-peak cases at these separations. */
  separations?: number[];
  kinds?: CaseKind[];
}

/** The case's acquisition, simulated with its own seed (noise included) and, for inversion recovery, its own β. */
export function simulateCase(c: BenchCase): ReturnType<typeof simulate> {
  return simulate({
    axes: c.axes.map((a) => ({
      spec: a.kernel === 'T1-IR' && c.beta !== undefined ? { kernel: a.kernel, beta: c.beta } : { kernel: a.kernel },
      x: a.values,
    })) as unknown as [SimAxis] | [SimAxis, SimAxis],
    peaks: c.peaks,
    snr: c.snr,
    seed: c.seed,
  });
}

/** What `invert` gets for the case's data: its axes and data only — β, σ and the grid ranges are estimated. */
export function caseInput(c: BenchCase, data: Float64Array): InvertInput {
  return {
    axes: c.axes.map((a) => ({ kernel: a.kernel, values: a.values })) as unknown as InvertInput['axes'],
    data,
  };
}

export function buildSuite(options: SuiteOptions = {}): BenchCase[] {
  const seed = options.seed ?? 20261121;
  const snrs = options.snrs ?? [50, 100, 300, 1000];
  const separations = options.separations ?? [0.5, 0.75, 1.0];
  const kinds = options.kinds ?? ['T1IR-T2', 'T1SR-T2', 'D-T2', 'T2', 'T1IR'];
  const rng = createRng(seed);
  const betaRng = createRng(seed + 0x5eed);
  const cases: BenchCase[] = [];
  for (const kind of kinds) {
    for (const snr of snrs) {
      for (const sep of [undefined, ...separations]) {
        const axes = design(kind, rng);
        const windows = axes.map((a) => resolvable(a.kernel, a.values));
        const peaks = drawPeaks(rng, windows, sep);
        cases.push({
          id: `${kind}-snr${snr}-${sep === undefined ? '1pk' : `2pk${sep}`}-${cases.length}`,
          kind,
          snr,
          seed: rng.int(1, 2 ** 30),
          axes,
          peaks,
          ...(sep === undefined ? {} : { separation: sep }),
          ...(axes[0]!.kernel === 'T1-IR' ? { beta: betaRng.uniform(0.8, 1) } : {}),
        });
      }
    }
  }
  return cases;
}

function design(kind: CaseKind, rng: Rng): { kernel: KernelName; values: Float64Array }[] {
  const delays = () => logGrid(rng.uniform(5e-5, 2e-4), rng.uniform(3, 10), pick(rng, [24, 32, 48]));
  const echoes = () => {
    const n = pick(rng, [1000, 2000, 4000]);
    const te = pick(rng, [1e-4, 2e-4, 4e-4]);
    return Float64Array.from({ length: n }, (_, i) => (i + 1) * te);
  };
  const bvalues = () => {
    const n = pick(rng, [16, 24, 32]);
    const bMax = 10 ** rng.uniform(9.5, 11);
    // gradient stepped linearly, so b grows quadratically
    return Float64Array.from({ length: n }, (_, i) => bMax * ((i + 1) / n) ** 2);
  };
  switch (kind) {
    case 'T1IR-T2':
      return [
        { kernel: 'T1-IR', values: delays() },
        { kernel: 'T2', values: echoes() },
      ];
    case 'T1SR-T2':
      return [
        { kernel: 'T1-SR', values: delays() },
        { kernel: 'T2', values: echoes() },
      ];
    case 'D-T2':
      return [
        { kernel: 'D', values: bvalues() },
        { kernel: 'T2', values: echoes() },
      ];
    case 'T2':
      return [{ kernel: 'T2', values: echoes() }];
    case 'T1IR':
      return [{ kernel: 'T1-IR', values: delays() }];
  }
}

/** log10 window in which a population can be placed and resolved by this acquisition. */
export function resolvable(kernel: KernelName, x: Float64Array): [number, number] {
  const pos = Array.from(x).filter((v) => v > 0);
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  if (kernel === 'D') return [Math.log10(1 / hi) + 0.5, Math.log10(1 / lo) - 0.5];
  return [Math.log10(lo) + 0.5, Math.log10(hi) - 0.5];
}

function drawPeaks(rng: Rng, windows: [number, number][], separation: number | undefined): SimPeak[] {
  const dims = windows.length;
  const width = () => Array.from({ length: dims }, () => rng.uniform(0.05, 0.15));
  if (separation === undefined) {
    return [{ position: windows.map(([a, b]) => 10 ** rng.uniform(a, b)), width: width(), fraction: 1 }];
  }
  // Direction of the separation: along the axis in 1D, at a random angle in 2D (so both axes get tested).
  const theta = dims === 2 ? rng.uniform(0, Math.PI / 2) : 0;
  const delta = dims === 2 ? [separation * Math.sin(theta), separation * Math.cos(theta)] : [separation];
  const first = windows.map(([a, b], d) => rng.uniform(a, Math.max(a, b - delta[d]!)));
  const second = first.map((v, d) => v + delta[d]!);
  const f = rng.uniform(0.35, 0.65);
  return [
    { position: first.map((v) => 10 ** v), width: width(), fraction: f },
    { position: second.map((v) => 10 ** v), width: width(), fraction: 1 - f },
  ];
}

function pick<T>(rng: Rng, xs: T[]): T {
  return xs[rng.int(0, xs.length - 1)]!;
}

/**
 * The case scored as `lapis invert` lists its peaks (inversionPeaks: only populations the data show; with noise
 * draws, only those the draws reproduce — confirmInversionPeaks), and its map scored by a common local-maximum peak
 * finder (findPeaks on the map alone, no data tests): `map` is that score.
 */
export function scoreCase(c: BenchCase, input: InvertInput, r: InvertedMap, replicates?: readonly Float64Array[]) {
  const listed = inversionPeaks(input, r);
  const found = replicates?.length ? confirmInversionPeaks(input, r, listed, replicates).peaks : listed.peaks;
  const score = scorePeaks(c.peaks, found);
  const truthGain = score.missed.length > 0 ? truthChi2Gain(c.peaks, input, r, found) : undefined;
  const map = scorePeaks(
    c.peaks,
    findPeaks(
      r.distribution,
      r.axes.map((a) => a.values),
    ).peaks,
  );
  return { ...score, found, map, ...(truthGain === undefined ? {} : { truthGain }) };
}

/** Missed peaks of a scored case that the data do not tell from the listing (truthChi2Gain < DATA_CAN_TELL). */
export function dataLimited(s: { missed: unknown[]; truthGain?: number }): number {
  return s.truthGain !== undefined && s.truthGain < DATA_CAN_TELL ? s.missed.length : 0;
}

/** The component test's threshold (libs/physics componentTest, minDeltaChi2). */
export const DATA_CAN_TELL = 25;

/**
 * How much better the true populations fit the data than the peaks listed, Δχ² in units of σ² — both fitted as
 * log-normal components in the inversion's compressed space (fitComponents; σ² replaced by the truth model's residual
 * variance where that is larger, the component test's F-test). Under DATA_CAN_TELL the data do not tell the truth from
 * what was listed at the test's significance: a population missed there is missed for want of information, and a
 * method that listed it anyway would list as many populations that are not there.
 */
export function truthChi2Gain(
  truthPeaks: SimPeak[],
  input: InvertInput,
  r: InvertedMap,
  found: Peak[],
): number | undefined {
  const cp = inversionCompressed(input, r);
  if (!cp || found.length === 0) return undefined;
  const grids = r.axes.map((a) => a.values);
  const total = found[0]!.amplitude / found[0]!.fraction; // the map's total amplitude
  // An estimated inversion-recovery β is refitted, as the peak listing's own tests do.
  const fit = { irBeta: estimatedIrBeta(input, r) };
  const truth = fitComponents(
    cp,
    grids,
    truthPeaks.map((p) => ({ position: p.position, widthDecades: p.width, amplitude: p.fraction * total })),
    fit,
  );
  const listed = fitComponents(cp, grids, found, fit);
  const variance = Math.max(cp.sigma ** 2, truth.chi2 / Math.max(1, cp.m.length - truth.parameters));
  return (listed.chi2 - truth.chi2) / variance;
}
