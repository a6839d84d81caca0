/**
 * Peak (population) finding on 1D and 2D relaxation/diffusion distributions.
 *
 * A population is a connected region (8-connectivity in 2D by default) of cells above a small threshold. A region
 * holding several maxima is split along its saddles by a flooding watershed: cells are visited from the highest
 * down; a cell touching two basins is a saddle between them, and the basins stay apart only when the saddle is
 * clearly lower than both maxima (saddle < saddleRatio · smaller maximum) AND both basins already carry a real
 * share of the signal (≥ minSplitFraction of the total). Otherwise they merge. The second condition is what makes
 * noise ripples harmless: a ripple on the tail of a broad population can dip deep relative to its own tiny
 * maximum, but the bump it makes holds a negligible mass, so it stays part of the population instead of stealing
 * mass from it. Below the saddle, each cell joins the basin of its highest neighbour (steepest ascent), which draws
 * the split line along the valley floor.
 *
 * Amplitudes are cell values (the discretised-inversion convention: data = K · f sums them), so a region's integral
 * is the sum of its cells; negative values (ripples of unconstrained solvers) are clipped to zero.
 * The total is the whole non-negative mass of the map: cells below the threshold and populations too small to list
 * still count, so listed fractions sum to ≤ 1.
 */
import { positivePart } from '../numerics/dataSums';
import { checkDistribution, checkGrid } from './validate';
import type { Peak } from './types';
import { watershedRegions } from './watershed';

export interface FindPeaksOptions {
  /**
   * Cells at or below threshold × (global maximum) belong to no population (default 0.005). Low enough that a
   * broad minor population (a few % of the signal, spread 3× wider than the main one) stays above it; the tails
   * it cuts off hold ~0.1 % of a log-normal's mass.
   */
  threshold?: number;
  /**
   * Two maxima are separate populations only if the saddle between them is below saddleRatio × the smaller maximum
   * (default 0.7). Two equal log-normals of width σ (decades) reach a saddle of 0.7 × their maximum when ≈ 2.9σ
   * apart: a ~30 % dip, a little stricter than the Rayleigh criterion (26.5 % dip), far deeper than noise ripples
   * or regularisation wiggles (a few %), and still shallow enough that peaks resolved by eye are split.
   */
  saddleRatio?: number;
  /** Populations with a smaller share of the total are not listed (default 0.01); their mass still counts. */
  minFraction?: number;
  /**
   * A basin is split off at a saddle only if both sides hold at least this share of the total when they meet
   * (default 0.01, independent of minFraction so that listing smaller populations does not let ripples split
   * off). See the module comment.
   */
  minSplitFraction?: number;
  /** 2D neighbourhood: 8 (default, diagonals connect) or 4. Ignored in 1D. */
  connectivity?: 4 | 8;
  /**
   * A peak's SNR in data space from its cells (@lapis/physics `peakDataSnr`: ‖K·f_P‖/σ). When given, each listed peak
   * carries it as `dataSnr`, and peaks below `minDataSnr` are not listed — the data do not show them, whatever
   * fraction the map gives them (a warning names each one; its mass stays in the total).
   */
  dataSnr?: (region: Int32Array) => number;
  /** Least data SNR of a listed peak when `dataSnr` is given (default 5: a 5σ signal summed over the data). */
  minDataSnr?: number;
}

export interface FindPeaksResult {
  /** Listed populations, largest fraction first. */
  peaks: Peak[];
  /** The total non-negative integral of the distribution (data units) that fractions refer to. */
  total: number;
  /** Share of the total not in any listed peak (sub-threshold cells and populations below minFraction). */
  unlistedFraction: number;
  warnings: string[];
}

/** Height (relative to the peak's own) at the grid edge above which a peak is flagged `atEdge`. */
const EDGE_LEVEL = 0.1;

