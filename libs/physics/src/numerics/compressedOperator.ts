import { matMulTransB } from '../linalg/matMul';
import { wasmKernels } from '../wasm/kernels';
import { applyWasm, cellGramWasm, halfApplyTWasm, operatorGramWasm } from './compressedOperatorKernels';
import type { CompressedProblem } from './compress';
import { cellGramFactors, gramScratch, kernelTables, type CellGramTables, type GramScratch } from './operatorTables';

/**
 * The compressed kernel K̃ (s × n, s kept pairs, n = n1·n2) as a matrix-free operator exploiting its Kronecker
 * structure K̃[(i,j),(a,b)] = A1[i,a]·A2[j,b]. Applying it costs O(r1·n1·n2 + r1·r2·n2) instead of O(s·n).
 * Buffers are allocated once; the returned arrays are reused by the next call.
 */
export interface CompressedOperator {
  s: number;
  n: number;
  /** K̃·f (length s). */
  apply(f: Float64Array, out?: Float64Array): Float64Array;
  /** K̃ᵀ·c (length n). */
  applyT(c: Float64Array, out?: Float64Array): Float64Array;
  /** (K̃ᵀ·c) at the cells idx[0..q) only (into out[0..q)): O(n1·r1·r2 + q·r2) instead of a full application. */
  applyTAt(c: Float64Array, idx: Int32Array, q: number, out: Float64Array): Float64Array;
  /** K̃ · diag(w) · K̃ᵀ (s × s, row-major), w of length n (e.g. a 0/1 active-set mask). */
  gram(w: Float64Array, out?: Float64Array): Float64Array;
  /**
   * K̃_FᵀK̃_F for the cells idx[0..q) (q × q, row-major, lower triangle filled; the upper is left as it was) — the
   * primal normal matrix on a free set. See cellGramFactors (operatorTables.ts) for how it costs O(q²·G), not O(q²·s).
   * Entries between cells of the previous call's set are copied from it: UPEN's free set and a Newton path's active
   * set move by a few cells per step.
   */
  cellGram(idx: Int32Array, q: number, out: Float64Array): Float64Array;
  /** The tables cellGram computes its entries from (built on first use), for kernels that compute entries themselves. */
  cellGramTables(): CellGramTables;
  /** Largest singular value squared of K̃ (a Lipschitz constant for gradient methods). */
  normSquared: number;
  /** Squared singular value of each kept pair, s1_i²·s2_j² (K̃·K̃ᵀ is this diagonal). */
  pairSv2: Float64Array;
}

