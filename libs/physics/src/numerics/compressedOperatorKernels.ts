/**
 * The compressed operator's loops in WebAssembly (libs/physics/assembly/compressedOperator.ts and operatorGram.ts):
 * the operator's arrays copied into the kernels' memory, the loop run there, the result copied back. compressedOperator.ts
 * calls these where the kernels are built and keeps its TypeScript loops for where they are not; both give the same
 * numbers (src/wasm/kernels.test.ts).
 */
import type { Kernels } from '../wasm/kernels';
import type { CellGramTables, GramScratch } from './operatorTables';

/** The grid (n1 × n2), the kept ranks (r1, r2) and one past the largest second-axis index a pair uses. */
export interface OperatorGeometry {
  n1: number;
  n2: number;
  r1: number;
  r2: number;
  jUsed: number;
}

/** out (s) = K̃·f. */
export function applyWasm(
  kernels: Kernels,
  f: Float64Array,
  g: OperatorGeometry,
  a1: Float64Array,
  a2: Float64Array,
  pi: Int32Array,
  pj: Int32Array,
  rowsUsed: Int32Array,
  out: Float64Array,
): Float64Array {
  const { n1, n2, r1, r2, jUsed } = g;
  const e = kernels.exports;
  const s = pi.length;
  const n = n1 * n2;
  const scratchBytes = e.applyScratchBytes(n1, n2, r1, r2);
  const arena = kernels.arena(8 * (n + r1 * n1 + r2 * n2 + 2 * s + r1) + scratchBytes + 64);
  const fIn = arena.copy(f.subarray(0, n));
  const a1In = arena.copy(a1.subarray(0, r1 * n1));
  const a2In = arena.copy(a2.subarray(0, r2 * n2));
  const [piIn, pjIn, rowsIn] = [arena.copy(pi), arena.copy(pj), arena.copy(rowsUsed)];
  const result = arena.f64(s);
  const scratch = arena.scratch(scratchBytes);
  e.compressedApply(
    fIn,
    n1,
    n2,
    a1In,
    a2In,
    r1,
    r2,
    piIn,
    pjIn,
    s,
    rowsIn,
    rowsUsed.length,
    jUsed,
    result.offset,
    scratch,
  );
  out.set(result.view);
  return out;
}

/** t2 (n1 × jUsed) = A1ᵀ·C for the pairs' values c. */
export function halfApplyTWasm(
  kernels: Kernels,
  c: Float64Array,
  pairs: Int32Array,
  a1: Float64Array,
  g: Omit<OperatorGeometry, 'n2'>,
  rowsUsed: Int32Array,
  colsUsed: Int32Array,
  t2: Float64Array,
): Float64Array {
  const { n1, r1, r2, jUsed } = g;
  const s = pairs.length;
  const arena = kernels.arena(8 * (2 * s + r1 * n1 + 2 * r1 + r1 * r2 + n1 * jUsed) + 64);
  const cIn = arena.copy(c.subarray(0, s));
  const [pairsIn, rowsIn, colsIn] = [arena.copy(pairs), arena.copy(rowsUsed), arena.copy(colsUsed)];
  const a1In = arena.copy(a1.subarray(0, r1 * n1));
  const full = arena.f64(r1 * r2);
  const result = arena.f64(n1 * jUsed);
  const rows = rowsUsed.length;
  kernels.exports.compressedHalfApplyT(
    cIn,
    pairsIn,
    s,
    a1In,
    n1,
    r1,
    r2,
    rowsIn,
    rows,
    colsIn,
    jUsed,
    full.offset,
    result.offset,
  );
  t2.set(result.view);
  return t2;
}

/** out (s × s) = K̃·diag(w)·K̃ᵀ from the operator's factor tables. */
export function operatorGramWasm(
  kernels: Kernels,
  w: Float64Array,
  out: Float64Array,
  tables: GramScratch & { p1UsedList: Int32Array },
  g: Omit<OperatorGeometry, 'jUsed'>,
  p2Count: number,
  pi: Int32Array,
  pj: Int32Array,
  pIndex1: Int32Array,
  pIndex2: Int32Array,
): void {
  const { n1, n2, r1, r2 } = g;
  const { a1Pair, q2, p1UsedList } = tables;
  const e = kernels.exports;
  const s = pi.length;
  const p1Count = a1Pair.length / n1;
  const scratchBytes = e.operatorGramScratchBytes(n1, n2, p1Count, p2Count);
  const ints = p1UsedList.length + 2 * s + r1 * r1 + r2 * r2;
  const arena = kernels.arena(8 * (n1 * n2 + a1Pair.length + q2.length + s * s) + 4 * ints + scratchBytes + 128);
  const wIn = arena.copy(w.subarray(0, n1 * n2));
  const a1PairIn = arena.copy(a1Pair);
  const q2In = arena.copy(q2);
  const [usedIn, piIn, pjIn] = [arena.copy(p1UsedList), arena.copy(pi), arena.copy(pj)];
  const [index1In, index2In] = [arena.copy(pIndex1), arena.copy(pIndex2)];
  const result = arena.f64(s * s);
  const scratch = arena.scratch(scratchBytes);
  e.operatorGram(
    wIn,
    n1,
    n2,
    a1PairIn,
    p1Count,
    q2In,
    p2Count,
    usedIn,
    p1UsedList.length,
    piIn,
    pjIn,
    s,
    index1In,
    r1,
    index2In,
    r2,
    result.offset,
    scratch,
  );
  out.set(result.view);
}

/**
 * out (q × q, lower triangle) = K̃_AᵀK̃_A for the q cells at idx, from the cell-Gram tables kept in the kernels'
 * memory while they are the latest (Kernels.resident): only the cells go in and the triangle comes out.
 */
export function cellGramWasm(
  kernels: Kernels,
  tables: CellGramTables,
  n1: number,
  n2: number,
  idx: Int32Array,
  q: number,
  out: Float64Array,
): Float64Array {
  const [q1, q2] = residentCellGramTables(kernels, tables);
  const arena = kernels.arena(12 * q + 8 * q * q + 64);
  const idxIn = arena.copy(idx.subarray(0, q));
  const result = arena.f64(q * q);
  const scratch = arena.scratch(8 * q);
  kernels.exports.cellGramEntries(q1, q2, tables.groups, n1, n2, idxIn, q, result.offset, scratch);
  const view = result.view;
  for (let u = 0; u < q; u++) out.set(view.subarray(u * q, u * q + u + 1), u * q);
  return out;
}

/**
 * The byte offsets of the cell-Gram tables (q1, q2) kept in the kernels' memory (Kernels.resident, keyed by the tables
 * object): every kernel that reads them asks here, so the arrays always sit in the same order under one key.
 */
export function residentCellGramTables(kernels: Kernels, tables: CellGramTables): [number, number] {
  return kernels.resident(tables, [tables.q1, tables.q2]) as [number, number];
}
