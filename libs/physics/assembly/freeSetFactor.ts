// The factorisation of UPEN's free-set system: libs/physics/src/numerics/freeSetSolve.ts's `factor` (its TypeScript
// twin, which documents it) in one call: the cell-Gram entries, the penalty's stencil sums in the same order, then
// the Cholesky factor — the same bits.
import { cellGramEntries } from './cellGramTables';
import { choleskyInPlace } from './cholesky';
import { ld, ldi32, st } from './memory';

const STENCIL = 5;

/**
 * h (q × q, lower triangle) = K̃_FᵀK̃_F + P_FF for the q cells at idx, factored in place; returns 0 when it is not
 * positive definite. q1, q2, g: the cell-Gram tables; stencil (n × 5 i32, −1 past a cell's neighbours), pos (n i32:
 * each cell's place in idx, −1 outside), lambda (n): the penalty's weights; centre: the stencil's own weight;
 * scratch: 2q i32 for cellGramEntries.
 */
export function freeSetFactor(
  q1: usize,
  q2: usize,
  g: i32,
  n1: i32,
  n2: i32,
  idx: usize,
  q: i32,
  stencil: usize,
  pos: usize,
  lambda: usize,
  centre: f64,
  h: usize,
  scratch: usize,
): i32 {
  cellGramEntries(q1, q2, g, n1, n2, idx, q, h, scratch);
  for (let u = 0; u < q; u++) {
    const k = ldi32(idx, u);
    const row = u * q;
    for (let t = 0; t < STENCIL; t++) {
      const j = ldi32(stencil, k * STENCIL + t);
      if (j < 0) break;
      const wkj = (t == 0 ? centre : 1.0) * ld(lambda, j);
      for (let t2 = 0; t2 < STENCIL; t2++) {
        const l = ldi32(stencil, j * STENCIL + t2);
        if (l < 0) break;
        const v = ldi32(pos, l);
        if (v < 0 || v > u) continue;
        st(h, row + v, ld(h, row + v) + wkj * (t2 == 0 ? centre : 1.0));
      }
    }
  }
  return choleskyInPlace(h, q);
}
