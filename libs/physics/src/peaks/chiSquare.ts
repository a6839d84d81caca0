/** χ² quantiles through the regularised incomplete Γ function (for the merge test's thresholds). */
/** The p-quantile of χ² with k degrees of freedom: the root of P(k/2, x/2) = p (regularised lower incomplete Γ). */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(p > 0 && p < 1) || !(k > 0))
    throw new RangeError(`chiSquareQuantile: need 0 < p < 1 and k > 0, got ${p}, ${k}`);
  let lo = 0;
  let hi = k + 10 * Math.sqrt(2 * k) + 10;
  while (gammaP(k / 2, hi / 2) < p) hi *= 2;
  for (let it = 0; it < 100 && hi - lo > 1e-10 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (gammaP(k / 2, mid / 2) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Regularised lower incomplete gamma P(a, x): its power series below a + 1, Lentz's continued fraction above. */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500 && Math.abs(term) > 1e-16 * Math.abs(sum); n++) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * Math.exp(lnPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 500; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnPrefix) * h;
}

/** ln Γ(x), x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
