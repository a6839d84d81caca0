export { pickPeaks1d } from './pickPeaks1d';
export type { PickedPeaks, PickPeaks1dOptions, SpectrumPeak } from './pickPeaks1d';
export { fitLines } from './fitLines';
export type { Line, LineFit } from './fitLines';
export { savitzkyGolay } from './savitzkyGolay';
export { lineArea } from './lineshape';
export { pickPeaks2d } from './pickPeaks2d';
export type { Peak2d, PickedPeaks2d, PickPeaks2dOptions } from './pickPeaks2d';
