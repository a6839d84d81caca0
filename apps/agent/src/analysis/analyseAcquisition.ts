/**
 * One acquisition (1D or 2D, already read) → one `lapis-result/1` document: invert (classical, or the network with
 * its classical safety net), find the peaks, check the residuals, build the document. analysePath calls it for
 * every layout but a TopSpin pseudo-2D (analysePseudo2d), for `lapis invert` and the agent alike.
 */
import type { ResultDoc, ResultProvenance } from '@lapis/contracts';
import type { Acquisition } from '@lapis/formats';
import type {
  confirmInversionPeaks,
  InvertInput,
  InvertOptions,
  Inversion,
  Method,
  PeakUncertainty,
} from '@lapis/physics';
import { checkFiniteNumbers } from '../result/checkFiniteNumbers';
import { compareVendorResults } from '../result/compareVendor';
import { toResultDocument } from '../result/toResultDocument';
import type { AnalysisDeps } from './deps';

export interface AnalyseOptions {
  /** A libs/physics method, or 'dl': the network refinement of @lapis/inference with its classical safety net. */
  method: Method | 'dl';
  grid?: number;
  /** Output range per dimension, SI units (undefined: automatic). */
  ranges?: readonly ([number, number] | undefined)[];
  /** Noise σ in data units (default: estimated from the data). */
  sigma?: number;
  /** `method: 'dl'`: the model manifest (default: the released model, or LAPIS_MODEL). */
  model?: string;
  /**
   * Draws of the parametric bootstrap behind each peak's `uncertainty` (0: none). Default: libs/physics
   * `defaultDraws` — 16 for Tikhonov, UPEN and dl, which redraw in their compressed space; 0 for sparse and nnls,
   * which are re-run whole on each draw (give a number to have it anyway).
   */
  uncertainty?: number;
  /** Progress of long work (bootstrap draws that re-run the whole inversion), one short line at a time. */
  onProgress?: (message: string) => void;
}

export interface AcquisitionAnalysis {
  document: ResultDoc;
  /** Method actually used (for `auto`, the one picked; for `dl`, `dl` or the classical fallback). */
  method: string;
  /** Network that ran (id), for `dl`. */
  modelId?: string;
}

export async function analyseAcquisition(
  acq: Acquisition,
  options: AnalyseOptions,
  provenance: ResultProvenance,
  deps: AnalysisDeps,
): Promise<AcquisitionAnalysis> {
  // AcquisitionAxis carries what InvertAxis needs (kernel, values in SI, beta) plus its unit.
  const input: InvertInput = { axes: acq.axes, data: acq.data };
  const classical: InvertOptions = {
    ...(options.method === 'dl' ? {} : { method: options.method }),
    ...(options.ranges ? { ranges: options.ranges.slice(0, acq.axes.length) } : {}),
    ...(options.grid !== undefined ? { grid: options.grid } : {}),
    ...(options.sigma !== undefined ? { sigma: options.sigma } : {}),
  };
  let inversion: Inversion;
  let model: Record<string, unknown> | undefined;
  // A kept network map has its own draws (each classical draw through the network); a refused one is classical.
  let networkMap = false;
  let resampleDl: ((count: number, seed: number) => Promise<Float64Array[]>) | undefined;
  if (options.method === 'dl') {
    const runDl = deps.invertDl ?? (await import('@lapis/inference')).invertDl;
    const dl = await runDl(input, { ...classical, ...(options.model ? { model: options.model } : {}) });
    const { dl: report, resampleDl: networkDraws, ...rest } = dl;
    // The result contract's method is a free string; 'dl' is not one of libs/physics' classical methods.
    inversion = rest as unknown as Inversion;
    const { attempts: _attempts, rejectedDistribution: _rejected, ...summary } = report;
    model = summary;
    networkMap = report.accepted;
    resampleDl = networkDraws;
  } else {
    inversion = deps.invert(input, classical);
  }
  const listed = deps.inversionPeaks(input, inversion);
  let peaks = listed.peaks;
  const warnings = [...listed.warnings];
  // The network's draws start from the classical solver's, so it takes that solver's default.
  const draws = options.uncertainty ?? deps.defaultDraws(inversion.solver);
  let uncertainty: (PeakUncertainty | undefined)[] | undefined;
  let unconfirmed: ReturnType<typeof confirmInversionPeaks>['unconfirmed'] = [];
  if (draws > 0 && peaks.length) {
    const maps = networkMap
      ? await (resampleDl?.(draws, 1) ?? [])
      : deps.replicateDistributions(input, inversion, {
          count: draws,
          seed: 1,
          ...(options.onProgress
            ? { onDraw: (done: number, count: number) => options.onProgress!(`uncertainty: draw ${done} of ${count}`) }
            : {}),
        });
    if (maps.length) {
      const confirmed = deps.confirmInversionPeaks(input, inversion, listed, maps);
      peaks = confirmed.peaks;
      uncertainty = confirmed.uncertainty;
      unconfirmed = confirmed.unconfirmed;
      warnings.push(...confirmed.notes);
    }
  }
  const shape = acq.axes.map((a) => a.values.length);
  const sigma = inversion.solver.sigma;
  const diagnostics =
    sigma > 0 && Number.isFinite(sigma)
      ? deps.residualDiagnostics(acq.data, inversion.solver.fitted, sigma, shape)
      : undefined;
  // which network ran, on which execution provider, and whether its map was kept (the safety net's verdict)
  const withModel = model ? { ...provenance, model } : provenance;
  const document = toResultDocument(inversion, peaks, withModel, {
    experiment: acq.experiment,
    metadata: acq.metadata,
    measured: acq, // fit.decays: the measured decays beside the fit
    ...(diagnostics ? { diagnostics } : {}),
    ...(uncertainty ? { uncertainty } : {}),
    ...(unconfirmed.length ? { unconfirmed } : {}),
    warnings: [...acq.warnings, ...warnings, ...(diagnostics?.warnings ?? [])],
  });
  if (acq.vendorResults?.length) {
    document.vendorResults = compareVendorResults(acq.vendorResults, document);
    // toResultDocument checked the rest
    checkFiniteNumbers({ vendorResults: document.vendorResults }, 'analyseAcquisition');
  }
  const modelId = typeof model?.modelId === 'string' ? model.modelId : undefined;
  return { document, method: inversion.method, ...(modelId ? { modelId } : {}) };
}
