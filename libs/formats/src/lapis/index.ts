export {
  readLapisAcquisition,
  LAPIS_ACQUISITION_FORMAT,
  ACQUISITION_JSON,
  MAX_ACQUISITION_JSON_BYTES,
} from './readLapisAcquisition';
export type { ReadLapisOptions } from './readLapisAcquisition';
export { writeLapisAcquisition } from './writeLapisAcquisition';
export type { WriteLapisOptions } from './writeLapisAcquisition';
