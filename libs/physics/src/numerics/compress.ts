import { squaresAndMaxAbs } from './dataSums';
import { kernelSvd, type KernelSvd } from '../linalg/kernelSvd';
import { matMul, matMulTransA, matMulTransB } from '../linalg/matMul';
import type { Problem } from '../solvers/types';

/**
 * SVD compression of a (1D or 2D) Laplace problem, after Venkataramanan, Song & Hürlimann, IEEE Trans. Signal
 * Process. 50 (2002) 1017. With K_d = U_d S_d V_dᵀ truncated, the data are projected to M̃ = U1ᵀ · M · U2 and the
 * problem becomes m̃ ≈ K̃ f with K̃ = (S1V1ᵀ) ⊗ (S2V2ᵀ), of a few hundred rows instead of m1·m2.
 *
 * Pairs (i, j) whose product singular value s1_i·s2_j is too small to carry any signal above the noise are dropped
 * (keep when s1_i·s2_j·M0 ≥ κ·σ̂, M0 the total amplitude bound), which keeps the compressed problem small at low SNR
 * and complete at high SNR.
 *
 * The noise σ̂ is estimated from what lies outside the kept subspace: σ̂² = (‖M‖² − ‖U1ᵀMU2‖²)/(m1·m2 − r1·r2).
 */
export interface CompressedProblem {
  n1: number;
  n2: number;
  r1: number;
  r2: number;
  /** A1 = S1·V1ᵀ (r1 × n1), A2 = S2·V2ᵀ (r2 × n2). */
  a1: Float64Array;
  a2: Float64Array;
  /** Kept (i, j) pairs as flat indices i·r2 + j, strongest (largest s1_i·s2_j) first; their count is the compressed size s. */
  pairs: Int32Array;
  /** Compressed data on the kept pairs (length s). */
  m: Float64Array;
  /** ‖M‖² and the part of it outside the kept pairs (residual floor no distribution can fit). */
  dataNorm2: number;
  floorNorm2: number;
  /** Largest |data value| (with σ, the data's SNR as libs/physics simulate defines it). */
  dataMaxAbs: number;
  /** Noise standard deviation, estimated or given. */
  sigma: number;
  sigmaEstimated: boolean;
  /** Number of data points m1·m2. */
  points: number;
  /** Degrees of freedom behind the noise estimate (m1·m2 − r1·r2); few (< 20) means σ̂ is unreliable. */
  noiseDof: number;
  svd1: KernelSvd;
  svd2: KernelSvd;
}

export interface CompressOptions {
  sigma?: number;
  /** Relative singular-value tolerance per kernel (default 1e-6). */
  relTol?: number;
  /** Keep a pair when s1·s2·M0 ≥ kappa·σ̂ (default 0.1). */
  kappa?: number;
  /**
   * An earlier compression of the same data, with the same relTol, whose first or second kernel is this problem's too
   * (invert's slow-edge retry extends one axis): that kernel's SVD is used again, and for the second kernel the data's
   * projection on it — the same numbers, computed once.
   */
  reuse?: { compressed: CompressedProblem; k1: boolean; k2: boolean };
}

/** M·U2 of each compression (m1 × r2), for a later compression of the same data with the same second kernel. */
const dataOnU2 = new WeakMap<CompressedProblem, Float64Array>();

/** A solver's compressed problem: the one its caller already made (`compressed`), else made here with its σ. */
export function compressedFor(
  problem: Problem,
  options: { compressed?: CompressedProblem | undefined; sigma?: number | undefined },
): CompressedProblem {
  return options.compressed ?? compress(problem, options.sigma === undefined ? {} : { sigma: options.sigma });
}

