/**
 * Baseline and noise of a processed 2D spectrum (rows × columns, row-major: F1 rows, F2 columns).
 *
 * Baseline: each row's median, then each column's median, subtracted — an additive offset per F2 trace and per F1
 * trace (t1 ridges, the magnitude-mode floor), which medians find because cross peaks fill a small fraction of any
 * trace. Noise: as spectrumNoise does in 1D, the matrix cut into tiles (up to 32 × 32), each tile's robust spread
 * (median absolute deviation / 0.6745), and the 25th percentile of those: the quiet areas.
 */

/** Median of the values (reorders them). */
function median(v: Float64Array): number {
  if (v.length === 0) return 0;
  v.sort();
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Row medians, then column medians, subtracted in place. */
export function subtractBaseline2d(real: Float64Array, rows: number, columns: number): void {
  const row = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    row.set(real.subarray(r * columns, (r + 1) * columns));
    const m = median(row);
    for (let c = 0; c < columns; c++) real[r * columns + c]! -= m;
  }
  const column = new Float64Array(rows);
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) column[r] = real[r * columns + c]!;
    const m = median(column);
    for (let r = 0; r < rows; r++) real[r * columns + c]! -= m;
  }
}

/** Robust spread of the values (median absolute deviation from the median / 0.6745; reorders them). */
export function robustSpread(v: Float64Array): number {
  const m = median(v);
  for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i]! - m);
  return median(v) / 0.6745;
}

/** Noise σ of the 2D spectrum: 25th percentile of the tiles' robust spreads. */
export function noise2d(real: Float64Array, rows: number, columns: number, tiles = 32): number {
  const tr = Math.max(1, Math.min(tiles, Math.floor(rows / 4)));
  const tc = Math.max(1, Math.min(tiles, Math.floor(columns / 4)));
  const h = Math.floor(rows / tr);
  const w = Math.floor(columns / tc);
  if (h < 1 || w < 1) return 0;
  const spreads = new Float64Array(tr * tc);
  const buffer = new Float64Array(h * w);
  for (let a = 0; a < tr; a++) {
    for (let b = 0; b < tc; b++) {
      let k = 0;
      for (let r = a * h; r < (a + 1) * h; r++)
        for (let c = b * w; c < (b + 1) * w; c++) buffer[k++] = real[r * columns + c]!;
      spreads[a * tc + b] = robustSpread(buffer);
    }
  }
  spreads.sort();
  return spreads[Math.floor((spreads.length - 1) / 4)]!;
}

/** Robust spread of every column (an F1 trace): where t1 noise runs, a peak must stand out of it. */
export function columnSpreads(real: Float64Array, rows: number, columns: number): Float64Array {
  const out = new Float64Array(columns);
  const column = new Float64Array(rows);
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) column[r] = real[r * columns + c]!;
    out[c] = robustSpread(column);
  }
  return out;
}
