import { createRng } from '../simulate/rng';
import { boundedQuadratic, gramDiagonal } from '../numerics/boundedQuadratic';
import { freeSetSolver, type FreeSetSolver } from '../numerics/freeSetSolve';
import { compressedFit, compressedFor, type CompressedProblem } from '../numerics/compress';
import { compressedOperator, type CompressedOperator } from '../numerics/compressedOperator';
import { finishResult } from './finishResult';
import { solveTikhonovAtSeed, solveTikhonovCompressed } from './iltTikhonov';
import type { CommonSolverOptions, Problem, SolverResult } from './types';
import { applyPenalty, penaltyDiagonal, upenWeights } from './upenPenalty';
import { addScaled, clipPositive, geometricMeanInPlace, residualEnergy } from '../numerics/dataSums';
import { wasmKernels } from '../wasm/kernels';

/**
 * UPEN — uniform-penalty regularisation (Borgia, Brown & Fantazzini, J. Magn. Reson. 132 (1998) 65 and 147 (2000)
 * 273; 2D: Bortolotti et al., 2DUPEN / MUPen2D) in the SVD-compressed space:
 * min_{f ≥ 0} ½‖K̃f − m̃‖² + ½·Σ_k λ_k·(Lf)_k², L the zero-padded second difference, with the local weights λ_k
 * (solvers/upenPenalty.ts) and the residual energy E iterated to a common fixed point, each update one primal–dual
 * active-set step solved exactly on the free set (numerics/freeSetSolve.ts). The rule, its defaults and how they
 * were chosen: docs/physics.md, "upen" and "UPEN in detail". `alpha` in the result is the mean weight Σλ_k/n;
 * `iterations` counts weight updates.
 */
export interface UpenOptions extends CommonSolverOptions {
  /** Compliance floor β0, relative to (max f)² (default 1e-3). */
  beta0?: number;
  /** Slope weight βp (default 0.1). */
  betaP?: number;
  /** Curvature weight βc (default 0.1). */
  betaC?: number;
  /** Residual energy E in the weights: 'residual' (default, UPEN feedback), 'noise' (s·σ̂²) or a fixed number. */
  energy?: 'residual' | 'noise' | number;
  /** Weight updates at most (default 100). */
  maxIterations?: number;
  /** Stop when f changes by less than this, relative, between weight updates (default 1e-3). */
  tolerance?: number;
  /** Largest free set solved by dense Cholesky (~|F|²·s/2 + |F|³/3 flops); larger ones use projected Newton–CG
   * (default 1000). */
  maxDenseFree?: number;
  compressed?: CompressedProblem;
  /**
   * Where the iteration starts: non-negative Tikhonov at the discrepancy α (`discrepancy`), or at the closed-form α of
   * the unconstrained problem (`seed`, solveTikhonovAtSeed) — UPEN's energy feedback sets the smoothing either way.
   * Default: `seed` for 2D maps, where the discrepancy search is most of the cost; `discrepancy` in 1D, where it costs
   * milliseconds (docs/physics.md, "UPEN in detail").
   */
  start?: 'discrepancy' | 'seed';
}

