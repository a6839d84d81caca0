/** Magritek Spinsolve relaxation and diffusion experiments (T2, T1, T1IRT2, DT2, PGSTE): reader, registry entry, writer. */
export { parseSpinsolveParameters, SpinsolveParameters, spinsolveKind, SPINSOLVE_EXPERIMENTS } from './parameters';
export type { SpinsolveKind } from './parameters';
export { readSpinsolve } from './readSpinsolve';
export type { ReadSpinsolveOptions } from './readSpinsolve';
export { spinsolveReader } from './spinsolveReader';
export { formatSpinsolveParameters, simulateSpinsolve, spinsolveProspa } from './writeSpinsolve';
export type {
  SimulateSpinsolveOptions,
  SimulatedSpinsolve,
  SpinsolveExperimentName,
  SpinsolveVariant,
} from './writeSpinsolve';
