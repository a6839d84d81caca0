/**
 * Builds the `lapis-result/1` document of a high-field pseudo-2D (one spectrum per delay or gradient) from the 1D
 * inversions of its signal regions: axes `[shift (ppm, the regions' peak positions), T1|T2|D (one grid shared by
 * every region)]`, one distribution row per region, and each region's peaks with position `{ shift, D }`.
 *
 * Fractions: every region's distribution is in the units of its integral, so the regions' masses add up; a peak's
 * `fraction` is its share of the signal of ALL regions (fractions still sum to ≤ 1 and stay comparable across the
 * map) and `regionFraction` its share within its own region.
 */
import { LAPIS_RESULT_FORMAT } from '@lapis/contracts';
import type { VendorValue } from '@lapis/formats';
import { checkFiniteNumbers } from './checkFiniteNumbers';
import { compareVendorResults } from './compareVendor';
import type { ExperimentContract, ResultDoc, ResultProvenance, ResultSpectrum } from '@lapis/contracts';
import type { FindPeaksResult, Inversion, PeakUncertainty, ResidualDiagnostics } from '@lapis/physics';
import { measuredDecays } from './measuredDecays';
import { finiteOrNull, uncertaintyField } from './toResultDocument';
import type { MeasuredAxis } from './measuredDecays';

/** One region's 1D inversion with what the document needs to say about it. */
export interface RegionInversion {
  /** ppm at the region's high and low edge, and at its maximum (the shift the row is placed at). */
  from: number;
  to: number;
  peak: number;
  /** The decay that was inverted (region integral per delay/gradient). */
  data: Float64Array;
  /** What the sequence varied (delays, b-values) for `data`; when every region has it, `fit.decays` is filled. */
  axis?: MeasuredAxis;
  inversion: Inversion;
  peaks: FindPeaksResult;
  /** Per peak of `peaks.peaks`, its bootstrap uncertainty (peakUncertainty of @lapis/physics). */
  uncertainty?: readonly (PeakUncertainty | undefined)[];
  diagnostics?: ResidualDiagnostics;
}

export interface ToPseudo2dResultOptions {
  experiment?: ExperimentContract;
  /** What the dataset says about itself (sample from TopSpin's title, instrument, acquisition time). */
  metadata?: { instrument?: string | undefined; sample?: string | undefined; acquiredAt?: string | undefined };
  /** More warnings (reader, processing) listed after those of the inversions. */
  warnings?: readonly string[];
  /** TopSpin's own fits of the dataset (ct1t2.txt …): written beside Lapis' value of each (`vendorResults`). */
  vendorResults?: readonly VendorValue[];
  /** The processed spectra the regions came from, as the document carries them (spectrumRows). */
  spectrum?: ResultSpectrum;
}

/** Relative difference above which two regions' grids count as different (they are built from the same numbers). */
const GRID_TOLERANCE = 1e-9;

