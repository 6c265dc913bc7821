// Schemas shared by several routes: ids in paths, list paging, and strings
// whose empty or whitespace-only form is as bad as a missing one.

import { z } from 'zod';

export const Id = z.string().min(1).max(100);

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1000).optional(),
});

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
    .refine((value) => value.trim().length >= min, `must have at least ${min} non-blank character${min === 1 ? '' : 's'}`);

export const Email = z.string().max(300).trim().pipe(z.email('must be an email address').max(254));
