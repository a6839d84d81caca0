/**
 * The varied axis of a Spinsolve relaxation or diffusion experiment, from acqu.par (parameters.ts):
 * - echo trains: t_k = k·echoTime (µs), k = 1 … nrEchoes (the vendor's own timeT2_s.dat starts at one echo time);
 *   spectroscopic T2: t_k = k·techo·echoesperstep (the vendor's cpmgIntegrals plot starts there too);
 * - delay lists: minTau…maxTau over tauSteps (T1IRT2) or minDelay…maxDelay over nrSteps (T1), ms, log- or
 *   linearly spaced (logspace = "yes"/"no", delaySpacing = "log"/"lin");
 * - gradients: gradients.par (T/m, one per line) or, without it, g_k = G·√((k+0.2)/(n−0.8)), k = 0 … n−1, with
 *   G = gradMax·gradAmpPC/100 (mT/m): the spacing Magritek's PGSTE macro writes to gradients.par;
 * - b = (γ·g·δ)²·(Δ − δ/3) with Δ = bDelta and δ = lDelta + gradRamp (the gradient's area-equivalent width, what
 *   Magritek's own DOSY export calls the encoding time).
 * Every builder computes only the `count` values the data hold, never a count declared in the file.
 */
import { parseUnit } from '@lapis/contracts/units';
import { gyromagneticRatio as gammaOf } from '@lapis/physics';
import { FormatError } from '../acquisition';
import type { SpinsolveParameters } from './parameters';

/** The observed nucleus of `nucleus = "1H-1H"` (observe–lock pairs: the first), normalised to '1H'. */
export function nucleusOf(p: SpinsolveParameters): string {
  const raw = (p.text('nucleus') ?? p.text('rxChannel') ?? '1H').split('-')[0]!.trim();
  const m = /^(\d+)([A-Za-z]{1,2})$/.exec(raw) ?? /^([A-Za-z]{1,2})(\d+)$/.exec(raw);
  if (!m) return raw;
  const [num, sym] = /^\d/.test(m[1]!) ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
  return num + sym.charAt(0).toUpperCase() + sym.slice(1).toLowerCase();
}

/** γ of the observed nucleus (libs/physics' IUPAC table); an unknown nucleus is a FormatError naming it. */
export function gyromagneticRatio(p: SpinsolveParameters): number {
  const nucleus = nucleusOf(p);
  try {
    return gammaOf(nucleus);
  } catch (cause) {
    throw new FormatError(p.file, `nucleus ${JSON.stringify(nucleus)}: ${(cause as Error).message}`, { cause });
  }
}

const MICRO = parseUnit('us')!.factor;
const MILLI = parseUnit('ms')!.factor;
/** mT/m → T/m: parseUnit (units.ts) has no gradient-strength units. */
const MILLITESLA_PER_METRE = 1e-3;

function positive(p: SpinsolveParameters, key: string, neededFor: string): number {
  const v = p.requireNumber(key, neededFor);
  if (!(v > 0)) throw new FormatError(p.file, `${key} = ${v} must be > 0`);
  return v;
}

/** Echo times of a CPMG train, s: k·spacing for k = 1 … count. */
export function echoTimes(count: number, spacingSeconds: number): Float64Array {
  return Float64Array.from({ length: count }, (_, k) => (k + 1) * spacingSeconds);
}

/** echoTime (µs) → echo times of the first `count` echoes. */
export function cpmgAxis(p: SpinsolveParameters, count: number): Float64Array {
  return echoTimes(count, positive(p, 'echoTime', 'the echo times') * MICRO);
}

/** Spectroscopic T2: one FID after every echoesperstep echoes of spacing techo (µs). */
export function stepCpmgAxis(p: SpinsolveParameters, count: number): Float64Array {
  const te = positive(p, 'techo', 'the echo times');
  const per = p.requireCount('echoesperstep', 'the echo times');
  return echoTimes(count, te * per * MICRO);
}

export interface DelayKeys {
  min: string;
  max: string;
  steps: string;
  /** Parameter saying the spacing, and the values that mean logarithmic. */
  spacing: string;
}

export const T1IRT2_DELAYS: DelayKeys = { min: 'minTau', max: 'maxTau', steps: 'tauSteps', spacing: 'logspace' };
export const T1_DELAYS: DelayKeys = { min: 'minDelay', max: 'maxDelay', steps: 'nrSteps', spacing: 'delaySpacing' };

/** Whether the delays are log-spaced; undefined when the file does not say. */
function logSpaced(p: SpinsolveParameters, key: string): boolean | undefined {
  const v = p.text(key)?.trim().toLowerCase();
  if (v === undefined) return undefined;
  if (v === 'log' || v === 'logarithmic') return true;
  if (v === 'lin' || v === 'linear') return false;
  return p.flag(key);
}

/**
 * The first `count` of `steps` delays from min to max (ms in the file), s. When the file does not say the spacing,
 * log is taken (Spinsolve's default for relaxation) and a warning says so.
 */
