// Deadline reminders. Jobs are derived from the task and its assignee's
// preferences and named after everything that decides them (event, task,
// person, due time), so a changed due date, assignee or preference makes new
// jobs, and a job whose reason went away finds the task changed and sends
// nothing: "rescheduled" and "cancelled" need no bookkeeping of old jobs.

import { notificationKey, readNotifyPrefs, remindersFor, type Reminder, type ReminderEvent } from '../../core/domain/notify.js';
import { mayReceive, wasNotified } from '../../core/services/notifications.js';
import type { Task } from '../../core/store/entities.js';
import type { Job } from '../queue.js';
import { JOB, type NotifyContext } from './context.js';
import { notify } from './record.js';
import { notificationText } from './texts.js';

export interface ReminderJob {
  taskId: string;
  userId: string;
  event: ReminderEvent;
  dueAt: string;
  at: number;
}

/** A reminder job that fires this much before its time (clock skew between nodes) still counts as on time. */
const EARLY_TOLERANCE_MS = 2_000;

export const reminderJobId = (r: Reminder, taskId: string): string => `rem.${r.event}.${taskId}.${r.userId}.${r.at}`;

/** Queues the reminders `task` owes, skipping those already sent or missed by more than the catch-up window. */
export async function scheduleReminders(ctx: NotifyContext, task: Task): Promise<number> {
  if (!task.assigneeId || !task.dueAt || task.completedAt) return 0;
  const user = await ctx.deps.store.users.get(task.assigneeId);
  if (!user) return 0;
  const now = ctx.deps.now().getTime();
  let queued = 0;
  for (const reminder of remindersFor(task, readNotifyPrefs(user.notify))) {
    if (reminder.at < now - ctx.timings.catchUpMs) continue;
    if (await wasNotified(ctx.deps, notificationKey.reminder(reminder.event, task.id, task.dueAt, reminder.userId))) continue;
    const data: ReminderJob = { taskId: task.id, userId: reminder.userId, event: reminder.event, dueAt: task.dueAt, at: reminder.at };
    await ctx.queue.add(JOB.reminder, { ...data }, { id: reminderJobId(reminder, task.id), runAt: reminder.at, attempts: 5 });
    queued++;
  }
  return queued;
}

/** Sends the reminder if the store still says it is owed, to the person who still may read the task. */
export async function runReminder(ctx: NotifyContext, job: Job): Promise<void> {
  const r = job.data as unknown as ReminderJob;
  const { store } = ctx.deps;
  const task = await store.tasks.get(r.taskId);
  if (!task || task.assigneeId !== r.userId || task.dueAt !== r.dueAt || task.completedAt) return;
  const user = await mayReceive(ctx.deps, r.userId, task.projectId);
  if (!user) return;
  const prefs = readNotifyPrefs(user.notify);
  const owed = remindersFor(task, prefs).find((candidate) => candidate.event === r.event);
  // Preferences changed since it was queued: the job of the new time (if any) sends it.
  if (!owed || owed.at !== r.at) return;
  const now = ctx.deps.now().getTime();
  if (owed.at > now + EARLY_TOLERANCE_MS) throw new Error(`reminder ${job.id} ran ${owed.at - now} ms early`);
  if (owed.at < now - ctx.timings.catchUpMs) return;
  const project = await store.projects.get(task.projectId);
  if (!project) return;
  const text = r.event === 'due_soon' ? notificationText.dueSoon(task, project, prefs.timezone) : notificationText.overdue(task, project, prefs.timezone);
  await notify(ctx, user, prefs, {
    key: notificationKey.reminder(r.event, task.id, task.dueAt, user.id),
    event: r.event,
    projectId: task.projectId,
    taskId: task.id,
    text,
  });
}

/** Every open task assigned to `userId` (after their preferences changed), across their projects. */
export async function scheduleRemindersOfUser(ctx: NotifyContext, userId: string): Promise<void> {
  const { store } = ctx.deps;
  for (const member of await store.members.listByUser(userId)) {
    const project = await store.projects.get(member.projectId);
    if (!project) continue;
    let cursor: string | null = null;
    do {
      const page = await store.tasks.list(project.id, { statusOrder: project.columns.map((c) => c.key), assigneeId: userId }, { limit: 200, cursor });
      for (const task of page.items) await scheduleReminders(ctx, task);
      cursor = page.nextCursor;
    } while (cursor);
  }
}
