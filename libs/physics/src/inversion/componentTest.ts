/**
 * Does a peak of the map hold two populations? A regularised map merges populations closer than its smoothing can
 * separate — at SNR 300–1000 pairs 0.3–0.5 decade apart, even where the data leave no doubt that there are two. This
 * test asks the data directly, with a parametric model fitted in the compressed space of the inversion:
 *
 * - null: one log-normal component per listed peak (a Gaussian in log10 of each axis, in 2D with a tilt for correlated
 *   T1–T2 or D–T2 populations), fitted jointly by Levenberg–Marquardt;
 * - alternative, per candidate peak: the same with that peak's component replaced by two, started along its major
 *   axis.
 *
 * The peak is reported as two populations when the two components fit the data better by at least `minDeltaChi2`
 * (χ² in units of σ², default 25: the split adds 3 (1D) or 6 (2D) free parameters, and a χ² gain that large arises
 * by chance with probability ≈ 1e-4 (2D) or less; σ² is replaced by the split model's residual variance where that
 * is larger — an F-test — so that data the log-normal model cannot describe give no false evidence), each carries at least `minComponentFraction` of the total, and
 * their centres lie at least `minSeparation` (default 1.5) apart in units of their own widths along the line joining
 * them — so a skewed single population, which two heavily overlapping components can also fit better, stays one peak.
 * It needs σ̂ (the discrepancy rule's noise estimate) and log-normal-like populations; it changes only the peak list,
 * never the map, and every split peak says so (`split.deltaChi2`).
 *
 * Measured before it was switched on (docs/physics.md): on the 2D suites of bench:physics (two seeds) no true
 * population was split, and 12 of the 30 pairs the maps had merged were found, positions within 0.01–0.12 decade;
 * on bench:dl's equal pairs 0.3–0.5 decade apart, every case at SNR 300–1000 (18/18, was 8/18). MUPen2D's measured
 * cement T1–T2 map (five peaks, SNR ≈ 10⁴) keeps its five.
 */
import type { Peak } from '../analysis/types';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky';
import type { CompressedProblem } from './compress';

export interface ComponentTestOptions {
  /** Least χ² gain (units of σ²) of two components over one (default 25). */
  minDeltaChi2?: number;
  /** Peaks holding a smaller share of the total are not tested (default 0.1). */
  minCandidateFraction?: number;
  /** Least share of the total each of the two populations must hold (default 0.05). */
  minComponentFraction?: number;
  /** Least distance between the two centres in units of their widths along the line joining them (default 1.5). */
  minSeparation?: number;
  /** At most this many peaks are split (default 2), the strongest evidence first. */
  maxSplits?: number;
  /**
   * The inversion efficiency β the inversion estimated for an inversion-recovery first axis. Given, every fit also
   * fits an offset of β (within ±0.1) as a nuisance parameter: an estimate a few thousandths off leaves a misfit that a
   * second component would otherwise take up (measured: false splits of single populations, Δχ² 26–168σ², on
   * simulated IR–CPMG data at SNR ≈ 800 with β 0.93 estimated as 0.927 and 0.938).
   */
  irBeta?: number;
}

export interface ComponentTestResult {
  /** The peaks, with each split one replaced by its two populations; largest fraction first. */
  peaks: Peak[];
  /** One line per split peak (for warnings / provenance). */
  notes: string[];
  /** Peaks tested. */
  tested: number;
  elapsedMs: number;
}

interface Component {
  /** Per axis: centre (log10 SI), log of (width − minimum width), then tilt (2D), then log amplitude. */
  theta: Float64Array;
}

const MAX_ITERATIONS = 40;

/** Indices of the peaks the test examines: those holding ≥ minCandidateFraction, not at the grid edge. */
export function componentCandidates(peaks: readonly Peak[], options: ComponentTestOptions = {}): number[] {
  const minCandidate = options.minCandidateFraction ?? 0.1;
  return peaks.flatMap((p, k) => (p.fraction >= minCandidate && !p.atEdge ? [k] : []));
}

