// Input building blocks shared by the routers. Text is refused when PostgreSQL would refuse it
// (NUL, lone UTF-16 surrogates) or when a varchar column could not hold it, so that bad input is
// a clear BAD_REQUEST naming the field, never a database error.
import { z } from 'zod';

/** What PostgreSQL refuses in text and jsonb: NUL, and UTF-16 surrogates that pair with nothing. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character to find
export const UNSTORABLE_TEXT = /\u0000|\p{Cs}/u;
const CONTROL = /\p{Cc}/u;

/** A zod error option: "is required" when the value is missing, else `message`. */
export const requiredOr = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : message;

/** Free text (descriptions, expressions): any printable text and line breaks, up to `max`. */
export const text = (max: number) =>
  z
    .string({ error: requiredOr('must be text') })
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) => !UNSTORABLE_TEXT.test(value),
      'contains characters that cannot be stored (NUL or broken Unicode)',
    );

/** A name: trimmed, not empty, one line, up to `max` characters. */
export const name = (max = 255) =>
  z
    .string({ error: requiredOr('must be text') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !UNSTORABLE_TEXT.test(value) && !CONTROL.test(value), 'must be one line of printable text');

/** Optional text that may be cleared: empty and blank become null. */
export const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((value) => (value === undefined ? undefined : value?.trim() ? value : null));

export const id = z.uuid({ error: requiredOr('must be an id (UUID)') });

/** An INTEGER column: whole, and within PostgreSQL's 32-bit range. */
export const int32 = z
  .int({ error: requiredOr('must be a whole number') })
  .min(-2_147_483_648)
  .max(2_147_483_647);
export const positiveInt32 = z
  .int({ error: requiredOr('must be a whole number') })
  .min(1, 'must be greater than 0')
  .max(2_147_483_647);

/** A duration in milliseconds for an INTERVAL column (up to ten years). */
export const durationMs = z.int('must be a whole number of milliseconds').min(0).max(315_360_000_000);

/** A JSON object (a device's or driver's config): storable text everywhere, at most 64 KiB. */
export const jsonObject = z
  .record(z.string(), z.json())
  .refine(storableJson, 'contains characters that cannot be stored (NUL or broken Unicode)')
  .refine((value) => JSON.stringify(value).length <= 65_536, 'must be at most 64 KiB of JSON');

function storableJson(value: unknown): boolean {
  if (typeof value === 'string') return !UNSTORABLE_TEXT.test(value);
  if (Array.isArray(value)) return value.every(storableJson);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, item]) => !UNSTORABLE_TEXT.test(key) && storableJson(item));
  }
  return true;
}

export const limit = (max: number, fallback: number) => z.int().min(1).max(max).default(fallback);
export const offset = z.int().min(0).max(1_000_000_000).default(0);

/** A JSON number that PostgreSQL's double precision holds (zod already refuses NaN and ±Infinity). */
export const double = z.number({ error: requiredOr('must be a number') });

/**
 * The input of an update procedure: the record's id and any of `fields`; at least one field,
 * since an update that changes nothing is a mistake worth telling.
 */
export function updateInput<Shape extends z.ZodRawShape>(fields: z.ZodObject<Shape>) {
  return z
    .object({ id })
    .extend(fields.partial().shape)
    .refine(
      (value) => Object.entries(value).some(([key, item]) => key !== 'id' && item !== undefined),
      'give at least one field to change besides id',
    );
}

/** A one-line name that may be left empty (null). */
export const optionalName = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), name(max).nullish());

/** A moment PostgreSQL can store and a person could mean: years 1900 to 9999. */
export const timestamp = z
  .date('must be a date and time')
  .min(new Date('1900-01-01T00:00:00Z'), 'must not be before 1900')
  .max(new Date('9999-12-31T23:59:59Z'), 'must not be after 9999');

/** One of the seed's enum labels, with the labels listed when the value is not one. */
export const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: requiredOr(`must be one of ${values.join(', ')}`) });
