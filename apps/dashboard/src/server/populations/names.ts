/**
 * The names users give populations (populationSeries.ts attaches them by position). Naming again under the same
 * experiment, scope and name moves the name to the new position; forgetting deletes it.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { populationNames } from '../db/schema';
import { textFilterSchema } from '../api/inputs';
import { POSITION_AXES, type PopulationName } from './populationSeries';

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** The experiment as acquisitions store it (`T1-T2`, or the axes of a layout without one, e.g. `shift-T1`). */
export const experimentNameSchema = z
  .string()
  .min(1)
  .max(40)
  .refine((s) => !CONTROL.test(s), 'control characters are not allowed');

export const populationNameInput = z.strictObject({
  experiment: experimentNameSchema,
  /** Samples whose name starts with this ('' for every sample of the experiment). */
  scope: textFilterSchema.default(''),
  name: z
    .string()
    .trim()
    .min(1, 'a name is needed')
    .max(40)
    .refine((s) => !CONTROL.test(s), 'control characters are not allowed'),
  /** log10 position per axis (ppm for shift), where the population is. */
  centre: z
    .partialRecord(z.enum(POSITION_AXES), z.number().finite().min(-400).max(400))
    .refine((c) => Object.keys(c).length > 0, 'the position needs at least one axis'),
});
export type PopulationNameInput = z.input<typeof populationNameInput>;

/** Stores a name (or moves an existing one of the same experiment, scope and name to this position). */
export async function saveName(db: Db, input: PopulationNameInput): Promise<void> {
  const v = populationNameInput.parse(input);
  await db
    .insert(populationNames)
    .values({ experiment: v.experiment, scope: v.scope, name: v.name, centre: v.centre })
    .onConflictDoUpdate({
      target: [populationNames.experiment, populationNames.scope, populationNames.name],
      set: { centre: v.centre, createdAt: new Date() },
    });
}

export async function forgetName(db: Db, id: number): Promise<void> {
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`forgetName: bad id ${id}`);
  await db.delete(populationNames).where(eq(populationNames.id, id));
}

/** The names of one experiment. */
export async function namesOf(db: Db, experiment: string): Promise<PopulationName[]> {
  const rows = await db.select().from(populationNames).where(eq(populationNames.experiment, experiment));
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope,
    name: r.name,
    centre: r.centre as PopulationName['centre'],
  }));
}
