// Tasks on a project's board: list, create, read, update, delete and move.
// Writes are optimistic: each carries the version it was based on, checked by
// the store at commit (`expect`), so of two edits based on one version exactly
// one wins and the other gets 409 with the current task. Ordering uses
// fractional keys (core/domain/ordering): a move writes the moved task only;
// the whole column is rewritten only when no usable key fits (see placeIn).

import type { Actor } from '../domain/actor.js';
import { compareOrdered, evenKeys, keyBetween, needsRebalance } from '../domain/ordering.js';
import { ConflictError, NotFoundError, UnknownReferenceError } from '../errors.js';
import { presentTask, type TaskView } from '../presenters/index.js';
import type { Project, Task, TaskMove } from '../store/entities.js';
import { StoreConflictError } from '../store/errors.js';
import type { Page, PageRequest, UnitOfWork } from '../store/ports.js';
import { projectAccess, requireUser } from './access.js';
import { commit, type ServiceDeps } from './deps.js';
import { doneColumn } from './projects.js';

/** Optional inputs may arrive as explicit undefined from the validators. */
type Opt<T> = T | undefined;

/** dueBefore: ISO 8601 UTC, as stored dueAt values are. */
export interface TaskFilter { status?: Opt<string>; assigneeId?: Opt<string>; label?: Opt<string>; q?: Opt<string>; dueBefore?: Opt<string> }

export interface TaskFields {
  title?: Opt<string>; description?: Opt<string>; status?: Opt<string>; assigneeId?: Opt<string | null>; dueAt?: Opt<string | null>; labels?: Opt<string[]>;
  /** Plugin values by plugin name, already checked against their schemas (core/plugins); null removes one. Not taken from HTTP bodies. */
  fields?: Opt<Record<string, unknown>>;
}

export type NewTask = TaskFields & {
  title: string;
  /** Set by `/task add` (core/services/commands.ts); not taken from HTTP bodies. */
  fromChat?: Opt<boolean>;
};

/** afterId: the task to follow; beforeId: the task to precede; neither: the end of the column. */
export interface MoveInput { status: string; afterId?: Opt<string | null>; beforeId?: Opt<string | null> }

/** `reverse`: last column first, each column from its end (a board shows Done's newest end first). */
export type TaskOrder = 'board' | 'reverse';

export async function listTasks(deps: ServiceDeps, actor: Actor, projectId: string, filter: TaskFilter, page: PageRequest, order: TaskOrder = 'board'): Promise<Page<TaskView>> {
  const { project } = await projectAccess(deps, actor, projectId, 'task.read');
  if (filter.status !== undefined) requireColumn(project, filter.status, 'status');
  const statusOrder = project.columns.map((c) => c.key);
  const result = await deps.store.tasks.list(projectId, { ...filter, statusOrder, reverse: order === 'reverse' }, page);
  return { items: result.items.map(presentTask), nextCursor: result.nextCursor };
}

export interface ColumnCount { key: string; name: string; count: number }

/**
 * The board's columns with how many tasks (matching the filters) each holds. Counted from the tasks at the
 * time of the read, never kept as a counter, so concurrent moves cannot make it drift.
 */
export async function listColumns(deps: ServiceDeps, actor: Actor, projectId: string, filter: Omit<TaskFilter, 'status'>): Promise<ColumnCount[]> {
  const { project } = await projectAccess(deps, actor, projectId, 'task.read');
  const counts = await deps.store.tasks.countColumns(projectId, { ...filter, statusOrder: project.columns.map((c) => c.key) });
  return project.columns.map((column, i) => ({ key: column.key, name: column.name, count: counts[i] ?? 0 }));
}

export async function getTask(deps: ServiceDeps, actor: Actor, taskId: string): Promise<TaskView> {
  const { task } = await taskAccess(deps, actor, taskId, 'task.read');
  return presentTask(task);
}