/**
 * @param distribution 1D (n) or 2D (n1 × n2, row-major, rows along axis 0) amplitudes on the grid.
 * @param axes one grid per dimension (SI), positive and strictly monotonic, log-spaced as a rule.
 */
export function findPeaks(
  distribution: Float64Array,
  axes: Float64Array[],
  options: FindPeaksOptions = {},
): FindPeaksResult {
  const fn = 'findPeaks';
  checkDistribution(fn, distribution);
  if (!Array.isArray(axes) || (axes.length !== 1 && axes.length !== 2)) {
    throw new TypeError(`${fn}: axes must be an array of one or two grids`);
  }
  axes.forEach((g, k) => checkGrid(fn, `axes[${k}]`, g));
  const n1 = axes[0]!.length;
  const n2 = axes.length === 2 ? axes[1]!.length : 1;
  if (distribution.length !== n1 * n2) {
    throw new RangeError(
      `${fn}: distribution has ${distribution.length} values, the axes need ${axes.map((a) => a.length).join(' × ')} = ${n1 * n2}`,
    );
  }
  const threshold = options.threshold ?? 0.005;
  const saddleRatio = options.saddleRatio ?? 0.7;
  const minFraction = options.minFraction ?? 0.01;
  const minSplitFraction = options.minSplitFraction ?? 0.01;
  const connectivity = options.connectivity ?? 8;
  if (!(threshold >= 0 && threshold < 1)) throw new RangeError(`${fn}: threshold must be in [0, 1), got ${threshold}`);
  if (!(saddleRatio > 0 && saddleRatio <= 1)) {
    throw new RangeError(`${fn}: saddleRatio must be in (0, 1], got ${saddleRatio}`);
  }
  if (!(minFraction >= 0 && minFraction <= 1)) {
    throw new RangeError(`${fn}: minFraction must be in [0, 1], got ${minFraction}`);
  }
  if (!(minSplitFraction >= 0 && minSplitFraction <= 1)) {
    throw new RangeError(`${fn}: minSplitFraction must be in [0, 1], got ${minSplitFraction}`);
  }
  if (connectivity !== 4 && connectivity !== 8) throw new RangeError(`${fn}: connectivity must be 4 or 8`);

  const warnings: string[] = [];
  const v = new Float64Array(distribution.length);
  const { total, negative, max: gmax } = positivePart(distribution, v);
  if (negative > 0.01 * total) {
    warnings.push(
      `${fn}: the distribution has negative values (${((100 * negative) / Math.max(total, Number.MIN_VALUE)).toFixed(1)} % of the positive mass); they were clipped to zero`,
    );
  }
  if (!(gmax > 0)) {
    warnings.push(`${fn}: the distribution has no positive mass; no peaks`);
    return { peaks: [], total: 0, unlistedFraction: 0, warnings };
  }

  const regions = watershedRegions(v, n1, n2, {
    level: threshold * gmax,
    saddleRatio,
    minSplitMass: minSplitFraction * total,
    diagonals: connectivity === 8,
  });

  const logs = axes.map((g) => Float64Array.from(g, (y) => Math.log10(y)));

  const minDataSnr = options.minDataSnr ?? 5;
  if (!(minDataSnr >= 0)) throw new RangeError(`${fn}: minDataSnr must be ≥ 0, got ${minDataSnr}`);
  const peaks: Peak[] = [];
  let listed = 0;
  for (const cells of regions) {
    const peak = describeRegion(cells, v, n1, n2, axes, logs, total);
    if (peak.fraction < minFraction) continue;
    const dataSnr = options.dataSnr?.(peak.region);
    if (dataSnr !== undefined && Number.isFinite(dataSnr)) {
      peak.dataSnr = dataSnr;
      if (!(dataSnr >= minDataSnr)) {
        const where = peak.position.map((y) => y.toPrecision(3)).join(', ');
        warnings.push(
          `${fn}: a population at (${where}) with fraction ${peak.fraction.toFixed(3)} is not listed: its signal in the data is ${dataSnr.toPrecision(2)}σ (< ${minDataSnr}σ), so the data do not show it — its fraction is extrapolated through the kernel (e.g. shorter than the first echo)`,
        );
        continue;
      }
    }
    peaks.push(peak);
    listed += peak.fraction;
  }
  peaks.sort((a, b) => b.fraction - a.fraction || a.maxIndex - b.maxIndex);
  for (const p of peaks) {
    if (p.atEdge) {
      const where = p.position.map((y) => y.toPrecision(3)).join(', ');
      warnings.push(
        `${fn}: the peak at (${where}) with fraction ${p.fraction.toFixed(3)} reaches the edge of the grid; it may continue beyond it, so its position and fraction are biased`,
      );
    }
  }
  return { peaks, total, unlistedFraction: Math.max(0, 1 - listed), warnings };
}

