// The records of an imported project, built from its document: new ids, the
// document's order kept, people mapped to this instance's accounts.

import type { Message, Room, RoomMember, Task, TaskMove } from '../domain/entities.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { ExportedMessage, ExportedRoom, ExportedTask, Skipped } from '../presenters/transfer.js';
import type { ServiceDeps } from './deps.js';
import type { People } from './import-people.js';

export interface TaskContext {
  projectId: string;
  people: People;
  importerId: string;
  now: string;
  fields: FieldFilter;
  /** The imported board's first and last (done) column keys. */
  firstColumn: string;
  doneColumn: string;
}

export function taskRecord(t: ExportedTask, id: string, c: TaskContext): Task {
  const assigneeId = c.people.idOf(t.assigneeEmail);
  return {
    id,
    projectId: c.projectId,
    number: t.number,
    title: t.title,
    description: t.description,
    status: t.status,
    assigneeId,
    // The assignment is new here: it names this one, for its notice and reminders.
    assignedAt: assigneeId ? c.now : null,
    dueAt: t.dueAt,
    labels: [...t.labels],
    position: t.position,
    version: 1,
    // Whoever is not a member here: the task came in with the importer.
    createdBy: c.people.idOf(t.createdByEmail) ?? c.importerId,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    // A task cannot be done before it exists: a document that says so (clocks, hand edits) is read as done at once,
    // so no figure comes out negative.
    completedAt: t.completedAt && Date.parse(t.completedAt) < Date.parse(t.createdAt) ? t.createdAt : t.completedAt,
    // A document carries no history: a task outside the first column is taken to have started when it was created.
    startedAt: t.status === c.firstColumn ? null : t.createdAt,
    fromChat: false,
    fields: c.fields.keep(t.fields),
  };
}

/**
 * The moves that put an imported task where it is, for the cumulative flow: created in its column, or, when it
 * was completed, created in the first column and moved to done at its completion.
 */
export function taskMoveRecords(deps: Pick<ServiceDeps, 'newId'>, task: Task, c: Pick<TaskContext, 'firstColumn' | 'doneColumn'>): TaskMove[] {
  const move = (from: string | null, to: string, at: string): TaskMove => ({ id: deps.newId(), projectId: task.projectId, taskId: task.id, from, to, at });
  if (task.status === c.doneColumn && task.completedAt && task.status !== c.firstColumn) {
    // completedAt is never before createdAt (see above), so the column counts never go below zero.
    return [move(null, c.firstColumn, task.createdAt), move(c.firstColumn, task.status, task.completedAt)];
  }
  return [move(null, task.status, task.createdAt)];
}

export function roomRecord(r: ExportedRoom, id: string, projectId: string, importerId: string, now: string): Room {
  return { id, projectId, name: r.name, topic: r.topic, private: r.private, createdBy: importerId, createdAt: r.createdAt, updatedAt: now };
}

/** The room's members who are members of the new project; the others are reported. */
export function roomMemberRecords(deps: Pick<ServiceDeps, 'newId'>, r: ExportedRoom, room: Room, people: People, skipped: Skipped[], now: string): RoomMember[] {
  const reported = new Set(skipped.flatMap((s) => (s.kind === 'member' && s.email ? [s.email] : [])));
  return r.members.flatMap((m): RoomMember[] => {
    const userId = people.idOf(m.email);
    if (userId) return [{ id: deps.newId(), roomId: room.id, projectId: room.projectId, userId, role: m.role, createdAt: now }];
    if (!reported.has(m.email.toLowerCase())) skipped.push({ kind: 'roomMember', room: r.name, email: m.email, reason: 'not a member of the imported project' });
    return [];
  });
}

/** An author who is no member here keeps the name; the message is attributed to the system user, who never edits. */
export function messageRecord(m: ExportedMessage, id: string, room: Room, people: People, systemUserId: string): Message {
  return {
    id,
    roomId: room.id,
    projectId: room.projectId,
    authorId: people.idOf(m.authorEmail) ?? systemUserId,
    authorName: m.authorName,
    text: m.text,
    source: m.source,
    externalId: null,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deletedAt: m.deletedAt,
  };
}

export interface FieldFilter {
  /** The values this instance's plugins accept (each checked against its plugin's field schema, as any write of one is). */
  keep(fields: Record<string, unknown>): Record<string, unknown>;
  /** One entry per plugin whose values were dropped. */
  skipped(): Skipped[];
}

export function fieldFilter(plugins: Pick<PluginRegistry, 'get'>): FieldFilter {
  const dropped = new Map<string, string>();
  return {
    keep(fields) {
      const kept: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(fields)) {
        const field = plugins.get(name)?.field;
        // Checked on a copy, as plugin writes are: a schema may fill in defaults.
        const copy = structuredClone(value);
        if (field?.check(copy)) kept[name] = copy;
        else if (!dropped.has(name)) dropped.set(name, field ? 'the value does not match the plugin\'s field schema here' : 'no plugin with a task field of this name here');
      }
      return kept;
    },
    skipped: () => [...dropped].map(([plugin, reason]) => ({ kind: 'field' as const, plugin, reason })),
  };
}
