/**
 * The roughness operator and the locally adapted weights of UPEN (uniform-penalty regularisation), for a
 * distribution on an n1 × n2 grid (row-major; 1D is n2 = 1).
 *
 * Roughness: L = the discrete second difference along each grid axis with zero padding outside the grid
 * (1D: f[k−1] − 2f[k] + f[k+1]; 2D: the 5-point Laplacian). Zero padding makes L non-singular and discourages
 * amplitude piled against the grid edges, which lie beyond what the data can see anyway. L is symmetric.
 *
 * The penalty is ½·Σ_k λ_k·(Lf)_k², i.e. ½·fᵀ·P·f with P = L·diag(λ)·L.
 *
 * Each runs as WebAssembly where the kernels are built (src/wasm/kernels.ts), else as the TypeScript here: the same
 * numbers.
 */
import { wasmKernels } from '../wasm/kernels';

export interface UpenGrid {
  n1: number;
  n2: number;
}

/** out = L·f (zero-padded second differences; 2D: 5-point Laplacian). */
export function laplacian(grid: UpenGrid, f: Float64Array, out: Float64Array): Float64Array {
  const { n1, n2 } = grid;
  const kernels = wasmKernels();
  if (kernels) {
    const n = n1 * n2;
    const arena = kernels.arena(16 * n);
    const [fIn, result] = [arena.copy(f.subarray(0, n)), arena.f64(n)];
    kernels.exports.laplacian(n1, n2, fIn, result.offset);
    out.set(result.view);
    return out;
  }
  for (let a = 0; a < n1; a++) {
    const row = a * n2;
    for (let b = 0; b < n2; b++) {
      const k = row + b;
      const v = f[k]!;
      // along axis 1 (rows)
      let acc = (a > 0 ? f[k - n2]! : 0) + (a < n1 - 1 ? f[k + n2]! : 0) - 2 * v;
      if (n2 > 1) acc += (b > 0 ? f[k - 1]! : 0) + (b < n2 - 1 ? f[k + 1]! : 0) - 2 * v;
      out[k] = acc;
    }
  }
  return out;
}

/**
 * Penalty operator P = L·diag(λ)·L applied to v. `work` (length n) is scratch space.
 */
export function applyPenalty(
  grid: UpenGrid,
  lambda: Float64Array,
  v: Float64Array,
  out: Float64Array,
  work: Float64Array,
): Float64Array {
  const kernels = wasmKernels();
  if (kernels) {
    const n = grid.n1 * grid.n2;
    const arena = kernels.arena(32 * n);
    const [lambdaIn, vIn] = [arena.copy(lambda.subarray(0, n)), arena.copy(v.subarray(0, n))];
    const [result, scratch] = [arena.f64(n), arena.scratch(8 * n)];
    kernels.exports.applyPenalty(grid.n1, grid.n2, lambdaIn, vIn, result.offset, scratch);
    out.set(result.view);
    return out;
  }
  laplacian(grid, v, work);
  for (let k = 0; k < work.length; k++) work[k]! *= lambda[k]!;
  return laplacian(grid, work, out);
}

/** diag(P)_k = Σ_j λ_j·L[j,k]², for the Jacobi part of preconditioners. */
export function penaltyDiagonal(grid: UpenGrid, lambda: Float64Array, out: Float64Array): Float64Array {
  const { n1, n2 } = grid;
  const kernels = wasmKernels();
  if (kernels) {
    const n = n1 * n2;
    const arena = kernels.arena(16 * n);
    const [lambdaIn, result] = [arena.copy(lambda.subarray(0, n)), arena.f64(n)];
    kernels.exports.penaltyDiagonal(n1, n2, lambdaIn, result.offset);
    out.set(result.view);
    return out;
  }
  const centre = n2 > 1 ? 16 : 4; // L[k,k]² = (−4)² in 2D, (−2)² in 1D
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      let acc = centre * lambda[k]!;
      if (a > 0) acc += lambda[k - n2]!;
      if (a < n1 - 1) acc += lambda[k + n2]!;
      if (n2 > 1) {
        if (b > 0) acc += lambda[k - 1]!;
        if (b < n2 - 1) acc += lambda[k + 1]!;
      }
      out[k] = acc;
    }
  }
  return out;
}

export interface UpenWeightParameters {
  /** Compliance floor β0, relative to (max f)² (dimensionless). */
  beta0: number;
  /** Weight of the squared slope βp (dimensionless). */
  betaP: number;
  /** Weight of the squared curvature βc (dimensionless). */
  betaC: number;
}

/**
 * UPEN weights λ_k = E / (n · (β0·F² + βp·max p² + βc·max c²)), maxima over the 3-point (1D) or 3 × 3 (2D)
 * neighbourhood of k, with p the slope (central differences; 2D: squared gradient magnitude), c = (Lf)_k the
 * curvature, F = max f the amplitude scale that makes the β dimensionless, E the residual energy the penalty is
 * balanced against, n the number of grid points. The neighbourhood maximum keeps a peak's flanks and top from
 * being smoothed more than the peak as a whole — a peak's curvature changes sign on its flanks.
 * `work` needs 3·n scratch values.
 */
export function upenWeights(
  grid: UpenGrid,
  f: Float64Array,
  energy: number,
  params: UpenWeightParameters,
  out: Float64Array,
  work: Float64Array,
): Float64Array {
  const { n1, n2 } = grid;
  const n = n1 * n2;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(40 * n);
    const [fIn, result, scratch] = [arena.copy(f.subarray(0, n)), arena.f64(n), arena.scratch(24 * n)];
    const { beta0, betaP, betaC } = params;
    kernels.exports.upenWeights(n1, n2, fIn, energy, beta0, betaP, betaC, result.offset, scratch);
    out.set(result.view);
    return out;
  }
  const curv = work.subarray(0, n);
  const loc = work.subarray(n, 2 * n);
  const tmp = work.subarray(2 * n, 3 * n);
  laplacian(grid, f, curv);
  let fMax = 0;
  for (let k = 0; k < n; k++) if (f[k]! > fMax) fMax = f[k]!;
  const scale2 = fMax > 0 ? fMax * fMax : 1;
  // Local roughness βp·p² + βc·c² per point.
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      const up = a > 0 ? f[k - n2]! : 0;
      const down = a < n1 - 1 ? f[k + n2]! : 0;
      let p2 = 0.25 * (down - up) ** 2;
      if (n2 > 1) {
        const left = b > 0 ? f[k - 1]! : 0;
        const right = b < n2 - 1 ? f[k + 1]! : 0;
        p2 += 0.25 * (right - left) ** 2;
      }
      loc[k] = params.betaP * p2 + params.betaC * curv[k]! ** 2;
    }
  }
  // Neighbourhood maximum, separably: along axis 2, then along axis 1.
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      let m = loc[k]!;
      if (b > 0 && loc[k - 1]! > m) m = loc[k - 1]!;
      if (b < n2 - 1 && loc[k + 1]! > m) m = loc[k + 1]!;
      tmp[k] = m;
    }
  }
  const floor = params.beta0 * scale2;
  const numerator = energy / n;
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      const k = a * n2 + b;
      let m = tmp[k]!;
      if (a > 0 && tmp[k - n2]! > m) m = tmp[k - n2]!;
      if (a < n1 - 1 && tmp[k + n2]! > m) m = tmp[k + n2]!;
      out[k] = numerator / (floor + m);
    }
  }
  return out;
}
