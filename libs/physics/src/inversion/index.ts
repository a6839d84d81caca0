export type { Problem, SolverResult, CommonSolverOptions } from './types';
export { problem1d } from './types';
export { coarsenGrid, compress, compressedFit, restrictPairs } from './compress';
export type { CompressedProblem, CompressOptions } from './compress';
export { compressedOperator } from './compressedOperator';
export type { CompressedOperator } from './compressedOperator';
export { dualTikhonov, influenceTrace, traceInverse } from './dualTikhonov';
export { iltTikhonov, solveTikhonovCompressed } from './iltTikhonov';
export type { TikhonovOptions, AlphaRule, TikhonovSolve } from './iltTikhonov';
export { finishResult } from './finishResult';
export { AUTO_UPEN_MIN_SNR, invert, MAX_UNEXPLAINED_SIGNAL, METHODS, UnexplainedDataError } from './invert';
export {
  confirmInversionPeaks,
  estimatedIrBeta,
  inversionCompressed,
  inversionPeaks,
  peakDataSnr,
} from './peakDataSnr';
export type { InversionPeaksOptions, InversionPeaksResult } from './peakDataSnr';
export { chiSquareQuantile, componentTest, fitComponents, mergeTest } from './componentTest';
export type {
  ComponentStart,
  ComponentTestOptions,
  ComponentTestResult,
  MergeTestOptions,
  MergeTestResult,
} from './componentTest';
export type { InvertedMap } from './peakDataSnr';
export type { Method, InvertAxis, InvertInput, InvertOptions, OutputAxis, Inversion } from './invert';
export { estimateInversionFactor } from './estimateInversionFactor';
export { iltUpen } from './iltUpen';
export type { UpenOptions } from './iltUpen';
export { iltSparse, dualElasticNet } from './iltSparse';
export type { SparseOptions, ElasticNetOptions, ElasticNetSolution } from './iltSparse';
export { nnls } from './nnls';
export type { NnlsOptions, NnlsResult } from './nnls';
export { iltNnls } from './iltNnls';
export type { NnlsInversionOptions } from './iltNnls';
export { dualNewton, factorNewtonSystem } from './dualNewton';
export type { DualNewtonOptions, DualNewtonSolution } from './dualNewton';
export { defaultDraws, replicateDistributions } from './replicateDistributions';
export type { ReplicateOptions } from './replicateDistributions';
