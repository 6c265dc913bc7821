// The project export format (`taskwire.project`, version 1): one JSON document
// that carries a project to another instance. People are named by email, never
// by id, since ids mean nothing elsewhere; order is kept by the fields the
// stores sort on (a task's status and position, a message's createdAt), and
// lists come in that order (tasks by column then position, messages oldest first).

import { z } from 'zod';
import type { Message, Project, Room, RoomMember, Task } from '../domain/entities.js';
import { ColumnView, RoleEnum } from './views.js';

export const EXPORT_FORMAT = 'taskwire.project';
export const EXPORT_VERSION = 1;

const isoTime = z.string().describe('ISO 8601 time in UTC');
const email = z.string().describe('the account\'s email address');

export const ExportedMember = z.object({ email, name: z.string(), role: RoleEnum });
export type ExportedMember = z.infer<typeof ExportedMember>;

export const ExportedTask = z.object({
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  status: z.string().describe('the key of its column'),
  assigneeEmail: email.nullable(),
  dueAt: isoTime.nullable(),
  labels: z.array(z.string()),
  position: z.string().describe('fractional ordering key within the column, kept as is'),
  createdByEmail: email.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  completedAt: isoTime.nullable(),
  fields: z.record(z.string(), z.unknown()).describe("plugins' values by plugin name"),
});
export type ExportedTask = z.infer<typeof ExportedTask>;

export const ExportedMessage = z.object({
  authorEmail: email.nullable().describe('null for authors without an account address (chat guests, hooks, the system user)'),
  authorName: z.string(),
  text: z.string(),
  source: z.enum(['web', 'slack', 'discord', 'api']),
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable(),
});
export type ExportedMessage = z.infer<typeof ExportedMessage>;

export const ExportedRoomMember = z.object({ email, role: z.enum(['member', 'admin']) });
export type ExportedRoomMember = z.infer<typeof ExportedRoomMember>;

export const ExportedRoom = z.object({
  name: z.string(),
  topic: z.string(),
  private: z.boolean(),
  createdAt: isoTime,
  members: z.array(ExportedRoomMember),
  messagesIncluded: z.boolean().describe('false for a private room the exporter is not in: its messages stay private'),
  messages: z.array(ExportedMessage).describe('oldest first'),
});
export type ExportedRoom = z.infer<typeof ExportedRoom>;

export const ExportedProject = z.object({ name: z.string(), description: z.string(), columns: z.array(ColumnView) });

export const ProjectExport = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: isoTime,
  project: ExportedProject,
  members: z.array(ExportedMember),
  tasks: z.array(ExportedTask).describe('by column (board order), then position'),
  rooms: z.array(ExportedRoom).describe('in creation order'),
});
export type ProjectExport = z.infer<typeof ProjectExport>;

/** Account addresses by user id; null for a user without one that means anything elsewhere. */
export type EmailOf = (userId: string | null) => string | null;

export const exportedProject = (p: Project): ProjectExport['project'] => ({ name: p.name, description: p.description, columns: p.columns.map((c) => ({ key: c.key, name: c.name })) });

export const exportedTask = (t: Task, emailOf: EmailOf): ExportedTask => ({
  number: t.number,
  title: t.title,
  description: t.description,
  status: t.status,
  assigneeEmail: emailOf(t.assigneeId),
  dueAt: t.dueAt,
  labels: [...t.labels],
  position: t.position,
  createdByEmail: emailOf(t.createdBy),
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  completedAt: t.completedAt,
  fields: structuredClone(t.fields ?? {}),
});

export const exportedMessage = (m: Message, emailOf: EmailOf): ExportedMessage => ({
  authorEmail: emailOf(m.authorId),
  authorName: m.authorName,
  text: m.text,
  source: m.source,
  createdAt: m.createdAt,
  editedAt: m.editedAt,
  deletedAt: m.deletedAt,
});

/** A room without its messages, which are streamed after it. */
export const exportedRoomHead = (r: Room, members: readonly RoomMember[], emailOf: EmailOf, messagesIncluded: boolean): Omit<ExportedRoom, 'messages'> => ({
  name: r.name,
  topic: r.topic,
  private: r.private,
  createdAt: r.createdAt,
  members: members.flatMap((m) => {
    const address = emailOf(m.userId);
    return address ? [{ email: address, role: m.role }] : [];
  }),
  messagesIncluded,
});

export const Skipped = z.object({
  kind: z.enum(['member', 'roomMember', 'field']).describe("member: a person of the document with no verified account here; roomMember: a room's member who is not a member here; field: a task field no plugin here accepts"),
  email: z.string().optional(),
  room: z.string().optional(),
  plugin: z.string().optional(),
  reason: z.string(),
});
export type Skipped = z.infer<typeof Skipped>;

export const ImportSummary = z.object({
  tasks: z.number().int(),
  rooms: z.number().int(),
  messages: z.number().int(),
  members: z.number().int().describe('members of the new project, the importer included'),
  skipped: z.array(Skipped),
});
export type ImportSummary = z.infer<typeof ImportSummary>;
