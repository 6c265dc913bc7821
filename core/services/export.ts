// Exporting a project (project admins): the whole project as one
// `taskwire.project` document, produced as a stream of JSON text read page by
// page from the store, so a big project is never held in memory (let alone
// twice). The caller writes the chunks out as they come.
//
// A private room's messages are exported only when the exporter may read them
// (is in the room): administering a room does not open its messages, here as
// everywhere (core/domain/policies.ts).

import type { Actor } from '../domain/actor.js';
import { canInRoom } from '../domain/policies.js';
import type { Member, Project, Room, Task, User } from '../domain/entities.js';
import type { Subject } from '../domain/policies.js';
import {
  EXPORT_FORMAT, EXPORT_VERSION, exportedMessage, exportedProject, exportedRoomHead, exportedTask, type EmailOf, type ExportedMember, type ExportedMessage, type ExportedTask,
} from '../presenters/transfer.js';
import type { Page } from '../store/ports.js';
import { projectAccess } from './access.js';
import type { ServiceDeps } from './deps.js';

const PAGE = 200;

export interface ProjectExportStream {
  /** `<project name>.taskwire.json`, reduced to safe characters. */
  filename: string;
  /** The document's JSON text, in order; may throw part-way (the store failing), which ends the document unfinished. */
  chunks: AsyncIterable<string>;
}

export async function exportProject(deps: ServiceDeps, actor: Actor, projectId: string): Promise<ProjectExportStream> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'project.export');
  return { filename: `${fileStem(project.name)}.taskwire.json`, chunks: logFailure(deps, projectId, documentText(deps, project, subject)) };
}

/** The name reduced to letters, digits, dots, dashes and underscores (a header and every file system take it). */
export function fileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return stem || 'project';
}

async function* logFailure(deps: ServiceDeps, projectId: string, chunks: AsyncIterable<string>): AsyncIterable<string> {
  try {
    yield* chunks;
  } catch (error) {
    deps.logger.error({ err: error, projectId }, 'an export failed part-way; the client got an unfinished document');
    throw error;
  }
}

async function* documentText(deps: ServiceDeps, project: Project, subject: Subject): AsyncIterable<string> {
  const emails = emailBook(deps);
  const head = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: deps.now().toISOString(), project: exportedProject(project) };
  yield `${JSON.stringify(head).slice(0, -1)},"members":[`;
  yield* joined(members(deps, project.id));
  yield '],"tasks":[';
  yield* joined(tasks(deps, project, emails));
  yield '],"rooms":[';
  let first = true;
  for (const room of await deps.store.rooms.listByProject(project.id)) {
    const roomMembers = await deps.store.roomMembers.listByRoom(room.id);
    await emails.load(roomMembers.map((m) => m.userId));
    const roomRole = roomMembers.find((m) => m.userId === subject.userId)?.role ?? null;
    const included = canInRoom(subject, 'room.read', { room, roomRole });
    yield `${first ? '' : ','}${JSON.stringify(exportedRoomHead(room, roomMembers, emails.of, included)).slice(0, -1)},"messages":[`;
    first = false;
    if (included) yield* joined(messages(deps, room, emails));
    yield ']}';
  }
  yield ']}';
}

/** Pages of items as JSON text, comma-separated across pages too. */
async function* joined(pages: AsyncIterable<unknown[]>): AsyncIterable<string> {
  let first = true;
  for await (const items of pages) {
    if (items.length === 0) continue;
    yield `${first ? '' : ','}${items.map((item) => JSON.stringify(item)).join(',')}`;
    first = false;
  }
}

async function* members(deps: ServiceDeps, projectId: string): AsyncIterable<ExportedMember[]> {
  let cursor: string | null = null;
  do {
    const page: Page<Member> = await deps.store.members.listByProject(projectId, { limit: PAGE, cursor });
    const users = new Map((await deps.store.users.getMany(page.items.map((m) => m.userId))).map((u) => [u.id, u]));
    yield page.items.flatMap((m) => {
      const user = users.get(m.userId);
      return user && portable(user) ? [{ email: user.email, name: user.name, role: m.role }] : [];
    });
    cursor = page.nextCursor;
  } while (cursor);
}

async function* tasks(deps: ServiceDeps, project: Project, emails: EmailBook): AsyncIterable<ExportedTask[]> {
  const statusOrder = project.columns.map((c) => c.key);
  // A task moved while the export pages through the board could come round twice; it is written once.
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: Page<Task> = await deps.store.tasks.list(project.id, { statusOrder }, { limit: PAGE, cursor });
    const fresh = page.items.filter((t) => !seen.has(t.id));
    fresh.forEach((t) => seen.add(t.id));
    await emails.load(fresh.flatMap((t) => [t.assigneeId, t.createdBy]));
    yield fresh.map((t) => exportedTask(t, emails.of));
    cursor = page.nextCursor;
  } while (cursor);
}

async function* messages(deps: ServiceDeps, room: Room, emails: EmailBook): AsyncIterable<ExportedMessage[]> {
  let afterId: string | null = null;
  for (;;) {
    const page = await deps.store.messages.listOldestFirst(room.id, { afterId, limit: PAGE });
    if (page.length === 0) return;
    await emails.load(page.map((m) => m.authorId));
    yield page.map((m) => exportedMessage(m, emails.of));
    afterId = page.at(-1)!.id;
  }
}

/** An address that names the same person elsewhere: not the `.invalid` ones of guests, hooks and the system user. */
const portable = (user: User): boolean => !user.email.endsWith('.invalid');

interface EmailBook {
  load(userIds: readonly (string | null)[]): Promise<void>;
  of: EmailOf;
}

/** Each author's and assignee's address, read once per export (users.getMany per page, for the ones not met yet). */
function emailBook(deps: ServiceDeps): EmailBook {
  const known = new Map<string, string | null>();
  return {
    async load(userIds) {
      const missing = [...new Set(userIds.filter((id): id is string => id !== null && !known.has(id)))];
      if (missing.length === 0) return;
      const users = await deps.store.users.getMany(missing);
      for (const id of missing) known.set(id, null);
      for (const user of users) known.set(user.id, portable(user) ? user.email : null);
    },
    of: (userId) => (userId === null ? null : (known.get(userId) ?? null)),
  };
}
