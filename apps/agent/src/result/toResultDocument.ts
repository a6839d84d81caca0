/**
 * Builds the `lapis-result/1` document (docs/contracts.md, schema in @lapis/contracts) from an inversion and its
 * peaks; every number in it is checked finite (checkFiniteNumbers) before anyone writes or publishes it.
 */
import { resultAxisKeys, LAPIS_RESULT_FORMAT } from '@lapis/contracts';
import { checkFiniteNumbers } from './checkFiniteNumbers';
import type { ResultDoc, ResultProvenance, ResultAxisName, ExperimentContract } from '@lapis/contracts';
import type { Inversion, Peak, PeakUncertainty, ResidualDiagnostics } from '@lapis/physics';
import { measuredDecays } from './measuredDecays';
import type { Measured } from './measuredDecays';

export interface ToResultOptions {
  /** Experiment of the acquisition, recorded in the document. */
  experiment?: ExperimentContract;
  /** What the acquisition says about itself (instrument, sample, acquisition time), recorded when present. */
  metadata?: { instrument?: string | undefined; sample?: string | undefined; acquiredAt?: string | undefined };
  /** Residual checks of the fit (residualDiagnostics of @lapis/physics), recorded under fit. */
  diagnostics?: ResidualDiagnostics;
  /** More warnings (reader, peak finder) to list after the inversion's own. */
  warnings?: readonly string[];
  /**
   * The data that was inverted (the acquisition's axes and data): when given, `fit.decays` carries its decays
   * beside the solver's `fitted`, downsampled (measuredDecays).
   */
  measured?: Measured;
  /** Per peak (same order as `peaks`), the bootstrap spread (peakUncertainty of @lapis/physics). */
  uncertainty?: readonly (PeakUncertainty | undefined)[];
  /** Peaks of the map the noise draws did not reproduce (confirmInversionPeaks): written apart, as `unconfirmedPeaks`. */
  unconfirmed?: readonly { peak: Peak; uncertainty: PeakUncertainty }[];
}

/** JSON has no NaN: statistics that are undefined for the data become null. */
export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * A peak's `uncertainty` as lapis-result/1 writes it. `axes` lists the document's axis keys in order, each with the
 * bootstrap axis it comes from, or null for an axis the bootstrap does not vary (a pseudo-2D's shift); the
 * fraction's spread is multiplied by `fractionScale` (a pseudo-2D region's share of all regions).
 */
export function uncertaintyField(
  u: PeakUncertainty,
  axes: readonly (readonly [key: string, index: number | null])[],
  fractionScale = 1,
) {
  const perAxis = (value: (d: number) => number) =>
    Object.fromEntries(axes.map(([key, d]) => [key, d === null ? null : finiteOrNull(value(d))]));
  return {
    positionUncertaintyDecades: perAxis((d) => Math.hypot(u.positionSdDecades[d]!, u.positionBiasDecades[d]!)),
    positionSdDecades: perAxis((d) => u.positionSdDecades[d]!),
    positionBiasDecades: perAxis((d) => u.positionBiasDecades[d]!),
    fractionSd: finiteOrNull(u.fractionSd * fractionScale),
    detected: u.detected,
    replicates: u.replicates,
  };
}