export function delayAxis(p: SpinsolveParameters, keys: DelayKeys, count: number, warnings: string[]): Float64Array {
  const min = p.requireNumber(keys.min, 'the delays') * MILLI;
  const max = p.requireNumber(keys.max, 'the delays') * MILLI;
  const steps = p.requireCount(keys.steps, 'the delays');
  if (count > steps) throw new FormatError(p.file, `${count} steps of data but ${keys.steps} = ${steps}`);
  let log = logSpaced(p, keys.spacing);
  if (log === undefined) {
    log = true;
    warnings.push(`${keys.spacing} not given: delays taken log-spaced from ${keys.min} to ${keys.max}`);
  }
  if (!(min >= 0) || !(max >= min) || (log && !(min > 0))) {
    throw new FormatError(p.file, `${keys.min} = ${min / MILLI}, ${keys.max} = ${max / MILLI} ms: not a delay range`);
  }
  if (steps === 1) return Float64Array.from({ length: count }, () => min);
  if (log) {
    const a = Math.log10(min);
    const b = Math.log10(max);
    return Float64Array.from({ length: count }, (_, i) => 10 ** (a + (i * (b - a)) / (steps - 1)));
  }
  return Float64Array.from({ length: count }, (_, i) => min + (i * (max - min)) / (steps - 1));
}

/** Gradient steps, T/m: computed as Magritek's PGSTE macro does (see the header); a warning says so. */
export function gradientSteps(p: SpinsolveParameters, count: number, steps: number, warnings: string[]): Float64Array {
  const max = positive(p, 'gradMax', 'the gradient steps (or give gradients.par)');
  let percent = p.number('gradAmpPC');
  if (percent === undefined) {
    percent = 100;
    warnings.push('gradAmpPC not given: 100 % of gradMax taken');
  }
  if (!(percent > 0 && percent <= 100)) throw new FormatError(p.file, `gradAmpPC = ${percent} is not a percentage`);
  const top = max * (percent / 100) * MILLITESLA_PER_METRE;
  if (count > steps) throw new FormatError(p.file, `${count} gradient steps of data but nrSteps = ${steps}`);
  const linear = p.flag('gradSpacing') === false;
  warnings.push(
    linear
      ? `no gradients.par and gradSpacing = "no": gradients taken linear, g_k = ${top * 1e3} mT/m·(k+1)/${steps} (an assumption)`
      : `no gradients.par: gradients taken as Magritek's PGSTE macro spaces them, g_k = ${top * 1e3} mT/m·√((k+0.2)/(${steps}−0.8)) (gradMax × gradAmpPC)`,
  );
  return Float64Array.from({ length: count }, (_, k) =>
    linear ? (top * (k + 1)) / steps : steps === 1 ? top : top * Math.sqrt((k + 0.2) / (steps - 0.8)),
  );
}

export interface DiffusionTiming {
  /** Δ, s. */
  bigDelta: number;
  /** δ used, s (lDelta + gradRamp). */
  smallDelta: number;
  gamma: number;
}

/** Δ, δ and γ of a PGSTE/DT2 experiment; a warning says which δ was taken and what the other reading gives. */
export function diffusionTiming(p: SpinsolveParameters, warnings: string[]): DiffusionTiming {
  const bigDelta = positive(p, 'bDelta', 'the b-values (Δ)') * MILLI;
  const flat = positive(p, 'lDelta', 'the b-values (δ)') * MILLI;
  let ramp = p.number('gradRamp');
  if (ramp === undefined || !(ramp >= 0)) {
    if (ramp !== undefined) warnings.push(`gradRamp = ${ramp} ignored`);
    ramp = 0;
  }
  const smallDelta = flat + ramp * MILLI;
  if (!(bigDelta > smallDelta / 3)) {
    throw new FormatError(p.file, `bDelta = ${bigDelta / MILLI} ms is too short for δ = ${smallDelta / MILLI} ms`);
  }
  const gamma = gyromagneticRatio(p);
  if (ramp > 0) {
    const other = (flat * flat * (bigDelta - flat / 3)) / (smallDelta * smallDelta * (bigDelta - smallDelta / 3));
    warnings.push(
      `δ taken as lDelta + gradRamp = ${Number((smallDelta / MILLI).toPrecision(6))} ms (Magritek's DOSY export); with lDelta alone the b-values are ${(100 * (1 - other)).toFixed(1)} % lower`,
    );
  }
  return { bigDelta, smallDelta, gamma };
}

/** b = (γ·g·δ)²·(Δ − δ/3), s/m². */
export function bValues(g: ArrayLike<number>, t: DiffusionTiming): Float64Array {
  const f = t.smallDelta * t.smallDelta * (t.bigDelta - t.smallDelta / 3) * t.gamma * t.gamma;
  return Float64Array.from(g, (v) => v * v * f);
}
