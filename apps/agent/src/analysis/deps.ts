/**
 * The physics the analysis uses, loaded on first use: `lapis invert` answers a typo in a path or an option without
 * loading libs/physics (half the command's start-up time). Injectable, so callers can test against stand-ins.
 */
import type {
  confirmInversionPeaks,
  defaultDraws,
  invert,
  inversionPeaks,
  replicateDistributions,
  residualDiagnostics,
} from '@lapis/physics';
import type { invertDl } from '@lapis/inference';

export interface AnalysisDeps {
  invert: typeof invert;
  /** The map's peaks with each one's signal in the data over σ; peaks the data do not show are left out. */
  inversionPeaks: typeof inversionPeaks;
  residualDiagnostics: typeof residualDiagnostics;
  replicateDistributions: typeof replicateDistributions;
  defaultDraws: typeof defaultDraws;
  /** Keeps the listed peaks to the populations the noise draws reproduce, with each one's uncertainty. */
  confirmInversionPeaks: typeof confirmInversionPeaks;
  /** `method: 'dl'`; loaded only when asked for (ONNX Runtime is a native module). */
  invertDl?: typeof invertDl;
}

/** libs/physics' functions, with `injected` ones in their place. */
export async function loadAnalysisDeps(injected: Partial<AnalysisDeps> = {}): Promise<AnalysisDeps> {
  const physics = await import('@lapis/physics');
  return {
    invert: physics.invert,
    inversionPeaks: physics.inversionPeaks,
    residualDiagnostics: physics.residualDiagnostics,
    replicateDistributions: physics.replicateDistributions,
    defaultDraws: physics.defaultDraws,
    confirmInversionPeaks: physics.confirmInversionPeaks,
    ...injected,
  };
}
