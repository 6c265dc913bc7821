// The import's body: a `taskwire.project` document (core/presenters/transfer.ts),
// checked field by field with the limits of the routes that write the same
// records, then as a whole (statuses among the columns, unique task numbers and
// room names, messages oldest first), so a bad document is refused with every
// problem named and nothing created.

import { z } from 'zod';
import { MyProjectView, RoleEnum } from '../../../presenters/index.js';
import { EXPORT_FORMAT, EXPORT_VERSION, ImportSummary } from '../../../presenters/transfer.js';
import { MAX_MESSAGE_LENGTH } from '../../../services/messages.js';
import { Email, oneOfValuesAt, sortedBy, text, uniqueBy } from '../common.js';
import { Columns } from '../projects/schema.js';
import { RoomName, Topic } from '../rooms/schema.js';
import { Description, IsoTime, Labels, Status, Title } from '../tasks/schema.js';

/** The import route's own body limit; every other route keeps 1 MB. */
export const IMPORT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;

export const IMPORT_LIMITS = { members: 5_000, tasks: 100_000, rooms: 500, roomMembers: 5_000, messages: 500_000 } as const;

const at = (max: number, what: string) => `at most ${max} ${what}`;

const ImportedMember = z.object({ email: Email, name: z.string().max(200), role: RoleEnum }).strict();

const ImportedTask = z
  .object({
    number: z.number().int().min(1).max(1_000_000_000),
    title: Title,
    description: Description,
    status: Status.meta(oneOfValuesAt('/project/columns/*/key')),
    assigneeEmail: Email.nullable(),
    dueAt: IsoTime.nullable(),
    labels: Labels,
    position: z.string().regex(/^[0-9A-Za-z]{1,200}$/, 'must be an ordering key: 1-200 letters and digits'),
    createdByEmail: Email.nullable(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    completedAt: IsoTime.nullable(),
    fields: z.record(z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a plugin name'), z.unknown()),
  })
  .strict();

const ImportedMessage = z
  .object({
    authorEmail: Email.nullable(),
    authorName: z.string().max(200),
    // Empty for a deleted message's tombstone.
    text: z.string().max(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`),
    source: z.enum(['web', 'slack', 'discord', 'api']),
    createdAt: IsoTime,
    editedAt: IsoTime.nullable(),
    deletedAt: IsoTime.nullable(),
  })
  .strict();

const ImportedRoom = z
  .object({
    name: RoomName,
    topic: Topic,
    private: z.boolean(),
    createdAt: IsoTime,
    members: z.array(z.object({ email: Email, role: z.enum(['member', 'admin']) }).strict()).max(IMPORT_LIMITS.roomMembers, at(IMPORT_LIMITS.roomMembers, 'members')),
    messagesIncluded: z.boolean(),
    messages: z.array(ImportedMessage).max(IMPORT_LIMITS.messages, at(IMPORT_LIMITS.messages, 'messages')).meta(sortedBy('createdAt')),
  })
  .strict();

type Document = z.output<typeof DocumentShape>;

const DocumentShape = z
  .object({
    format: z.literal(EXPORT_FORMAT, { message: `must be "${EXPORT_FORMAT}"` }),
    version: z.literal(EXPORT_VERSION, { message: `this server reads version ${EXPORT_VERSION} of the format` }),
    exportedAt: IsoTime,
    project: z.object({ name: text(1, 100), description: text(0, 2000), columns: Columns }).strict(),
    members: z.array(ImportedMember).max(IMPORT_LIMITS.members, at(IMPORT_LIMITS.members, 'members')).meta(uniqueBy('email', true)),
    tasks: z.array(ImportedTask).max(IMPORT_LIMITS.tasks, at(IMPORT_LIMITS.tasks, 'tasks')).meta(uniqueBy('number')),
    rooms: z.array(ImportedRoom).max(IMPORT_LIMITS.rooms, at(IMPORT_LIMITS.rooms, 'rooms')).meta(uniqueBy('name')),
  })
  .strict();

/** What no single field shows: references between parts of the document. */
function consistent(doc: Document, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const columns = doc.project.columns.map((c) => c.key);
  const numbers = new Set<number>();
  doc.tasks.forEach((task, i) => {
    if (!columns.includes(task.status)) problem(['tasks', i, 'status'], `must be one of the board's columns: ${columns.join(', ')}`);
    if (numbers.has(task.number)) problem(['tasks', i, 'number'], 'is the number of another task');
    numbers.add(task.number);
  });
  const emails = new Set<string>();
  doc.members.forEach((member, i) => {
    const email = member.email.toLowerCase();
    if (emails.has(email)) problem(['members', i, 'email'], 'is listed twice');
    emails.add(email);
  });
  const names = new Set<string>();
  let messages = 0;
  doc.rooms.forEach((room, i) => {
    if (names.has(room.name)) problem(['rooms', i, 'name'], 'is the name of another room');
    names.add(room.name);
    messages += room.messages.length;
    const late = room.messages.findIndex((m, j) => j > 0 && m.createdAt < room.messages[j - 1]!.createdAt);
    if (late >= 0) problem(['rooms', i, 'messages', late, 'createdAt'], 'is before the previous message: messages must be oldest first');
  });
  if (messages > IMPORT_LIMITS.messages) problem(['rooms'], at(IMPORT_LIMITS.messages, 'messages in all'));
}

export const ProjectImport = DocumentShape.superRefine(consistent);

export const ImportResult = z.object({ project: MyProjectView, summary: ImportSummary });