export async function createTask(deps: ServiceDeps, actor: Actor, projectId: string, input: NewTask): Promise<TaskView> {
  const { project } = await projectAccess(deps, actor, projectId, 'task.write');
  const userId = requireUser(actor);
  const status = input.status ?? project.columns[0]!.key;
  requireColumn(project, status, 'status');
  if (input.assigneeId) await requireAssignee(deps, projectId, input.assigneeId);
  const number = await deps.store.projects.nextTaskNumber(projectId);
  const now = deps.now().toISOString();
  const task: Task = {
    id: deps.newId(),
    projectId,
    number,
    title: input.title.trim(),
    description: input.description ?? '',
    status,
    assigneeId: input.assigneeId ?? null,
    assignedAt: input.assigneeId ? now : null,
    dueAt: input.dueAt ?? null,
    labels: input.labels ?? [],
    position: '',
    version: 1,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
    completedAt: status === doneColumn(project) ? now : null,
    startedAt: null,
    fromChat: input.fromChat ?? false,
    fields: {},
  };
  const entered = enteredColumn(deps, project, task, null, now);
  // A retry can only be needed after a rebalance lost a race with another write in the column.
  return retrying(async () => null, async () => {
    const placement = await placeIn(deps, task, status, {});
    return writePlaced(deps, { task: entered.task, base: null, placement, type: 'task.created', actorId: userId, now, move: entered.move });
  });
}

export async function updateTask(deps: ServiceDeps, actor: Actor, taskId: string, fields: TaskFields, version: number): Promise<TaskView> {
  return retrying(ownConflict(deps, taskId, version), async () => {
    const { task, project, userId } = await writableTask(deps, actor, taskId, version);
    if (fields.status !== undefined) requireColumn(project, fields.status, 'status');
    if (fields.assigneeId && fields.assigneeId !== task.assigneeId) await requireAssignee(deps, task.projectId, fields.assigneeId);
    const now = deps.now().toISOString();
    const status = fields.status ?? task.status;
    const edited: Task = {
      ...task,
      title: fields.title?.trim() ?? task.title,
      description: fields.description ?? task.description,
      status,
      assigneeId: fields.assigneeId === undefined ? task.assigneeId : fields.assigneeId,
      assignedAt: fields.assigneeId === undefined || fields.assigneeId === task.assigneeId ? (task.assignedAt ?? null) : fields.assigneeId ? now : null,
      dueAt: fields.dueAt === undefined ? task.dueAt : fields.dueAt,
      labels: fields.labels ?? task.labels,
      fields: fields.fields ? mergeFields(task.fields ?? {}, fields.fields) : (task.fields ?? {}),
      version: task.version + 1,
      updatedAt: now,
      completedAt: completedAt(project, task, status, now),
    };
    const { task: next, move } = enteredColumn(deps, project, edited, task, now);
    // A status change through PATCH lands at the end of the new column, like a move without neighbours.
    const placement: Placement = status === task.status ? { key: task.position } : await placeIn(deps, next, status, {});
    return writePlaced(deps, { task: next, base: task, placement, type: 'task.updated', actorId: userId, now, move });
  });
}

export async function moveTask(deps: ServiceDeps, actor: Actor, taskId: string, input: MoveInput, version: number): Promise<TaskView> {
  return retrying(ownConflict(deps, taskId, version), async () => {
    const { task, project, userId } = await writableTask(deps, actor, taskId, version);
    requireColumn(project, input.status, 'status');
    const now = deps.now().toISOString();
    const moved: Task = { ...task, status: input.status, version: task.version + 1, updatedAt: now, completedAt: completedAt(project, task, input.status, now) };
    const { task: next, move } = enteredColumn(deps, project, moved, task, now);
    const placement = await placeIn(deps, next, input.status, { afterId: input.afterId ?? null, beforeId: input.beforeId ?? null });
    return writePlaced(deps, { task: next, base: task, placement, type: 'task.moved', actorId: userId, now, move });
  });
}

export async function deleteTask(deps: ServiceDeps, actor: Actor, taskId: string, version?: number): Promise<void> {
  // Without a version the caller deletes whatever the task is now: a conflict (the task or its column changed
  // between the reads and the commit) is read again and retried, never a 409.
  const own = async (): Promise<Error | null> => {
    const current = await deps.store.tasks.get(taskId);
    if (!current) return new NotFoundError('Task not found.');
    return version !== undefined && current.version !== version ? conflictWith(current) : null;
  };
  await retrying(own, async () => {
    const { task, userId } = await writableTask(deps, actor, taskId, version);
    // Its moves go with it (a deleted task counts nowhere); the version read with them makes a move racing in a conflict.
    const moves = await deps.store.taskMoves.listByTask(task.id);
    await commit(deps, { projectId: task.projectId }, (uow) => {
      uow.remove('tasks', task.id, { version: task.version });
      moves.forEach((move) => uow.remove('taskMoves', move.id));
      uow.append({ type: 'task.deleted', actorId: userId, data: { id: task.id, projectId: task.projectId, status: task.status } });
    });
  });
}

