export { apodizationOf, apodizationWindow, describeApodization } from './apodization';
export type { Apodization } from './apodization';
export { autoPhaseL1 } from './autoPhaseL1';
export type { AutoPhaseL1Options, PhaseVectors } from './autoPhaseL1';
export { FNMODE_MODES, MC2_MODES, isPhaseSensitive, isRealT1, t1Count } from './f1Modes';
export type { F1Mode } from './f1Modes';
export { burgCoefficients, extendForward } from './linearPrediction';
export { columnSpreads, noise2d, subtractBaseline2d } from './noise2d';
export { processSpectrum2d } from './processSpectrum2d';
export type {
  Dimension2d,
  DimensionOptions,
  Phase2d,
  ProcessSpectrum2dOptions,
  Spectral2d,
  Spectrum2d,
} from './processSpectrum2d';
