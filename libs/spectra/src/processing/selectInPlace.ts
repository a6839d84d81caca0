/**
 * Order statistics without a full sort: Hoare's selection (C. A. R. Hoare, Comm. ACM 4 (1961) 321), O(n) on
 * average against a sort's O(n log n) — the noise and baseline medians of a 64k-point spectrum are 3 of its sorts.
 * Finite values only (NaN has no order).
 */

/** The k-th smallest value of v (0-based), reordering v so that v[i] ≤ v[k] for i < k and ≥ for i > k. */
export function selectInPlace(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (hi > lo) {
    // median of three as the pivot: sorted or mirrored input stays linear
    const mid = (lo + hi) >> 1;
    if (v[mid]! < v[lo]!) swap(v, mid, lo);
    if (v[hi]! < v[lo]!) swap(v, hi, lo);
    if (v[hi]! < v[mid]!) swap(v, hi, mid);
    const pivot = v[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) swap(v, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k]!;
}

/** Median of the values (the mean of the middle two for an even count), reordering them. */
export function medianInPlace(v: Float64Array): number {
  const n = v.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  const upper = selectInPlace(v, mid);
  if (n % 2 === 1) return upper;
  // after the selection every value left of mid is ≤ v[mid]: the largest of them is the lower middle
  let lower = v[0]!;
  for (let i = 1; i < mid; i++) if (v[i]! > lower) lower = v[i]!;
  return (lower + upper) / 2;
}

function swap(v: Float64Array, a: number, b: number): void {
  const t = v[a]!;
  v[a] = v[b]!;
  v[b] = t;
}
