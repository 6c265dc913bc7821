// The notifications layer put together: the job handlers, the bus wake-ups
// that queue work after each commit, and the test send of the API. Any process
// with a queue runs it (web nodes, `npm run worker`); which one runs a given
// job does not matter, since every step is keyed in the store.

import { randomUUID } from 'node:crypto';
import type { UserActor } from '../../core/domain/actor.js';
import { notificationKey, readNotifyPrefs } from '../../core/domain/notify.js';
import { NotFoundError, UnavailableError } from '../../core/errors.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import type { JobHandler, Queue } from '../queue.js';
import type { Channel, OutsideChannel } from './channels.js';
import { DEFAULT_NOTIFY_TIMINGS, JOB, type NotifyContext, type NotifyTimings } from './context.js';
import { runDelivery } from './deliver.js';
import { runDigest, scheduleDigest } from './digest.js';
import { runFeed } from './feed.js';
import { runReconcile, scheduleNextReconcile } from './reconcile.js';
import { notify } from './record.js';
import { runReminder, scheduleRemindersOfUser } from './reminders.js';
import { notificationText } from './texts.js';

export interface NotifierOptions {
  deps: ServiceDeps;
  queue: Queue;
  channels: readonly Channel[];
  publicUrl: string;
  timings?: Partial<NotifyTimings>;
}

export interface Notifier {
  /** What other jobs need to tell someone something (a disabled webhook's creator). */
  readonly context: NotifyContext;
  /** One handler per job name, for `queue.work`. */
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /** Listens to the bus and queues the first reconciliation; call once the queue is ready. */
  start(): Promise<void>;
  /** Sends a test notification to the caller now (POST /api/me/notifications/test). */
  sendTest(actor: UserActor, channel: 'inapp' | OutsideChannel): Promise<void>;
  stop(): void;
}

/** How long changes of one project are gathered into one feed job. */
const FEED_DEBOUNCE_MS = 25;
/** How often the queue is pinged: a queue that comes back (a restarted, maybe empty Redis) is reconciled at once. */
const WATCH_MS = 2_000;

export function createNotifier(options: NotifierOptions): Notifier {
  const ctx: NotifyContext = {
    deps: options.deps,
    queue: options.queue,
    channels: new Map(options.channels.map((channel) => [channel.name, channel])),
    publicUrl: options.publicUrl,
    timings: { ...DEFAULT_NOTIFY_TIMINGS, ...options.timings },
  };
  const { bus, logger } = options.deps;
  const pendingFeeds = new Map<string, number>();
  let flushTimer: NodeJS.Timeout | null = null;
  let watchTimer: NodeJS.Timeout | null = null;
  let queueDown = false;
  const unsubscribe: (() => void)[] = [];

  /** After an outage the queue may have lost its jobs; the store still knows them all. */
  async function watchQueue(): Promise<void> {
    try {
      await ctx.queue.ping();
    } catch {
      if (!queueDown) logger.warn('the job queue is unreachable; notifications wait and are re-queued when it returns');
      queueDown = true;
      return;
    }
    if (!queueDown) return;
    queueDown = false;
    logger.info('the job queue is back; reconciling');
    await ctx.queue
      .add(JOB.reconcile, {}, { id: `reconcile.recovered.${randomUUID()}`, attempts: 3 })
      .catch((error: unknown) => logger.warn({ err: error }, 'queueing reconciliation after an outage failed'));
  }

  async function queueFeed(projectId: string, seq: number): Promise<void> {
    try {
      await ctx.queue.add(JOB.feed, { projectId }, { id: `feed.${projectId}.${seq}` });
    } catch (error) {
      // The reconciler finds the feed ahead of the cursor and queues it then.
      logger.warn({ err: error, projectId }, 'queueing feed processing failed; the reconciler will');
    }
  }

  function flushFeeds(): void {
    flushTimer = null;
    const batch = [...pendingFeeds];
    pendingFeeds.clear();
    for (const [projectId, seq] of batch) void queueFeed(projectId, seq);
  }

  return {
    context: ctx,
    handlers: {
      [JOB.feed]: (job) => runFeed(ctx, job),
      [JOB.reminder]: (job) => runReminder(ctx, job),
      [JOB.deliver]: (job) => runDelivery(ctx, job),
      [JOB.digest]: (job) => runDigest(ctx, job),
      [JOB.prefs]: async (job) => {
        const userId = job.data.userId as string;
        await scheduleRemindersOfUser(ctx, userId);
        const user = await ctx.deps.store.users.get(userId);
        if (user) await scheduleDigest(ctx, user);
      },
      [JOB.reconcile]: (job) => runReconcile(ctx, job),
    },

    async start() {
      unsubscribe.push(
        bus.subscribe((change) => {
          pendingFeeds.set(change.projectId, Math.max(change.seq, pendingFeeds.get(change.projectId) ?? 0));
          flushTimer ??= setTimeout(flushFeeds, FEED_DEBOUNCE_MS);
        }),
        bus.subscribeControl(async (event) => {
          if (event.type !== 'notify.changed') return;
          await ctx.queue
            .add(JOB.prefs, { userId: event.userId }, { id: `prefs.${event.userId}.${Date.now()}` })
            .catch((error: unknown) => logger.warn({ err: error }, 'queueing a preferences change failed; the reconciler will'));
        }),
      );
      // Now: whatever a previous run left undone (a crash, a flushed Redis) is found at boot, not minutes later.
      await ctx.queue
        .add(JOB.reconcile, {}, { id: `reconcile.boot.${randomUUID()}`, attempts: 3 })
        .catch((error: unknown) => logger.warn({ err: error }, 'queueing the boot reconciliation failed'));
      await scheduleNextReconcile(ctx, Date.now()).catch((error: unknown) => logger.warn({ err: error }, 'scheduling reconciliation failed'));
      watchTimer = setInterval(() => void watchQueue(), WATCH_MS);
      watchTimer.unref();
    },

    async sendTest(actor, channel) {
      const user = await ctx.deps.store.users.get(actor.userId);
      if (!user) throw new NotFoundError('User not found.');
      try {
        await notify(
          ctx,
          user,
          readNotifyPrefs(user.notify),
          { key: notificationKey.test(user.id, randomUUID()), event: 'test', projectId: null, text: notificationText.test() },
          channel === 'inapp' ? [] : [channel],
        );
      } catch (error) {
        logger.error({ err: error }, 'recording a test notification failed');
        throw new UnavailableError('The test notification could not be recorded; try again.');
      }
    },

    stop() {
      for (const off of unsubscribe.splice(0)) off();
      if (watchTimer) clearInterval(watchTimer);
      watchTimer = null;
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      flushFeeds();
    },
  };
}
