export { forward1d } from './forward1d';
export { forward2d } from './forward2d';
