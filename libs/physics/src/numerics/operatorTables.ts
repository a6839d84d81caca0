/**
 * Tables behind CompressedOperator that depend only on the kernels (A1, A2), shared by every operator on them — the α
 * path builds one per pair count, on two grids — and cached per kernel.
 */
import { wasmKernels, type Kernels } from '../wasm/kernels';
import type { CompressedProblem } from './compress';

export interface KernelTables {
  t1: Float64Array;
  cFull: Float64Array;
  t2: Float64Array;
  fRows: Int32Array;
  fCols: Int32Array;
  colMark: Uint8Array;
  /** F gathered onto its nonzero rows and columns, and A2 on those columns. */
  fc: Float64Array;
  a2c: Float64Array;
  /** A2ᵀ (n2 × r2). */
  a2t: Float64Array;
  /** Index of the unordered row pair (i, k) of A1 (r1 × r1 → 0 … r1(r1+1)/2) and of A2. */
  pIndex1: Int32Array;
  pIndex2: Int32Array;
  p1Count: number;
  p2Count: number;
  gram?: GramScratch;
  cellGram?: CellGramTables;
  /** Running sums Σ_{j ≤ J} A2[j,·]ᵀ·A2[j,·] for J = 0 … r2−1 (r2 blocks of n2 × n2), built on first use. */
  prefix?: Float64Array;
}

export interface CellGramTables {
  /** The operator the tables were last built for. */
  owner: object;
  groups: number;
  q1: Float64Array;
  q2: Float64Array;
  buffer1: Float64Array;
  buffer2: Float64Array;
}

export interface GramScratch {
  q2: Float64Array;
  a1Pair: Float64Array;
  pw: Float64Array;
  cols: Int32Array;
  rowsA: Int32Array;
  wc: Float64Array;
  q2c: Float64Array;
}

const kernelTableCache = new WeakMap<Float64Array, { a2: Float64Array; tables: KernelTables }>();

export function kernelTables(cp: CompressedProblem): KernelTables {
  const { n1, n2, r1, r2, a1, a2 } = cp;
  const hit = kernelTableCache.get(a1);
  if (hit && hit.a2 === a2) return hit.tables;
  const a2t = new Float64Array(n2 * r2);
  for (let j = 0; j < r2; j++) for (let b = 0; b < n2; b++) a2t[b * r2 + j] = a2[j * n2 + b]!;
  const pIndex1 = new Int32Array(r1 * r1);
  const pIndex2 = new Int32Array(r2 * r2);
  for (let i = 0, c = 0; i < r1; i++) for (let k = i; k < r1; k++, c++) pIndex1[i * r1 + k] = pIndex1[k * r1 + i] = c;
  for (let j = 0, c = 0; j < r2; j++) for (let l = j; l < r2; l++, c++) pIndex2[j * r2 + l] = pIndex2[l * r2 + j] = c;
  const tables: KernelTables = {
    t1: new Float64Array(r1 * n2),
    cFull: new Float64Array(r1 * r2),
    t2: new Float64Array(n1 * r2),
    fRows: new Int32Array(n1),
    fCols: new Int32Array(n2),
    colMark: new Uint8Array(n2),
    fc: new Float64Array(n1 * n2),
    a2c: new Float64Array(r2 * n2),
    a2t,
    pIndex1,
    pIndex2,
    p1Count: (r1 * (r1 + 1)) / 2,
    p2Count: (r2 * (r2 + 1)) / 2,
  };
  kernelTableCache.set(a1, { a2, tables });
  return tables;
}

/**
 * Tables for gram (the s × s route), built on its first use and shared like the kernel tables: products of rows of A1
 * (pairs i ≤ k) per grid row a and of rows of A2 (pairs j ≤ l) per grid column b, and scratch.
 */
export function gramScratch(cp: CompressedProblem, tables: KernelTables): GramScratch {
  if (tables.gram) return tables.gram;
  const { n1, n2, r1, r2, a1, a2 } = cp;
  const { p1Count, p2Count } = tables;
  const q2 = rowPairProducts(a2, r2, n2, p2Count);
  const a1Pair = rowPairProducts(a1, r1, n1, p1Count);
  tables.gram = {
    q2,
    a1Pair,
    pw: new Float64Array(p1Count * n2),
    cols: new Int32Array(n2),
    rowsA: new Int32Array(n1),
    wc: new Float64Array(n1 * n2),
    q2c: new Float64Array(p2Count * n2),
  };
  return tables.gram;
}

/**
 * Tables for cellGram. An entry of K̃ᵀK̃ between cells (a, b) and (a', b') is Σ over kept pairs (i, j) of
 * A1[i,a]·A1[i,a']·A2[j,b]·A2[j,b']. Rows i that keep the same set J of j (the kept pairs form a staircase — a
 * threshold on s1_i·s2_j — so there are few distinct sets) factor into one product per group:
 *   Σ_groups (Σ_{i∈rows} A1[i,a]·A1[i,a']) · (Σ_{j∈J} A2[j,b]·A2[j,b']),
 * G terms per entry instead of s (measured on the bench:physics 2D cases: G ≈ 10–15 against s ≈ 100–400). Stored
 * interleaved by group, so each entry is one contiguous dot product of length G. A staircase's sets J are prefixes
 * {0 … J−1}, whose A2 sums are running sums shared by every operator on the same kernels (the α path builds one per
 * pair count): computed once per kernel and kept with its tables.
 */
