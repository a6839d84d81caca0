/**
 * Synthetic pseudo-2D FIDs in TopSpin's convention (see processPseudo2d): each row Σ A_r·e^{2πiνt}·e^{−t/T2*} with
 * ν = ppm·SF − (SFO1 − SF)·10⁶ Hz, optionally delayed by a digital-filter group delay (a circular delay of g points,
 * applied exactly in the frequency domain, so the pre-signal wraps to the start as a real filter's does), plus
 * seeded complex Gaussian noise. Used by tests and benchmarks with `writeBrukerDataset`.
 * `simulateDosy` builds on it a whole TopSpin diffusion folder with a known D per line, for any nucleus.
 */
import { bValues, createRng, gyromagneticRatio, type GradientShape } from '@lapis/physics';
import { fftInPlace, ifftInPlace, isPowerOfTwo } from '@lapis/spectra';
import type { ComplexRows } from './binary';
import type { DiffXmlContent } from './diffXml';
import { gradientShapeFromName } from './gradientShape';
import { formatBrukerList } from './lists';
import type { WriteBrukerOptions } from './writeBruker';

export interface SyntheticLine {
  ppm: number;
  /** Amplitude in each row (length = rows). */
  amplitudes: ArrayLike<number>;
  /** Decay of the FID, s (default 0.2 s, a 1.6 Hz line). */
  t2star?: number;
}

export interface SimulatePseudo2dOptions {
  /** Complex points per row. */
  points: number;
  /** Spectral width, Hz. */
  sw: number;
  /** Transmitter frequency, MHz. */
  sfo1: number;
  /** Reference frequency, MHz (default sfo1). */
  sf?: number;
  lines: SyntheticLine[];
  /** Group delay in points (needs a power-of-two `points`; default 0). */
  groupDelay?: number;
  /** Noise σ per real and imaginary value (default 0). */
  noise?: number;
  seed?: number;
}

export function simulatePseudo2d(o: SimulatePseudo2dOptions): ComplexRows {
  const rows = o.lines[0]?.amplitudes.length ?? 0;
  if (rows < 1) throw new RangeError('simulatePseudo2d: at least one line with at least one amplitude');
  if (o.lines.some((l) => l.amplitudes.length !== rows)) throw new RangeError('simulatePseudo2d: lines differ in rows');
  const n = o.points;
  const g = o.groupDelay ?? 0;
  if (g !== 0 && !isPowerOfTwo(n)) throw new RangeError('simulatePseudo2d: a group delay needs a power-of-two points');
  const sf = o.sf ?? o.sfo1;
  const refHz = (o.sfo1 - sf) * 1e6;
  const rng = createRng(o.seed ?? 1);
  const sigma = o.noise ?? 0;
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  const rowRe = new Float64Array(n);
  const rowIm = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    rowRe.fill(0);
    rowIm.fill(0);
    for (const line of o.lines) {
      const a = line.amplitudes[r]!;
      const nu = line.ppm * sf - refHz;
      const decay = 1 / (line.t2star ?? 0.2);
      for (let k = 0; k < n; k++) {
        const t = k / o.sw;
        const env = a * Math.exp(-t * decay);
        rowRe[k] = rowRe[k]! + env * Math.cos(2 * Math.PI * nu * t);
        rowIm[k] = rowIm[k]! + env * Math.sin(2 * Math.PI * nu * t);
      }
    }
    if (g !== 0) {
      fftInPlace(rowRe, rowIm);
      for (let k = 0; k < n; k++) {
        const m = k < n / 2 ? k : k - n;
        const ph = (-2 * Math.PI * m * g) / n;
        const c = Math.cos(ph);
        const s = Math.sin(ph);
        const x = rowRe[k]!;
        const y = rowIm[k]!;
        rowRe[k] = x * c - y * s;
        rowIm[k] = x * s + y * c;
      }
      ifftInPlace(rowRe, rowIm);
    }
    for (let k = 0; k < n; k++) {
      re[r * n + k] = rowRe[k]! + (sigma > 0 ? sigma * rng.normal() : 0);
      im[r * n + k] = rowIm[k]! + (sigma > 0 ? sigma * rng.normal() : 0);
    }
  }
  return { rows, points: n, re, im };
}