/** Builds and validates the document; throws (a bug, not bad input) when the contract rejects it. */
export function toResultDocument(
  inversion: Inversion,
  peaks: readonly Peak[],
  provenance: ResultProvenance,
  options: ToResultOptions = {},
): ResultDoc {
  const names = inversion.axes.map((a) => a.name as ResultAxisName);
  const keys = resultAxisKeys(names);
  const perAxis = <T>(values: readonly T[]): Record<string, T> =>
    Object.fromEntries(keys.map((key, d) => [key, values[d]!]));
  const { solver } = inversion;

  const axes = inversion.axes.map((a) => ({
    name: a.name,
    unit: a.unit,
    values: Array.from(a.values),
    sensitiveRange: [a.sensitive[0], a.sensitive[1]] as [number, number],
  }));
  const n1 = axes[0]!.values.length;
  const n2 = axes.length === 2 ? axes[1]!.values.length : 1;
  const distribution =
    axes.length === 2
      ? Array.from({ length: n1 }, (_, i) => Array.from(inversion.distribution.subarray(i * n2, (i + 1) * n2)))
      : Array.from(inversion.distribution);

  const t1 = names.indexOf('T1');
  const t2 = names.indexOf('T2');
  const docPeak = (p: Peak, u: PeakUncertainty | undefined) => ({
    position: perAxis(p.position),
    fraction: p.fraction,
    amplitude: p.amplitude,
    widthDecades: perAxis(p.widthDecades),
    extent: perAxis(p.extent.map(([lo, hi]) => [lo, hi] as [number, number])),
    ...(t1 >= 0 && t2 >= 0 ? { t1t2Ratio: p.position[t1]! / p.position[t2]! } : {}),
    height: p.height,
    atEdge: p.atEdge,
    ...(p.dataSnr === undefined ? {} : { dataSnr: p.dataSnr }),
    ...(p.split === undefined ? {} : { split: { deltaChi2: p.split.deltaChi2 } }),
    ...(p.merged === undefined ? {} : { merged: { deltaChi2: p.merged.deltaChi2, peaks: p.merged.peaks } }),
    ...(p.joined === undefined ? {} : { joined: { peaks: p.joined.peaks } }),
    ...(u
      ? {
          uncertainty: uncertaintyField(
            u,
            keys.map((key, d) => [key, d] as const),
          ),
        }
      : {}),
  });
  const order = peaks.map((_, i) => i).sort((a, b) => peaks[b]!.fraction - peaks[a]!.fraction);
  const docPeaks = order.map((i) => docPeak(peaks[i]!, options.uncertainty?.[i]));
  const unconfirmed = (options.unconfirmed ?? []).map(({ peak, uncertainty }) => docPeak(peak, uncertainty));

  const fit: ResultDoc['fit'] = { relativeResidual: solver.relativeResidual, rmsResidual: solver.rmsResidual };
  if (solver.sigma > 0 && Number.isFinite(solver.sigma)) fit.chi2 = (solver.rmsResidual / solver.sigma) ** 2;
  const d = options.diagnostics;
  if (d) {
    fit.residualWhiteness = {
      white: d.white,
      lag1: d.lag1.map(finiteOrNull),
      lag1Z: d.lag1Z.map(finiteOrNull),
      runsZ: finiteOrNull(d.runsZ),
      meanZ: finiteOrNull(d.meanZ),
      reasons: [...d.reasons],
    };
  }

  const warnings = [...inversion.warnings, ...solver.warnings, ...(options.warnings ?? [])];
  if (options.measured) {
    // A fit of another shape (a producer that did not fill `fitted`) costs the plot, not the result.
    if (solver.fitted.length === options.measured.data.length) {
      fit.decays = measuredDecays(options.measured, solver.fitted);
    } else {
      warnings.push(
        `fit.decays left out: the fit has ${solver.fitted.length} values, the data ${options.measured.data.length}`,
      );
    }
  }
  const doc: Record<string, unknown> = {
    format: LAPIS_RESULT_FORMAT,
    method: inversion.method,
    elapsedMs: inversion.elapsedMs,
    axes,
    distribution,
    peaks: docPeaks,
    ...(unconfirmed.length ? { unconfirmedPeaks: unconfirmed } : {}),
    fit,
    ...(options.experiment ? { experiment: options.experiment } : {}),
    ...(options.metadata?.sample ? { sample: options.metadata.sample } : {}),
    ...(options.metadata?.instrument ? { instrument: options.metadata.instrument } : {}),
    ...(options.metadata?.acquiredAt ? { acquiredAt: options.metadata.acquiredAt } : {}),
    methodReason: inversion.methodReason,
    ...(Number.isFinite(solver.alpha) && solver.alpha >= 0 ? { alpha: solver.alpha } : {}),
    alphaRule: solver.alphaRule,
    iterations: solver.iterations,
    ...(Number.isFinite(solver.sigma) && solver.sigma >= 0 ? { sigma: solver.sigma } : {}),
    ...(inversion.beta !== undefined && Number.isFinite(inversion.beta.value)
      ? { beta: inversion.beta.value, betaEstimated: inversion.beta.estimated }
      : {}),
    ...(solver.compressedSize !== undefined ? { compressedSize: solver.compressedSize } : {}),
    warnings: [...new Set(warnings)],
    provenance,
  };
  return checkFiniteNumbers(doc, 'toResultDocument') as ResultDoc;
}