export function compress(problem: Problem, options: CompressOptions = {}): CompressedProblem {
  const { k1, k2, data } = problem;
  const m1 = k1.rows;
  const m2 = k2.rows;
  if (data.length !== m1 * m2) throw new RangeError(`compress: data has ${data.length} values, expected ${m1}×${m2}`);
  const relTol = options.relTol ?? 1e-6;
  const reuse = options.reuse;
  const svd1 = reuse?.k1 ? reuse.compressed.svd1 : kernelSvd(k1, { relTol });
  const svd2 = reuse?.k2
    ? reuse.compressed.svd2
    : m2 === 1 && k2.cols === 1
      ? trivialSvd(k2.data[0]!)
      : kernelSvd(k2, { relTol });
  const r1 = svd1.rank;
  const r2 = svd2.rank;
  // M̃ = U1ᵀ (M U2): (m1 × m2)(m2 × r2) then (r1 × m1)
  const mu2 = (reuse?.k2 ? dataOnU2.get(reuse.compressed) : undefined) ?? matMul(data, svd2.u, m1, m2, r2);
  const full = matMulTransA(svd1.u, mu2, m1, r1, r2);
  const { sum2: dataNorm2, maxAbs } = squaresAndMaxAbs(data);
  let projNorm2 = 0;
  for (const v of full) projNorm2 += v * v;
  // Noise from what lies outside the signal subspace. Short acquisitions (a 1D IR curve of 32 delays) leave few
  // points outside the full-rank subspace, so the subspace is narrowed until ≥ MIN_NOISE_DOF points remain:
  // components below 1e-3 of the largest singular value carry < 1e-3 of the signal, far below the noise of any
  // SNR ≤ 1000 acquisition.
  let dof = m1 * m2 - r1 * r2;
  let outside = Math.max(dataNorm2 - projNorm2, 0);
  for (const tol of [1e-5, 1e-4, 1e-3, 1e-2]) {
    if (dof >= MIN_NOISE_DOF) break;
    const q1 = countAbove(svd1.s, tol);
    const q2 = countAbove(svd2.s, tol);
    let inside = 0;
    for (let i = 0; i < q1; i++) for (let j = 0; j < q2; j++) inside += full[i * r2 + j]! ** 2;
    dof = m1 * m2 - q1 * q2;
    outside = Math.max(dataNorm2 - inside, 0);
  }
  let sigma = options.sigma;
  const sigmaEstimated = sigma === undefined;
  if (sigma === undefined) {
    sigma = dof > 0 ? Math.sqrt(outside / dof) : 0;
    // Noiseless data (or too few points to tell) still need a scale for the regularisation.
    const floor = 1e-9 * Math.sqrt(dataNorm2 / (m1 * m2));
    if (!(sigma > floor)) sigma = floor;
  }
  // Bound on the amplitude a distribution can have (IR data reach −M0…M0; decays start at ≈ M0).
  const m0 = maxAbs * 2;
  const kappa = options.kappa ?? 0.1;
  const kept: number[] = [];
  let keptNorm2 = 0;
  for (let i = 0; i < r1; i++) {
    for (let j = 0; j < r2; j++) {
      if (svd1.s[i]! * svd2.s[j]! * m0 >= kappa * sigma) {
        kept.push(i * r2 + j);
        keptNorm2 += full[i * r2 + j]! ** 2;
      }
    }
  }
  // Strongest pairs first, so that "the pairs above a singular-value floor" is always a prefix.
  kept.sort((p, q) => svd1.s[Math.floor(q / r2)]! * svd2.s[q % r2]! - svd1.s[Math.floor(p / r2)]! * svd2.s[p % r2]!);
  const pairs = Int32Array.from(kept);
  const m = new Float64Array(pairs.length);
  pairs.forEach((p, idx) => (m[idx] = full[p]!));
  const compressed: CompressedProblem = {
    n1: k1.cols,
    n2: k2.cols,
    r1,
    r2,
    a1: scaledVt(svd1),
    a2: scaledVt(svd2),
    pairs,
    m,
    dataNorm2,
    floorNorm2: Math.max(dataNorm2 - keptNorm2, 0),
    dataMaxAbs: maxAbs,
    sigma,
    sigmaEstimated,
    points: m1 * m2,
    noiseDof: Math.max(dof, 0),
    svd1,
    svd2,
  };
  dataOnU2.set(compressed, mu2);
  return compressed;
}

/** Fewest points outside the signal subspace for a usable noise estimate. */
const MIN_NOISE_DOF = 20;

function countAbove(sv: Float64Array, tol: number): number {
  let k = 0;
  while (k < sv.length && sv[k]! >= tol * sv[0]!) k++;
  return k;
}

function trivialSvd(value: number): KernelSvd {
  const sign = value < 0 ? -1 : 1;
  return {
    rank: 1,
    s: new Float64Array([Math.abs(value)]),
    u: new Float64Array([sign]),
    v: new Float64Array([1]),
    rows: 1,
    cols: 1,
  };
}

