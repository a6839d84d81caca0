export {
  coarsenGrid,
  compress,
  compressedFit,
  restrictPairs,
  type CompressedProblem,
  type CompressOptions,
} from './compress';
export { compressedOperator, type CompressedOperator } from './compressedOperator';
export { dualTikhonov, influenceTrace, traceInverse } from './dualTikhonov';
export { dualNewton, factorNewtonSystem, type DualNewtonOptions, type DualNewtonSolution } from './dualNewton';
export { nnls, type NnlsOptions, type NnlsResult } from './nnls';
export { absRowColSums } from './dataSums';
