export * from './types';
export * from './kernels';
export * from './diffusion';
export * from './grids';
export * from './linalg';
export * from './forward';
export * from './simulate';
export * from './inversion';
