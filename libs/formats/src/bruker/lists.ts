/**
 * TopSpin variable lists, one value a line:
 * - `vdlist` delays; each may carry a unit suffix s, m (ms), u (µs), n (ns); without a suffix it is seconds.
 * - `vclist` loop counters (integers, no unit).
 * - `vplist` pulse (spin-lock) durations, read like delays.
 * - `fraction` lists (gradient ramps): plain numbers, negative allowed, no unit.
 * - `difflist` gradient amplitudes in G/cm as written by TopSpin's DOSY set-up; returned in T/m (1 G/cm = 0.01 T/m).
 * Blank lines and lines starting with `#` or `;` are skipped. A list may run in either order.
 */
import { FormatError } from '../acquisition';

export type BrukerListKind = 'delay' | 'count' | 'gradient' | 'fraction';

const UNIT: Record<string, number> = { '': 1, s: 1, m: 1e-3, u: 1e-6, n: 1e-9 };
/** Decimal exponent of each unit: applied to the written exponent, so 100n is exactly 1e-7. */
const UNIT_EXP: Record<string, number> = { '': 0, s: 0, m: -3, u: -6, n: -9 };
const ENTRY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+))?\s*([a-zA-Z]?)$/;

export interface ParseListOptions {
  /** Name used in errors (default the kind). */
  file?: string;
}

export function parseBrukerList(text: string, kind: BrukerListKind, options: ParseListOptions = {}): Float64Array {
  const file = options.file ?? `${kind} list`;
  if (text.includes('\u0000')) throw new FormatError(file, 'binary content, not a text list');
  const values: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    // Long lines are not list entries; the cap also keeps the regex linear on hostile input.
    const m = line.length <= 64 ? ENTRY.exec(line) : null;
    if (!m) throw new FormatError(file, `line ${i + 1}: not a number: ${JSON.stringify(line.slice(0, 40))}`);
    const unit = m[3] ?? '';
    const exponent = Number(m[2] ?? 0);
    const x = Number(`${m[1]}e${exponent}`);
    if (kind === 'delay') {
      const unitExp = UNIT_EXP[unit];
      if (unitExp === undefined) throw new FormatError(file, `line ${i + 1}: unknown unit '${unit}' (s, m, u, n)`);
      if (x < 0) throw new FormatError(file, `line ${i + 1}: negative delay ${line}`);
      values.push(Number(`${m[1]}e${exponent + unitExp}`));
    } else if (kind === 'count') {
      if (unit !== '' || !Number.isInteger(x) || x < 0) {
        throw new FormatError(file, `line ${i + 1}: loop counter must be a non-negative integer, got ${line}`);
      }
      values.push(x);
    } else {
      if (unit !== '') throw new FormatError(file, `line ${i + 1}: ${kind} values take no unit, got ${line}`);
      values.push(kind === 'gradient' ? x * 0.01 : x);
    }
  }
  if (values.length === 0) throw new FormatError(file, 'the list is empty');
  return Float64Array.from(values);
}

/** Writer mirroring the parser; delays are written with the given unit suffix ('' for none). */
export function formatBrukerList(
  values: ArrayLike<number>,
  kind: BrukerListKind,
  unit: '' | 's' | 'm' | 'u' | 'n' = '',
): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (kind === 'delay') lines.push(`${v / UNIT[unit]!}${unit}`);
    else if (kind === 'count') lines.push(String(Math.round(v)));
    else if (kind === 'gradient') lines.push(String(v / 0.01));
    else lines.push(String(v));
  }
  return lines.join('\n') + '\n';
}
