import { z } from 'zod';
import { MyProjectView } from '../../../presenters/index.js';
import { changes, Id, listOf, text, uniqueBy } from '../common.js';

export const ProjectParams = z.object({ projectId: Id });
export const ProjectCreate = z.object({ name: text(1, 100), description: text(0, 2000).optional() }).strict();

export const Columns = z
  .array(z.object({ key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1-32 lower-case letters, digits, - or _'), name: text(1, 50) }).strict())
  .min(1, 'a board needs at least one column')
  .max(20)
  .refine((columns) => new Set(columns.map((c) => c.key)).size === columns.length, 'column keys must be unique')
  // JSON Schema cannot say "unique by key": uniqueItems refuses the same column twice, the extension says the rest.
  .meta({ uniqueItems: true, ...uniqueBy('key') });

export const ProjectPatch = changes(z.object({ name: text(1, 100).optional(), description: text(0, 2000).optional(), columns: Columns.optional() }).strict());
export const ProjectList = listOf(MyProjectView);
