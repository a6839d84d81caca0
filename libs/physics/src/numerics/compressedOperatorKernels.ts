/**
 * The compressed operator's loops in WebAssembly (libs/physics/assembly/compressedOperator.ts and operatorGram.ts):
 * the operator's arrays copied into the kernels' memory, the loop run there, the result copied back. compressedOperator.ts
 * calls these where the kernels are built and keeps its TypeScript loops for where they are not; both give the same
 * numbers (src/wasm/kernels.test.ts).
 */
import type { Arena, Kernels } from '../wasm/kernels';
import type { GramScratch } from './operatorTables';

/** The grid (n1 × n2), the kept ranks (r1, r2) and one past the largest second-axis index a pair uses. */
export interface OperatorGeometry {
  n1: number;
  n2: number;
  r1: number;
  r2: number;
  jUsed: number;
}

/** An Int32Array copied into the arena; its byte offset. */
function int32In(arena: Arena, values: Int32Array): number {
  const at = arena.u8(4 * values.length);
  new Int32Array(at.view.buffer, at.offset, values.length).set(values);
  return at.offset;
}

/** A Float64Array's first `length` values copied into the arena; their byte offset. */
function f64In(arena: Arena, values: Float64Array, length = values.length): number {
  const at = arena.f64(length);
  at.view.set(values.subarray(0, length));
  return at.offset;
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
  const fIn = f64In(arena, f, n);
  const a1In = f64In(arena, a1, r1 * n1);
  const a2In = f64In(arena, a2, r2 * n2);
  const [piIn, pjIn, rowsIn] = [int32In(arena, pi), int32In(arena, pj), int32In(arena, rowsUsed)];
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
  const cIn = f64In(arena, c, s);
  const [pairsIn, rowsIn, colsIn] = [int32In(arena, pairs), int32In(arena, rowsUsed), int32In(arena, colsUsed)];
  const a1In = f64In(arena, a1, r1 * n1);
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
  const wIn = f64In(arena, w, n1 * n2);
  const a1PairIn = f64In(arena, a1Pair);
  const q2In = f64In(arena, q2);
  const [usedIn, piIn, pjIn] = [int32In(arena, p1UsedList), int32In(arena, pi), int32In(arena, pj)];
  const [index1In, index2In] = [int32In(arena, pIndex1), int32In(arena, pIndex2)];
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
