/**
 * The plain values of `lapis-result/1` — its format name, axis units, method names and per-axis keys — apart from
 * its zod schemas (result.ts), so that code building or printing a document loads no schema.
 */
import type { ResultAxisName, ResultAxisUnit } from './common';
import { SI_UNITS } from './units';

export const LAPIS_RESULT_FORMAT = 'lapis-result/1';

/** The unit each axis name must carry. */
export const resultAxisUnits: Record<ResultAxisName, ResultAxisUnit> = {
  T1: SI_UNITS.time,
  T2: SI_UNITS.time,
  D: SI_UNITS.diffusion,
  shift: 'ppm',
};

/** Known inversion methods; the schema accepts any non-empty name so new methods (e.g. a network) need no change. */
export const knownResultMethods = ['tikhonov', 'upen', 'sparse', 'nnls'] as const;

/** Keys of per-axis objects (position, widthDecades, extent) for the given axis names, in axis order. */
export function resultAxisKeys(names: readonly ResultAxisName[]): string[] {
  return names.map((name, i) => (names.indexOf(name) < i ? `${name}_2` : name));
}
