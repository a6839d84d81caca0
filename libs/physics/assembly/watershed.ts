// The peak finder's flooding watershed (src/analysis/watershed.ts, `floodBasins` and the grouping of cells into
// regions): the same cells in the same order, the same merges and the same sums, so the same basins to the bit.
import { ld, ldi32, st, sti32 } from './memory';

/** Bytes of scratch watershedRegions needs for n cells. */
export function watershedScratchBytes(n: i32): i32 {
  // order, merge buffer and parents (i32 each), basin maxima and masses (f64 each), eight neighbouring roots
  return 12 * n + 16 * n + 96;
}

// v[a] before v[b]: higher first, then the lower index (the JavaScript comparator v[b] − v[a] || a − b).
function before(v: usize, a: i32, b: i32): bool {
  const x = ld(v, a);
  const y = ld(v, b);
  return x > y || (x == y && a < b);
}

function find(parent: usize, b: i32): i32 {
  while (ldi32(parent, b) != b) {
    sti32(parent, b, ldi32(parent, ldi32(parent, b)));
    b = ldi32(parent, b);
  }
  return b;
}

/**
 * Floods the positive map v (n1 × n2) from its highest cell down to `level`, merging basins at a saddle unless it is
 * deeper than saddleRatio of the lower basin's maximum and both hold ≥ minSplitMass; then groups the labelled cells
 * by basin in the order each basin's first cell appears: regionCells holds them (ascending within a region),
 * regionStarts[r]..regionStarts[r + 1] bounds region r. Returns the number of regions.
 */
export function watershedRegions(
  v: usize,
  n1: i32,
  n2: i32,
  level: f64,
  saddleRatio: f64,
  minSplitMass: f64,
  diagonals: i32,
  regionStarts: usize,
  regionCells: usize,
  scratch: usize,
): i32 {
  const n = n1 * n2;
  const order = scratch;
  const buffer = order + ((<usize>n) << 2);
  const parent = buffer + ((<usize>n) << 2);
  const bMax = (parent + ((<usize>n) << 2) + 7) & ~(<usize>7);
  const bMass = bMax + ((<usize>n) << 3);
  const roots = bMass + ((<usize>n) << 3);
  let count = 0;
  for (let c = 0; c < n; c++) if (ld(v, c) > level) sti32(order, count++, c);
  // bottom-up merge sort (any sort gives the same order: `before` is total)
  let from = order;
  let to = buffer;
  for (let width = 1; width < count; width <<= 1) {
    for (let lo = 0; lo < count; lo += width << 1) {
      const mid = min(lo + width, count);
      const hi = min(lo + (width << 1), count);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        if (i < mid && (j >= hi || !before(v, ldi32(from, j), ldi32(from, i)))) sti32(to, k, ldi32(from, i++));
        else sti32(to, k, ldi32(from, j++));
      }
    }
    const swap = from;
    from = to;
    to = swap;
  }
  // labels go to regionCells for now (one per cell, −1 below the level)
  const label = regionCells;
  for (let c = 0; c < n; c++) sti32(label, c, -1);
  let basins = 0;
  for (let k = 0; k < count; k++) {
    const c = ldi32(from, k);
    const i = c / n2;
    const j = c - i * n2;
    let rootCount = 0;
    let best = -1;
    for (let di = -1; di <= 1; di++) {
      const ii = i + di;
      if (ii < 0 || ii >= n1) continue;
      for (let dj = -1; dj <= 1; dj++) {
        if (di == 0 && dj == 0) continue;
        if (!diagonals && di != 0 && dj != 0) continue;
        const jj = j + dj;
        if (jj < 0 || jj >= n2) continue;
        const q = ii * n2 + jj;
        const lq = ldi32(label, q);
        if (lq < 0) continue;
        const r = find(parent, lq);
        let seen = false;
        for (let x = 0; x < rootCount; x++) if (ldi32(roots, x) == r) seen = true;
        if (!seen) sti32(roots, rootCount++, r);
        if (best < 0 || ld(v, q) > ld(v, best)) best = q;
      }
    }
    const vc = ld(v, c);
    if (best < 0) {
      sti32(parent, basins, basins);
      st(bMax, basins, vc);
      st(bMass, basins, vc);
      sti32(label, c, basins++);
      continue;
    }
    if (rootCount > 1) {
      // stable insertion sort by basin maximum, highest first (as Array.prototype.sort orders them)
      for (let x = 1; x < rootCount; x++) {
        const r = ldi32(roots, x);
        let y = x - 1;
        while (y >= 0 && ld(bMax, r) - ld(bMax, ldi32(roots, y)) > 0) {
          sti32(roots, y + 1, ldi32(roots, y));
          y--;
        }
        sti32(roots, y + 1, r);
      }
      const primary = ldi32(roots, 0);
      for (let x = 1; x < rootCount; x++) {
        const r = ldi32(roots, x);
        const deep = vc < saddleRatio * min(ld(bMax, primary), ld(bMax, r));
        const massive = min(ld(bMass, primary), ld(bMass, r)) >= minSplitMass;
        if (!(deep && massive)) {
          sti32(parent, r, primary);
          st(bMass, primary, ld(bMass, primary) + ld(bMass, r));
        }
      }
    }
    const target = find(parent, ldi32(label, best));
    sti32(label, c, target);
    st(bMass, target, ld(bMass, target) + vc);
  }
  // regions in the order their first cell appears; bMax's room holds each basin's region (i32), then the counts
  const regionOf = bMax;
  for (let b = 0; b < basins; b++) sti32(regionOf, b, -1);
  let regions = 0;
  for (let c = 0; c < n; c++) {
    const l = ldi32(label, c);
    if (l < 0) continue;
    const root = find(parent, l);
    let r = ldi32(regionOf, root);
    if (r < 0) {
      r = regions++;
      sti32(regionOf, root, r);
      sti32(regionStarts, r + 1, 0);
    }
    sti32(label, c, r);
    sti32(regionStarts, r + 1, ldi32(regionStarts, r + 1) + 1);
  }
  sti32(regionStarts, 0, 0);
  for (let r = 0; r < regions; r++) sti32(regionStarts, r + 1, ldi32(regionStarts, r) + ldi32(regionStarts, r + 1));
  // cells by region, ascending: through the order buffer (no longer needed), then back over the labels
  const next = order;
  for (let r = 0; r < regions; r++) sti32(next, r, ldi32(regionStarts, r));
  const placed = buffer;
  let labelled = 0;
  for (let c = 0; c < n; c++) {
    const r = ldi32(label, c);
    if (r < 0) continue;
    const at = ldi32(next, r);
    sti32(placed, at, c);
    sti32(next, r, at + 1);
    labelled++;
  }
  for (let k = 0; k < labelled; k++) sti32(regionCells, k, ldi32(placed, k));
  return regions;
}
