export { logGrid } from './logGrid';
export { autoGrid } from './autoGrid';
export type { AutoGrid, AutoGridOptions } from './autoGrid';
export {
  DIFFUSION_LIMITS,
  MAX_ACQUISITION_TIME,
  MAX_B_VALUE,
  RELAXATION_TIME_LIMITS,
  maxAxisValue,
  outputLimits,
} from './physicalLimits';
