import { z } from 'zod';
import { TaskView } from '../../../presenters/index.js';
import { ValidationError } from '../../../errors.js';
import { BY_BOARD_ORDER } from '../../../store/cursor.js';
import { cursorOf, Id, PageQuery, listOf, text } from '../common.js';
import { ProjectParams } from '../projects/schema.js';

export { ProjectParams };
export const TaskParams = z.object({ taskId: Id });

/** Any ISO 8601 date-time with an offset, stored and compared as UTC (`...Z`), as every time in the API. */
export const IsoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).transform((value) => new Date(value).toISOString());

/** A column key, shaped as the board's column keys are (whether the board has it is the service's question). */
export const Status = z.string().min(1).max(32).regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be a column key: 1-32 lower-case letters, digits, - or _');
export const Title = text(1, 200);
// Not trimmed: leading indentation can matter in a description.
export const Description = z.string().max(20_000, 'must be at most 20000 characters');
const Label = z
  .string()
  .trim()
  .min(1, 'must have at least 1 non-blank character')
  .max(50, 'must be at most 50 characters')
  // What trim() then min(1) checks, in the document's words.
  .meta({ pattern: '\\S' });
export const Labels = z
  .array(Label)
  .max(20, 'at most 20 labels')
  .refine((labels) => new Set(labels).size === labels.length, 'labels must be distinct')
  .meta({ uniqueItems: true });
const Version = z.number().int().min(1);

export const TaskCreate = z
  .object({
    title: Title,
    description: Description.optional(),
    status: Status.optional(),
    assigneeId: Id.nullable().optional(),
    dueAt: IsoTime.nullable().optional(),
    labels: Labels.optional(),
  })
  .strict();

export const TaskPatch = z
  .object({
    title: Title.optional(),
    description: Description.optional(),
    status: Status.optional(),
    assigneeId: Id.nullable().optional(),
    dueAt: IsoTime.nullable().optional(),
    labels: Labels.optional(),
    version: Version.optional().describe('the version this edit is based on; or send it as If-Match'),
  })
  .strict()
  // The document asks for the body's version: a client that sends If-Match instead still gets through.
  .meta({ required: ['version'] });

export const TaskMove = z
  .object({
    status: Status,
    afterId: Id.nullable().optional().describe('the task it should follow in the column'),
    beforeId: Id.nullable().optional().describe('the task it should precede in the column'),
    version: Version.optional().describe('the version this move is based on; or send it as If-Match'),
  })
  .strict()
  .meta({ required: ['status', 'version'] });

/** The filters a board runs on the server, for its lists and its column counts alike. */
const TaskFilters = z.object({
  assigneeId: Id.optional(),
  label: Label.optional(),
  q: z.string().trim().min(1).max(200).meta({ pattern: '\\S' }).optional().describe('a case-insensitive part of the title or the description'),
  dueBefore: IsoTime.optional(),
});

export const TaskListQuery = PageQuery.extend({
  cursor: cursorOf(BY_BOARD_ORDER).optional(),
  status: Status.optional(),
  order: z
    .enum(['board', 'reverse'])
    .default('board')
    .describe('board: by column, then position; reverse: the last column first, each from its end (Done: the most recently completed first)'),
  ...TaskFilters.shape,
});

export const TaskList = listOf(TaskView);

export const ColumnsQuery = TaskFilters;

export const ColumnCountView = z.object({
  key: z.string(),
  name: z.string(),
  count: z.number().int().min(0).describe('tasks in the column that match the filters'),
});

export const ColumnCounts = z.object({ items: z.array(ColumnCountView) });

/**
 * The version a write is based on, from the body or If-Match (`3`, `"3"` or
 * `W/"3"`): at least one is required, and when both are sent they must agree.
 */
export function basedOnVersion(bodyVersion: number | undefined, ifMatch: string | undefined, required = true): number | undefined {
  let headerVersion: number | undefined;
  if (ifMatch) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(ifMatch.trim());
    if (!match) throw new ValidationError([{ path: 'If-Match', message: 'must be the task version, as in "3"' }]);
    headerVersion = Number(match[1]);
  }
  if (bodyVersion !== undefined && headerVersion !== undefined && bodyVersion !== headerVersion) {
    throw new ValidationError([{ path: 'version', message: 'must agree with the If-Match header' }]);
  }
  const version = bodyVersion ?? headerVersion;
  if (version === undefined && required) {
    throw new ValidationError([{ path: 'version', message: 'is required (in the body or as If-Match): the version this change is based on' }]);
  }
  return version;
}

/** The task version as a strong ETag, for If-Match on the next write. */
export const etagOf = (version: number): string => `"${version}"`;
