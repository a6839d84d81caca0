export { problem1d, type Problem, type SolverResult, type CommonSolverOptions } from './types';
export { finishResult } from './finishResult';
export {
  iltTikhonov,
  solveTikhonovCompressed,
  type TikhonovOptions,
  type AlphaRule,
  type TikhonovSolve,
} from './iltTikhonov';
export { iltUpen, type UpenOptions } from './iltUpen';
export {
  iltSparse,
  dualElasticNet,
  type SparseOptions,
  type ElasticNetOptions,
  type ElasticNetSolution,
} from './iltSparse';
export { iltNnls, type NnlsInversionOptions } from './iltNnls';