/** Builds and validates the document; throws (a bug, not bad input) when the regions disagree or the contract rejects it. */
export function toPseudo2dResultDocument(
  regions: readonly RegionInversion[],
  provenance: ResultProvenance,
  options: ToPseudo2dResultOptions = {},
): ResultDoc {
  if (regions.length === 0) throw new RangeError('toPseudo2dResultDocument: no regions');
  // The shift axis must increase (lapis-result/1 axes do); TopSpin's order is the reverse.
  const ordered = [...regions].sort((a, b) => a.peak - b.peak);
  const first = ordered[0]!.inversion;
  if (first.axes.length !== 1) throw new RangeError('toPseudo2dResultDocument: each region needs a 1D inversion');
  const grid = first.axes[0]!;
  for (const r of ordered) {
    const g = r.inversion.axes[0]!;
    const same =
      r.inversion.axes.length === 1 &&
      g.name === grid.name &&
      g.values.length === grid.values.length &&
      g.values.every((v, i) => Math.abs(v / grid.values[i]! - 1) < GRID_TOLERANCE);
    if (!same) throw new RangeError(`toPseudo2dResultDocument: region at ${r.peak} ppm was inverted on another grid`);
  }
  for (let i = 1; i < ordered.length; i++) {
    if (!(ordered[i]!.peak > ordered[i - 1]!.peak))
      throw new RangeError(`toPseudo2dResultDocument: two regions peak at ${ordered[i]!.peak} ppm`);
  }
  const name = grid.name;
  const total = ordered.reduce((s, r) => s + r.peaks.total, 0);

  const peaks = ordered.flatMap((r) =>
    r.peaks.peaks.map((p, i) => ({
      position: { shift: r.peak, [name]: p.position[0]! },
      fraction: total > 0 ? p.amplitude / total : 0,
      amplitude: p.amplitude,
      widthDecades: { [name]: p.widthDecades[0]! },
      extent: {
        shift: [Math.min(r.from, r.to), Math.max(r.from, r.to)] as [number, number],
        [name]: [p.extent[0]![0], p.extent[0]![1]] as [number, number],
      },
      height: p.height,
      atEdge: p.atEdge,
      ...(p.dataSnr === undefined ? {} : { dataSnr: p.dataSnr }),
      ...(p.split === undefined ? {} : { split: { deltaChi2: p.split.deltaChi2 } }),
      ...(p.merged === undefined ? {} : { merged: { deltaChi2: p.merged.deltaChi2, peaks: p.merged.peaks } }),
      region: { from: r.from, to: r.to },
      regionFraction: p.fraction,
      // the shift is the region's own (no spread); the fraction's spread scales from the region to all regions
      ...(r.uncertainty?.[i]
        ? {
            uncertainty: uncertaintyField(
              r.uncertainty[i],
              [
                ['shift', null],
                [name, 0],
              ],
              total > 0 ? r.peaks.total / total : 0,
            ),
          }
        : {}),
    })),
  );
  peaks.sort((a, b) => b.fraction - a.fraction);

  // Overall fit: residual energy over data energy across all regions.
  let resid2 = 0;
  let data2 = 0;
  let points = 0;
  for (const r of ordered) {
    const fitted = r.inversion.solver.fitted;
    for (let i = 0; i < r.data.length; i++) {
      const e = r.data[i]! - fitted[i]!;
      resid2 += e * e;
      data2 += r.data[i]! * r.data[i]!;
    }
    points += r.data.length;
  }
  const fit: ResultDoc['fit'] = {
    relativeResidual: data2 > 0 ? Math.sqrt(resid2 / data2) : 0,
    rmsResidual: points > 0 ? Math.sqrt(resid2 / points) : 0,
  };
  // One decay per region (its integral per delay/gradient) against its own 1D fit, in shift order like the rows.
  if (ordered.every((r) => r.axis && r.inversion.solver.fitted.length === r.data.length)) {
    fit.decays = ordered.map((r) => {
      const [decay] = measuredDecays({ axes: [r.axis!], data: r.data }, r.inversion.solver.fitted);
      return { ...decay!, label: `${r.peak.toFixed(2)} ppm: ${decay!.label}` };
    });
  }
  const diagnosed = ordered.filter((r) => r.diagnostics);
  if (diagnosed.length === ordered.length) {
    const reasons = ordered.flatMap((r) => r.diagnostics!.reasons.map((why) => `${r.peak.toFixed(2)} ppm: ${why}`));
    fit.residualWhiteness = { white: ordered.every((r) => r.diagnostics!.white), reasons };
  }

  const methods = [...new Set(ordered.map((r) => r.inversion.method))];
  const regionInfo = ordered.map((r) => {
    const s = r.inversion.solver;
    const d = r.diagnostics;
    return {
      from: r.from,
      to: r.to,
      peak: r.peak,
      method: r.inversion.method,
      relativeResidual: s.relativeResidual,
      rmsResidual: s.rmsResidual,
      ...(Number.isFinite(s.alpha) && s.alpha >= 0 ? { alpha: s.alpha } : {}),
      alphaRule: s.alphaRule,
      iterations: s.iterations,
      ...(Number.isFinite(s.sigma) && s.sigma >= 0 ? { sigma: s.sigma } : {}),
      ...(r.inversion.beta && Number.isFinite(r.inversion.beta.value) ? { beta: r.inversion.beta.value } : {}),
      ...(d ? { white: d.white, chi2: finiteOrNull(d.chi2PerPoint) } : {}),
      total: r.peaks.total,
      elapsedMs: r.inversion.elapsedMs,
    };
  });
  const warnings = [
    ...ordered.flatMap((r) =>
      [...r.inversion.warnings, ...r.peaks.warnings, ...(r.diagnostics?.warnings ?? [])].map(
        (w) => `${r.peak.toFixed(2)} ppm: ${w}`,
      ),
    ),
    ...(options.warnings ?? []),
  ];

  const doc: Record<string, unknown> = {
    format: LAPIS_RESULT_FORMAT,
    method: methods.join('+'),
    elapsedMs: ordered.reduce((s, r) => s + r.inversion.elapsedMs, 0),
    axes: [
      { name: 'shift', unit: 'ppm', values: ordered.map((r) => r.peak) },
      {
        name,
        unit: grid.unit,
        values: Array.from(grid.values),
        sensitiveRange: [grid.sensitive[0], grid.sensitive[1]] as [number, number],
      },
    ],
    distribution: ordered.map((r) => Array.from(r.inversion.distribution)),
    peaks,
    fit,
    ...(options.experiment ? { experiment: options.experiment } : {}),
    ...(options.metadata?.sample ? { sample: options.metadata.sample } : {}),
    ...(options.metadata?.instrument ? { instrument: options.metadata.instrument } : {}),
    ...(options.metadata?.acquiredAt ? { acquiredAt: options.metadata.acquiredAt } : {}),
    methodReason:
      `pseudo-2D: ${ordered.length} spectral region${ordered.length === 1 ? '' : 's'}, each decay inverted in 1D on ` +
      `one common ${name} grid; ${first.methodReason}`,
    regions: regionInfo,
    ...(options.spectrum ? { spectrum: options.spectrum } : {}),
    warnings: [...new Set(warnings)],
    provenance,
  };
  if (options.vendorResults?.length) doc.vendorResults = compareVendorResults(options.vendorResults, doc as ResultDoc);
  checkFiniteNumbers(doc, 'toPseudo2dResultDocument');
  // The document as built, not the parse: same content, but keys in the order written ({ shift, D }, not the
  // schema's order), as docs/contracts.md shows them.
  return doc as ResultDoc;
}
