/**
 * Westgard rules on a quality-control series (Westgard, Barry, Hunt & Groth, Clin. Chem. 27 (1981) 493): each value
 * as z = (x − mean) / sd against limits from the reference's baseline. Rejection rules: 1-3s (one beyond 3 SD),
 * 2-2s (two in a row beyond 2 SD on one side), R-4s (two in a row more than 4 SD apart, one beyond +2 and one beyond
 * −2), 4-1s (four in a row beyond 1 SD on one side), 10-x (ten in a row on one side of the mean). Warning: 1-2s (one
 * beyond 2 SD). Rules that span points look back only along the same series (one reference sample, one quantity).
 */

export type WestgardRule = '1-2s' | '1-3s' | '2-2s' | 'R-4s' | '4-1s' | '10-x';

export const REJECTION_RULES: readonly WestgardRule[] = ['1-3s', '2-2s', 'R-4s', '4-1s', '10-x'];

export interface Limits {
  mean: number;
  sd: number;
  /** How many values the limits were computed from. */
  n: number;
}

/** Mean and sample SD of `values` (undefined below `minimum` values or when they do not vary). */
export function limitsOf(values: readonly number[], minimum = 5): Limits | undefined {
  const n = values.length;
  if (n < minimum) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  if (!(sd > 0) || !Number.isFinite(sd)) return undefined;
  return { mean, sd, n };
}

/** The rules value `i` of `z` (z-scores in time order) breaks, looking back along the series. */
export function rulesBrokenAt(z: readonly number[], i: number): WestgardRule[] {
  const broken: WestgardRule[] = [];
  const zi = z[i]!;
  const run = (k: number, test: (v: number) => boolean) => i + 1 >= k && z.slice(i + 1 - k, i + 1).every(test);
  if (Math.abs(zi) > 3) broken.push('1-3s');
  else if (Math.abs(zi) > 2) broken.push('1-2s');
  if (run(2, (v) => v > 2) || run(2, (v) => v < -2)) broken.push('2-2s');
  if (i >= 1 && ((zi > 2 && z[i - 1]! < -2) || (zi < -2 && z[i - 1]! > 2))) broken.push('R-4s');
  if (run(4, (v) => v > 1) || run(4, (v) => v < -1)) broken.push('4-1s');
  if (run(10, (v) => v > 0) || run(10, (v) => v < 0)) broken.push('10-x');
  return broken;
}

export const isRejection = (rules: readonly WestgardRule[]) => rules.some((r) => REJECTION_RULES.includes(r));
