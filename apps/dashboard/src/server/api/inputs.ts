/**
 * The building blocks of every procedure's input, so that anything the database or the code below could choke on
 * (a NUL in a filter, a 10 kB string, the year 275760, NaN) is a 400 at the door rather than a 500 later.
 */
import { z } from 'zod';

/** Longest free-text filter (sample substring or prefix). */
export const MAX_FILTER_LENGTH = 200;

// eslint-disable-next-line no-control-regex -- C0, DEL and C1: PostgreSQL refuses NUL, the rest are never wanted
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/** A user-typed filter: at most 200 characters, no control characters. */
export const textFilterSchema = z
  .string()
  .max(MAX_FILTER_LENGTH)
  .refine((s) => !CONTROL.test(s), 'control characters are not allowed');

/** Dates the database and `toISOString()` both handle in the ordinary form: 1970-01-01 to 9999-12-31 UTC. */
export const MIN_DATE = new Date('1970-01-01T00:00:00.000Z');
export const MAX_DATE = new Date('9999-12-31T23:59:59.999Z');

/**
 * A date: a Date (what superjson sends) or an ISO 8601 string (`2026-11-21`, `2026-11-21T10:00:00Z`, with an
 * offset), for clients without superjson. Calendar-invalid strings and dates out of range are refused.
 */
export const dateInputSchema = z
  .union([z.date(), z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'a date: ISO 8601 (2026-11-21, 2026-11-21T10:00:00Z) or a Date',
  })
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine(
    (d) => !Number.isNaN(d.getTime()) && d >= MIN_DATE && d <= MAX_DATE,
    'a date between 1970-01-01 and 9999-12-31',
  );

/** A result key as the agents make them: a lower-case sha256. */
export const keySchema = z.string().regex(/^[0-9a-f]{64}$/, 'a result key is a lower-case sha256');
