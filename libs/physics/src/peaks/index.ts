export {
  confirmInversionPeaks,
  inversionPeaks,
  type InversionPeaksOptions,
  type InversionPeaksResult,
} from './inversionPeaks';
export { estimatedIrBeta, inversionCompressed, type InvertedMap } from './invertedMap';
export { peakDataSnr } from './peakDataSnr';
export { componentTest, type ComponentTestOptions, type ComponentTestResult } from './componentTest';
export { mergeTest, type MergeTestOptions, type MergeTestResult } from './mergeTest';
export { fitComponents, type ComponentStart } from './componentModel';
export { chiSquareQuantile } from './chiSquare';
