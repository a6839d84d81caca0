export { readTextMatrix, TEXT_MATRIX_FORMAT } from './readTextMatrix';
export type { TextMatrixOptions, TextMatrixUnit } from './readTextMatrix';
export { writeTextMatrix } from './writeTextMatrix';
export type { TextMatrixPaths } from './writeTextMatrix';
export {
  readNumberTable,
  parseNumberTable,
  countNumbers,
  DEFAULT_MAX_BYTES,
  MAX_EXPORT_BYTES,
  MAX_AXIS_VALUES,
} from './readNumberTable';
export type { NumberTable, ReadNumberTableOptions } from './readNumberTable';
export { checkAxisValues, checkKernelName, experimentOfKernels } from './checkAxis';
export { writeFileAtomic } from './writeFileAtomic';