export function compressedOperator(cp: CompressedProblem): CompressedOperator {
  const { n1, n2, r1, r2, a1, a2, pairs } = cp;
  const s = pairs.length;
  const n = n1 * n2;
  const pi = new Int32Array(s);
  const pj = new Int32Array(s);
  for (let p = 0; p < s; p++) {
    pi[p] = Math.floor(pairs[p]! / r2);
    pj[p] = pairs[p]! % r2;
  }
  // Tables and scratch that depend only on the kernels, shared by every operator on them (the α path builds one per
  // pair count, on two grids).
  const tables = kernelTables(cp);
  const { t1, cFull, t2, fRows, fCols, colMark, fc, a2c, a2t, pIndex1, pIndex2, p2Count } = tables;
  let gramTables: (GramScratch & { p1UsedList: Int32Array }) | undefined;
  const sv1 = cp.svd1.s[0] ?? 0;
  const sv2 = cp.svd2.s[0] ?? 0;

  // Rows i of A1 that kept pairs use, and per row one past the largest j used: with pairs sorted by strength and
  // dropped by α, most of the r1 × r2 block is empty and applying the operator skips it.
  const colsUsed = new Int32Array(r1);
  for (let p = 0; p < s; p++) colsUsed[pi[p]!] = Math.max(colsUsed[pi[p]!]!, pj[p]! + 1);
  const rowsUsed = Int32Array.from(Array.from(colsUsed.keys()).filter((i) => colsUsed[i]! > 0));
  const pairSv2 = new Float64Array(s);
  for (let p = 0; p < s; p++) pairSv2[p] = (cp.svd1.s[pi[p]!]! * cp.svd2.s[pj[p]!]!) ** 2;
  // One past the largest second-axis index j any kept pair uses.
  const jUsed = Math.max(0, ...colsUsed);
  // A2ᵀ on the columns j < jUsed (n2 × jUsed): K̃ᵀ never needs the rest.
  const a2tUsed = jUsed === r2 ? a2t : new Float64Array(n2 * jUsed);
  if (jUsed < r2)
    for (let b = 0; b < n2; b++) for (let j = 0; j < jUsed; j++) a2tUsed[b * jUsed + j] = a2t[b * r2 + j]!;
  /** T2 = A1ᵀ · C (n1 × jUsed) for the pairs' values c, over the rows i and columns j < colsUsed[i] kept pairs use. */
  const halfApplyT = (c: Float64Array): Float64Array => {
    const kernels = wasmKernels();
    if (kernels) {
      const geometry = { n1, r1, r2, jUsed };
      return halfApplyTWasm(kernels, c, pairs, a1, geometry, rowsUsed, colsUsed, t2);
    }
    cFull.fill(0);
    for (let p = 0; p < s; p++) cFull[pairs[p]!] = c[p]!;
    t2.fill(0, 0, n1 * jUsed);
    for (const i of rowsUsed) {
      const jMax = colsUsed[i]!;
      const ci = i * r2;
      for (let a = 0; a < n1; a++) {
        const w = a1[i * n1 + a]!;
        if (w === 0) continue;
        const ta = a * jUsed;
        for (let j = 0; j < jMax; j++) t2[ta + j]! += w * cFull[ci + j]!;
      }
    }
    return t2;
  };
  // This operator's identity for the shared cell-Gram buffers (see cellGramFactors).
  const owner = {};
  let cellA = new Int32Array(0);
  let cellB = new Int32Array(0);
  // The last cellGram: its cells, lower triangle (stride lastQ) and each grid cell's place in it (−1: not there).
  let lastQ = 0;
  let lastCells = new Int32Array(0);
  let lastGram = new Float64Array(0);
  let lastAt: Int32Array | undefined;
  let from = new Int32Array(0);
  return {
    s,
    n,
    pairSv2,
    cellGramTables: () => cellGramFactors(cp, pi, pj, tables, owner),
    cellGram(idx, q, out) {
      const factors = cellGramFactors(cp, pi, pj, tables, owner);
      const kernels = wasmKernels();
      if (kernels) return cellGramWasm(kernels, factors, n1, n2, idx, q, out);
      const { groups: g, q1: t1g, q2: t2g } = factors;
      // Each cell's grid row and column, once.
      if (cellA.length < q) {
        cellA = new Int32Array(q);
        cellB = new Int32Array(q);
      }
      if (!lastAt) lastAt = new Int32Array(n).fill(-1);
      if (from.length < q) from = new Int32Array(Math.ceil(q * 1.25));
      // Cells in ascending order (both sets): from[] rises with u, so a known entry (u, v ≤ u) sits at (from[u], from[v]).
      let ascending = true;
      for (let u = 0; u < q; u++) {
        const a = Math.floor(idx[u]! / n2);
        cellA[u] = a;
        cellB[u] = idx[u]! - a * n2;
        from[u] = lastAt[idx[u]!]!;
        if (u > 0 && idx[u]! <= idx[u - 1]!) ascending = false;
      }
      if (!ascending) from.fill(-1, 0, q);
      for (let u = 0; u < q; u++) {
        const row1 = cellA[u]! * n1;
        const row2 = cellB[u]! * n2;
        const ou = u * q;
        const pu = from[u]!;
        const known = pu * lastQ;
        for (let v = 0; v <= u; v++) {
          if (pu >= 0 && from[v]! >= 0) {
            out[ou + v] = lastGram[known + from[v]!]!;
            continue;
          }
          const o1 = (row1 + cellA[v]!) * g;
          const o2 = (row2 + cellB[v]!) * g;
          let acc = 0;
          for (let t = 0; t < g; t++) acc += t1g[o1 + t]! * t2g[o2 + t]!;
          out[ou + v] = acc;
        }
      }
      for (let u = 0; u < lastQ; u++) lastAt[lastCells[u]!] = -1;
      if (!ascending) {
        lastQ = 0;
        return out;
      }
      if (lastGram.length < q * q) {
        const room = Math.ceil(q * 1.25);
        lastGram = new Float64Array(room * room);
        lastCells = new Int32Array(room);
      }
      for (let u = 0; u < q; u++) {
        lastAt[idx[u]!] = u;
        lastCells[u] = idx[u]!;
        lastGram.set(out.subarray(u * q, u * q + u + 1), u * q);
      }
      lastQ = q;
      return out;
    },
    normSquared: sv1 * sv1 * sv2 * sv2,
    apply(f, out = new Float64Array(s)) {
      const kernels = wasmKernels();
      if (kernels) return applyWasm(kernels, f, { n1, n2, r1, r2, jUsed }, a1, a2, pi, pj, rowsUsed, out);
      // The rows and columns of F that are not all zero (a solution's support is a few of each), F gathered onto them.
      let nc = 0;
      for (let b = 0; b < n2; b++) colMark[b] = 0;
      let nf = 0;
      for (let a = 0; a < n1; a++) {
        const fa = a * n2;
        let any = false;
        for (let b = 0; b < n2; b++) {
          if (f[fa + b] !== 0) {
            any = true;
            colMark[b] = 1;
          }
        }
        if (any) fRows[nf++] = a;
      }
      for (let b = 0; b < n2; b++) if (colMark[b] === 1) fCols[nc++] = b;
      for (let u = 0; u < nf; u++) {
        const fa = fRows[u]! * n2;
        for (let v = 0; v < nc; v++) fc[u * nc + v] = f[fa + fCols[v]!]!;
      }
      // T1 = A1 · F on those columns (r1 × nc), then each pair's dot product with A2 on them.
      for (const i of rowsUsed) {
        const ti = i * nc;
        t1.fill(0, ti, ti + nc);
        for (let u = 0; u < nf; u++) {
          const w = a1[i * n1 + fRows[u]!]!;
          if (w === 0) continue;
          const fu = u * nc;
          for (let v = 0; v < nc; v++) t1[ti + v]! += w * fc[fu + v]!;
        }
      }
      for (let j = 0; j < jUsed; j++) for (let v = 0; v < nc; v++) a2c[j * nc + v] = a2[j * n2 + fCols[v]!]!;
      for (let p = 0; p < s; p++) {
        const ti = pi[p]! * nc;
        const aj = pj[p]! * nc;
        let acc = 0;
        for (let v = 0; v < nc; v++) acc += t1[ti + v]! * a2c[aj + v]!;
        out[p] = acc;
      }
      return out;
    },
    applyTAt(c, idx, q, out) {
      const t = halfApplyT(c);
      for (let u = 0; u < q; u++) {
        const a = Math.floor(idx[u]! / n2);
        const ta = a * jUsed;
        const ab = (idx[u]! - a * n2) * jUsed;
        let acc = 0;
        for (let j = 0; j < jUsed; j++) acc += t[ta + j]! * a2tUsed[ab + j]!;
        out[u] = acc;
      }
      return out;
    },
    applyT(c, out = new Float64Array(n)) {
      // X = T2 · A2 (n1 × n2), as T2 · (A2ᵀ)ᵀ: dot products over contiguous rows
      return matMulTransB(halfApplyT(c), a2tUsed, n1, jUsed, n2, out);
    },
    gram(w, out = new Float64Array(s * s)) {
      // Row pairs (i, k) of A1 that the Gram matrix of the kept pairs needs: those among the rows used.
      gramTables ??= {
        ...gramScratch(cp, tables),
        p1UsedList: Int32Array.from(
          Array.from(rowsUsed).flatMap((i) =>
            Array.from(
              rowsUsed.filter((k) => k >= i),
              (k) => pIndex1[i * r1 + k]!,
            ),
          ),
        ),
      };
      operatorGram(w, out, gramTables, n1, n2, p2Count, pi, pj, r1, r2, pIndex1, pIndex2);
      return out;
    },
  };
}

