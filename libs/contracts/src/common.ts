/**
 * Small schema pieces shared by the document schemas of libs/contracts.
 */
import { z } from 'zod';
import { SI_UNITS } from './units';
import { EXPERIMENTS, KERNEL_NAMES, RELAXATION_AXIS_NAMES } from './vocabulary';
import type { Experiment, KernelName } from './vocabulary';

// zod 4's z.number() refuses NaN and ±Infinity, which is what every number in these documents needs.
export const finiteNumber = z.number();

/** Names of output axes: relaxation times, diffusion coefficient, and chemical shift for pseudo-2D maps. */
export const resultAxisNameSchema = z.enum([...RELAXATION_AXIS_NAMES, 'shift']);
export type ResultAxisName = z.infer<typeof resultAxisNameSchema>;

/** SI units of output axes (ppm for chemical shift). */
export const resultAxisUnitSchema = z.enum([SI_UNITS.time, SI_UNITS.diffusion, 'ppm']);
export type ResultAxisUnit = z.infer<typeof resultAxisUnitSchema>;

/** Kernel families of Laplace NMR (vocabulary.ts `KERNEL_NAMES`). */
export const kernelNameSchema = z.enum(KERNEL_NAMES);
/** The same as `KernelName` (vocabulary.ts); kept for existing imports. */
export type KernelNameContract = KernelName;

/** Experiments of `lapis-acquisition/1` (vocabulary.ts `EXPERIMENTS`). */
export const experimentSchema = z.enum(EXPERIMENTS);
/** The same as `Experiment` (vocabulary.ts); kept for existing imports. */
export type ExperimentContract = Experiment;
