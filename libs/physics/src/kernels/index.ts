export { kernelValue } from './kernelValue';
export { kernelMatrix } from './kernelMatrix';