/** K̃·diag(w)·K̃ᵀ from the operator's factor tables (the gram method's body; why outside it: below). */
function operatorGram(
  w: Float64Array,
  out: Float64Array,
  tables: GramScratch & { p1UsedList: Int32Array },
  n1: number,
  n2: number,
  p2Count: number,
  pi: Int32Array,
  pj: Int32Array,
  r1: number,
  r2: number,
  pIndex1: Int32Array,
  pIndex2: Int32Array,
): void {
  const { a1Pair, q2, pw, cols, rowsA, wc, q2c, p1UsedList } = tables;
  const kernels = wasmKernels();
  if (kernels) {
    operatorGramWasm(kernels, w, out, tables, { n1, n2, r1, r2 }, p2Count, pi, pj, pIndex1, pIndex2);
    return;
  }
  // Only the columns b (second-axis cells) and rows a that carry weight matter; near a solution that is a few.
  const nb = weightedColumns(w, n1, n2, cols);
  const na = weightedRows(w, n1, n2, cols, nb, rowsA, wc);
  pairWeights(p1UsedList, a1Pair, n1, rowsA, na, wc, nb, pw);
  for (let c = 0; c < p2Count; c++) for (let bb = 0; bb < nb; bb++) q2c[c * nb + bb] = q2[c * n2 + cols[bb]!]!;
  gramFromFactors(pi, pj, pIndex1, r1, pIndex2, r2, pw, q2c, nb, out);
}

