/**
 * The one vocabulary of Laplace NMR in Lapis: kernel, experiment and axis names and the SI units their values are
 * written in. Every schema, reader and solver takes its names from here — libs/physics' `KernelName` and
 * libs/formats' `Experiment` are these types — so a name is added or changed in one place.
 * No zod here (readers import it on the command's start-up path): `@lapis/contracts/vocabulary`.
 */
import type { SI_UNITS } from './units';

/**
 * Kernel families (x the axis value, y the unknown): `T1-IR` 1 − (1+β)·exp(−x/T1), `T1-SR` 1 − exp(−x/T1), `T2`
 * exp(−x/T2) (x in s), `D` exp(−x·D) (x is b in s/m², D in m²/s).
 */
export const KERNEL_NAMES = ['T1-IR', 'T1-SR', 'T2', 'D'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** Experiments of `lapis-acquisition/1` and of every reader: 1D, then 2D with axes[0] down the rows. */
export const EXPERIMENTS = ['T1', 'T2', 'D', 'T1-T2', 'D-T2', 'T2-T2'] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

/** Which kernels each axis of an experiment may use, axis by axis. */
export const EXPERIMENT_KERNELS: Readonly<Record<Experiment, readonly (readonly KernelName[])[]>> = {
  T1: [['T1-IR', 'T1-SR']],
  T2: [['T2']],
  D: [['D']],
  'T1-T2': [['T1-IR', 'T1-SR'], ['T2']],
  'D-T2': [['D'], ['T2']],
  'T2-T2': [['T2'], ['T2']],
};

/** Names of the unknowns a kernel resolves: the axes of a relaxation or diffusion distribution. */
export const RELAXATION_AXIS_NAMES = ['T1', 'T2', 'D'] as const;
export type RelaxationAxisName = (typeof RELAXATION_AXIS_NAMES)[number];

/** SI unit of what an acquisition varied: delays and echo times in s, b-values in s/m². */
export type AcquisitionSiUnit = (typeof SI_UNITS)['time' | 'b-value'];

/** SI unit of a relaxation time or diffusion coefficient: s or m²/s. */
export type RelaxationSiUnit = (typeof SI_UNITS)['time' | 'diffusion'];
