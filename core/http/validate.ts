// zod issues → the API's validation error: one detail per bad field, named by
// its path in the body or query ("title", "labels.2"), as in shared/API.md.

import type { z } from 'zod';
import { ValidationError, type FieldProblem } from '../errors.js';

export function toProblems(error: z.ZodError, wholeName: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: 'is not an allowed field' }));
    }
    return [{ path: base || wholeName, message: issue.message }];
  });
}

/** Parses `value` with `schema`, or throws a ValidationError naming every bad field (`wholeName` for the value itself). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, wholeName: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toProblems(result.error, wholeName));
  return result.data;
}