export function componentTest(
  cp: CompressedProblem,
  grids: Float64Array[],
  peaks: Peak[],
  total: number,
  options: ComponentTestOptions = {},
): ComponentTestResult {
  const t0 = performance.now();
  const minDelta = options.minDeltaChi2 ?? 25;
  const minShare = options.minComponentFraction ?? 0.05;
  const minSeparation = options.minSeparation ?? 1.5;
  const maxSplits = options.maxSplits ?? 2;
  const model = new ComponentModel(cp, grids, options.irBeta);
  const sigma2 = cp.sigma * cp.sigma;
  const candidates = componentCandidates(peaks, options);
  const none = (): ComponentTestResult => ({ peaks, notes: [], tested: 0, elapsedMs: performance.now() - t0 });
  if (candidates.length === 0 || !(sigma2 > 0) || !(total > 0)) return none();

  // Only the listed peaks are modelled: holding the rest of the map fixed (its sub-threshold tails) counted each
  // population's tails twice — the component carries its own — and split single log-normals broad in T2 (Δχ² 33–74
  // on the held-out suite); without it those stayed one peak and every merged pair was still found.
  const target = cp.m;

  let current = peaks.map((p) => model.fromPeak(p));
  let owner = peaks.map((_, k) => k); // which listed peak each component stands for
  // χ² to a tenth of σ² is plenty for a test whose threshold is tens of σ².
  let fit = model.fit(target, current, 0.1 * sigma2);
  // (real data far above the noise: to a tenth of the residual variance per point)
  const tolerance = 0.1 * Math.max(sigma2, fit.chi2 / Math.max(1, cp.pairs.length));
  current = fit.components;
  const splits: { peak: number; delta: number }[] = [];
  const done = new Set<number>();
  for (let round = 0; round < maxSplits; round++) {
    let best: { peak: number; delta: number; chi2: number; components: Component[]; betaOffset: number } | undefined;
    for (const k of candidates) {
      if (done.has(k)) continue;
      const at = owner.indexOf(k);
      if (at < 0) continue;
      // The minor-axis start only where the major-axis one found nothing.
      for (const pair of model.splitStarts(current[at]!)) {
        if (best?.peak === k) break;
        const trial = [...current.slice(0, at), ...pair, ...current.slice(at + 1)];
        const alt = model.fit(target, trial, tolerance, fit.betaOffset);
        // An F-test: where even the split model leaves more than the noise (real data whose populations are not
        // log-normal, or a σ̂ below the true noise), its residual variance stands in for σ² — on MUPen2D's cement
        // data (χ² ≈ 30 per compressed point) a Δχ² of 280σ² is then 9, no evidence.
        const variance = Math.max(sigma2, alt.chi2 / Math.max(1, cp.pairs.length - model.freeParameters(trial.length)));
        const delta = (fit.chi2 - alt.chi2) / variance;
        const a = alt.components[at]!;
        const b = alt.components[at + 1]!;
        if (
          delta >= minDelta &&
          (!best || delta > best.delta) &&
          model.amplitude(a) >= minShare * total &&
          model.amplitude(b) >= minShare * total &&
          model.separation(a, b) >= minSeparation &&
          model.inside(a) &&
          model.inside(b)
        ) {
          best = { peak: k, delta, chi2: alt.chi2, components: alt.components, betaOffset: alt.betaOffset };
        }
      }
    }
    if (!best) break;
    const at = owner.indexOf(best.peak);
    owner = [...owner.slice(0, at), best.peak, -1, ...owner.slice(at + 1)];
    current = best.components;
    fit = { components: current, chi2: best.chi2, betaOffset: best.betaOffset };
    done.add(best.peak);
    splits.push({ peak: best.peak, delta: best.delta });
  }
  if (splits.length === 0) return { ...none(), tested: candidates.length };

  // The split peaks' populations come from the final joint fit (later splits refine earlier ones).
  model.setBetaOffset(fit.betaOffset); // the populations' signals (data SNR) at the final fit's β
  const out: Peak[] = [];
  const notes: string[] = [];
  peaks.forEach((p, k) => {
    const s = splits.find((x) => x.peak === k);
    if (!s) {
      out.push(p);
      return;
    }
    const at = owner.indexOf(k);
    const pair = [current[at]!, current[at + 1]!];
    // The map's own mass of the peak, shared in the ratio of the two components: the fitted amplitudes alone can hold
    // more than the region (a joint fit of log-normal tails), and the listed fractions must stay within the map's.
    const fitted = pair.map((c) => model.toPeak(c, p, total, s.delta));
    const share = p.amplitude / (fitted[0]!.amplitude + fitted[1]!.amplitude);
    const made = fitted.map((q) => ({
      ...q,
      fraction: q.fraction * share,
      amplitude: q.amplitude * share,
      height: q.height * share,
      ...(q.dataSnr === undefined ? {} : { dataSnr: q.dataSnr * share }),
    }));
    out.push(...made);
    notes.push(
      `the peak at ${fmtPosition(p.position)} (${pct(p.fraction)}) holds two populations, at ${made
        .map((q) => `${fmtPosition(q.position)} (${pct(q.fraction)})`)
        .join(' and ')}: two log-normal components fit the data better than one by Δχ² = ${s.delta.toFixed(0)}σ²`,
    );
  });
  out.sort((a, b) => b.fraction - a.fraction);
  return { peaks: out, notes, tested: candidates.length, elapsedMs: performance.now() - t0 };
}

export interface MergeTestOptions {
  /**
   * Significance at which the data must show a group of map peaks as separate populations (default 0.5): the group
   * is listed as one when one log-normal component fits the data within the χ² that the group's extra components
   * gain by chance with this probability (χ² with (g − 1)·p degrees of freedom, p = 3 per 1D component, 6 per 2D one;
   * at 0.5 its median: 2.4σ² for a pair in 1D, 5.3σ² in 2D — the peaks the map shows are kept unless the data favour
   * them less than chance does half the time). 0 switches the test off.
   */
  mergeSignificance?: number;
  /** Peaks farther apart than this many widths (the wider one's, along the line joining them) are not joined (default 6). */
  maxMergeSeparation?: number;
  /** As ComponentTestOptions.irBeta. */
  irBeta?: number;
}

