export { poissonGapSchedule } from './schedule';
export type { PoissonGapOptions } from './schedule';
export { istColumn } from './istColumn';
export type { IstColumnResult, IstColumnSettings, IstModel } from './istColumn';
export { istReconstruct, nusRowsPerPoint } from './istReconstruct';
export type { IstOptions, IstQuality, IstResult, IstValidation } from './istReconstruct';
export { closeNusDomain, NusQualityTally, openNusDomain } from './nusDomain';
export type { NusDomain, NusDomainOptions } from './nusDomain';
export {
  compareNus,
  hsqcLikePeaks,
  nusCase,
  pearson,
  peakIntensities,
  plainSpectrum2d,
  rlne,
  sampleRows,
  simulateNus2d,
} from './simulateNus';
export type { NusCaseOptions, NusPeak, PlainSpectrum2d, SimulateNusOptions } from './simulateNus';
export { nusPeakConfidence } from './peakConfidence';
export type { NusPeakConfidence } from './peakConfidence';
