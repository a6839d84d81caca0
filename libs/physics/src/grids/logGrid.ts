/** n points spaced evenly in log10 between min and max (both included). */
export function logGrid(min: number, max: number, n: number): Float64Array {
  if (!(min > 0) || !(max > min) || !Number.isFinite(max)) {
    throw new RangeError(`logGrid: need 0 < min < max, got ${min}, ${max}`);
  }
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`logGrid: need at least 2 points, got ${n}`);
  const out = new Float64Array(n);
  const a = Math.log10(min);
  const step = (Math.log10(max) - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = 10 ** (a + i * step);
  return out;
}
