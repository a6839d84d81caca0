/**
 * findPeaks' flooding watershed (the rule: findPeaks.ts' header): the cells above the level, grouped into basins, as
 * one list of cells per region in the order each region's first cell appears. In WebAssembly where the kernels are
 * built (libs/physics/assembly/watershed.ts): the same visits, merges and sums, so the same regions (the parity test
 * in findPeaks.property.test.ts); on the first call of a process the TypeScript runs interpreted, for each of the
 * 17 maps an analysis lists peaks on.
 */
import { wasmKernels } from '../wasm/kernels';

export interface WatershedParams {
  level: number;
  saddleRatio: number;
  minSplitMass: number;
  diagonals: boolean;
}

/** Flooding watershed with saddle-based merging; returns a basin id per cell (−1: below the level). */
function floodBasins(v: Float64Array, n1: number, n2: number, p: WatershedParams): Int32Array {
  const order: number[] = [];
  for (let c = 0; c < v.length; c++) if (v[c]! > p.level) order.push(c);
  order.sort((a, b) => v[b]! - v[a]! || a - b);

  const label = new Int32Array(v.length).fill(-1);
  const parent: number[] = [];
  const bMax: number[] = [];
  const bMass: number[] = [];
  const find = (b: number): number => {
    while (parent[b] !== b) {
      parent[b] = parent[parent[b]!]!;
      b = parent[b]!;
    }
    return b;
  };
  const roots: number[] = [];
  for (const c of order) {
    const i = Math.floor(c / n2);
    const j = c - i * n2;
    roots.length = 0;
    let best = -1;
    for (let di = -1; di <= 1; di++) {
      const ii = i + di;
      if (ii < 0 || ii >= n1) continue;
      for (let dj = -1; dj <= 1; dj++) {
        if (di === 0 && dj === 0) continue;
        if (!p.diagonals && di !== 0 && dj !== 0) continue;
        const jj = j + dj;
        if (jj < 0 || jj >= n2) continue;
        const q = ii * n2 + jj;
        if (label[q]! < 0) continue;
        const r = find(label[q]!);
        if (!roots.includes(r)) roots.push(r);
        if (best < 0 || v[q]! > v[best]!) best = q;
      }
    }
    if (best < 0) {
      const b = parent.length;
      parent.push(b);
      bMax.push(v[c]!);
      bMass.push(v[c]!);
      label[c] = b;
      continue;
    }
    if (roots.length > 1) {
      // c is a saddle between these basins: decide, once, whether each stays apart from the highest one.
      roots.sort((a, b) => bMax[b]! - bMax[a]!);
      const primary = roots[0]!;
      for (let k = 1; k < roots.length; k++) {
        const r = roots[k]!;
        const deep = v[c]! < p.saddleRatio * Math.min(bMax[primary]!, bMax[r]!);
        const massive = Math.min(bMass[primary]!, bMass[r]!) >= p.minSplitMass;
        if (!(deep && massive)) {
          parent[r] = primary;
          bMass[primary]! += bMass[r]!;
        }
      }
    }
    const target = find(label[best]!);
    label[c] = target;
    bMass[target]! += v[c]!;
  }
  for (let c = 0; c < label.length; c++) if (label[c]! >= 0) label[c] = find(label[c]!);
  return label;
}

/** The regions of the positive map v (n1 × n2): ascending cells per region, regions by their first cell. */
export function watershedRegions(v: Float64Array, n1: number, n2: number, p: WatershedParams): Int32Array[] {
  const n = n1 * n2;
  const kernels = wasmKernels();
  if (kernels) {
    const scratchBytes = kernels.exports.watershedScratchBytes(n);
    const arena = kernels.arena(8 * n + 8 * n + 8 + scratchBytes + 32);
    const [vIn, starts, cells] = [arena.copy(v), arena.scratch(4 * (n + 1)), arena.scratch(4 * n)];
    const scratch = arena.scratch(scratchBytes);
    const count = kernels.exports.watershedRegions(
      vIn,
      n1,
      n2,
      p.level,
      p.saddleRatio,
      p.minSplitMass,
      p.diagonals ? 1 : 0,
      starts,
      cells,
      scratch,
    );
    const memory = kernels.exports.memory.buffer;
    const bounds = new Int32Array(memory, starts, count + 1);
    const all = new Int32Array(memory, cells, bounds[count]!);
    return Array.from({ length: count }, (_, r) => all.slice(bounds[r]!, bounds[r + 1]!));
  }
  const label = floodBasins(v, n1, n2, p);
  const regions = new Map<number, number[]>();
  for (let c = 0; c < label.length; c++) {
    const b = label[c]!;
    if (b < 0) continue;
    let cells = regions.get(b);
    if (!cells) regions.set(b, (cells = []));
    cells.push(c);
  }
  return [...regions.values()].map((cells) => Int32Array.from(cells));
}
