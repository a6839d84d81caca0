/**
 * The one parser of the axis units people write: every reader and every command-line option converts with it, so
 * "s/m^2" means the same in an acquisition.json, a text-matrix option, a vendor file and a range.
 * No zod here (this module is imported by readers on the command's start-up path): `@lapis/contracts/units`.
 *
 * Accepted, case as written (m is milli, M is not a unit here), with white space, `·`, `*`, `^`, `**` and Unicode
 * superscripts all allowed between the parts:
 * - time → s: s, sec, second(s); ms, msec; µs/μs/us, usec; ns; min; h
 * - b-value → s/m²: s/m2, s/m^2, s/m², s m-2, s·m⁻²; the same over mm² (×1e6) and cm² (×1e4); ms/µm² (×1e9, as
 *   Spinsolve's diffusion plots write it)
 * - diffusion coefficient → m²/s: m2/s, m^2/s, m² s-1; mm²/s (×1e-6), cm²/s (×1e-4), µm²/s (×1e-12), µm²/ms (×1e-9)
 */

export type UnitQuantity = 'time' | 'b-value' | 'diffusion';

/** SI unit of each quantity, as Lapis writes it. */
export const SI_UNITS = { time: 's', 'b-value': 's/m2', diffusion: 'm2/s' } as const;
export type SiUnit = (typeof SI_UNITS)[UnitQuantity];

export interface ParsedUnit {
  quantity: UnitQuantity;
  /** A value in this unit × `factor` is SI (s, s/m², m²/s); `toSi` rounds as a decimal reader expects (1 ms → 0.001). */
  factor: number;
  /** The value in SI: a division by the exact power of ten for sub-units (0.1 ms → 1e-4, not 1.0000000000000002e-4). */
  toSi(value: number): number;
  si: SiUnit;
  /** The unit as Lapis prints it, e.g. 'ms', 's/mm²'. */
  label: string;
}

/** The accepted spellings, for error messages. */
export const UNIT_SPELLINGS: Record<UnitQuantity, string> = {
  time: 's, ms, µs (us), ns, min, h',
  'b-value': 's/m², s/m^2, s/m2, s m-2, s/mm², s/cm², ms/µm²',
  diffusion: 'm²/s, m^2/s, m2/s, mm²/s, cm²/s, µm²/s, µm²/ms',
};

const TIME: Record<string, [number, string]> = {
  s: [1, 's'],
  sec: [1, 's'],
  second: [1, 's'],
  seconds: [1, 's'],
  ms: [1e-3, 'ms'],
  msec: [1e-3, 'ms'],
  millisecond: [1e-3, 'ms'],
  milliseconds: [1e-3, 'ms'],
  us: [1e-6, 'µs'],
  usec: [1e-6, 'µs'],
  microsecond: [1e-6, 'µs'],
  microseconds: [1e-6, 'µs'],
  ns: [1e-9, 'ns'],
  min: [60, 'min'],
  minute: [60, 'min'],
  minutes: [60, 'min'],
  h: [3600, 'h'],
  hour: [3600, 'h'],
  hours: [3600, 'h'],
};

/** Length units that appear squared in b-values and diffusion coefficients, in m. */
const LENGTH: Record<string, number> = { m: 1, cm: 1e-2, mm: 1e-3, um: 1e-6 };

/**
 * Canonical spelling: micro signs to 'u', superscripts to digits, separators to one space, '**' and '^' dropped.
 * 's/m^2' → 's/m2', 's·m⁻²' → 's m-2', 'µm²/ms' → 'um2/ms'.
 */
function normalise(text: string): string {
  return text
    .trim()
    .replace(/[\u00b5\u03bc]/g, 'u')
    .replace(/\u00b2/g, '2')
    .replace(/\u00b9/g, '1')
    .replace(/[\u207b\u2212]/g, '-')
    .replace(/\*\*|\^/g, '')
    .replace(/[\s\u00b7\u22c5*.]+/g, ' ')
    .replace(/\s*\/\s*/g, '/')
    .trim();
}

function unit(quantity: UnitQuantity, raw: number, si: SiUnit, label: string): ParsedUnit {
  // Powers of ten built from prefixes carry rounding (1e-3/1e-12 is not 1e9 exactly): whole factors are rounded,
  // and sub-units divide by their exact reciprocal (1e3, 1e6 …), so decimal values convert as written.
  const factor = raw >= 1 ? Math.round(raw) : raw;
  const divisor = factor < 1 ? Math.round(1 / factor) : 1;
  const toSi = divisor > 1 ? (v: number) => v / divisor : (v: number) => v * factor;
  return { quantity, factor, toSi, si, label };
}

/** The unit `text` names, or undefined when it is not one Lapis knows. */
export function parseUnit(text: string): ParsedUnit | undefined {
  const u = normalise(text);
  const time = Object.hasOwn(TIME, u) ? TIME[u] : undefined;
  if (time) return unit('time', time[0], 's', time[1]);
  // b-value: time per length²
  let m = /^(?:(s|ms)\/(c?m|mm|um)2|(s|ms) (c?m|mm|um)-2)$/.exec(u);
  if (m) {
    const per = (m[1] ?? m[3])!;
    const len = (m[2] ?? m[4])!;
    const l = LENGTH[len]!;
    const t = per === 'ms' ? 1e-3 : 1;
    return unit('b-value', t / (l * l), 's/m2', `${per}/${len.replace('u', 'µ')}²`);
  }
  // diffusion coefficient: length² per time
  m = /^(?:(c?m|mm|um)2\/(s|ms)|(c?m|mm|um)2 (s|ms)-1)$/.exec(u);
  if (m) {
    const len = (m[1] ?? m[3])!;
    const per = (m[2] ?? m[4])!;
    const l = LENGTH[len]!;
    const t = per === 'ms' ? 1e-3 : 1;
    return unit('diffusion', (l * l) / t, 'm2/s', `${len.replace('u', 'µ')}²/${per}`);
  }
  return undefined;
}

/** What went wrong with a unit, in one sentence: unknown, or of the wrong quantity. */
export function unitProblem(text: string, expected: readonly UnitQuantity[]): string | undefined {
  const parsed = parseUnit(text);
  const want = expected.map((q) => UNIT_SPELLINGS[q]).join('; or ');
  if (!parsed) return `unknown unit ${JSON.stringify(text)} (expected ${want})`;
  if (!expected.includes(parsed.quantity))
    return `unit ${JSON.stringify(text)} is a ${parsed.quantity} unit (expected ${want})`;
  return undefined;
}

/**
 * A value with an optional unit suffix, '1e-3', '1 ms', '2.5e-9 m2/s', in SI. `quantity` says what a bare number
 * is and which units fit; undefined when the text is not such a value.
 */
export function parseQuantity(text: string, quantity: UnitQuantity): number | undefined {
  // (?:\d+(?:\.\d*)?|\.\d+): one way to match each digit run (\d+(?:\.\d*)? backtracks quadratically on long runs)
  const m = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*?)\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (m[2] === '') return value;
  const parsed = parseUnit(m[2]!);
  if (!parsed || parsed.quantity !== quantity) return undefined;
  return parsed.toSi(value);
}
