/**
 * Zero- and first-order phase of a set of spectra whose lines may have either sign (an edited HSQC: CH₂ negative;
 * the F2 rows of any 2D, modulated by cos ω₁t₁): the phase that makes Σ|Re(e^{iφ(f)}·S)| smallest, φ(f) = φ0 +
 * φ1·f (f the point's frequency as a fraction of the width, zero at the carrier): minimum absolute area. Of the
 * phase mixtures of a line, the pure absorption has the smallest L1 norm in practice (the dispersion's tails fall
 * only as 1/f), whatever the line's sign; unlike the ACME entropy criterion with its penalty on negative points
 * (L. Chen et al., J. Magn. Reson. 158 (2002) 164; autoPhase.ts, used for 1D) it needs no majority sign. It leaves
 * a ±π ambiguity that the caller settles (the strongest signals positive). Coarse grid over φ0 ∈ [−π/2, π/2) (the
 * norm is π-periodic in φ0) and φ1 in the given range, then finer grids around the best point.
 */

export interface PhaseVectors {
  /** Complex spectra, each of `frac.length` points (or fewer: points past its end are ignored). */
  re: Float64Array[];
  im: Float64Array[];
  /** Frequency of each point as a fraction of the spectral width, zero at the carrier. */
  frac: Float64Array;
}

export interface AutoPhaseL1Options {
  /** Largest |φ1| searched, rad (default 2π/3). */
  maxPhase1?: number;
  /** At most this many complex values enter the criterion (evenly chosen vectors; default 60 000). */
  maxValues?: number;
}

export function autoPhaseL1(v: PhaseVectors, options: AutoPhaseL1Options = {}): { phase0: number; phase1: number } {
  const n = v.frac.length;
  const maxPhase1 = options.maxPhase1 ?? (2 * Math.PI) / 3;
  const maxValues = options.maxValues ?? 60_000;
  let vectors = v.re.map((re, i) => ({ re, im: v.im[i]! }));
  if (vectors.length === 0 || n === 0) return { phase0: 0, phase1: 0 };
  const keep = Math.max(1, Math.floor(maxValues / n));
  if (vectors.length > keep) {
    const stride = vectors.length / keep;
    vectors = Array.from({ length: keep }, (_, i) => vectors[Math.floor(i * stride)]!);
  }
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  const cost = (p0: number, p1: number): number => {
    for (let i = 0; i < n; i++) {
      const ph = p0 + p1 * v.frac[i]!;
      cos[i] = Math.cos(ph);
      sin[i] = Math.sin(ph);
    }
    let total = 0;
    for (const { re, im } of vectors) {
      const m = Math.min(n, re.length);
      for (let i = 0; i < m; i++) total += Math.abs(re[i]! * cos[i]! - im[i]! * sin[i]!);
    }
    return total;
  };
  const deg = Math.PI / 180;
  let best = { p0: 0, p1: 0, c: Infinity };
  const step1 = 6 * deg;
  const steps1 = Math.floor(maxPhase1 / step1);
  for (let a = -90; a < 90; a += 3) {
    for (let b = -steps1; b <= steps1; b++) {
      const c = cost(a * deg, b * step1);
      if (c < best.c) best = { p0: a * deg, p1: b * step1, c };
    }
  }
  // finer: ±3° in φ0 by 0.5°, ±6° in φ1 by 1°, then ±0.5° by 0.1°, ±1° by 0.2°
  for (const [r0, s0, r1, s1] of [
    [3, 0.5, 6, 1],
    [0.5, 0.1, 1, 0.2],
  ] as const) {
    const centre = best;
    for (let a = -r0; a <= r0 + 1e-9; a += s0) {
      for (let b = -r1; b <= r1 + 1e-9; b += s1) {
        const p0 = centre.p0 + a * deg;
        const p1 = centre.p1 + b * deg;
        if (Math.abs(p1) > maxPhase1 + 1e-9) continue;
        const c = cost(p0, p1);
        if (c < best.c) best = { p0, p1, c };
      }
    }
  }
  return { phase0: best.p0, phase1: best.p1 };
}
