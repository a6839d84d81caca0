// The WebAssembly kernels of @lapis/physics (libs/physics/scripts/buildKernels.mjs compiles this entry).
export { nnls, nnlsScratchBytes, nnlsIterations, nnlsConverged } from './nnls';
export { symmetricEigen, symmetricEigenScratchBytes } from './symmetricEigen';
export { packPanels, productPacked, transpose } from './matMul';
export { choleskyInPlace, choleskySolveInPlace } from './cholesky';
export { applyPenalty, laplacian, penaltyDiagonal, upenWeights } from './upenPenalty';
export { residualStatistics } from './residualStatistics';
export { applyScratchBytes, compressedApply, compressedHalfApplyT } from './compressedOperator';
export { exactStep } from './exactStep';
export { operatorGram, operatorGramScratchBytes } from './operatorGram';
export { cellGramEntries, groupedOuterSums, rowPairProducts } from './cellGramTables';
export { normalEquations } from './normalEquations';
export { componentProject } from './componentProject';
export { componentJacobian } from './componentJacobian';
export { upenFreeSet, upenProgress } from './upenStep';
// scanDecimal and its helpers are exported only to be named by the compilation hints (scripts/compilationHints.mjs).
export { decimalRun, decimalRunCount, productError, scaleExactly, scanDecimal } from './decimalRun';
export {
  addScaled,
  componentResidual,
  geometricMean,
  maxAbsFinite,
  positivePart,
  residualEnergy,
  scaleColumns,
  squaresAndMaxAbs,
  unconstrainedResidual2,
} from './dataSums';
export { freeSetFactor } from './freeSetFactor';
export { matchedCurve, recoveryKernel } from './irCurve';
export { evenKernelRows, exponentialRows } from './kernelRows';
export { dualPrimal } from './dualNewtonSteps';
export { absRowColSums, columnGram, gramDiagonal } from './gramTables';
export { v8ExpArray } from './exp';
export { componentWindow } from './componentWindow';
export { watershedRegions, watershedScratchBytes } from './watershed';
