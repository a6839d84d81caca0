export type { Acquisition, AcquisitionAxis, AcquisitionMetadata, Experiment, VendorValue } from './acquisition';
export { FormatError } from './acquisition';
export { acquisitionProblem, checkAcquisition } from './checkAcquisition';
export * from './lapis';
export * from './textMatrix';
export {
  detectAndRead,
  detectReader,
  readDetected,
  unreadablePath,
  registerReader,
  listReaders,
  builtInReaders,
  lapisAcquisitionReader,
  textMatrixReader,
} from './read';
export type { ReadOptions, FormatReader, DetectedReader } from './read';
export * from './bruker';
export * from './completion';
export * from './prospa';
export * from './minispec';
export * from './tecmag';
export * from './geospec';
export * from './spinsolve';
