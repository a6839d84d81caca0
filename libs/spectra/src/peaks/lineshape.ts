/**
 * The line model of the peak fits: a pseudo-Voigt h·[η·L(u) + (1 − η)·G(u)], u = (x − x0)/w with w the full width
 * at half height, L = 1/(1 + 4u²) (Lorentzian) and G = exp(−4·ln2·u²) (Gaussian), both 1 at the centre and ½ at
 * u = ±½. Exponentially windowed NMR lines are Lorentzian; field inhomogeneity adds a Gaussian part.
 */
export const LN2_4 = 4 * Math.LN2;

/** Area under a pseudo-Voigt of height h and full width w (in the units of w). */
export function lineArea(h: number, w: number, eta: number): number {
  return h * w * (eta * (Math.PI / 2) + (1 - eta) * Math.sqrt(Math.PI / LN2_4));
}

/** Shape value and the derivatives the fit needs, at u. */
export function lineParts(u: number, eta: number): { v: number; dvdu: number; l: number; g: number } {
  const q = 1 + 4 * u * u;
  const l = 1 / q;
  const g = Math.exp(-LN2_4 * u * u);
  const dl = (-8 * u) / (q * q);
  const dg = -2 * LN2_4 * u * g;
  return { v: eta * l + (1 - eta) * g, dvdu: eta * dl + (1 - eta) * dg, l, g };
}
