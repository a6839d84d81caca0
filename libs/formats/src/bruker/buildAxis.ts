/**
 * The varied axis of a TopSpin pseudo-2D relaxation or diffusion experiment, in SI units.
 *
 * - T1 (IR/SR): the `vdlist` delays, in list order.
 * - T1ρ (spin-lock): the `vplist` lock durations; the decay e^(−τ/T1ρ) has the T2 kernel's form, so the axis
 *   is given the 'T2' kernel (with a warning).
 * - T2 (CPMG): `vclist` loop counts × echo time TE, TE = 2·D20 + P2 (Bruker's cpmg library: a d20 – p2 – d20
 *   echo). `echoTime` overrides it for sequences built differently.
 * - D: b = (γ g σ δ)² (Δ − λδ − τ/2) by libs/physics `bValues` with
 *     γ   the gyromagnetic ratio of NUC1 (an unknown nucleus is an error naming NUC1; no NUC1: ¹H, with a warning);
 *     g   diff.xml's gradients, else the `difflist` (G/cm → T/m), else a ramp list (fractions) × GPZ6 % × `maxGradient`;
 *     δ   diff.xml's delta, else P30 (µs), doubled for bipolar sequences, whose p30 is half the gradient pair;
 *     Δ   diff.xml's DELTA, else D20;
 *     τ   (bipolar only) D16 + P2, the gap between the two halves of a pair;
 *     σ,λ from GPNAM6.
 *   `diffusion` options override each of these. When diff.xml lists TopSpin's own b-values they are the axis (they
 *   are TopSpin's answer): Lapis' b-values are computed beside them and a difference over 1 % is a warning. Options
 *   that override the timings, shape or γ set diff.xml's b-values aside.
 * A list longer than TD1 is cut to TD1 with a warning (TopSpin uses the first TD1 entries); a shorter one is an error.
 */
import { bValues, gyromagneticRatio, normaliseNucleus, type GradientShape, type KernelName } from '@lapis/physics';
import type { AcquisitionSiUnit } from '@lapis/contracts/vocabulary';
import { FormatError } from '../acquisition';
import type { DiffXmlSettings } from './diffXml';
import type { BrukerParameters } from './parameters';
import type { DetectedExperiment } from './detectExperiment';
import { gradientShapeFromName } from './gradientShape';

export interface DiffusionOverrides {
  /** Total gradient duration δ, s. */
  delta?: number;
  /** Diffusion time Δ, s. */
  bigDelta?: number;
  bipolarGap?: number;
  shape?: GradientShape;
  /** Gradient amplitude at 100 % (T/m), needed when only a ramp list is present. */
  maxGradient?: number;
  /** Index n of the encoding gradient GPZn/GPNAMn (default 6, as in Bruker's DOSY library). */
  gradientIndex?: number;
  /** Observed nucleus, e.g. '13C' (default NUC1). */
  nucleus?: string;
  /** Gyromagnetic ratio, rad s⁻¹ T⁻¹ (default that of the nucleus). */
  gamma?: number;
}

export interface BuildAxisOptions {
  /** Echo time for CPMG axes, s (default 2·D20 + P2). */
  echoTime?: number;
  diffusion?: DiffusionOverrides;
}

export interface BrukerLists {
  vdlist?: Float64Array;
  vplist?: Float64Array;
  /** Lists that were present but unreadable: the error is thrown if the experiment needs them. */
  errors?: Record<string, Error>;
  vclist?: Float64Array;
  /** Gradient amplitudes in T/m. */
  difflist?: Float64Array;
  /** Gradient ramp as fractions of the GPZ setting. */
  ramp?: Float64Array;
  /** diff.xml, when present: δ, Δ, gradients and TopSpin's b-values, which take precedence. */
  diffXml?: DiffXmlSettings;
}

export interface BuiltAxis {
  kernel: KernelName;
  values: Float64Array;
  unit: AcquisitionSiUnit;
  /** How the axis was obtained, e.g. 'vdlist', 'vclist × TE 0.0012 s'. */
  source: string;
  /** Diffusion: the observed nucleus ('13C') and the γ (rad s⁻¹ T⁻¹) Lapis' b-values use. */
  nucleus?: string;
  gamma?: number;
}