async function taskAccess(deps: ServiceDeps, actor: Actor, taskId: string, action: 'task.read' | 'task.write'): Promise<{ task: Task; project: Project }> {
  const task = await deps.store.tasks.get(taskId);
  if (!task) throw new NotFoundError('Task not found.');
  try {
    const { project } = await projectAccess(deps, actor, task.projectId, action);
    return { task, project };
  } catch (error) {
    // The caller may not learn that the task's project exists either.
    if (error instanceof NotFoundError) throw new NotFoundError('Task not found.');
    throw error;
  }
}

async function writableTask(deps: ServiceDeps, actor: Actor, taskId: string, version: number | undefined): Promise<{ task: Task; project: Project; userId: string }> {
  const { task, project } = await taskAccess(deps, actor, taskId, 'task.write');
  const userId = requireUser(actor);
  if (version !== undefined && version !== task.version) throw conflictWith(task);
  return { task, project, userId };
}

function requireColumn(project: Project, status: string, path: string): void {
  if (!project.columns.some((c) => c.key === status)) {
    throw new UnknownReferenceError(path, `must be one of the board's columns: ${project.columns.map((c) => c.key).join(', ')}`, `The board has no column "${status}".`);
  }
}

async function requireAssignee(deps: ServiceDeps, projectId: string, userId: string): Promise<void> {
  if (!(await deps.store.members.get(projectId, userId))) throw new UnknownReferenceError('assigneeId', 'must be a member of the project', 'The assignee is not a member of the project.');
}

function mergeFields(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/**
 * What a task entering `next.status` records for analytics: the move (none when the column did not change) and
 * `startedAt`, set the first time the task is outside the board's first column and kept from then on.
 */
function enteredColumn(deps: ServiceDeps, project: Project, next: Task, before: Task | null, now: string): { task: Task; move: TaskMove | null } {
  const startedAt = before?.startedAt ?? (next.status !== project.columns[0]?.key ? now : null);
  const task: Task = { ...next, startedAt };
  if (before && before.status === next.status) return { task, move: null };
  return { task, move: { id: deps.newId(), projectId: next.projectId, taskId: next.id, from: before?.status ?? null, to: next.status, at: now } };
}

/** Set when a task enters the done column, kept while it stays there, cleared when it leaves. */
function completedAt(project: Project, before: Task, status: string, now: string): string | null {
  if (status !== doneColumn(project)) return null;
  return before.status === status ? (before.completedAt ?? now) : now;
}

function conflictWith(current: Task): ConflictError {
  return new ConflictError(`The task was changed by someone else (it is at version ${current.version}); reload it and try again.`, [{ current: presentTask(current) }]);
}

/** The error for a commit conflict on the task itself (409 with the current task), or null when the task still has `version`. */
function ownConflict(deps: ServiceDeps, taskId: string, version: number | undefined): () => Promise<Error | null> {
  return async () => {
    const current = await deps.store.tasks.get(taskId);
    if (!current) return new NotFoundError('Task not found.');
    return version === undefined || current.version !== version ? conflictWith(current) : null;
  };
}

const ATTEMPTS = 3;

/**
 * A commit conflict means the task itself changed (`own` says so, with the
 * error to answer), or, only while a column was being rebalanced, another task
 * of that column did: then the whole operation runs again on fresh reads.
 */
async function retrying<T>(own: () => Promise<Error | null>, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      const answer = await own();
      if (answer) throw answer;
      if (i >= ATTEMPTS) throw new ConflictError('The column kept changing while it was being reordered; try again.');
    }
  }
}

/** Where a task goes: a new key between its neighbours, or the whole column (task included) in its new order. */
type Placement = { key: string } | { column: Task[] };

interface Anchors {
  afterId?: string | null;
  beforeId?: string | null;
}

/**
 * Finds the neighbours the task goes between in `status` (afterId: the task it
 * follows; beforeId: the one it precedes; neither: the end) and a key between
 * them. Equal or crossed neighbour keys, or a key over the length bound, call
 * for a rebalance of the column instead.
 */
