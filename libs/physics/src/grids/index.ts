export { logGrid } from './logGrid';
export { autoGrid } from './autoGrid';
export type { AutoGrid, AutoGridOptions } from './autoGrid';
