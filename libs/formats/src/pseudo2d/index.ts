export { fftInPlace, ifftInPlace, isPowerOfTwo } from './fft';
export { autoPhase0, autoPhaseAcme } from './autoPhase';
export { noiseSigma } from './noiseSigma';
export { findRegions } from './findRegions';
export type { FindRegionsOptions, IndexRegion } from './findRegions';
export { baselineCorrect } from './baselineCorrect';
export { processPseudo2d } from './processPseudo2d';
export type { ProcessPseudo2dOptions, Pseudo2dRegion, Pseudo2dResult, SpectralParameters } from './processPseudo2d';
