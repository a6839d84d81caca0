/**
 * Minimum of a unimodal function on [lo, hi] by golden-section search: `iterations` evaluations after the first two,
 * each shrinking the bracket by 0.618. Returns the better of the last two interior points.
 */
export function goldenSection(f: (x: number) => number, lo: number, hi: number, iterations: number): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let x1 = b - phi * (b - a);
  let x2 = a + phi * (b - a);
  let v1 = f(x1);
  let v2 = f(x2);
  for (let k = 0; k < iterations; k++) {
    if (v1 < v2) {
      b = x2;
      x2 = x1;
      v2 = v1;
      x1 = b - phi * (b - a);
      v1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      v1 = v2;
      x2 = a + phi * (b - a);
      v2 = f(x2);
    }
  }
  return v1 < v2 ? x1 : x2;
}
