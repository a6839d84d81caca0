export * from './processing';
export * from './peaks';
export * from './process2d';
export * from './denoise';
export * from './nus';