/**
 * A region of cells of the distribution (any set, connected or not) described as findPeaks describes its peaks —
 * log-space centroid, width, extent, edge flag — with its fraction of `total`. For listings that join regions, e.g.
 * two peaks of the map that the data show as one population (the merge test of `inversionPeaks`).
 */
export function describePeak(
  distribution: Float64Array,
  axes: Float64Array[],
  cells: ArrayLike<number>,
  total: number,
): Peak {
  const n1 = axes[0]!.length;
  const n2 = axes.length === 2 ? axes[1]!.length : 1;
  const v = Float64Array.from(distribution, (f) => (f > 0 ? f : 0));
  const logs = axes.map((g) => Float64Array.from(g, (y) => Math.log10(y)));
  return describeRegion(Array.from(cells), v, n1, n2, axes, logs, total);
}

function describeRegion(
  cells: ArrayLike<number> & Iterable<number>,
  v: Float64Array,
  n1: number,
  n2: number,
  axes: Float64Array[],
  logs: Float64Array[],
  total: number,
): Peak {
  const dims = axes.length;
  let mass = 0;
  let height = -1;
  let maxIndex = -1;
  const lo = [Infinity, Infinity];
  const hi = [-1, -1];
  const sum = [0, 0];
  for (const c of cells) {
    const f = v[c]!;
    const idx = [Math.floor(c / n2), c % n2];
    mass += f;
    if (f > height) {
      height = f;
      maxIndex = c;
    }
    for (let a = 0; a < dims; a++) {
      const k = idx[a]!;
      sum[a]! += f * logs[a]![k]!;
      if (k < lo[a]!) lo[a] = k;
      if (k > hi[a]!) hi[a] = k;
    }
  }
  const centre = sum.slice(0, dims).map((s) => s / mass);
  // Second pass for the spread: centred sums avoid cancellation when log10 y is large (e.g. D ~ 1e-9 m²/s).
  const m2 = [0, 0];
  let atEdge = false;
  const last = [n1 - 1, n2 - 1];
  for (const c of cells) {
    const f = v[c]!;
    const idx = [Math.floor(c / n2), c % n2];
    for (let a = 0; a < dims; a++) {
      const d = logs[a]![idx[a]!]! - centre[a]!;
      m2[a]! += f * d * d;
      if ((idx[a] === 0 || idx[a] === last[a]) && f >= EDGE_LEVEL * height && last[a]! > 0) atEdge = true;
    }
  }
  const region = Int32Array.from(cells).sort();
  return {
    position: centre.map((x) => 10 ** x),
    fraction: mass / total,
    amplitude: mass,
    height,
    maxIndex,
    extent: axes.map((g, a) => {
      const y1 = g[lo[a]!]!;
      const y2 = g[hi[a]!]!;
      return [Math.min(y1, y2), Math.max(y1, y2)] as [number, number];
    }),
    widthDecades: m2.slice(0, dims).map((s) => Math.sqrt(s / mass)),
    region,
    atEdge,
  };
}
