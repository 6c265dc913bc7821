// The store is the truth, the queue only executes: every few minutes (and at
// boot) this re-derives what should be queued and adds it. Job ids are derived
// from the same facts, so what is queued already is left alone, and a flushed
// Redis or a lost add costs a delay, never a notification.

import type { Job } from '../queue.js';
import { JOB, type NotifyContext } from './context.js';
import { scheduleDigest } from './digest.js';
import { feedCursorId } from './feed.js';
import { scheduleReminders } from './reminders.js';
import { readNotifyPrefs, REMIND_BEFORE_MAX_MINUTES } from '../../core/domain/notify.js';

const PAGE = 200;

export async function runReconcile(ctx: NotifyContext, job: Job): Promise<void> {
  await reconcileReminders(ctx);
  await reconcileFeeds(ctx);
  await reconcileDeliveries(ctx);
  await reconcileDigests(ctx);
  await scheduleNextReconcile(ctx, job.runAt);
}

export async function scheduleNextReconcile(ctx: NotifyContext, after: number): Promise<void> {
  const every = ctx.timings.reconcileEveryMs;
  const slot = Math.floor(Math.max(after, ctx.deps.now().getTime()) / every) + 1;
  // Every node asks for the same slot's job; the queue keeps one.
  await ctx.queue.add(JOB.reconcile, {}, { id: `reconcile.${slot}`, runAt: slot * every, attempts: 3 });
}

/** Reminders due from the catch-up window's start until the next pass could see them (the longest remindBefore ahead). */
async function reconcileReminders(ctx: NotifyContext): Promise<void> {
  const now = ctx.deps.now().getTime();
  const from = new Date(now - ctx.timings.catchUpMs).toISOString();
  const to = new Date(now + REMIND_BEFORE_MAX_MINUTES * 60_000 + 2 * ctx.timings.reconcileEveryMs).toISOString();
  let cursor: string | null = null;
  do {
    const page = await ctx.deps.store.tasks.listDue(from, to, { limit: PAGE, cursor });
    for (const task of page.items) await scheduleReminders(ctx, task);
    cursor = page.nextCursor;
  } while (cursor);
}

/** Projects whose feed got ahead of the notifier's cursor (a lost wake-up) get a feed job. */
async function reconcileFeeds(ctx: NotifyContext): Promise<void> {
  const { store } = ctx.deps;
  let cursor: string | null = null;
  do {
    const page = await store.projects.list({ limit: PAGE, cursor });
    for (const project of page.items) {
      const [lastSeq, done] = await Promise.all([store.changes.lastSeq(project.id), store.feedCursors.get(feedCursorId(project.id))]);
      if (lastSeq > (done?.seq ?? 0)) await ctx.queue.add(JOB.feed, { projectId: project.id }, { id: `feed.${project.id}.${lastSeq}` });
    }
    cursor = page.nextCursor;
  } while (cursor);
}

/** A delivery still queued whose job is gone (Redis flushed, an add that failed) is queued again. */
async function reconcileDeliveries(ctx: NotifyContext): Promise<void> {
  let cursor: string | null = null;
  do {
    const page = await ctx.deps.store.deliveries.list({ status: 'queued' }, { limit: PAGE, cursor });
    for (const delivery of page.items) {
      await ctx.queue.add(JOB.deliver, { deliveryId: delivery.id }, { id: `deliver.${delivery.id}`, ...ctx.timings.deliveryRetry });
    }
    cursor = page.nextCursor;
  } while (cursor);
}

async function reconcileDigests(ctx: NotifyContext): Promise<void> {
  let cursor: string | null = null;
  do {
    const page = await ctx.deps.store.users.list({ limit: PAGE, cursor });
    for (const user of page.items) if (readNotifyPrefs(user.notify).digest) await scheduleDigest(ctx, user);
    cursor = page.nextCursor;
  } while (cursor);
}
