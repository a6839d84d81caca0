/**
 * Test helper: least-squares fit of y = a + b·e^(−x/T) (inversion/saturation recovery with free baseline and
 * inversion, or a decay with offset). a, b are linear and solved exactly for each T; T by a log-grid scan refined
 * with golden-section search. Independent of the libs/physics inversion, so tests check the reader, not the solver.
 */
export function fitExponential(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  tMin = 1e-4,
  tMax = 100,
): { a: number; b: number; T: number; rss: number } {
  const evalAt = (T: number) => {
    let s1 = 0;
    let se = 0;
    let see = 0;
    let sy = 0;
    let sey = 0;
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(-x[i]! / T);
      s1 += 1;
      se += e;
      see += e * e;
      sy += y[i]!;
      sey += e * y[i]!;
    }
    const det = s1 * see - se * se;
    const a = (sy * see - sey * se) / det;
    const b = (s1 * sey - se * sy) / det;
    let rss = 0;
    for (let i = 0; i < n; i++) {
      const d = y[i]! - a - b * Math.exp(-x[i]! / T);
      rss += d * d;
    }
    return { a, b, T, rss };
  };
  let best = evalAt(tMin);
  const steps = 400;
  const lr = Math.log(tMax / tMin);
  let bestI = 0;
  for (let i = 1; i <= steps; i++) {
    const r = evalAt(tMin * Math.exp((lr * i) / steps));
    if (r.rss < best.rss) {
      best = r;
      bestI = i;
    }
  }
  let lo = Math.log(tMin) + (lr * Math.max(0, bestI - 1)) / steps;
  let hi = Math.log(tMin) + (lr * Math.min(steps, bestI + 1)) / steps;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 80; it++) {
    const m1 = hi - phi * (hi - lo);
    const m2 = lo + phi * (hi - lo);
    if (evalAt(Math.exp(m1)).rss < evalAt(Math.exp(m2)).rss) hi = m2;
    else lo = m1;
  }
  const r = evalAt(Math.exp((lo + hi) / 2));
  return r.rss <= best.rss ? r : best;
}