export function buildBrukerAxis(
  experiment: DetectedExperiment,
  acqus: BrukerParameters,
  lists: BrukerLists,
  td1: number,
  warnings: string[],
  options: BuildAxisOptions = {},
): BuiltAxis {
  const dir = acqus.file.replace(/[/\\][^/\\]*$/, '');
  const fit = (values: Float64Array, name: string): Float64Array => {
    if (values.length < td1) {
      throw new FormatError(`${dir}/${name}`, `list has ${values.length} entries but TD1 is ${td1}`);
    }
    if (values.length > td1) {
      warnings.push(`${name} has ${values.length} entries; the first TD1 = ${td1} are used`);
      return values.slice(0, td1);
    }
    return values;
  };
  switch (experiment.kind) {
    case 'T1-IR':
    case 'T1-SR':
    case 'IR-CPMG': {
      if (!lists.vdlist)
        throw lists.errors?.vdlist ?? new FormatError(`${dir}/vdlist`, `missing: needed for ${experiment.kind}`);
      if (experiment.kind === 'IR-CPMG') warnings.push('IR-CPMG: only the inversion-recovery axis (vdlist) is built');
      return {
        kernel: experiment.kind === 'T1-SR' ? 'T1-SR' : 'T1-IR',
        values: fit(lists.vdlist, 'vdlist'),
        unit: 's',
        source: 'vdlist',
      };
    }
    case 'T1rho': {
      if (!lists.vplist)
        throw lists.errors?.vplist ?? new FormatError(`${dir}/vplist`, 'missing: needed for a T1ρ pseudo-2D');
      warnings.push('T1ρ decay: reported on the T2 (exponential decay) kernel');
      return { kernel: 'T2', values: fit(lists.vplist, 'vplist'), unit: 's', source: 'vplist (T1ρ)' };
    }
    case 'T2': {
      if (!lists.vclist)
        throw lists.errors?.vclist ?? new FormatError(`${dir}/vclist`, 'missing: needed for a CPMG pseudo-2D');
      let te = options.echoTime;
      if (te === undefined) {
        const d20 = acqus.numberElement('D', 20);
        const p2 = acqus.numberElement('P', 2) ?? 0;
        if (d20 === undefined || !(d20 > 0)) throw new FormatError(acqus.file, 'D20 (half echo delay) missing or zero');
        te = 2 * d20 + p2 * 1e-6;
      }
      if (!(te > 0)) throw new RangeError(`echo time must be > 0, got ${te}`);
      const counts = fit(lists.vclist, 'vclist');
      const values = counts.map((n) => n * te);
      return { kernel: 'T2', values, unit: 's', source: `vclist × TE ${te} s` };
    }
    case 'D':
      return diffusionAxis(experiment, acqus, lists, fit, warnings, options.diffusion ?? {});
    default:
      throw new FormatError(acqus.file, `cannot tell the experiment from pulse program '${experiment.pulseProgram}'`);
  }
}

/** Largest relative difference between diff.xml's b-values and Lapis' before a warning. */
const B_TOLERANCE = 0.01;

/** γ of the observed nucleus and how it is named in the axis source. */
function observedGamma(
  acqus: BrukerParameters,
  o: DiffusionOverrides,
  warnings: string[],
): { gamma: number; label: string } {
  if (o.gamma !== undefined) {
    if (!(Number.isFinite(o.gamma) && o.gamma !== 0))
      throw new RangeError(`diffusion.gamma must be finite and non-zero, got ${o.gamma}`);
    return { gamma: o.gamma, label: 'given' };
  }
  const given = o.nucleus ?? acqus.string('NUC1')?.trim();
  if (given === undefined || given === '') {
    warnings.push('NUC1 missing from acqus: ¹H gyromagnetic ratio assumed for the b-values');
    return { gamma: gyromagneticRatio('1H'), label: '1H' };
  }
  const key = normaliseNucleus(given);
  if (key === undefined) {
    const where = o.nucleus !== undefined ? 'diffusion.nucleus' : 'NUC1';
    throw new FormatError(
      acqus.file,
      `${where} ${JSON.stringify(given.slice(0, 20))} is not a nucleus with a known gyromagnetic ratio: no b-values`,
    );
  }
  return { gamma: gyromagneticRatio(key), label: key };
}

function diffusionAxis(
  experiment: DetectedExperiment,
  acqus: BrukerParameters,
  lists: BrukerLists,
  fit: (v: Float64Array, name: string) => Float64Array,
  warnings: string[],
  o: DiffusionOverrides,
): BuiltAxis {
  const xmlB = lists.diffXml?.bValues;
  const overridden = [o.delta, o.bigDelta, o.bipolarGap, o.shape, o.gamma, o.nucleus].some((v) => v !== undefined);
  if (!xmlB || overridden) {
    if (xmlB) warnings.push('diffusion options given: diff.xml b-values set aside, Lapis computes them');
    return lapisDiffusionAxis(experiment, acqus, lists, fit, warnings, o);
  }
  // TopSpin's b-values are the axis; Lapis' own, when they can be computed, check them.
  const values = fit(xmlB, 'diff.xml b-values');
  const own: string[] = [];
  let check: BuiltAxis;
  try {
    check = lapisDiffusionAxis(experiment, acqus, lists, fit, own, o);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    warnings.push(`diff.xml b-values used unchecked: ${e.problem}`);
    return { kernel: 'D', values, unit: 's/m2', source: 'diff.xml b-values (TopSpin)' };
  }
  warnings.push(...own);
  const bMax = values.reduce((m, x) => Math.max(m, x), 0);
  let worst = 0;
  let worstRow = -1;
  const ratios: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const ours = check.values[i]!;
    const theirs = values[i]!;
    if (Math.max(ours, theirs) <= 1e-6 * bMax) continue; // b ≈ 0 rows say nothing
    ratios.push(theirs / ours);
    const rel = ours > 0 ? Math.abs(theirs / ours - 1) : Infinity;
    if (rel > worst) {
      worst = rel;
      worstRow = i;
    }
  }
  if (worst > B_TOLERANCE) {
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)] ?? NaN;
    const proton = (gyromagneticRatio('1H') / (check.gamma ?? gyromagneticRatio('1H'))) ** 2;
    const hint = Math.abs(proton - 1) > 0.05 && Math.abs(median / proton - 1) < B_TOLERANCE ? ' (as if with ¹H γ)' : '';
    const pct = Number.isFinite(worst) ? `${(worst * 100).toPrecision(3)} %` : 'an infinite factor';
    warnings.push(
      `diff.xml b-values differ from Lapis' by up to ${pct} (row ${worstRow + 1}; median ratio ${median.toPrecision(4)}${hint}): TopSpin's are used`,
    );
  }
  const axis: BuiltAxis = {
    kernel: 'D',
    values,
    unit: 's/m2',
    source: `diff.xml b-values (TopSpin), checked against ${check.source}`,
  };
  if (check.nucleus !== undefined) axis.nucleus = check.nucleus;
  if (check.gamma !== undefined) axis.gamma = check.gamma;
  return axis;
}