/** S·Vᵀ as an r × n row-major matrix. */
function scaledVt(svd: KernelSvd): Float64Array {
  const { rank: r, cols: n, s, v } = svd;
  const out = new Float64Array(r * n);
  for (let i = 0; i < r; i++) for (let a = 0; a < n; a++) out[i * n + a] = s[i]! * v[a * r + i]!;
  return out;
}

/**
 * The same compressed problem on a subset of its pairs, e.g. without the components whose squared singular value
 * is so far below α that the regularised solution cannot use them. `droppedNorm2` (‖m̃‖² over the dropped pairs)
 * lets a caller keep residual bookkeeping over the full compressed space.
 */
export function restrictPairs(
  cp: CompressedProblem,
  keep: (pairIndex: number) => boolean,
): { cp: CompressedProblem; droppedNorm2: number; dropped: number } {
  const pairs: number[] = [];
  const m: number[] = [];
  let droppedNorm2 = 0;
  for (let p = 0; p < cp.pairs.length; p++) {
    if (keep(p)) {
      pairs.push(cp.pairs[p]!);
      m.push(cp.m[p]!);
    } else droppedNorm2 += cp.m[p]! * cp.m[p]!;
  }
  return {
    cp: { ...cp, pairs: Int32Array.from(pairs), m: Float64Array.from(m), floorNorm2: cp.floorNorm2 + droppedNorm2 },
    droppedNorm2,
    dropped: cp.pairs.length - pairs.length,
  };
}

/**
 * The noiseless data K1·F·K2ᵀ (m1 × m2) of a distribution, through the kernels' truncated SVDs:
 * U1·(A1·F·A2ᵀ)·U2ᵀ. The left-out singular components are below relTol (1e-6) of the largest, so this agrees with
 * forward2d to ~1e-6 of the signal — far inside any noise — at r2/n2 of its cost (m1·r2·m2 instead of m1·n2·m2
 * multiply-adds for the largest product; 3× fewer on a 48 × 4000 acquisition with a 64 × 64 grid).
 */
export function compressedFit(cp: CompressedProblem, f: Float64Array): Float64Array {
  const { n1, n2, r1, r2, a1, a2, svd1, svd2 } = cp;
  if (f.length !== n1 * n2) throw new RangeError(`compressedFit: distribution must be ${n1}×${n2}, got ${f.length}`);
  const x1 = matMul(a1, f, r1, n1, n2); // r1 × n2
  const x2 = matMulTransB(x1, a2, r1, n2, r2); // r1 × r2
  const y = matMul(svd1.u, x2, svd1.rows, r1, r2); // m1 × r2
  return matMulTransB(y, svd2.u, svd1.rows, r2, svd2.rows); // m1 × m2
}

/**
 * The same compressed problem on a grid with `factor`× fewer cells per axis, as a restriction of the fine one: a
 * coarse cell's value g spreads over its |B| fine cells as g/√|B| each, so A_coarse[i, B] = Σ_{a∈B} A[i, a]/√|B| and
 * ‖f‖ = ‖g‖. The coarse problem at α is therefore the fine problem at the same α restricted to block-constant maps:
 * same pairs, data, σ and dual variable, a residual at least the fine one's. Solvers use it to search for α cheaply
 * and then finish on the fine grid from the coarse dual. Axes with fewer than 2·factor cells are kept as they are.
 * (Linear interpolation between coarse nodes instead of blocks was tried: its residual stayed further above the fine
 * grid's at SNR ≥ 300.)
 */
export function coarsenGrid(cp: CompressedProblem, factor = 2): CompressedProblem {
  const axis = (a: Float64Array, r: number, n: number): [Float64Array, number] => {
    if (n < 2 * factor) return [a, n];
    const nc = Math.ceil(n / factor);
    const out = new Float64Array(r * nc);
    for (let i = 0; i < r; i++) {
      for (let b = 0; b < nc; b++) {
        const lo = b * factor;
        const hi = Math.min(lo + factor, n);
        let acc = 0;
        for (let x = lo; x < hi; x++) acc += a[i * n + x]!;
        out[i * nc + b] = acc / Math.sqrt(hi - lo);
      }
    }
    return [out, nc];
  };
  const [a1, n1] = axis(cp.a1, cp.r1, cp.n1);
  const [a2, n2] = axis(cp.a2, cp.r2, cp.n2);
  return { ...cp, a1, a2, n1, n2 };
}