// gram's body and each of its loop nests live outside the operator's closure: written inside it, V8 re-entered stale
// on-stack-replacement code on every call and deoptimised at once (≈ 3 times per analysis), so gram ran interpreted
// (docs/BENCHMARKS.md, "The whole analysis, warm and first call").

/** The second-axis cells b where some w[·, b] ≠ 0, into cols; returns their count. */
function weightedColumns(w: Float64Array, n1: number, n2: number, cols: Int32Array): number {
  let nb = 0;
  for (let b = 0; b < n2; b++) {
    let any = false;
    for (let a = 0; a < n1 && !any; a++) any = w[a * n2 + b] !== 0;
    if (any) cols[nb++] = b;
  }
  return nb;
}

/** The first-axis cells a with weight on those columns, into rowsA, and w gathered onto them (wc); returns the count. */
function weightedRows(
  w: Float64Array,
  n1: number,
  n2: number,
  cols: Int32Array,
  nb: number,
  rowsA: Int32Array,
  wc: Float64Array,
): number {
  let na = 0;
  for (let a = 0; a < n1; a++) {
    let any = false;
    for (let bb = 0; bb < nb; bb++) {
      const v = w[a * n2 + cols[bb]!]!;
      wc[na * nb + bb] = v;
      if (v !== 0) any = true;
    }
    if (any) rowsA[na++] = a;
  }
  return na;
}

/** PW[(i,k), b'] = Σ_a A1[i,a]·A1[k,a]·w[a,b] over the used row pairs and the weighted rows and columns. */
function pairWeights(
  p1UsedList: Int32Array,
  a1Pair: Float64Array,
  n1: number,
  rowsA: Int32Array,
  na: number,
  wc: Float64Array,
  nb: number,
  pw: Float64Array,
): void {
  for (let u = 0; u < p1UsedList.length; u++) {
    const c = p1UsedList[u]!;
    const pc = c * nb;
    pw.fill(0, pc, pc + nb);
    const ac = c * n1;
    for (let aa = 0; aa < na; aa++) {
      const v = a1Pair[ac + rowsA[aa]!]!;
      if (v === 0) continue;
      const wr = aa * nb;
      for (let bb = 0; bb < nb; bb++) pw[pc + bb]! += v * wc[wr + bb]!;
    }
  }
}

/** G[p,q] = Σ_b PW[(i_p,i_q), b] · A2[j_p,b]·A2[j_q,b] for the s kept pairs (both triangles). */
function gramFromFactors(
  pi: Int32Array,
  pj: Int32Array,
  pIndex1: Int32Array,
  r1: number,
  pIndex2: Int32Array,
  r2: number,
  pw: Float64Array,
  q2c: Float64Array,
  nb: number,
  out: Float64Array,
): void {
  const s = pi.length;
  for (let p = 0; p < s; p++) {
    const i = pi[p]!;
    const j = pj[p]!;
    for (let q = p; q < s; q++) {
      const pc = pIndex1[i * r1 + pi[q]!]! * nb;
      const qc = pIndex2[j * r2 + pj[q]!]! * nb;
      let acc0 = 0;
      let acc1 = 0;
      let bb = 0;
      for (; bb + 1 < nb; bb += 2) {
        acc0 += pw[pc + bb]! * q2c[qc + bb]!;
        acc1 += pw[pc + bb + 1]! * q2c[qc + bb + 1]!;
      }
      if (bb < nb) acc0 += pw[pc + bb]! * q2c[qc + bb]!;
      const acc = acc0 + acc1;
      out[p * s + q] = acc;
      out[q * s + p] = acc;
    }
  }
}
