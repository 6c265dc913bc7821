// The daily digest, at 08:00 in each person's own timezone: their open tasks
// that are overdue or due within a day, and their unread count. One job per
// person and local day; each run queues the next day's.

import { DIGEST_HOUR, formatLocalTime, localDate, nextLocalHour, notificationKey, readNotifyPrefs } from '../../core/domain/notify.js';
import type { Task, User } from '../../core/store/entities.js';
import type { Job } from '../queue.js';
import { JOB, type NotifyContext } from './context.js';
import { notify } from './record.js';

const DAY_MS = 86_400_000;
const LISTED = 10;

export async function scheduleDigest(ctx: NotifyContext, user: User): Promise<void> {
  const prefs = readNotifyPrefs(user.notify);
  if (!prefs.digest) return;
  const at = nextLocalHour(ctx.deps.now().getTime(), prefs.timezone, DIGEST_HOUR);
  const day = localDate(at, prefs.timezone);
  await ctx.queue.add(JOB.digest, { userId: user.id, day }, { id: `digest.${user.id}.${day}`, runAt: at, attempts: 3 });
}

export async function runDigest(ctx: NotifyContext, job: Job): Promise<void> {
  const { store } = ctx.deps;
  const user = await store.users.get(job.data.userId as string);
  if (!user) return;
  const prefs = readNotifyPrefs(user.notify);
  if (!prefs.digest) return;
  const now = ctx.deps.now().getTime();
  const day = job.data.day as string;
  if (now - job.runAt < ctx.timings.catchUpMs) {
    const lines = await digestLines(ctx, user, now, prefs.timezone);
    const unread = await store.notifications.countUnread(user.id);
    if (lines.length > 0 || unread > 0) {
      const head = `Your day (${day}): ${lines.length} task${lines.length === 1 ? '' : 's'} need${lines.length === 1 ? 's' : ''} you, ${unread} unread notification${unread === 1 ? '' : 's'}.`;
      await notify(ctx, user, prefs, { key: notificationKey.digest(user.id, day), event: 'digest', projectId: null, text: [head, ...lines].join('\n') });
    }
  }
  await scheduleDigest(ctx, user);
}

async function digestLines(ctx: NotifyContext, user: User, now: number, timezone: string): Promise<string[]> {
  const { store } = ctx.deps;
  const lines: { due: number; text: string }[] = [];
  for (const member of await store.members.listByUser(user.id)) {
    const project = await store.projects.get(member.projectId);
    if (!project) continue;
    const page = await store.tasks.list(
      project.id,
      { statusOrder: project.columns.map((c) => c.key), assigneeId: user.id, dueBefore: new Date(now + DAY_MS).toISOString() },
      { limit: 200 },
    );
    for (const task of page.items.filter((t: Task) => !t.completedAt && t.dueAt)) {
      const due = Date.parse(task.dueAt!);
      const when = due < now ? 'overdue since' : 'due';
      lines.push({ due, text: `- #${task.number} "${task.title}" in ${project.name}: ${when} ${formatLocalTime(due, timezone)}` });
    }
  }
  lines.sort((a, b) => a.due - b.due);
  const shown = lines.slice(0, LISTED).map((l) => l.text);
  if (lines.length > LISTED) shown.push(`- and ${lines.length - LISTED} more`);
  return shown;
}
