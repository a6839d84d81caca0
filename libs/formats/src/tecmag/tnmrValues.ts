/**
 * How TNMR (Tecmag's acquisition software) writes times in a .tnt file's pulse-sequence parameters and tables and in
 * its text export: a decimal number and an SI prefix with the 's' left out — '10u', '0.090m', '1n' — or a unit
 * written out ('3s', '1024s'). Converted with the shared unit parser (libs/contracts/src/units.ts) after the 's' is
 * restored; a bare number carries no unit and is reported as such (the caller decides and warns).
 */
import { parseUnit } from '@lapis/contracts/units';

const ENTRY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z\u00b5\u03bc]*)$/;

export interface TnmrTime {
  seconds: number;
  /** False for a bare number: the text named no unit. */
  unitGiven: boolean;
}

/** A TNMR time ('200u', '0.090m', '3s', '5'), or undefined when `text` is not one (a formula, a phase, text). */
export function parseTnmrTime(text: string): TnmrTime | undefined {
  const m = ENTRY.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  const suffix = m[2]!;
  if (!Number.isFinite(value)) return undefined;
  if (suffix === '') return { seconds: value, unitGiven: false };
  // TNMR drops the 's' of a prefixed unit: 'u' is µs, 'm' ms, 'n' ns
  const unit = parseUnit(suffix) ?? (/^[mun\u00b5\u03bc]$/.test(suffix) ? parseUnit(`${suffix}s`) : undefined);
  if (!unit || unit.quantity !== 'time') return undefined;
  const seconds = unit.toSi(value);
  return Number.isFinite(seconds) ? { seconds, unitGiven: true } : undefined;
}

/** The entries of a TNMR table as written: separated by spaces, tabs or line breaks. */
export function tableEntries(text: string): string[] {
  return text.split(/\s+/).filter((e) => e.length > 0);
}

/** Echo-time parameter names tried in order (case-insensitive) when the caller does not give the echo time. */
export const ECHO_TIME_NAMES: readonly RegExp[] = [/^echo[ _-]?time$/i, /^te$/i, /^echo[ _-]?spacing$/i, /^esp$/i];

/** The first parameter whose name matches one of `patterns` (in pattern order), with its name. */
export function findParameter(
  parameters: ReadonlyMap<string, string>,
  patterns: readonly RegExp[],
): { name: string; value: string } | undefined {
  for (const p of patterns) {
    for (const [name, value] of parameters) if (p.test(name)) return { name, value };
  }
  return undefined;
}