export function iltUpen(problem: Problem, options: UpenOptions = {}): SolverResult {
  const t0 = performance.now();
  const beta0 = options.beta0 ?? 1e-3;
  const betaP = options.betaP ?? 0.1;
  const betaC = options.betaC ?? 0.1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-3;
  const energyRule = options.energy ?? 'residual';
  if (!(beta0 > 0) || !(betaP >= 0) || !(betaC >= 0)) {
    throw new RangeError(`iltUpen: need beta0 > 0, betaP ≥ 0, betaC ≥ 0; got ${beta0}, ${betaP}, ${betaC}`);
  }
  if (typeof energyRule === 'number' && !(energyRule > 0)) {
    throw new RangeError(`iltUpen: a fixed energy must be > 0, got ${energyRule}`);
  }
  const warnings: string[] = [];
  const full = compressedFor(problem, options);
  if (full.m.length === 0) throw new RangeError('iltUpen: the data carry no signal above the noise');
  // Start from non-negative Tikhonov (at the discrepancy α, or in 2D at the closed-form seed α: see `start`): near
  // the noise and with the right support, so the active set needs few corrections. Its solve leaves out the
  // components far below α (σ_k² < 3e-2·α).
  // On 2D maps UPEN works on the same reduced set — 2.6× fewer rows for every operator pass and dense solve, CPU
  // 0.4–0.8 s instead of 0.75–1.05 s, map errors unchanged (0.084 vs 0.086 …) — and counts their data as fixed
  // residual. 1D problems are cheap either way and keep every component: a narrow peak beside a broad one came
  // out measurably better with them (map error 0.35 vs 0.40).
  const startRule = options.start ?? (full.n2 > 1 ? 'seed' : 'discrepancy');
  const start =
    startRule === 'seed'
      ? solveTikhonovAtSeed(problem, { compressed: full })
      : solveTikhonovCompressed(problem, { compressed: full });
  warnings.push(...start.warnings);
  const { cp, op } = full.n2 > 1 ? start : { cp: full, op: compressedOperator(full) };
  const droppedNorm2 = Math.max(cp.floorNorm2 - full.floorNorm2, 0);
  const s = cp.m.length;
  const n = op.n;
  const grid = { n1: cp.n1, n2: cp.n2 };
  const noiseEnergy = full.m.length * full.sigma * full.sigma;
  const f = Float64Array.from(start.solution.f);
  const fPos = new Float64Array(n);
  const kf = new Float64Array(s);
  // ‖K̃x − m̃‖² (kf is left holding K̃x)
  const residualOf = (x: Float64Array): number => residualEnergy(cp.m, op.apply(x, kf)).rr;

  const lambda = new Float64Array(n);
  const work = new Float64Array(3 * n);
  const penaltyWork = new Float64Array(n);
  const kDiag = gramDiagonal(cp, new Float64Array(n));
  const penalty = {
    diagonal: new Float64Array(n),
    apply: (v: Float64Array, out: Float64Array) => applyPenalty(grid, lambda, v, out, penaltyWork),
  };
  const dense = freeSetSolver(op, cp.m, grid, options.maxDenseFree ?? 1000);
  const g = new Float64Array(n);
  const pf = new Float64Array(n);
  const free = new Uint8Array(n);
  const previous = new Float64Array(n);
  const previousLambda = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  let iterativeSteps = 0;
  for (; iterations < maxIterations; iterations++) {
    clipPositive(f, fPos);
    // E from the iterate itself (signed): right after an active-set step the clipped iterate can fit much worse
    // than the step did, and feeding that misfit back inflates every weight for no reason.
    const residual2 = residualOf(f) + droppedNorm2;
    const energy = energyRule === 'residual' ? residual2 : energyRule === 'noise' ? noiseEnergy : energyRule;
    previousLambda.set(lambda);
    upenWeights(grid, fPos, energy, { beta0, betaP, betaC }, lambda, work);
    // Damped update (geometric mean with the previous weights): the weights follow the curvature of a solution that
    // is itself still moving, and taken undamped they flip between neighbouring states; damping halved the number
    // of updates on T1–T2 maps.
    if (iterations > 0) geometricMeanInPlace(lambda, previousLambda);
    penaltyDiagonal(grid, lambda, penalty.diagonal);
    // One primal–dual active-set step (Hintermüller, Ito & Kunisch 2003) per weight update: predict the active
    // set from the signed iterate, A = {k : f_k − g_k/H_kk ≤ 0} with g = Hf − K̃ᵀm̃, and solve exactly on the
    // rest. At a fixed point the prediction repeats, so f_F > 0 and g_A ≥ 0: the KKT conditions of the
    // non-negative problem for the final weights.
    // kf still holds K̃f from residualOf(f) above
    addScaled(kf, -1, cp.m);
    op.applyT(kf, g);
    penalty.apply(f, pf);
    // The support may grow by at most one ring of cells per update: the first weights, computed from the
    // Tikhonov start, would otherwise free a thousand cells at once (slow to factorise) and send the iteration to
    // a different, worse fixed point (measured: map error vs truth 0.58 instead of 0.2 on one seeded T1–T2 case).
    const changedSet = predictFreeSet(grid, f, g, pf, kDiag, penalty.diagonal, free);
    previous.set(f);
    if (!dense.solve(free, lambda, f)) {
      // Too many free cells for a dense factorisation (a very broad map): projected Newton–CG instead.
      for (let k = 0; k < n; k++) if (!(f[k]! > 0)) f[k] = 0;
      boundedQuadratic(op, cp.m, kDiag, penalty, f, { maxIterations: 3, maxCg: 200 });
      iterativeSteps++;
    }
    const { change, size, negative, positive, freeCount } = progress(f, previous, free);
    // Settled: the map moves by less than the tolerance, the active set by at most 1 % of the support (its edge,
    // where the values are tiny, can creep by a cell per update for a long time), and what clipping removes is
    // negligible.
    if (
      Math.sqrt(change / Math.max(size, 1e-300)) <= tolerance &&
      changedSet <= Math.max(0.01 * freeCount, 0) &&
      negative <= 1e-3 * positive
    ) {
      converged = true;
      iterations++;
      break;
    }
  }
  clipPositive(f);
  if (iterativeSteps > 0) warnings.push(`upen: ${iterativeSteps} steps used the iterative solver (large support)`);
  if (!converged) warnings.push(`upen: weights had not settled after ${maxIterations} updates`);
  let meanLambda = 0;
  for (const v of lambda) meanLambda += v;
  meanLambda /= n;
  const elapsedMs = performance.now() - t0;
  const fitted = compressedFit(full, f);
  return finishResult(problem, {
    method: 'upen',
    distribution: f,
    fitted,
    sigma: full.sigma,
    alpha: meanLambda,
    alphaRule:
      `upen (energy ${typeof energyRule === 'number' ? 'fixed' : energyRule}, beta0 ${beta0}, betaP ${betaP}, betaC ${betaC}` +
      `${startRule === 'seed' ? ', seed start' : ''})`,
    iterations,
    compressedSize: s,
    warnings,
    elapsedMs,
    resample: upenResampler(
      op,
      Float64Array.from(f),
      dense,
      Uint8Array.from(free),
      Float64Array.from(lambda),
      full.sigma,
    ),
  });
}

