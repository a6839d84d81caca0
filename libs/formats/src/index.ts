export type { Acquisition, AcquisitionAxis, AcquisitionMetadata, Experiment } from './acquisition';
export { FormatError } from './acquisition';