/** Gradient shapes of the DOSY simulator and the GPNAM6 names TopSpin gives them. */
export const DOSY_SHAPE_NAMES = { rectangular: 'RECT.1', sine: 'SINE.100', smsq: 'SMSQ10.100' } as const;

export interface SimulateDosyOptions {
  /** NUC1, e.g. '13C'; BF1 and SFO1 are the proton frequency scaled by |γ/γ¹H|. */
  nucleus: string;
  /** PULPROG: 'stebpgp1s' and 'ledbpgp2s' (bipolar pairs, P30 half the pair) or 'diffSte' (monopolar). */
  sequence: 'stebpgp1s' | 'ledbpgp2s' | 'diffSte';
  /** GPNAM6 (default sine). */
  shape?: keyof typeof DOSY_SHAPE_NAMES;
  /** Total gradient duration δ (both halves of a bipolar pair), s. */
  delta: number;
  /** Diffusion time Δ, s. */
  bigDelta: number;
  /** Gradient amplitudes, T/m, one per row. */
  gradients: ArrayLike<number>;
  /** Where δ and Δ are written: P30/D20 in acqus (default), or only diff.xml (P30 = D20 = 0). */
  timings?: 'acqus' | 'diffXml';
  /** Where the gradients are written (default difflist for acqus timings, diff.xml otherwise). */
  gradientsIn?: 'difflist' | 'diffXml';
  /** b-values to write in diff.xml: true for the simulated ones (default), false for none, or a table of one's own. */
  diffXmlB?: boolean | ArrayLike<number>;
  /** D16 (s, default 0.2 ms) and P2 (µs, default 20): the gap between bipolar halves is D16 + P2. */
  d16?: number;
  p2?: number;
  /** Lines: chemical shift, diffusion coefficient (m²/s), amplitude at b = 0. */
  lines: { ppm: number; D: number; amplitude: number; t2star?: number }[];
  /** ¹H frequency of the magnet, MHz (default 400.13). */
  protonMHz?: number;
  /** Complex points per row (default 4096) and spectral width in ppm (default 20, centred on the lines). */
  points?: number;
  swPpm?: number;
  noise?: number;
  seed?: number;
}

export interface SimulatedDosy {
  /** Everything `writeBrukerDataset` needs. */
  dataset: WriteBrukerOptions;
  /** The true b-values, s/m², one per row. */
  bValues: Float64Array;
  /** γ of the nucleus, rad s⁻¹ T⁻¹, and the shape factors used. */
  gamma: number;
  shape: GradientShape;
  /** The gap between bipolar halves, s (0 for monopolar). */
  bipolarGap: number;
}

/**
 * A TopSpin DOSY folder with known truth: each line decays as A·e^(−bD) with b = (γgσδ)²(Δ − λδ − τ/2) for the
 * nucleus' γ, the shape's σ, λ (as GPNAM6 names it) and, for bipolar sequences, τ = D16 + P2.
 */
