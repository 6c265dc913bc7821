// Importing a project: a `taskwire.project` document (validated by the route's
// schema) becomes a NEW project owned by the caller, with new ids, its task
// numbers, positions and message times kept, people matched by email
// (import-people.ts).
//
// Why the feed stays contiguous and means what it says: the records are staged
// first, in batches (units of work without feed entries), under the new
// project's id while no project row and no membership exist, so nothing of them
// is reachable yet (as with a deleted project's leftovers). One last unit writes
// the project and its members and appends one change, `project.imported` (seq
// 1): the project appears whole, and its feed starts with the change that made
// it. Replaying the history as task.created or message.created changes would
// send "assigned" and "mentioned" notices about the past, and hand old events
// to plugins as new.
//
// A failed import queues the purge of its id at once; one cut off by a crash is
// purged by a job queued before the first batch, due STAGING_LIMIT_MS later
// (a no-op once the project exists).

import type { Actor } from '../domain/actor.js';
import type { Entities, Project, Room } from '../domain/entities.js';
import { AppError, ForbiddenError, UnavailableError } from '../errors.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { presentMyProject, presentProject, type MyProjectView } from '../presenters/index.js';
import type { ExportedRoom, ImportSummary, ProjectExport, Skipped } from '../presenters/transfer.js';
import { commit, type ServiceDeps } from './deps.js';
import { matchPeople, type People } from './import-people.js';
import { fieldFilter, messageRecord, roomMemberRecords, roomRecord, taskMoveRecords, taskRecord, type TaskContext } from './import-records.js';
import { systemUser } from './messages.js';
import { orderedIds } from './ordered-ids.js';
import { GENERAL_ROOM } from './rooms.js';

export interface ImportDeps extends ServiceDeps {
  plugins: Pick<PluginRegistry, 'get'>;
  /** The jobs layer's purge of a project id that may never come to exist (jobs/purge). */
  purgeJobs: { later(projectId: string, delayMs: number): Promise<void> };
}

export interface ImportResult {
  project: MyProjectView;
  summary: ImportSummary;
}

/** Records per staging unit. */
const BATCH = 200;
/** Longer than any import takes: by then an import still without its project was cut off. */
const STAGING_LIMIT_MS = 6 * 3_600_000;

export async function importProject(deps: ImportDeps, actor: Actor, doc: ProjectExport): Promise<ImportResult> {
  if (actor.kind !== 'user') throw new ForbiddenError('Only a signed-in person can import a project.');
  const importer = await deps.store.users.get(actor.userId);
  if (!importer) throw new ForbiddenError('Only a signed-in person can import a project.');
  const projectId = deps.newId();
  const now = deps.now().toISOString();
  const people = await matchPeople(deps, importer, projectId, doc, now);
  await safetyNet(deps, projectId);
  const skipped: Skipped[] = [...people.skipped];
  const fields = fieldFilter(deps.plugins);
  const rooms = withGeneral(doc.rooms, now);
  try {
    const roomRecords = await stageRooms(deps, projectId, rooms, people, skipped, importer.id, now);
    const columns = { firstColumn: doc.project.columns[0]!.key, doneColumn: doc.project.columns.at(-1)!.key };
    await stageTasks(deps, projectId, doc, { projectId, people, importerId: importer.id, now, fields, ...columns });
    await stageMessages(deps, projectId, rooms, roomRecords, people);
    const project: Project = {
      id: projectId,
      name: doc.project.name.trim(),
      description: doc.project.description.trim(),
      columns: doc.project.columns.map((c) => ({ key: c.key, name: c.name.trim() })),
      createdBy: importer.id,
      createdAt: now,
      updatedAt: now,
    };
    const counts = { tasks: doc.tasks.length, rooms: rooms.length, messages: rooms.reduce((n, r) => n + r.messages.length, 0), members: people.members.length };
    await deps.store.projects.raiseTaskCounter(projectId, doc.tasks.reduce((n, t) => Math.max(n, t.number), 0));
    await commit(deps, { projectId }, (uow) => {
      uow.insert('projects', project);
      people.members.forEach((m) => uow.insert('members', m));
      uow.append({ type: 'project.imported', actorId: importer.id, data: { ...presentProject(project), imported: counts } });
    });
    deps.logger.info({ projectId, importerId: importer.id, ...counts, skipped: skipped.length }, 'a project was imported');
    return { project: presentMyProject(project, 'owner'), summary: { ...counts, skipped: [...skipped, ...fields.skipped()] } };
  } catch (error) {
    await deps.purgeJobs.later(projectId, 0).catch((cause: unknown) => deps.logger.warn({ err: cause, projectId }, 'queueing the purge of a failed import failed; it runs later'));
    throw error;
  }
}

