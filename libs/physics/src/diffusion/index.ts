export { bValue, bValues, gradientShapeFactors, GAMMA_1H } from './bValue';
export type { BValueOptions, GradientShape } from './bValue';
export { GYROMAGNETIC_RATIOS, gyromagneticRatio, normaliseNucleus } from './gyromagneticRatio';
