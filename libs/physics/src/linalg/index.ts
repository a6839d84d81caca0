export { symmetricEigen } from './symmetricEigen';
export { gramOf, kernelSvd } from './kernelSvd';
export type { KernelSvd, KernelSvdOptions } from './kernelSvd';
export { choleskyInPlace, choleskySolveInPlace } from './cholesky';
export { matMul, matMulTransA, matMulTransB } from './matMul';
export { goldenSection } from './goldenSection';