export function simulateDosy(o: SimulateDosyOptions): SimulatedDosy {
  const gamma = gyromagneticRatio(o.nucleus);
  const bipolar = o.sequence !== 'diffSte';
  const shapeName = DOSY_SHAPE_NAMES[o.shape ?? 'sine'];
  const shape = gradientShapeFromName(shapeName).shape;
  const d16 = o.d16 ?? 2e-4;
  const p2 = o.p2 ?? 20;
  const gap = bipolar ? d16 + p2 * 1e-6 : 0;
  const b = bValues(o.gradients, { gamma, delta: o.delta, bigDelta: o.bigDelta, shape, bipolarGap: gap });

  const bf1 = (o.protonMHz ?? 400.13) * Math.abs(gamma / gyromagneticRatio('1H'));
  const ppms = o.lines.map((l) => l.ppm);
  const o1p = (Math.max(...ppms) + Math.min(...ppms)) / 2;
  const sfo1 = bf1 * (1 + o1p * 1e-6);
  const sw = (o.swPpm ?? 20) * bf1;
  const data = simulatePseudo2d({
    points: o.points ?? 4096,
    sw,
    sfo1,
    sf: bf1,
    lines: o.lines.map((l) => ({
      ppm: l.ppm,
      amplitudes: Array.from(b, (x) => l.amplitude * Math.exp(-x * l.D)),
      ...(l.t2star === undefined ? {} : { t2star: l.t2star }),
    })),
    noise: o.noise ?? 0,
    seed: o.seed ?? 1,
  });

  const inAcqus = (o.timings ?? 'acqus') === 'acqus';
  const p = new Array<number>(64).fill(0);
  const d = new Array<number>(64).fill(0);
  p[1] = 10;
  p[2] = p2;
  if (inAcqus) p[30] = (o.delta * 1e6) / (bipolar ? 2 : 1);
  d[1] = 2;
  d[16] = d16;
  if (inAcqus) d[20] = o.bigDelta;
  const gpnam = new Array<string>(32).fill('SINE.100');
  gpnam[6] = shapeName;
  const gpz = new Array<number>(32).fill(0);
  gpz[6] = 100;
  const dataset: WriteBrukerOptions = {
    acqus: {
      PULPROG: o.sequence,
      NUC1: o.nucleus,
      BF1: bf1,
      SFO1: sfo1,
      O1: (sfo1 - bf1) * 1e6,
      SW_h: sw,
      GRPDLY: 0,
      D: d,
      P: p,
      GPNAM: gpnam,
      GPZ: gpz,
    },
    acqu2s: {},
    data,
    dtype: 'float64',
    files: { 'pdata/1/procs': `##TITLE= Lapis synthetic\n##$SF= ${bf1}\n##END=\n` },
  };
  const gradientsIn = o.gradientsIn ?? (inAcqus ? 'difflist' : 'diffXml');
  if (gradientsIn === 'difflist') dataset.lists = { difflist: formatBrukerList(o.gradients, 'gradient') };
  const xmlB = o.diffXmlB ?? true;
  // a diff.xml when it holds something acqus does not: the timings, the gradients or a b table of one's own
  if (!inAcqus || gradientsIn === 'diffXml' || typeof xmlB !== 'boolean') {
    const content: DiffXmlContent = { delta: o.delta, bigDelta: o.bigDelta, gradients: o.gradients };
    if (xmlB === true) content.bValues = b;
    else if (xmlB !== false) content.bValues = xmlB;
    dataset.diffXml = content;
  }
  return { dataset, bValues: b, gamma, shape, bipolarGap: gap };
}

/**
 * The lines of a first-order multiplet at `ppm`: each coupling (Hz, with `partners` equivalent spins, default 1)
 * splits every line into partners + 1 lines of binomial weight, e.g. a doublet of triplets is
 * [{ hz: 15 }, { hz: 7, partners: 2 }]. The weights sum to 1, so the multiplet's total is `amplitudes`;
 * coinciding lines are merged. `sf` (MHz) converts the couplings to ppm.
 */
export function multipletLines(
  ppm: number,
  couplings: readonly { hz: number; partners?: number }[],
  sf: number,
  amplitudes: ArrayLike<number>,
  t2star?: number,
): SyntheticLine[] {
  let lines = new Map<number, number>([[0, 1]]);
  for (const { hz, partners = 1 } of couplings) {
    const next = new Map<number, number>();
    for (const [offset, weight] of lines) {
      for (let k = 0; k <= partners; k++) {
        let c = 1;
        for (let q = 0; q < k; q++) c = (c * (partners - q)) / (q + 1);
        const at = Math.round((offset + (k - partners / 2) * hz) * 1e6) / 1e6;
        next.set(at, (next.get(at) ?? 0) + (weight * c) / 2 ** partners);
      }
    }
    lines = next;
  }
  return [...lines].map(([offset, weight]) => {
    const line: SyntheticLine = { ppm: ppm + offset / sf, amplitudes: Array.from(amplitudes, (a) => a * weight) };
    if (t2star !== undefined) line.t2star = t2star;
    return line;
  });
}