/** Queued before anything is staged, so that even a crash leaves nothing behind for good. */
async function safetyNet(deps: ImportDeps, projectId: string): Promise<void> {
  try {
    await deps.purgeJobs.later(projectId, STAGING_LIMIT_MS);
  } catch (error) {
    if (error instanceof AppError) throw error;
    deps.logger.warn({ err: error }, 'an import could not queue its safety purge');
    throw new UnavailableError('Imports need the job queue, which is not reachable now; try again.');
  }
}

/** Every project has a general room (bridges and clients rely on it); a document without one gets an empty one. */
function withGeneral(rooms: readonly ExportedRoom[], now: string): ExportedRoom[] {
  if (rooms.some((r) => r.name === GENERAL_ROOM)) return [...rooms];
  return [{ name: GENERAL_ROOM, topic: '', private: false, createdAt: now, members: [], messagesIncluded: true, messages: [] }, ...rooms];
}

async function stage<C extends 'rooms' | 'roomMembers' | 'tasks' | 'messages'>(deps: ServiceDeps, projectId: string, collection: C, records: readonly Entities[C][]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) {
    const batch = records.slice(i, i + BATCH);
    await commit(deps, { projectId }, (uow) => batch.forEach((record) => uow.insert(collection, record)));
  }
}

/** Rooms are few: their records stay in memory as the messages' parents. */
async function stageRooms(deps: ServiceDeps, projectId: string, rooms: ExportedRoom[], people: People, skipped: Skipped[], importerId: string, now: string): Promise<Room[]> {
  const ids = orderedIds(deps, rooms.length);
  const records = rooms.map((r, i) => roomRecord(r, ids[i]!, projectId, importerId, now));
  await stage(deps, projectId, 'rooms', records);
  await stage(deps, projectId, 'roomMembers', rooms.flatMap((r, i) => roomMemberRecords(deps, r, records[i]!, people, skipped, now)));
  return records;
}

async function stageTasks(deps: ServiceDeps, projectId: string, doc: ProjectExport, context: TaskContext): Promise<void> {
  const ids = orderedIds(deps, doc.tasks.length);
  for (let i = 0; i < doc.tasks.length; i += BATCH) {
    const tasks = doc.tasks.slice(i, i + BATCH).map((t, j) => taskRecord(t, ids[i + j]!, context));
    const moves = tasks.flatMap((task) => taskMoveRecords(deps, task, context));
    // A task and its moves in one unit, as every write of a task keeps them.
    await commit(deps, { projectId }, (uow) => {
      tasks.forEach((task) => uow.insert('tasks', task));
      moves.forEach((move) => uow.insert('taskMoves', move));
    });
  }
}

async function stageMessages(deps: ServiceDeps, projectId: string, rooms: readonly ExportedRoom[], records: readonly Room[], people: People): Promise<void> {
  const orphaned = rooms.some((r) => r.messages.some((m) => people.idOf(m.authorEmail) === null));
  const fallbackAuthor = orphaned ? (await systemUser(deps)).id : '';
  for (const [index, r] of rooms.entries()) {
    const ids = orderedIds(deps, r.messages.length);
    for (let i = 0; i < r.messages.length; i += BATCH) {
      await stage(deps, projectId, 'messages', r.messages.slice(i, i + BATCH).map((m, j) => messageRecord(m, ids[i + j]!, records[index]!, people, fallbackAuthor)));
    }
  }
}
