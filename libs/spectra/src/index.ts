export * from './processing';
export * from './peaks';
