/**
 * One acquisition → one `lapis-result/1` document: invert (classical, or the network with its classical safety net),
 * find the peaks, check the residuals, build the document. `lapis invert` and the agent both call this, so the
 * command line and the agent publish identical documents for identical data and parameters.
 */
import type { ResultDoc, ResultProvenance } from '@lapis/contracts';
import type { Acquisition } from '@lapis/formats';
import type {
  findPeaks,
  invert,
  InvertInput,
  InvertOptions,
  Inversion,
  Method,
  PeakUncertainty,
  peakUncertainty,
  replicateDistributions,
  residualDiagnostics,
} from '@lapis/physics';
import type { invertDl } from '@lapis/inference';
import { toResultDocument } from './toResultDocument';

/** The physics the analysis uses; injectable so callers can be tested against stand-ins. */
export interface AnalysisDeps {
  invert: typeof invert;
  findPeaks: typeof findPeaks;
  residualDiagnostics: typeof residualDiagnostics;
  replicateDistributions: typeof replicateDistributions;
  peakUncertainty: typeof peakUncertainty;
  /** `method: 'dl'`; loaded only when asked for (ONNX Runtime is a native module). */
  invertDl?: typeof invertDl;
}

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
   * Draws of the parametric bootstrap behind each peak's `uncertainty` (0: none). Default 16 for Tikhonov, UPEN and
   * dl, which redraw in their compressed space (milliseconds for all 16); 0 for sparse and nnls, which are re-run
   * whole on each draw (give a number to have it anyway).
   */
  uncertainty?: number;
}

export interface AcquisitionAnalysis {
  document: ResultDoc;
  /** Method actually used (for `auto`, the one picked; for `dl`, `dl` or the classical fallback). */
  method: string;
  /** Network that ran (id), for `dl`. */
  modelId?: string;
  /** sha256 of the network that ran, for `dl`. */
  modelSha256?: string;
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
  if (options.method === 'dl') {
    const runDl = deps.invertDl ?? (await import('@lapis/inference')).invertDl;
    const dl = await runDl(input, { ...classical, ...(options.model ? { model: options.model } : {}) });
    const { dl: report, ...rest } = dl;
    // The result contract's method is a free string; 'dl' is not one of libs/physics' classical methods.
    inversion = rest as unknown as Inversion;
    const { attempts: _attempts, rejectedDistribution: _rejected, ...summary } = report;
    model = summary;
  } else {
    inversion = deps.invert(input, classical);
  }
  const gridAxes = inversion.axes.map((a) => a.values);
  const peaks = deps.findPeaks(inversion.distribution, gridAxes);
  // Default: 16 draws where the solver redraws in its compressed space (Tikhonov, UPEN: milliseconds); none where
  // every draw is a whole inversion (sparse, nnls: 0.3–3 s for 16), unless asked for.
  const cheap = inversion.solver.resample !== undefined || options.method === 'dl';
  const draws = options.uncertainty ?? (cheap ? 16 : 0);
  let uncertainty: PeakUncertainty[] | undefined;
  if (draws > 0 && peaks.peaks.length) {
    // The network's map: its own draws (each classical draw through the network) when the model offers them.
    const dlResample = (inversion as { resampleDl?: (count: number, seed: number) => Promise<Float64Array[]> })
      .resampleDl;
    const maps =
      inversion.method === ('dl' as Inversion['method'])
        ? dlResample
          ? await dlResample(draws, 1)
          : []
        : deps.replicateDistributions(input, inversion, { count: draws, seed: 1 });
    if (maps.length) uncertainty = deps.peakUncertainty(peaks.peaks, gridAxes, maps);
  }
  const shape = acq.axes.map((a) => a.values.length);
  const sigma = inversion.solver.sigma;
  const diagnostics =
    sigma > 0 && Number.isFinite(sigma)
      ? deps.residualDiagnostics(acq.data, inversion.solver.fitted, sigma, shape)
      : undefined;
  // which network ran, on which execution provider, and whether its map was kept (the safety net's verdict)
  const withModel = model ? { ...provenance, model } : provenance;
  const document = toResultDocument(inversion, peaks.peaks, withModel, {
    experiment: acq.experiment,
    metadata: acq.metadata,
    measured: acq, // fit.decays: the measured decays beside the fit
    ...(diagnostics ? { diagnostics } : {}),
    ...(uncertainty ? { uncertainty } : {}),
    warnings: [...acq.warnings, ...peaks.warnings, ...(diagnostics?.warnings ?? [])],
  });
  const modelId = typeof model?.modelId === 'string' ? model.modelId : undefined;
  const modelSha256 = typeof model?.sha256 === 'string' ? model.sha256 : undefined;
  return {
    document,
    method: inversion.method,
    ...(modelId ? { modelId } : {}),
    ...(modelSha256 ? { modelSha256 } : {}),
  };
}
