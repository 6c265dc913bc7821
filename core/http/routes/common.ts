// Schemas shared by several routes: ids in paths, list paging, and strings
// whose empty or whitespace-only form is as bad as a missing one.

import { z } from 'zod';

export const Id = z.string().min(1).max(100);

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1000).optional(),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A trimmed string of min..max characters (after trimming). */
export const text = (min: number, max: number) =>
  z
    .string()
    .max(max * 2, `must be at most ${max} characters`)
    .refine((value) => value.trim().length >= min, min > 0 ? `must have at least ${min} non-blank character${min > 1 ? 's' : ''}` : 'is not valid')
    .refine((value) => value.trim().length <= max, `must be at most ${max} characters`);

export const Email = z.string().max(300).trim().pipe(z.email('must be an email address').max(254));
