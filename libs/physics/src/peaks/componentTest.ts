/**
 * The component test: does a peak of the map hold two populations? Fits one log-normal component per listed peak,
 * then each candidate's replaced by two, and splits the peak where the data demand it (an F-test on the χ² gain, with
 * guards on the two components' shares and separation). Changes only the peak list, never the map; each split peak
 * carries `split.deltaChi2`. The rule and its measurements: docs/physics.md, "Two populations in one peak".
 */
import type { Peak } from '../analysis/types';
import type { CompressedProblem } from '../numerics/compress';
import { ComponentModel, type Component } from './componentModel';
import { fmtPosition, pct } from './format';

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
  /** A model on the same cp, grids and irBeta (inversionPeaks shares one with the merge test). */
  shared?: ComponentModel,
): ComponentTestResult {
  const t0 = performance.now();
  const minDelta = options.minDeltaChi2 ?? 25;
  const minShare = options.minComponentFraction ?? 0.05;
  const minSeparation = options.minSeparation ?? 1.5;
  const maxSplits = options.maxSplits ?? 2;
  const model = shared ?? new ComponentModel(cp, grids, options.irBeta);
  const sigma2 = cp.sigma * cp.sigma;
  const candidates = componentCandidates(peaks, options);
  const none = (): ComponentTestResult => ({ peaks, notes: [], tested: 0, elapsedMs: performance.now() - t0 });
  if (candidates.length === 0 || !(sigma2 > 0) || !(total > 0)) return none();

  // Only the listed peaks are modelled: holding the rest of the map fixed (its sub-threshold tails) counted each
  // population's tails twice — the component carries its own — and split single log-normals broad in T2 (Δχ² 33–74
  // on the held-out suite); without it those stayed one peak and every merged pair was still found.
  const target = cp.m;

  let owner = peaks.map((_, k) => k); // which listed peak each component stands for
  // χ² to a tenth of σ² is plenty for a test whose threshold is tens of σ².
  let fit = model.fitPeaks(peaks, 0.1 * sigma2);
  // (real data far above the noise: to a tenth of the residual variance per point)
  const tolerance = 0.1 * Math.max(sigma2, fit.chi2 / Math.max(1, cp.pairs.length));
  let current = fit.components;
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