/**
 * Draws for the parametric bootstrap (analysis/peakUncertainty) in the compressed space (white noise, same σ): data
 * drawn around the fit, K̃f̂ + σ·z, solved exactly on the final free set with the final weights λ, clipped at zero —
 * the solution's linear response to the noise at the regularisation UPEN settled on. The free-set system is factored
 * once; each draw is then one K̃ᵀ application and two triangular solves.
 */
function upenResampler(
  op: CompressedOperator,
  fitted: Float64Array,
  dense: FreeSetSolver,
  free: Uint8Array,
  lambda: Float64Array,
  sigma: number,
): NonNullable<SolverResult['resample']> {
  let solve: ReturnType<FreeSetSolver['factorise']> | null = null;
  return (count, seed, centre) => {
    if (centre && centre.length !== fitted.length)
      throw new RangeError('resample: centre must lie on the solution grid');
    // The free set and weights are fixed, so the system is factored once, on first use, for every draw.
    if (solve === null) solve = dense.factorise(free, lambda);
    if (!solve) return [];
    // Draws are centred on the fit (or on `centre`): K̃ᵀ(K̃f̂ + σz) = K̃ᵀK̃f̂ + K̃ᵀσz.
    const bFit = Float64Array.from(op.applyT(Float64Array.from(op.apply(centre ?? fitted))));
    const rng = createRng(seed);
    const maps: Float64Array[] = [];
    const z = new Float64Array(op.s);
    const rhs = new Float64Array(bFit.length);
    for (let r = 0; r < count; r++) {
      for (let p = 0; p < z.length; p++) z[p] = sigma * rng.normal();
      // only the right-hand side of the free-set system changes
      const kz = op.applyT(z);
      rhs.set(bFit);
      addScaled(rhs, 1, kz);
      const f = new Float64Array(lambda.length);
      solve(rhs, f);
      clipPositive(f);
      maps.push(f);
    }
    return maps;
  };
}

