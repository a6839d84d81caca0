/**
 * Readable numbers for relaxation and diffusion: times in µs/ms/s, diffusion coefficients in m²/s with an
 * exponent, fractions in percent. Pure functions, used by tables, axes and exports alike.
 */

/** 0.0123 s → "12.3 ms"; 2.5e-5 → "25 µs"; 1.5 → "1.5 s". */
export function formatSeconds(s: number, digits = 3): string {
  if (!Number.isFinite(s)) return '–';
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  if (a < 1e-3) return `${+(s * 1e6).toPrecision(digits)} µs`;
  if (a < 1) return `${+(s * 1e3).toPrecision(digits)} ms`;
  return `${+s.toPrecision(digits)} s`;
}

/** 2.3e-9 → "2.30×10⁻⁹ m²/s". */
export function formatDiffusion(d: number, digits = 3): string {
  if (!Number.isFinite(d)) return '–';
  if (d === 0) return '0 m²/s';
  const e = Math.floor(Math.log10(Math.abs(d)));
  const m = d / 10 ** e;
  return `${m.toFixed(digits - 1)}×10${superscript(e)} m²/s`;
}

const SUP: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};
export function superscript(n: number): string {
  return String(n)
    .split('')
    .map((c) => SUP[c] ?? c)
    .join('');
}

/** Formats a value of the named axis (T1, T2, D, shift) in its readable unit. */
export function formatAxisValue(axis: string, v: number | null | undefined): string {
  if (v == null) return '–';
  if (axis.startsWith('T')) return formatSeconds(v);
  if (axis === 'D') return formatDiffusion(v);
  if (axis === 'shift') return `${v.toFixed(2)} ppm`;
  return String(v);
}

/** Tick label for a log axis: short, unit-aware (the unit is in the axis label for D). */
export function tickLabel(axis: string): (v: number) => string {
  if (axis.startsWith('T')) return (v) => formatSeconds(v, 2);
  if (axis === 'D') return (v) => `10${superscript(Math.round(Math.log10(v)))}`;
  return (v) => String(v);
}

export function formatPercent(f: number | null | undefined, digits = 1): string {
  return f == null ? '–' : `${(f * 100).toFixed(digits)} %`;
}
