export { createRng } from './rng';
export type { Rng } from './rng';
export { simulate } from './simulate';
export type { SimPeak, SimAxis, SimulateOptions, Simulation } from './simulate';