export interface MergeTestResult {
  /** The peaks, each merged group replaced by one peak (`describe` of the union of its regions); largest first. */
  peaks: Peak[];
  /** One line per merged group (for warnings / provenance). */
  notes: string[];
  /** Groups of peaks tested. */
  tested: number;
  /**
   * Whether the log-normal components describe the data well enough for the test to weigh the map's peaks (false:
   * σ unusable, or their χ² far above the noise — real populations of other shapes — so the map's peaks stand).
   */
  judged: boolean;
  elapsedMs: number;
}

/** At most this many listed peaks take part (the largest); more are listed as they are. */
const MERGE_MAX_PEAKS = 8;
/**
 * Above this χ² per degree of freedom of the peaks' own fit (and above what chance gives in 0.1 % of cases, for the
 * few degrees of freedom of a short 1D decay), the model does not describe the data: no merge.
 */
const MERGE_MAX_REDUCED_CHI2 = 2;
/** At most this many refits of the full model from a better merged optimum. */
const MERGE_MAX_REFITS = 4;

/**
 * The component test's converse: are two or more peaks of the map separate populations, or one? A regularised map
 * can break one broad population into a main peak with side lobes, or into a row of narrower peaks ("pearling"):
 * for a single log-normal population 0.38 decade wide in T2 at SNR 120 (1000 echoes), 9 of 40 UPEN maps had two or
 * three peaks of ≥ 5 %. The data decide, with the component test's model: one log-normal component per listed peak
 * (alternative) against a group of them replaced by one component started from the group's joint moments (null). Where
 * the group fits better than one component by less than the χ² its extra parameters gain by chance at the
 * `mergeSignificance` level, the data do not show separate populations, and the group is listed as one peak: its
 * region the union of theirs, its position, width and fraction that region's. Groups are pairs, and (1D) runs of
 * adjacent peaks or (2D) triples of mutually near ones — pearls of one population merge only all together; the group
 * with the weakest evidence first, then again on the new listing. The gain is counted in σ² itself (not the F-test's
 * residual variance): where the log-normal model does not describe the data, a poor one-component fit keeps the
 * peaks apart rather than merging them. It changes only the peak list, never the map; every merged peak says so
 * (`merged`).
 */
export function mergeTest(
  cp: CompressedProblem,
  grids: Float64Array[],
  peaks: Peak[],
  describe: (cells: Int32Array) => Peak,
  options: MergeTestOptions = {},
): MergeTestResult {
  const t0 = performance.now();
  const significance = options.mergeSignificance ?? 0.5;
  const maxSeparation = options.maxMergeSeparation ?? 6;
  const sigma2 = cp.sigma * cp.sigma;
  const none = (tested = 0, judged = false): MergeTestResult => ({
    peaks,
    notes: [],
    tested,
    judged,
    elapsedMs: performance.now() - t0,
  });
  if (peaks.length < 2 || !(significance > 0 && significance < 1) || !(sigma2 > 0)) return none();
  const model = new ComponentModel(cp, grids, options.irBeta);
  // The largest peaks take part in merges (peaks come largest first); the rest are fitted but never joined.
  // One group of map peaks per fitted component, in the fit's order; `delta` the gain of the merge that made it.
  let groups = peaks.map((_, k) => ({ members: [k], delta: 0, threshold: 0 }));
  let fit = model.fit(
    cp.m,
    peaks.map((p) => model.fromPeak(p)),
    0.1 * sigma2,
  );
  // Where the peaks' own components leave far more than the noise, the log-normal model does not describe these
  // data (real populations of other shapes, a wrong kernel): no evidence either way, and the map's peaks stay.
  const dof = Math.max(1, cp.pairs.length - model.freeParameters(peaks.length));
  if (fit.chi2 / sigma2 > Math.max(MERGE_MAX_REDUCED_CHI2 * dof, chiSquareQuantile(0.999, dof))) return none();
  let tested = 0;
  let refits = 0;
  for (;;) {
    const comps = fit.components;
    let best: { group: number[]; delta: number; threshold: number; fit: typeof fit } | undefined;
    let better: typeof fit | undefined;
    const joinable = groups.flatMap((g, k) => (Math.min(...g.members) < MERGE_MAX_PEAKS ? [k] : []));
    const atEdge = (k: number) => groups[k]!.members.some((m) => peaks[m]!.atEdge);
    for (const group of mergeGroups(model, comps, joinable, maxSeparation, atEdge)) {
      tested++;
      const trial = comps.filter((_, k) => !group.includes(k));
      trial.push(model.joined(group.map((k) => comps[k]!)));
      const alt = model.fit(cp.m, trial, 0.1 * sigma2, fit.betaOffset);
      if (alt.chi2 < fit.chi2 - 0.1 * sigma2 && refits < MERGE_MAX_REFITS) {
        // Fewer components fit better: the full fit sits in a poorer optimum. Refit it from the merged solution
        // (the group's own components put back) before weighing any merge against it.
        refits++;
        const others = alt.components.slice(0, -1);
        const again = model.fit(cp.m, [...others, ...group.map((k) => comps[k]!)], 0.1 * sigma2, alt.betaOffset);
        if (again.chi2 < fit.chi2) {
          let o = 0;
          let g = others.length;
          const reordered = comps.map((_, k) => (group.includes(k) ? again.components[g++]! : again.components[o++]!));
          better = { components: reordered, chi2: again.chi2, betaOffset: again.betaOffset };
          break;
        }
      }
      const delta = Math.max(0, (alt.chi2 - fit.chi2) / sigma2);
      const threshold = chiSquareQuantile(1 - significance, (group.length - 1) * model.perComponent);
      if (delta < threshold && (!best || delta / threshold < best.delta / best.threshold)) {
        best = { group, delta, threshold, fit: alt };
      }
    }
    if (better) {
      // Weigh every group again against the better full fit.
      fit = better;
      continue;
    }
    if (!best) break;
    const joined = {
      members: best.group.flatMap((k) => groups[k]!.members),
      delta: best.delta,
      threshold: best.threshold,
    };
    groups = [...groups.filter((_, k) => !best.group.includes(k)), joined];
    fit = best.fit;
    if (groups.length < 2) break;
  }
  if (groups.length === peaks.length) return none(tested, true);
  const notes: string[] = [];
  const out = groups.map(({ members: group, delta, threshold }) => {
    if (group.length === 1) return peaks[group[0]!]!;
    const members = group.map((k) => peaks[k]!).sort((a, b) => a.position[0]! - b.position[0]!);
    const cells = Int32Array.from(members.flatMap((p) => Array.from(p.region))).sort();
    const peak: Peak = { ...describe(cells), merged: { deltaChi2: delta, peaks: group.length } };
    notes.push(
      `the map's peaks at ${members.map((p) => `${fmtPosition(p.position)} (${pct(p.fraction)})`).join(', ')} are one population in the data, listed as one at ${fmtPosition(peak.position)} (${pct(peak.fraction)}): one log-normal component fits within Δχ² = ${delta.toFixed(1)}σ² of one per peak, less than the extra components gain by chance in ${(100 * significance).toFixed(0)} % of cases (${threshold.toFixed(1)}σ²)`,
    );
    return peak;
  });
  out.sort((p, q) => q.fraction - p.fraction || p.maxIndex - q.maxIndex);
  return { peaks: out, notes, tested, judged: true, elapsedMs: performance.now() - t0 };
}

