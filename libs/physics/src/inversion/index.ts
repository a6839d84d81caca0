export { invert, MAX_UNEXPLAINED_SIGNAL, METHODS, UnexplainedDataError } from './invert';
export { AUTO_UPEN_MIN_SNR } from './chooseMethod';
export type { Method, InvertAxis, InvertInput, InvertOptions, OutputAxis, Inversion } from './invert';
export { estimateInversionFactor } from './estimateInversionFactor';
export { defaultDraws, replicateDistributions } from './replicateDistributions';
export type { ReplicateOptions } from './replicateDistributions';