export function cellGramFactors(
  cp: CompressedProblem,
  pi: Int32Array,
  pj: Int32Array,
  tables: KernelTables,
  owner: object,
): CellGramTables {
  // The tables take n1²·G + n2²·G values (~0.8 MB on a 64 × 64 grid) and the α path builds an operator per pair
  // count: the operators on the same kernels share one set of buffers, rebuilt when another operator last filled them
  // (a path moves through its pair counts in order, so that is rare).
  const shared = tables.cellGram;
  if (shared && shared.owner === owner) return shared;
  const { n1, n2, r1, r2, a1, a2 } = cp;
  const setOf = Array.from({ length: r1 }, () => [] as number[]);
  for (let p = 0; p < pi.length; p++) setOf[pi[p]!]!.push(pj[p]!);
  const groupOf = new Map<string, { rows: number[]; js: number[] }>();
  for (let i = 0; i < r1; i++) {
    const js = setOf[i]!.sort((x, y) => x - y);
    if (js.length === 0) continue;
    const key = js.join(',');
    const hit = groupOf.get(key);
    if (hit) hit.rows.push(i);
    else groupOf.set(key, { rows: [i], js });
  }
  const groups = [...groupOf.values()];
  const g = groups.length;
  const size1 = n1 * n1 * g;
  const size2 = n2 * n2 * g;
  const buffer1 = shared && shared.buffer1.length >= size1 ? shared.buffer1 : new Float64Array(size1);
  const buffer2 = shared && shared.buffer2.length >= size2 ? shared.buffer2 : new Float64Array(size2);
  const q1 = buffer1.subarray(0, size1);
  const q2 = buffer2.subarray(0, size2);
  const kernels = wasmKernels();
  if (kernels) {
    // every group's sums from its rows; a staircase's prefix sets J = {0 … J−1} summed in the same order as the
    // running sums below, so the same numbers without the r2 blocks of them
    groupedOuterSums(
      kernels,
      a1,
      n1,
      groups.map(({ rows }) => rows),
      q1,
    );
    groupedOuterSums(
      kernels,
      a2,
      n2,
      groups.map(({ js }) => js),
      q2,
    );
    tables.cellGram = { owner, groups: g, q1, q2, buffer1, buffer2 };
    return tables.cellGram;
  }
  q1.fill(0);
  q2.fill(0);
  const nn2 = n2 * n2;
  groups.forEach(({ rows, js }, t) => {
    for (const i of rows) addOuter(a1, i, n1, q1, t, g);
    if (js[js.length - 1] === js.length - 1) {
      tables.prefix ??= prefixProducts(a2, r2, n2);
      const prefix = tables.prefix;
      const base = (js.length - 1) * nn2;
      for (let e = 0; e < nn2; e++) q2[e * g + t] = prefix[base + e]!;
      return;
    }
    for (const j of js) addOuter(a2, j, n2, q2, t, g);
  });
  tables.cellGram = { owner, groups: g, q1, q2, buffer1, buffer2 };
  return tables.cellGram;
}

/** Per group (interleaved, as cellGramFactors stores them) the sum of the outer products of its rows of A, in WebAssembly. */
function groupedOuterSums(kernels: Kernels, a: Float64Array, n: number, rowsOf: number[][], out: Float64Array): void {
  const g = rowsOf.length;
  const rows = Int32Array.from(rowsOf.flat());
  const starts = new Int32Array(g + 1);
  rowsOf.forEach((r, t) => (starts[t + 1] = starts[t]! + r.length));
  const arena = kernels.arena(8 * (a.length + n * n * g) + 4 * (rows.length + g + 1) + 64);
  const [aIn, rowsIn, startsIn] = [arena.copy(a), arena.copy(rows), arena.copy(starts)];
  const result = arena.f64(n * n * g);
  kernels.exports.groupedOuterSums(aIn, n, g, rowsIn, startsIn, result.offset);
  out.set(result.view);
}

/**
 * The products A[j,·]·A[l,·] of each row pair j ≤ l of A (r rows of n), pairs in row-major order; in WebAssembly
 * where the kernels are built.
 */
function rowPairProducts(a: Float64Array, r: number, n: number, pairs: number): Float64Array {
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (r * n + pairs * n) + 16);
    const aIn = arena.copy(a.subarray(0, r * n));
    const result = arena.f64(pairs * n);
    kernels.exports.rowPairProducts(aIn, r, n, result.offset);
    return result.view.slice();
  }
  const out = new Float64Array(pairs * n);
  for (let j = 0, c = 0; j < r; j++) {
    for (let l = j; l < r; l++, c++) {
      for (let b = 0; b < n; b++) out[c * n + b] = a[j * n + b]! * a[l * n + b]!;
    }
  }
  return out;
}

/** Running sums Σ_{j ≤ J} A2[j,·]ᵀ·A2[j,·] for J = 0 … r2−1 (r2 blocks of n2 × n2). */
function prefixProducts(a2: Float64Array, r2: number, n2: number): Float64Array {
  const nn2 = n2 * n2;
  const out = new Float64Array(r2 * nn2);
  for (let j = 0; j < r2; j++) {
    const base = j * nn2;
    if (j > 0) out.copyWithin(base, base - nn2, base);
    addOuter(a2, j, n2, out, base, 1);
  }
  return out;
}

/** out[start + (a·n + b)·stride] += A[i,a]·A[i,b] for A with rows of length n (one row's outer product, added). */
function addOuter(m: Float64Array, i: number, n: number, out: Float64Array, start: number, stride: number): void {
  const mi = i * n;
  for (let a = 0; a < n; a++) {
    const va = m[mi + a]!;
    if (va === 0) continue;
    const row = start + a * n * stride;
    for (let b = 0; b < n; b++) out[row + b * stride]! += va * m[mi + b]!;
  }
}
