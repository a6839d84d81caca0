/**
 * Number of one decimal token without building a string for it: the grammar of the numeric text layout
 * (`[+-]digits[.digits][e[+-]digits]`, or `.digits`) checked by hand, and the value computed exactly in the common
 * cases, so every value is bit-identical to Number(token) while the regex test and the per-token string are gone:
 * - ≤ 15 significant digits, |decimal exponent| ≤ 22: Clinger's fast path (an exact integer scaled by an exact power
 *   of ten is one correctly rounded operation);
 * - 16–19 digits (what shortest round-trip printers write), same exponents: exactTen.ts rounds with a proof of
 *   correctness, or declines;
 * - anything else, or a decline: Number() on the token.
 */
import { POW10, scaleExactly } from './exactTen';

/** Text as UTF-16 code units, or bytes read as Latin-1 (which are the same code units for ASCII). */
export type CodeUnits = Uint8Array | Uint16Array;

/** The text of `units[start, end)` (a token: at most a few dozen units). */
export function textOf(units: CodeUnits, start: number, end: number): string {
  return String.fromCharCode.apply(null, units.subarray(start, end) as unknown as number[]);
}

/** The UTF-16 code units of `text`. */
export function codeUnitsOf(text: string): Uint16Array {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

/** Where the last scanDecimal stopped: one past its last character. */
export const scanned = { end: 0 };

/**
 * The decimal number that starts at `start` in `s` and goes on as far as the grammar allows (not past `end`); where
 * it stopped is in `scanned.end`. NaN when no number starts there ('', '.', '1e', 'inf' …); ±Infinity for one that
 * overflows ('1e999'). The caller checks what follows (a separator, or the token goes on and is not a number).
 */
export function scanDecimal(s: CodeUnits, start: number, end: number): number {
  let i = start;
  let c = i < end ? s[i]! : -1;
  // ±1, applied by a multiplication (exact, and -1 × 0 is -0) rather than a branch.
  const sign = c === 45 ? -1 : 1;
  if (c === 45 || c === 43) c = ++i < end ? s[i]! : -1;
  // The digits: the first 15 significant ones in `high` (leading zeros add nothing), the rest in `low` × `lowScale`.
  let high = 0;
  let low = 0;
  let lowScale = 1;
  let point = -1;
  const first = i;
  // Integer digits, then (after a point) fraction digits; `d >>> 0 < 10` is the one-compare digit test.
  for (let pass = 0; pass < 2; pass++) {
    let d = c - 48;
    while (d >>> 0 < 10) {
      if (high < 1e14) high = high * 10 + d;
      else {
        low = low * 10 + d;
        lowScale *= 10;
      }
      d = (++i < end ? s[i]! : -1) - 48;
    }
    c = d + 48;
    if (c !== 46 || pass === 1) break;
    point = i;
    c = ++i < end ? s[i]! : -1;
  }
  scanned.end = i;
  // Digits before the exponent: none ('.', '+', '') is not a number.
  if (i - first - (point < 0 ? 0 : 1) === 0) return Number.NaN;
  let scale = point < 0 ? 0 : point + 1 - i;
  if (c === 101 || c === 69) {
    c = ++i < end ? s[i]! : -1;
    const exponentSign = c === 45 ? -1 : 1;
    if (c === 45 || c === 43) c = ++i < end ? s[i]! : -1;
    const exponentStart = i;
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      // Saturates far beyond any double's range, so a long exponent cannot lose its magnitude.
      if (exponent < 1e9) exponent = exponent * 10 + (c - 48);
      c = ++i < end ? s[i]! : -1;
    }
    scanned.end = i;
    if (i === exponentStart) return Number.NaN;
    scale += exponentSign * exponent;
  }
  if (high === 0) return sign * 0;
  if (scale >= -22 && scale <= 22) {
    if (lowScale === 1) return sign * (scale < 0 ? high / POW10[-scale]! : high * POW10[scale]!);
    if (lowScale <= 1e4) {
      const value = scaleExactly(high, lowScale, low, scale);
      if (value === value) return sign * value;
    }
  }
  return Number(textOf(s, start, i));
}

/**
 * The number `text` spells, or NaN when it is not a decimal number of the layout ('', '.', '1e', 'inf', '0x10' …).
 * It may be ±Infinity for a finite-looking token that overflows ('1e999').
 */
export function parseDecimal(text: string): number {
  const units = codeUnitsOf(text);
  const value = scanDecimal(units, 0, units.length);
  return scanned.end === units.length ? value : Number.NaN;
}

// Every branch runs at load, so the optimised code is built with all the type feedback it needs: data whose first
// thousands of values are all negative (an inversion recovery) would otherwise deoptimise it on the first '+'.
// Several rounds, because V8 gathers feedback only from a function's first few calls on.
for (let round = 0; round < 4; round++) {
  for (const spelling of ['-1.5e-3', '+2E+2', '.5', '5.', '0e999', '0.12345678901234567', '1e', '-', 'x', '1e99']) {
    const units = Buffer.from(spelling, 'latin1');
    scanDecimal(units, 0, units.length);
  }
}
