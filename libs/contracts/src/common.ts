/**
 * Small schema pieces shared by the document schemas of libs/contracts.
 */
import { z } from 'zod';

// zod 4's z.number() refuses NaN and ±Infinity, which is what every number in these documents needs.
export const finiteNumber = z.number();

/** Names of output axes: relaxation times, diffusion coefficient, and chemical shift for pseudo-2D maps. */
export const resultAxisNameSchema = z.enum(['T1', 'T2', 'D', 'shift']);
export type ResultAxisName = z.infer<typeof resultAxisNameSchema>;

/** SI units of output axes (ppm for chemical shift). */
export const resultAxisUnitSchema = z.enum(['s', 'm2/s', 'ppm']);
export type ResultAxisUnit = z.infer<typeof resultAxisUnitSchema>;

/** Kernel families of Laplace NMR (same names as libs/physics `KernelName`). */
export const kernelNameSchema = z.enum(['T1-IR', 'T1-SR', 'T2', 'D']);
export type KernelNameContract = z.infer<typeof kernelNameSchema>;

/** Experiments of `lapis-acquisition/1`. */
export const experimentSchema = z.enum(['T1', 'T2', 'D', 'T1-T2', 'D-T2', 'T2-T2']);
export type ExperimentContract = z.infer<typeof experimentSchema>;