/**
 * The groups of components a merge is tried on: every pair whose centres lie within `maxSeparation` widths (the wider
 * one's along the line joining them); in 1D also every run of ≥ 3 peaks adjacent in position whose neighbours are
 * that near, in 2D every triple of mutually near ones.
 */
function mergeGroups(
  model: ComponentModel,
  comps: Component[],
  joinable: number[],
  maxSeparation: number,
  atEdge: (k: number) => boolean,
): number[][] {
  // A component of a peak at the grid's edge stands for mass the grid cut off: its width says little about how far
  // the population reaches, so its distance to a peak inside is counted in that peak's widths (measured in the
  // edge component's, a 2 % corner two decades from a main peak was joined with it, and the union then split).
  const near = (a: number, b: number) => {
    const [ea, eb] = [atEdge(a), atEdge(b)];
    if (ea !== eb) return model.separation(comps[ea ? a : b]!, comps[ea ? b : a]!, 'second') <= maxSeparation;
    return model.separation(comps[a]!, comps[b]!, 'wider') <= maxSeparation;
  };
  const ids = joinable;
  const n = ids.length;
  const groups: number[][] = [];
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) if (near(ids[a]!, ids[b]!)) groups.push([ids[a]!, ids[b]!]);
  if (model.dims === 1) {
    const order = [...ids].sort((a, b) => comps[a]!.theta[0]! - comps[b]!.theta[0]!);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n && near(order[j - 1]!, order[j]!); j++) {
        if (j - i >= 2) groups.push(order.slice(i, j + 1));
      }
    }
  } else {
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++)
        for (let c = b + 1; c < n; c++) {
          const [x, y, z] = [ids[a]!, ids[b]!, ids[c]!];
          if (near(x, y) && near(x, z) && near(y, z)) groups.push([x, y, z]);
        }
  }
  return groups;
}

