/**
 * `lapis-acquisition/1`: the open dataset layout, a directory holding `acquisition.json` and one text data file.
 * See docs/contracts.md. This schema checks the JSON document only; the data file is checked by its reader.
 */
import { z } from 'zod';
import { experimentSchema, finiteNumber, kernelNameSchema } from './common';
import { EXPERIMENT_KERNELS } from './vocabulary';
import { parseUnit, unitProblem } from './units';

export const LAPIS_ACQUISITION_FORMAT = 'lapis-acquisition/1';

/**
 * Units an axis of an acquisition may be written in: any time or b-value unit `parseUnit` (units.ts) knows — s, ms,
 * µs/us (micro sign U+00B5 or Greek mu U+03BC), min; s/m2, s/m^2, s/m², s m-2, s/mm², s/cm² … Readers convert to SI
 * (s, s/m²) with the same parser.
 */
export const acquisitionAxisUnitSchema = z.string().superRefine((unit, ctx) => {
  const problem = unitProblem(unit, ['time', 'b-value']);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export type AcquisitionAxisUnit = z.infer<typeof acquisitionAxisUnitSchema>;

export const acquisitionAxisDocSchema = z.looseObject({
  kernel: kernelNameSchema,
  /** What the sequence varied, in `unit`. */
  values: z.array(finiteNumber).min(1),
  unit: acquisitionAxisUnitSchema,
  /** Inversion efficiency of an inversion-recovery experiment, 1 − (1+β)·exp(−τ/T1); 0 < β ≤ 1 in practice. */
  beta: z.number().gt(0).max(1).optional(),
});
export type AcquisitionAxisDoc = z.infer<typeof acquisitionAxisDocSchema>;

const axisSchemaList = z.union([
  z.tuple([acquisitionAxisDocSchema]),
  z.tuple([acquisitionAxisDocSchema, acquisitionAxisDocSchema]),
]);

export const acquisitionDocSchema = z
  .looseObject({
    format: z.literal(LAPIS_ACQUISITION_FORMAT),
    experiment: experimentSchema,
    instrument: z.string().optional(),
    sample: z.string().optional(),
    /** ISO 8601. */
    acquiredAt: z.string().optional(),
    /** axes[0] runs down the rows of the data file, axes[1] across its columns. */
    axes: axisSchemaList,
    /** Name of the data file, relative to the directory (a bare file name, no path separators). */
    data: z
      .string()
      .min(1)
      .refine((s) => !s.includes('/') && !s.includes('\\') && s !== '.' && s !== '..', {
        message: 'must be a file name inside the acquisition directory',
      }),
  })
  .superRefine((doc, ctx) => {
    const allowed = EXPERIMENT_KERNELS[doc.experiment];
    if (doc.axes.length !== allowed.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['axes'],
        message: `experiment ${doc.experiment} needs ${allowed.length} ax${allowed.length === 1 ? 'is' : 'es'}, got ${doc.axes.length}`,
      });
      return;
    }
    doc.axes.forEach((axis, i) => {
      const ok = allowed[i]!;
      if (!ok.includes(axis.kernel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['axes', i, 'kernel'],
          message: `kernel ${axis.kernel} does not fit experiment ${doc.experiment} (expected ${ok.join(' or ')})`,
        });
      }
      const diffusion = axis.kernel === 'D';
      const quantity = parseUnit(axis.unit)?.quantity;
      if (quantity !== undefined && quantity !== (diffusion ? 'b-value' : 'time')) {
        ctx.addIssue({
          code: 'custom',
          path: ['axes', i, 'unit'],
          message: `unit ${axis.unit} does not fit kernel ${axis.kernel} (expected ${diffusion ? 'a b-value unit: s/m², s/mm² …' : 'a time unit: s, ms, µs …'})`,
        });
      }
    });
  });
export type AcquisitionDoc = z.infer<typeof acquisitionDocSchema>;
