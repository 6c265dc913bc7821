// Notices that follow from the change feed: `assigned` and `mentioned`, and
// the reminders of every task that changed. Each project's feed is read from a
// durable cursor, at least once and in order; everything done per change is
// idempotent (notifications are keyed, jobs are named), so reading a change
// twice (two nodes, a crash before the cursor moved) sends nothing twice.

import { mentionedPeople, notificationKey, readNotifyPrefs } from '../../core/domain/notify.js';
import { mayReceive } from '../../core/services/notifications.js';
import { commit } from '../../core/services/deps.js';
import type { Change, FeedCursor, Task, User } from '../../core/store/entities.js';
import { StoreConflictError, StoreDuplicateError } from '../../core/store/errors.js';
import type { TaskView, MessageView } from '../../core/presenters/index.js';
import type { Job } from '../queue.js';
import type { NotifyContext } from './context.js';
import { notify } from './record.js';
import { scheduleReminders } from './reminders.js';
import { notificationText } from './texts.js';

const CONSUMER = 'notifier';
const BATCH = 200;

export const feedCursorId = (projectId: string): string => `${CONSUMER}.${projectId}`;

export async function runFeed(ctx: NotifyContext, job: Job): Promise<void> {
  const projectId = job.data.projectId as string;
  const { store } = ctx.deps;
  let cursor = await store.feedCursors.get(feedCursorId(projectId));
  for (;;) {
    const changes = await store.changes.list(projectId, cursor?.seq ?? 0, BATCH);
    if (changes.length === 0) return;
    const touched = new Set<string>();
    for (const change of changes) await onChange(ctx, change, touched);
    for (const taskId of touched) {
      const task = await store.tasks.get(taskId);
      if (task) await scheduleReminders(ctx, task);
    }
    const next = await saveCursor(ctx, projectId, cursor, changes[changes.length - 1]!.seq);
    if (!next) return;
    cursor = next;
  }
}

/** Moves the cursor forward; null when another runner moved it meanwhile (it carries on from there). */
async function saveCursor(ctx: NotifyContext, projectId: string, current: FeedCursor | null, seq: number): Promise<FeedCursor | null> {
  const next: FeedCursor = { id: feedCursorId(projectId), consumer: CONSUMER, projectId, seq, updatedAt: ctx.deps.now().toISOString() };
  try {
    await commit(ctx.deps, { projectId: null }, (uow) => (current ? uow.replace('feedCursors', next, { seq: current.seq }) : uow.insert('feedCursors', next)));
    return next;
  } catch (error) {
    if (error instanceof StoreConflictError || error instanceof StoreDuplicateError) return null;
    throw error;
  }
}

async function onChange(ctx: NotifyContext, change: Change, touched: Set<string>): Promise<void> {
  const stale = Date.parse(change.at) < ctx.deps.now().getTime() - ctx.timings.catchUpMs;
  switch (change.type) {
    case 'task.created':
    case 'task.updated':
    case 'task.moved': {
      const view = change.data as unknown as TaskView;
      touched.add(view.id);
      if (!stale) await noticeAssignment(ctx, change, view);
      return;
    }
    case 'message.created':
      if (!stale) await noticeMentions(ctx, change, change.data as unknown as MessageView);
      return;
    default:
  }
}

/** The change that set the assignee (assignedAt === updatedAt) tells them, unless they did it themselves. */
async function noticeAssignment(ctx: NotifyContext, change: Change, view: TaskView): Promise<void> {
  if (!view.assigneeId || !view.assignedAt || view.assignedAt !== view.updatedAt) return;
  if (change.actorId === view.assigneeId) return;
  const { store } = ctx.deps;
  // Still that assignment? A notice about a task taken away since is noise.
  const task: Task | null = await store.tasks.get(view.id);
  if (!task || task.assigneeId !== view.assigneeId || task.assignedAt !== view.assignedAt) return;
  const user = await mayReceive(ctx.deps, view.assigneeId, task.projectId);
  if (!user) return;
  const prefs = readNotifyPrefs(user.notify);
  if (!prefs.assigned) return;
  const [project, actor] = await Promise.all([store.projects.get(task.projectId), change.actorId ? store.users.get(change.actorId) : null]);
  if (!project) return;
  await notify(ctx, user, prefs, {
    key: notificationKey.assigned(task.id, view.assignedAt, user.id),
    event: 'assigned',
    projectId: task.projectId,
    taskId: task.id,
    text: notificationText.assigned(actor?.name ?? 'Someone', task, project),
  });
}

async function noticeMentions(ctx: NotifyContext, change: Change, message: MessageView): Promise<void> {
  if (!message.text.includes('@')) return;
  const { store } = ctx.deps;
  const people = await projectPeople(ctx, change.projectId);
  const mentioned = mentionedPeople(message.text, people).filter((person) => person.id !== message.authorId);
  if (mentioned.length === 0) return;
  const [project, room] = await Promise.all([store.projects.get(change.projectId), store.rooms.get(message.roomId)]);
  if (!project || !room) return;
  for (const person of mentioned) {
    const user = await mayReceive(ctx.deps, person.id, change.projectId, room.id);
    if (!user) continue;
    const prefs = readNotifyPrefs(user.notify);
    if (!prefs.mentioned) continue;
    await notify(ctx, user, prefs, {
      key: notificationKey.mentioned(message.id, user.id),
      event: 'mentioned',
      projectId: change.projectId,
      messageId: message.id,
      text: notificationText.mentioned(message.authorName || 'Someone', room.name, project, message.text),
    });
  }
}

async function projectPeople(ctx: NotifyContext, projectId: string): Promise<User[]> {
  const { store } = ctx.deps;
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.members.listByProject(projectId, { limit: 200, cursor });
    ids.push(...page.items.map((m) => m.userId));
    cursor = page.nextCursor;
  } while (cursor);
  return store.users.getMany(ids);
}