/** The p-quantile of χ² with k degrees of freedom: the root of P(k/2, x/2) = p (regularised lower incomplete Γ). */
export function chiSquareQuantile(p: number, k: number): number {
  if (!(p > 0 && p < 1) || !(k > 0))
    throw new RangeError(`chiSquareQuantile: need 0 < p < 1 and k > 0, got ${p}, ${k}`);
  let lo = 0;
  let hi = k + 10 * Math.sqrt(2 * k) + 10;
  while (gammaP(k / 2, hi / 2) < p) hi *= 2;
  for (let it = 0; it < 100 && hi - lo > 1e-10 * hi; it++) {
    const mid = 0.5 * (lo + hi);
    if (gammaP(k / 2, mid / 2) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Regularised lower incomplete gamma P(a, x): its power series below a + 1, Lentz's continued fraction above. */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500 && Math.abs(term) > 1e-16 * Math.abs(sum); n++) {
      term *= x / (a + n);
      sum += term;
    }
    return sum * Math.exp(lnPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let n = 1; n < 500; n++) {
    const an = -n * (n - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnPrefix) * h;
}

/** ln Γ(x), x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** What a component fit starts from: a peak's position, width (standard deviation, decades) and amplitude. */
export type ComponentStart = Pick<Peak, 'position' | 'widthDecades' | 'amplitude'>;

/**
 * The joint Levenberg–Marquardt fit of one log-normal component per given start (the component test's model), to the
 * compressed data: its χ² (‖m̃ − Σ a_k·v_k‖², data units²) and the fitted components. Comparing two models' χ² asks
 * whether the data tell them apart — e.g. a benchmark's true populations against the peaks listed: where the truth
 * fits better by less than the test's threshold, no listing could have justified it.
 */
export function fitComponents(
  cp: CompressedProblem,
  grids: Float64Array[],
  starts: readonly ComponentStart[],
  options: Pick<ComponentTestOptions, 'irBeta'> = {},
): { chi2: number; parameters: number; components: ComponentStart[] } {
  const model = new ComponentModel(cp, grids, options.irBeta);
  const fit = model.fit(
    cp.m,
    starts.map((p) => model.fromPeak(p)),
    0.1 * cp.sigma * cp.sigma,
  );
  return {
    chi2: fit.chi2,
    parameters: model.freeParameters(starts.length),
    components: fit.components.map((c) => ({
      position: Array.from({ length: model.dims }, (_, d) => 10 ** c.theta[d]!),
      widthDecades: Array.from({ length: model.dims }, (_, d) => model.width(c, d)),
      amplitude: model.amplitude(c),
    })),
  };
}

const pct = (f: number) => `${(100 * f).toFixed(1)} %`;
const fmtPosition = (pos: number[]) => pos.map((v) => v.toPrecision(3)).join(' × ');

/**
 * Log-normal components on the inversion grid, through the compressed kernel: a component is a Gaussian in log10
 * of each axis sampled at the grid's cells and normalised to unit mass (the map's own convention: amplitudes are cell
 * masses), so its compressed signal is A1·G·A2ᵀ on the kept pairs, computed over the cells it covers only.
 */
class ComponentModel {
  readonly dims: number;
  readonly n2: number;
  readonly lg: Float64Array[];
  readonly minWidth: number[];
  readonly perComponent: number;
  /** Whether the fits carry the global β offset (an inversion-recovery first axis whose β was estimated). */
  readonly fitsBeta: boolean;
  private readonly pi: Int32Array;
  private readonly pj: Int32Array;
  private readonly s: number;
  /** ∂A1/∂β = −U1ᵀE (r1 × n1), E = e^(−τ/T1) on the grid; set when fitsBeta. */
  private readonly da1?: Float64Array;
  /** A1 at the current β offset (cp.a1 when it is 0). */
  private a1: Float64Array;
  private betaOffset = 0;

  constructor(
    private readonly cp: CompressedProblem,
    grids: Float64Array[],
    irBeta?: number,
  ) {
    this.a1 = cp.a1;
    this.fitsBeta = irBeta !== undefined && Number.isFinite(irBeta);
    if (this.fitsBeta) {
      // K1(β) = 1 − (1+β)·E, so on the kept subspace U1ᵀK1(β + δ) = A1 − δ·U1ᵀE with U1ᵀE = (U1ᵀ1·1ᵀ − A1)/(1+β).
      const { r1, n1 } = cp;
      const u = cp.svd1.u;
      const m1 = cp.svd1.rows;
      const da1 = new Float64Array(r1 * n1);
      for (let i = 0; i < r1; i++) {
        let sum = 0;
        for (let t = 0; t < m1; t++) sum += u[t * r1 + i]!;
        for (let k = 0; k < n1; k++) da1[i * n1 + k] = -(sum - cp.a1[i * n1 + k]!) / (1 + irBeta!);
      }
      this.da1 = da1;
    }
    this.dims = grids.length;
    this.n2 = cp.n2;
    this.lg = grids.map((g) => Float64Array.from(g, Math.log10));
    // Narrower than ~a third of a cell the sampled Gaussian is one cell whatever its width: no information.
    this.minWidth = this.lg.map((x) =>
      x.length > 1 ? (0.35 * Math.abs(x[x.length - 1]! - x[0]!)) / (x.length - 1) : 0.01,
    );
    this.perComponent = this.dims === 2 ? 6 : 3;
    this.s = cp.pairs.length;
    this.pi = new Int32Array(this.s);
    this.pj = new Int32Array(this.s);
    for (let p = 0; p < this.s; p++) {
      this.pi[p] = Math.floor(cp.pairs[p]! / cp.r2);
      this.pj[p] = cp.pairs[p]! % cp.r2;
    }
  }

  /** The β offset the signals are computed at (0: the inversion's own β). */
  setBetaOffset(offset: number): void {
    if (!this.da1 || offset === this.betaOffset) return;
    this.betaOffset = offset;
    if (offset === 0) {
      this.a1 = this.cp.a1;
      return;
    }
    const a1 = new Float64Array(this.cp.a1.length);
    for (let i = 0; i < a1.length; i++) a1[i] = this.cp.a1[i]! + offset * this.da1[i]!;
    this.a1 = a1;
  }

  /** Free parameters of a fit of `components` components (and the β offset when fitsBeta). */
  freeParameters(components: number): number {
    return components * this.perComponent + (this.fitsBeta ? 1 : 0);
  }

  fromPeak(p: ComponentStart): Component {
    const theta = new Float64Array(this.perComponent);
    for (let d = 0; d < this.dims; d++) {
      theta[d] = Math.log10(p.position[d]!);
      theta[this.dims + d] = Math.log(Math.max(p.widthDecades[d]! - this.minWidth[d]!, 0.2 * this.minWidth[d]!));
    }
    if (this.dims === 2) theta[4] = 0;
    theta[this.perComponent - 1] = Math.log(Math.max(p.amplitude, 1e-300));
    return { theta };
  }

  width(c: Component, d: number): number {
    return this.minWidth[d]! + Math.exp(c.theta[this.dims + d]!);
  }

  rho(c: Component): number {
    return this.dims === 2 ? 0.95 * Math.tanh(c.theta[4]!) : 0;
  }

  amplitude(c: Component): number {
    return Math.exp(c.theta[this.perComponent - 1]!);
  }

  /** Both centres inside the grid (not extrapolated past its ends). */
  inside(c: Component): boolean {
    for (let d = 0; d < this.dims; d++) {
      const x = this.lg[d]!;
      const lo = Math.min(x[0]!, x[x.length - 1]!);
      const hi = Math.max(x[0]!, x[x.length - 1]!);
      if (!(c.theta[d]! > lo && c.theta[d]! < hi)) return false;
    }
    return true;
  }

  /** Distance between centres over the mean (or the wider) of the two widths along the line joining them. */
  /** Distance between the centres in widths along the line joining them: their mean, the wider's, or b's own. */
  separation(a: Component, b: Component, scale: 'mean' | 'wider' | 'second' = 'mean'): number {
    const dx = Array.from({ length: this.dims }, (_, d) => b.theta[d]! - a.theta[d]!);
    const dist = Math.hypot(...dx);
    if (dist === 0) return 0;
    const u = dx.map((v) => v / dist);
    const along = (c: Component) => {
      const w = [this.width(c, 0), this.dims === 2 ? this.width(c, 1) : 0];
      const r = this.rho(c);
      const v =
        this.dims === 2
          ? u[0]! ** 2 * w[0]! ** 2 + 2 * r * u[0]! * u[1]! * w[0]! * w[1]! + u[1]! ** 2 * w[1]! ** 2
          : w[0]! ** 2;
      return Math.sqrt(v);
    };
    const width =
      scale === 'mean' ? 0.5 * (along(a) + along(b)) : scale === 'wider' ? Math.max(along(a), along(b)) : along(b);
    return dist / width;
  }

  /** Two starts for splitting c: along its major axis and along the minor one, each half its amplitude. */
  splitStarts(c: Component): [Component, Component][] {
    const w = [this.width(c, 0), this.dims === 2 ? this.width(c, 1) : 0];
    const r = this.rho(c);
    const cxx = w[0]! ** 2;
    const cyy = w[1]! ** 2;
    const cxy = r * w[0]! * w[1]!;
    const disc = Math.sqrt(0.25 * (cxx - cyy) ** 2 + cxy * cxy);
    const axes: [number, number, number][] = [];
    if (this.dims === 1) axes.push([1, 0, Math.sqrt(cxx)]);
    else {
      const lmax = 0.5 * (cxx + cyy) + disc;
      const lmin = Math.max(0.5 * (cxx + cyy) - disc, 0);
      let ex = cxy;
      let ey = lmax - cxx;
      if (Math.hypot(ex, ey) < 1e-12) [ex, ey] = cxx >= cyy ? [1, 0] : [0, 1];
      const nrm = Math.hypot(ex, ey);
      axes.push([ex / nrm, ey / nrm, Math.sqrt(lmax)], [-ey / nrm, ex / nrm, Math.sqrt(lmin)]);
    }
    return axes.map(([ex, ey, sd]) => {
      const h = 0.8 * Math.max(sd, this.minWidth[0]!);
      const make = (sign: number): Component => {
        const theta = Float64Array.from(c.theta);
        theta[0]! += sign * h * ex;
        if (this.dims === 2) theta[1]! += sign * h * ey;
        for (let d = 0; d < this.dims; d++) {
          theta[this.dims + d] = Math.log(Math.max(0.6 * w[d]! - this.minWidth[d]!, 0.2 * this.minWidth[d]!));
        }
        if (this.dims === 2) theta[4] = 0;
        theta[this.perComponent - 1]! += Math.log(0.5);
        return { theta };
      };
      return [make(-1), make(1)];
    });
  }

  /** One component with the joint mass, centre and spread (per axis) of several: where a merge fit starts. */
  joined(comps: Component[]): Component {
    const w = comps.map((c) => this.amplitude(c));
    const total = w.reduce((x, y) => x + y, 0);
    const theta = new Float64Array(this.perComponent);
    for (let d = 0; d < this.dims; d++) {
      const mu = comps.reduce((acc, c, k) => acc + w[k]! * c.theta[d]!, 0) / total;
      const spread =
        comps.reduce((acc, c, k) => acc + w[k]! * (this.width(c, d) ** 2 + (c.theta[d]! - mu) ** 2), 0) / total;
      theta[d] = mu;
      theta[this.dims + d] = Math.log(Math.max(Math.sqrt(spread) - this.minWidth[d]!, 0.2 * this.minWidth[d]!));
    }
    if (this.dims === 2) theta[4] = 0;
    theta[this.perComponent - 1] = Math.log(Math.max(total, 1e-300));
    return { theta };
  }

  /** The component as a peak of the map it was found in (its parent's region and extent). */
  toPeak(c: Component, parent: Peak, total: number, deltaChi2: number): Peak {
    const amplitude = this.amplitude(c);
    const cells = this.cells(c);
    let best = 0;
    let maxIndex = parent.maxIndex;
    for (let a = cells.a0; a < cells.a1; a++) {
      for (let b = cells.b0; b < cells.b1; b++) {
        const v = cells.g[(a - cells.a0) * (cells.b1 - cells.b0) + (b - cells.b0)]!;
        if (v > best) {
          best = v;
          maxIndex = a * this.n2 + b;
        }
      }
    }
    const signal = this.signal(c);
    let norm = 0;
    for (let p = 0; p < this.s; p++) norm += signal[p]! ** 2;
    return {
      position: Array.from({ length: this.dims }, (_, d) => 10 ** c.theta[d]!),
      fraction: amplitude / total,
      amplitude,
      height: amplitude * best,
      maxIndex,
      extent: parent.extent.map(([lo, hi]) => [lo, hi] as [number, number]),
      widthDecades: Array.from({ length: this.dims }, (_, d) => this.width(c, d)),
      region: parent.region,
      atEdge: parent.atEdge,
      dataSnr: (amplitude * Math.sqrt(norm)) / this.cp.sigma,
      split: { deltaChi2 },
    };
  }

  /** The component's unit-mass cells on the grid, over the window it covers (±5 widths). */
  cells(c: Component): { g: Float64Array; a0: number; a1: number; b0: number; b1: number } {
    const [a0, a1] = this.window(0, c.theta[0]!, this.width(c, 0));
    const [b0, b1] = this.dims === 2 ? this.window(1, c.theta[1]!, this.width(c, 1)) : [0, 1];
    const nb = b1 - b0;
    const g = new Float64Array(Math.max(0, (a1 - a0) * nb));
    const w1 = this.width(c, 0);
    const w2 = this.dims === 2 ? this.width(c, 1) : 1;
    const r = this.rho(c);
    const k = 1 / (1 - r * r);
    let sum = 0;
    for (let a = a0; a < a1; a++) {
      const z1 = (this.lg[0]![a]! - c.theta[0]!) / w1;
      for (let b = b0; b < b1; b++) {
        const z2 = this.dims === 2 ? (this.lg[1]![b]! - c.theta[1]!) / w2 : 0;
        const q = (z1 * z1 - 2 * r * z1 * z2 + z2 * z2) * k;
        const v = q < 50 ? Math.exp(-0.5 * q) : 0;
        g[(a - a0) * nb + (b - b0)] = v;
        sum += v;
      }
    }
    if (sum > 0) for (let i = 0; i < g.length; i++) g[i]! /= sum;
    return { g, a0, a1, b0, b1 };
  }

  private window(d: number, mu: number, w: number): [number, number] {
    const x = this.lg[d]!;
    let lo = x.length;
    let hi = 0;
    for (let i = 0; i < x.length; i++) {
      if (Math.abs(x[i]! - mu) <= 5 * w) {
        if (i < lo) lo = i;
        hi = i + 1;
      }
    }
    if (lo >= hi) {
      // Outside the grid: the nearest cell carries it (the fit pulls it back or the test rejects it).
      let near = 0;
      for (let i = 1; i < x.length; i++) if (Math.abs(x[i]! - mu) < Math.abs(x[near]! - mu)) near = i;
      return [near, near + 1];
    }
    return [lo, hi];
  }

  /** Compressed signal of one unit of the component's mass. */
  signal(c: Component): Float64Array {
    const { g, a0, a1, b0, b1 } = this.cells(c);
    return this.signalOfCells(g, a0, a1, b0, b1);
  }

  /** A1·G·A2ᵀ on the kept pairs for G given on rows a0..a1, columns b0..b1 (row-major, (a1−a0) × (b1−b0)). */
  private signalOfCells(g: Float64Array, a0: number, a1: number, b0: number, b1: number): Float64Array {
    const { r1, n1, n2, a2: A2 } = this.cp;
    const A1 = this.a1;
    const nb = b1 - b0;
    const t = new Float64Array(r1 * nb);
    for (let i = 0; i < r1; i++) {
      const ti = i * nb;
      for (let a = a0; a < a1; a++) {
        const w = A1[i * n1 + a]!;
        if (w === 0) continue;
        const ga = (a - a0) * nb;
        for (let b = 0; b < nb; b++) t[ti + b]! += w * g[ga + b]!;
      }
    }
    const out = new Float64Array(this.s);
    for (let p = 0; p < this.s; p++) {
      const ti = this.pi[p]! * nb;
      const aj = this.pj[p]! * n2 + b0;
      let acc = 0;
      for (let b = 0; b < nb; b++) acc += t[ti + b]! * A2[aj + b]!;
      out[p] = acc;
    }
    return out;
  }

  /**
   * Levenberg–Marquardt on all components' parameters jointly (and the β offset when fitsBeta, from `betaOffset`);
   * χ² = ‖target − Σ a_k·v_k‖². Leaves the model at the fitted β offset.
   */
  fit(
    target: Float64Array,
    start: Component[],
    tolerance: number,
    betaOffset = 0,
  ): { components: Component[]; chi2: number; betaOffset: number } {
    const s = this.s;
    const P = this.perComponent;
    const withBeta = this.fitsBeta;
    const n = this.freeParameters(start.length);
    let comps = start.map((c) => ({ theta: Float64Array.from(c.theta) }));
    let offset = withBeta ? betaOffset : 0;
    const evaluate = (cs: Component[], at: number) => {
      this.setBetaOffset(at);
      const sigs = cs.map((c) => this.signal(c));
      const r = Float64Array.from(target);
      cs.forEach((c, k) => {
        const a = this.amplitude(c);
        const v = sigs[k]!;
        for (let p = 0; p < s; p++) r[p]! -= a * v[p]!;
      });
      let chi2 = 0;
      for (let p = 0; p < s; p++) chi2 += r[p]! * r[p]!;
      return { sigs, r, chi2 };
    };
    let cur = evaluate(comps, offset);
    let lambda = 1e-3;
    const jac = new Float64Array(n * s);
    for (let it = 0; it < MAX_ITERATIONS; it++) {
      // Jacobian of the model (not the residual), column per parameter.
      this.setBetaOffset(offset);
      comps.forEach((c, k) => {
        const a = this.amplitude(c);
        const base = cur.sigs[k]!;
        for (let q = 0; q < P; q++) {
          const col = (k * P + q) * s;
          if (q === P - 1) {
            for (let p = 0; p < s; p++) jac[col + p] = a * base[p]!;
            continue;
          }
          const h = 1e-5;
          const moved = { theta: Float64Array.from(c.theta) };
          moved.theta[q]! += h;
          const v = this.signal(moved);
          for (let p = 0; p < s; p++) jac[col + p] = (a * (v[p]! - base[p]!)) / h;
        }
      });
      if (withBeta) {
        // The model is linear in the β offset: its column is the signals through ∂A1/∂β.
        const h = 1e-4;
        this.setBetaOffset(offset + h);
        const col = (n - 1) * s;
        jac.fill(0, col, col + s);
        comps.forEach((c, k) => {
          const a = this.amplitude(c);
          const v = this.signal(c);
          const base = cur.sigs[k]!;
          for (let p = 0; p < s; p++) jac[col + p]! += (a * (v[p]! - base[p]!)) / h;
        });
        this.setBetaOffset(offset);
      }
      const jtj = new Float64Array(n * n);
      const jtr = new Float64Array(n);
      for (let x = 0; x < n; x++) {
        const cx = x * s;
        let g = 0;
        for (let p = 0; p < s; p++) g += jac[cx + p]! * cur.r[p]!;
        jtr[x] = g;
        for (let y = 0; y <= x; y++) {
          const cy = y * s;
          let acc = 0;
          for (let p = 0; p < s; p++) acc += jac[cx + p]! * jac[cy + p]!;
          jtj[x * n + y] = acc;
          jtj[y * n + x] = acc;
        }
      }
      let improved = false;
      for (let tries = 0; tries < 8; tries++) {
        const m = Float64Array.from(jtj);
        for (let x = 0; x < n; x++) m[x * n + x]! += lambda * (jtj[x * n + x]! + 1e-12);
        if (!choleskyInPlace(m, n)) {
          lambda *= 10;
          continue;
        }
        const step = Float64Array.from(jtr);
        choleskySolveInPlace(m, n, step);
        const trial = comps.map((c, k) => {
          const theta = Float64Array.from(c.theta);
          for (let q = 0; q < P; q++) {
            // Bounded steps: at most 0.3 decade in a centre, a factor e² in a width or amplitude.
            const lim = q < this.dims ? 0.3 : 2;
            theta[q]! += Math.max(-lim, Math.min(lim, step[k * P + q]!));
          }
          return { theta };
        });
        // β moves at most 0.02 a step and stays within ±0.1 of the inversion's.
        const trialOffset = withBeta
          ? Math.max(-0.1, Math.min(0.1, offset + Math.max(-0.02, Math.min(0.02, step[n - 1]!))))
          : 0;
        const next = evaluate(trial, trialOffset);
        if (next.chi2 < cur.chi2) {
          const gain = cur.chi2 - next.chi2;
          comps = trial;
          offset = trialOffset;
          cur = next;
          lambda = Math.max(lambda / 3, 1e-9);
          improved = true;
          if (gain < tolerance) it = MAX_ITERATIONS;
          break;
        }
        lambda *= 10;
      }
      if (!improved) break;
    }
    this.setBetaOffset(offset);
    return { components: comps, chi2: cur.chi2, betaOffset: offset };
  }
}