async function placeIn(deps: ServiceDeps, task: Task, status: string, anchors: Anchors): Promise<Placement> {
  const [prev, next] = await neighbours(deps, task, status, anchors);
  const key = keyBetween(prev?.position ?? null, next?.position ?? null);
  if (key !== null && !needsRebalance(key)) return { key };
  const column = (await readColumn(deps, task.projectId, status)).filter((t) => t.id !== task.id);
  const index = prev ? column.findIndex((t) => t.id === prev.id) + 1 : next ? column.findIndex((t) => t.id === next.id) : column.length;
  // A neighbour that left the column between the two reads: the caller's retry starts over.
  if (index < 0 || (prev && index === 0)) throw new StoreConflictError('tasks', null);
  column.splice(index, 0, task);
  return { column };
}

/** The tasks just before and just after the place asked for, never counting the task itself. */
async function neighbours(deps: ServiceDeps, task: Task, status: string, anchors: Anchors): Promise<[Task | null, Task | null]> {
  const step = async (from: Task | null, direction: 'next' | 'prev'): Promise<Task | null> => {
    const found = await deps.store.tasks.neighbor(task.projectId, status, from, direction);
    return found?.id === task.id ? deps.store.tasks.neighbor(task.projectId, status, found, direction) : found;
  };
  const follows = anchors.afterId ? await anchor(deps, task, status, anchors.afterId, 'afterId') : null;
  const precedes = anchors.beforeId ? await anchor(deps, task, status, anchors.beforeId, 'beforeId') : null;
  if (follows) {
    const next = await step(follows, 'next');
    if (precedes && next?.id !== precedes.id) {
      throw new ConflictError('afterId and beforeId are no longer next to each other; reload the column and try again.', [{ current: presentTask(task) }]);
    }
    return [follows, next];
  }
  if (precedes) return [await step(precedes, 'prev'), precedes];
  return [await step(null, 'prev'), null];
}

async function anchor(deps: ServiceDeps, task: Task, status: string, id: string, path: string): Promise<Task> {
  const found = id === task.id ? null : await deps.store.tasks.get(id);
  if (!found || found.projectId !== task.projectId || found.status !== status) {
    throw new UnknownReferenceError(path, `must be another task in the column ${status}`, `That neighbour is not in the column ${status}.`);
  }
  return found;
}

async function readColumn(deps: ServiceDeps, projectId: string, status: string): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Task> = await deps.store.tasks.list(projectId, { statusOrder: [status] }, { limit: 200, cursor });
    tasks.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return tasks.sort(compareOrdered);
}

interface PlacedWrite {
  /** The task after the change, position still to be filled in. */
  task: Task;
  /** The stored task it replaces (its version is expected at commit), or null for an insert. */
  base: Task | null;
  placement: Placement;
  type: 'task.created' | 'task.updated' | 'task.moved';
  actorId: string;
  now: string;
  /** The column the task entered, when it changed (see enteredColumn). */
  move: TaskMove | null;
}

async function writePlaced(deps: ServiceDeps, write: PlacedWrite): Promise<TaskView> {
  const { base, placement } = write;
  let task: Task = { ...write.task };
  await commit(deps, { projectId: task.projectId }, (uow) => {
    if ('key' in placement) {
      task.position = placement.key;
    } else {
      task = rebalance(uow, placement.column, task, write);
    }
    if (base) uow.replace('tasks', task, { version: base.version });
    else uow.insert('tasks', task);
    if (write.move) uow.insert('taskMoves', write.move);
    uow.append({ type: write.type, actorId: write.actorId, data: presentTask(task) });
  });
  return presentTask(task);
}

/**
 * Gives the column fresh, short keys in its current order with `task` at its
 * new place. Every other task rewritten gets a new version (a PATCH based on
 * its old version must not write the old position back) and its own
 * task.moved change, so clients that apply changes one by one stay in order.
 */
function rebalance(uow: UnitOfWork, column: Task[], task: Task, write: PlacedWrite): Task {
  const keys = evenKeys(column.length);
  let placed = task;
  column.forEach((other, i) => {
    const position = keys[i]!;
    if (other.id === task.id) {
      placed = { ...task, position };
      return;
    }
    if (other.position === position) return;
    const moved: Task = { ...other, position, version: other.version + 1, updatedAt: write.now };
    uow.replace('tasks', moved, { version: other.version });
    uow.append({ type: 'task.moved', actorId: write.actorId, data: presentTask(moved) });
  });
  return placed;
}
