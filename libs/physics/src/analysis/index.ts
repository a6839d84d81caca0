export type { Peak, PeakLike } from './types';
export { describePeak, findPeaks } from './findPeaks';
export type { FindPeaksOptions, FindPeaksResult } from './findPeaks';
export { marginals } from './marginals';
export type { Marginals } from './marginals';
export { logMean } from './logMean';
export { peakRatios } from './peakRatios';
export type { PeakRatio, PeakRatiosOptions } from './peakRatios';
export { cutoffFractions } from './cutoffFractions';
export type { CutoffFractions } from './cutoffFractions';
export { residualDiagnostics } from './residualDiagnostics';
export type { ResidualDiagnostics, ResidualDiagnosticsOptions } from './residualDiagnostics';
export { scorePeaks } from './scorePeaks';
export type { PeakScore, TruthScore, ScorePeaksOptions } from './scorePeaks';
export { findReplicatePeaks, peakUncertainty } from './peakUncertainty';
export type { PeakUncertainty, PeakUncertaintyOptions } from './peakUncertainty';
export { confirmPeaks } from './confirmPeaks';
export type { ConfirmPeaksOptions, ConfirmPeaksResult } from './confirmPeaks';
export { regionContacts } from './regionContacts';
export { logDistance, matchLogPositions } from './matchPeaks';
export type { LogMatch } from './matchPeaks';
export { trackPopulations } from './trackPopulations';
export type {
  PopulationTrack,
  SeriesPeak,
  TrackEvent,
  TrackedSeries,
  TrackPopulationsOptions,
} from './trackPopulations';
