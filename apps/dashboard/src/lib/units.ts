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
  if (axis.startsWith('T')) return (v) => formatSeconds(v, 3);
  if (axis === 'D')
    return (v) => {
      const e = Math.floor(Math.log10(v) + 1e-9);
      const m = +(v / 10 ** e).toPrecision(2);
      return m === 1 ? `10${superscript(e)}` : `${m}×10${superscript(e)}`;
    };
  return (v) => String(v);
}

export function formatPercent(f: number | null | undefined, digits = 1): string {
  return f == null ? '–' : `${(f * 100).toFixed(digits)} %`;
}

/**
 * Tick values for a log axis over [lo, hi]: 1-2-5 in each decade (only the decades when that is too many), finer
 * steps where the range is under a decade — never two ticks that print alike, never none. Undefined for a range
 * that is not positive.
 */
export function logTicks(lo: number, hi: number, maxTicks = 9): number[] | undefined {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return undefined;
  if (hi === lo) return [lo];
  const from = Math.floor(Math.log10(lo));
  const to = Math.ceil(Math.log10(hi));
  const within = (mantissas: number[], every = 1) => {
    const out: number[] = [];
    for (let e = from; e <= to; e++) {
      if ((e - from) % every !== 0) continue;
      for (const m of mantissas) {
        const v = +(m * 10 ** e).toPrecision(6);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    return out;
  };
  for (const m of [[1, 2, 5], [1], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.4, 1.6, 1.8, 2, 2.5, 3, 4, 5, 6, 7, 8, 9]]) {
    const t = within(m);
    if (t.length >= 3 && t.length <= maxTicks) return t;
  }
  const decades = within([1]);
  if (decades.length > maxTicks) return within([1], Math.ceil(decades.length / maxTicks));
  // narrower than the finest steps above: evenly spaced in log, rounded to 3 digits
  const n = 4;
  return Array.from({ length: n }, (_, k) => +(lo * (hi / lo) ** (k / (n - 1))).toPrecision(3));
}

/** Axis ticks for intensities and amplitudes: 2.5M, 40k, 0, −5k (SI prefixes, 3 significant digits). */
export function siLabel(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const [div, unit] =
    a >= 1e12 ? [1e12, 'T'] : a >= 1e9 ? [1e9, 'G'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'k'] : [1, ''];
  if (a < 1e-3) return v.toExponential(1);
  return `${v < 0 ? '−' : ''}${+(a / div).toPrecision(3)}${unit}`;
}

/** 2.6e6 → '2.60 × 10⁶', −6e6 → '−6.00 × 10⁶'; 0.01 to 10 000 (and 0) with 3 significant digits; null → '–'. */
export function formatScientific(v: number | null | undefined): string {
  if (v == null) return '–';
  const a = Math.abs(v);
  // a true minus sign, as beside ppm and degrees
  if (a === 0 || (a >= 0.01 && a < 1e4)) return v.toPrecision(3).replace('-', '\u2212');
  const e = Math.floor(Math.log10(a));
  return `${(v / 10 ** e).toFixed(2).replace('-', '\u2212')} × 10${superscript(e)}`;
}