/**
 * One primal–dual active-set prediction into `free` (1: free), a cell joining only in or next to the support; returns
 * how many cells changed. In WebAssembly where the kernels are built (src/wasm/kernels.ts): the same cells.
 */
function predictFreeSet(
  grid: { n1: number; n2: number },
  f: Float64Array,
  g: Float64Array,
  pf: Float64Array,
  kDiag: Float64Array,
  pDiag: Float64Array,
  free: Uint8Array,
): number {
  const n = f.length;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(40 * n + n + 64);
    const [fIn, gIn, pfIn, kIn, pIn] = [
      arena.copy(f),
      arena.copy(g),
      arena.copy(pf),
      arena.copy(kDiag),
      arena.copy(pDiag),
    ];
    const freeIn = arena.u8(n);
    freeIn.view.set(free);
    const changed = kernels.exports.upenFreeSet(grid.n1, grid.n2, fIn, gIn, pfIn, kIn, pIn, freeIn.offset);
    free.set(freeIn.view);
    return changed;
  }
  let changed = 0;
  for (let k = 0; k < n; k++) {
    const h = kDiag[k]! + pDiag[k]!;
    let next = f[k]! - (g[k]! + pf[k]!) / h > 0 ? 1 : 0;
    if (next && !(f[k]! > 0) && !touchesSupport(grid, f, k)) next = 0;
    if (next !== free[k]) changed++;
    free[k] = next;
  }
  return changed;
}

/** How far an update moved the map (Σ(f − previous)², Σf²), the mass clipping removes and keeps, the free cells. */
function progress(f: Float64Array, previous: Float64Array, free: Uint8Array) {
  const n = f.length;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(16 * n + n + 64);
    const [fIn, previousIn] = [arena.copy(f), arena.copy(previous)];
    const freeIn = arena.u8(n);
    freeIn.view.set(free);
    const out = arena.f64(5);
    kernels.exports.upenProgress(fIn, previousIn, freeIn.offset, n, out.offset);
    const [change, size, negative, positive, freeCount] = out.view;
    return { change: change!, size: size!, negative: negative!, positive: positive!, freeCount: freeCount! };
  }
  let change = 0;
  let size = 0;
  let negative = 0;
  let positive = 0;
  let freeCount = 0;
  for (let k = 0; k < n; k++) {
    change += (f[k]! - previous[k]!) ** 2;
    size += f[k]! ** 2;
    if (f[k]! < 0) negative -= f[k]!;
    else positive += f[k]!;
    freeCount += free[k]!;
  }
  return { change, size, negative, positive, freeCount };
}

/** Whether a cell has a positive neighbour (8-neighbourhood in 2D, 2 in 1D). */
function touchesSupport(grid: { n1: number; n2: number }, f: Float64Array, k: number): boolean {
  const { n1, n2 } = grid;
  const a = Math.floor(k / n2);
  const b = k % n2;
  for (let da = -1; da <= 1; da++) {
    const aa = a + da;
    if (aa < 0 || aa >= n1) continue;
    for (let db = -1; db <= 1; db++) {
      const bb = b + db;
      if (bb < 0 || bb >= n2 || (da === 0 && db === 0)) continue;
      if (f[aa * n2 + bb]! > 0) return true;
    }
  }
  return false;
}