function lapisDiffusionAxis(
  experiment: DetectedExperiment,
  acqus: BrukerParameters,
  lists: BrukerLists,
  fit: (v: Float64Array, name: string) => Float64Array,
  warnings: string[],
  o: DiffusionOverrides,
): BuiltAxis {
  const gi = o.gradientIndex ?? 6;
  let gradients: Float64Array;
  let source: string;
  if (lists.diffXml?.gradients) {
    gradients = fit(lists.diffXml.gradients, 'diff.xml');
    source = 'diff.xml gradients';
  } else if (lists.difflist || lists.errors?.difflist) {
    if (!lists.difflist) throw lists.errors!.difflist!;
    gradients = fit(lists.difflist, 'difflist');
    source = 'difflist';
  } else if (lists.ramp) {
    const gpz = acqus.numberElement('GPZ', gi);
    if (gpz === undefined) throw new FormatError(acqus.file, `GPZ${gi} missing: cannot scale the gradient ramp`);
    if (o.maxGradient === undefined) {
      throw new FormatError(
        acqus.file,
        'only a gradient ramp list: the probe maximum gradient (maxGradient, T/m) is needed',
      );
    }
    const g = o.maxGradient * (gpz / 100);
    gradients = fit(lists.ramp, 'gradient ramp').map((r) => r * g);
    source = `ramp × GPZ${gi} ${gpz} % × ${o.maxGradient} T/m`;
  } else {
    throw new FormatError(acqus.file.replace(/acqus$/, 'difflist'), 'missing: no difflist, diff.xml or gradient ramp');
  }
  const p30 = acqus.numberElement('P', 30);
  const d20 = acqus.numberElement('D', 20);
  const xml = lists.diffXml;
  const delta = o.delta ?? xml?.delta ?? (p30 !== undefined ? p30 * 1e-6 * (experiment.bipolar ? 2 : 1) : undefined);
  const bigDelta = o.bigDelta ?? xml?.bigDelta ?? d20;
  const deltaFrom =
    o.delta !== undefined ? 'option' : xml?.delta !== undefined ? 'diff.xml' : experiment.bipolar ? '2·P30' : 'P30';
  const bigDeltaFrom = o.bigDelta !== undefined ? 'option' : xml?.bigDelta !== undefined ? 'diff.xml' : 'D20';
  if (!(delta !== undefined && delta > 0))
    throw new FormatError(acqus.file, 'P30 (gradient duration δ) missing or zero, and no delta in diff.xml');
  if (!(bigDelta !== undefined && bigDelta > 0))
    throw new FormatError(acqus.file, 'D20 (diffusion time Δ) missing or zero, and no DELTA in diff.xml');
  let gap = o.bipolarGap;
  if (gap === undefined && experiment.bipolar) {
    gap = (acqus.numberElement('D', 16) ?? 0) + (acqus.numberElement('P', 2) ?? 0) * 1e-6;
  }
  let shape = o.shape;
  if (shape === undefined) {
    const name = acqus.element('GPNAM', gi);
    const found = gradientShapeFromName(typeof name === 'string' ? name : undefined);
    if (found.warning) warnings.push(found.warning);
    shape = found.shape;
  }
  const { gamma, label } = observedGamma(acqus, o, warnings);
  let values: Float64Array;
  try {
    values = bValues(gradients, { gamma, delta, bigDelta, shape, bipolarGap: gap ?? 0 });
  } catch (cause) {
    throw new FormatError(acqus.file, `diffusion timings give no b-values: ${(cause as Error).message}`, { cause });
  }
  return {
    kernel: 'D',
    values,
    unit: 's/m2',
    source:
      `${source}; ${label} γ ${gamma.toPrecision(9)} rad/s/T; δ ${delta} s (${deltaFrom}), ` +
      `Δ ${bigDelta} s (${bigDeltaFrom}), gap ${gap ?? 0} s`,
    ...(o.gamma === undefined ? { nucleus: label } : {}),
    gamma,
  };
}
