// Schemas shared by several routes: ids in paths, list paging, and strings
// whose empty or whitespace-only form is as bad as a missing one.

import { z } from 'zod';
import { isTimeZone } from '../../domain/notify.js';
import { isDay } from '../../domain/zoned-days.js';
import { BY_TIME_AND_ID, cursorPattern, type CursorShape } from '../../store/cursor.js';

/** Ids are opaque, and never hold white space: a blank one is malformed (400), an unknown one names nothing (404). */
export const Id = z.string().min(1).max(100).regex(/^\S+$/, 'must be an id, without spaces');

/** The token of a mailed link or a chat connect code, as handed out (`twl_…`): anything else is malformed, not dead. */
export const LinkToken = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be the token of a link, exactly as it was handed out');

/** A list's cursor: the previous page's `nextCursor`, in the exact shape that list hands out. */
export const cursorOf = (shape: CursorShape) =>
  z
    .string()
    .min(1)
    .max(1000)
    .regex(new RegExp(cursorPattern(shape)), 'is not a cursor of this list (pass the nextCursor of the previous page)')
    .describe("the previous page's nextCursor");

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorOf(BY_TIME_AND_ID).optional(),
});

/**
 * Constraints between array items that JSON Schema cannot state, written into the
 * OpenAPI document as extensions so that clients (and test/conformance/hooks.py,
 * which teaches them to the fuzzer) know them: no two items share `property`.
 */
export const uniqueBy = (property: string, ignoreCase = false) => ({ 'x-unique-by': property, ...(ignoreCase ? { 'x-unique-ignore-case': true } : {}) });
/** The items are in ascending order of `property` (a date-time). */
export const sortedBy = (property: string) => ({ 'x-sorted-by': property });
/** The value is one of the values found at `pointer` in the same body (`*` for every item of an array). */
export const oneOfValuesAt = (pointer: string) => ({ 'x-one-of-values-at': pointer });

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * A string of min..max characters that must also hold min..max once trimmed
 * (so "   " is as empty as ""). min/max also land in the OpenAPI document.
 */
export const text = (min: number, max: number) =>
  z
    .string()
    .min(min, `must be at least ${min} character${min === 1 ? '' : 's'}`)
    .max(max, `must be at most ${max} characters`)
    .refine((value) => value.trim().length >= min, `must have at least ${min} non-blank character${min === 1 ? '' : 's'}`)
    // The document says what the refinement checks: some character that is not white space.
    .meta(min >= 1 ? { pattern: '\\S' } : {});

// The document states zod's own address pattern: a validator's `format: email` accepts addresses zod refuses.
export const Email = z
  .string()
  .max(300)
  .trim()
  .pipe(z.email('must be an email address').max(254))
  .meta({ pattern: z.regexes.email.source, maxLength: 254 });

/**
 * A PATCH body: the fields to change, at least one of them (an empty body is
 * refused rather than answered with the unchanged record).
 */
export const changes = <T extends z.ZodObject<z.ZodRawShape>>(schema: T, message = 'give at least one field to change') =>
  schema.refine((patch) => Object.values(patch).some((value) => value !== undefined), { message }).meta({ minProperties: 1 });

export const TimeZone = z
  .string()
  // A name of the wrong length is not looked up as well (one problem per parameter).
  .min(1, { abort: true })
  .max(64, { abort: true })
  .refine(isTimeZone, 'must be an IANA time zone name, like Europe/Paris or UTC')
  .describe('IANA time zone name')
  // This runtime's zones, listed so the document refuses what the check refuses (aliases are accepted too).
  .meta({ enum: [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])] });

/**
 * A calendar day as people write it in a query: YYYY-MM-DD, a date that exists (no 2026-02-30), in the years
 * 1970 to 9998 (time zones' rules are not known before, and the day after it must still have four digits).
 */
export const CalendarDay = z
  .string()
  .regex(/^(19[7-9]\d|[2-8]\d{3}|9[0-8]\d{2}|99[0-8]\d|999[0-8])-\d{2}-\d{2}$/, { message: 'must be a day written YYYY-MM-DD, from 1970 to 9998', abort: true })
  .refine(isDay, 'must be a real calendar date')
  .describe('a calendar day, YYYY-MM-DD')
  .meta({ format: 'date' });
