/**
 * The varied axis of a TopSpin pseudo-2D relaxation or diffusion experiment, in SI units.
 *
 * - T1 (IR/SR): the `vdlist` delays, in list order.
 * - T1ρ (spin-lock): the `vplist` lock durations; the decay e^(−τ/T1ρ) has the T2 kernel's form, so the axis
 *   is given the 'T2' kernel (with a warning).
 * - T2 (CPMG): `vclist` loop counts × echo time TE, TE = 2·D20 + P2 (Bruker's cpmg library: a d20 – p2 – d20
 *   echo). `echoTime` overrides it for sequences built differently.
 * - D: b = (γ g σ δ)² (Δ − λδ − τ/2) by libs/physics `bValues` with
 *     g   the `difflist` gradients (G/cm → T/m), else a gradient ramp list (fractions) × GPZ6 % × `maxGradient`;
 *     δ   P30 (µs), doubled for bipolar sequences, whose p30 is half the gradient pair;
 *     Δ   D20;
 *     τ   (bipolar only) D16 + P2, the gap between the two halves of a pair;
 *     σ,λ from GPNAM6.
 *   `diffusion` options override each of these.
 * A list longer than TD1 is cut to TD1 with a warning (TopSpin uses the first TD1 entries); a shorter one is an error.
 */
import { bValues, type GradientShape, type KernelName } from '@lapis/physics';
import { FormatError } from '../acquisition';
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
  /** diff.xml, when present: overrides for δ, Δ and gradients. */
  diffXml?: { delta?: number; bigDelta?: number; gradients?: Float64Array };
}

export interface BuiltAxis {
  kernel: KernelName;
  values: Float64Array;
  unit: 's' | 's/m2';
  /** How the axis was obtained, e.g. 'vdlist', 'vclist × TE 0.0012 s'. */
  source: string;
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

function diffusionAxis(
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
  const delta =
    o.delta ?? lists.diffXml?.delta ?? (p30 !== undefined ? p30 * 1e-6 * (experiment.bipolar ? 2 : 1) : undefined);
  const bigDelta = o.bigDelta ?? lists.diffXml?.bigDelta ?? d20;
  if (!(delta !== undefined && delta > 0))
    throw new FormatError(acqus.file, 'P30 (gradient duration δ) missing or zero');
  if (!(bigDelta !== undefined && bigDelta > 0))
    throw new FormatError(acqus.file, 'D20 (diffusion time Δ) missing or zero');
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
  let values: Float64Array;
  try {
    values = bValues(gradients, { delta, bigDelta, shape, bipolarGap: gap ?? 0 });
  } catch (cause) {
    throw new FormatError(acqus.file, `diffusion timings give no b-values: ${(cause as Error).message}`, { cause });
  }
  return { kernel: 'D', values, unit: 's/m2', source: `${source}; δ ${delta} s, Δ ${bigDelta} s, gap ${gap ?? 0} s` };
}
