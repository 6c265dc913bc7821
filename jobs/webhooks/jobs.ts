// Webhook work on the queue: a sender job per webhook (woken by the bus for
// each change its events match, and by a reconciler for any webhook behind the
// feed), and the manual retry of one delivery.

import type { LinkCursor, Webhook } from '../../core/domain/entities.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import type { Sealer } from '../../core/services/sealing.js';
import { matchesEvents } from '../../core/services/webhooks.js';
import type { NotifyContext } from '../notifications/context.js';
import type { JobHandler, Queue } from '../queue.js';
import { isNudge, mayWake, NUDGE, type SenderRetry } from '../nudge.js';
import { attempt, clearFailing, flushWebhook, sendTestEvent, type WebhookSenderDeps } from './sender.js';

export interface TestOutcome {
  delivered: boolean;
  responseStatus: number | null;
  error: string | null;
}

export const WEBHOOK_JOB = { flush: 'webhook.flush', retry: 'webhook.retry', reconcile: 'webhook.reconcile' } as const;

/** The first retry within 30 s, then doubling (with jitter) up to an hour apart, well past the 3 days that disable a webhook. */
const FLUSH_RETRY = { attempts: 200, backoff: { delayMs: 10_000, maxDelayMs: 3_600_000 } };
const RECONCILE_EVERY_MS = 60_000;

export interface WebhookJobs {
  handlers: Readonly<Record<string, JobHandler>>;
  kick(webhookId: string): Promise<void>;
  retryOne(deliveryId: string): Promise<void>;
  sendTest(webhookId: string, actorId: string): Promise<TestOutcome>;
  start(): Promise<void>;
  stop(): void;
}

export function createWebhookJobs(options: {
  deps: ServiceDeps;
  sealer: Sealer;
  allowPrivate: boolean;
  queue: Queue;
  notifications: () => NotifyContext | null;
  timeoutMs?: number;
  retry?: SenderRetry;
  reconcileEveryMs?: number;
}): WebhookJobs {
  const { deps, queue } = options;
  const senderDeps = (): WebhookSenderDeps => ({
    deps,
    sealer: options.sealer,
    allowPrivate: options.allowPrivate,
    notifications: options.notifications(),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const unsubscribe: (() => void)[] = [];

  const retry = options.retry ?? FLUSH_RETRY;
  const reconcileEvery = options.reconcileEveryMs ?? RECONCILE_EVERY_MS;

  /** Whether the webhook's sender may be woken now (jobs/nudge.ts); `cursor` when the caller has read it already. */
  const mayWakeSender = async (webhook: Webhook, cursor?: LinkCursor | null): Promise<boolean> =>
    !webhook.failingSince || mayWake(deps, webhook.id, retry.backoff, cursor);

  /** `wake` names the reason: a change's seq, or a one-off nudge that must not be mistaken for a job already waiting. */
  /** `nudge`: woken by a change or the reconciler, not kicked by a person or a manual retry (jobs/nudge.ts). */
  async function queueFlush(webhookId: string, wake: number | string, nudge = false): Promise<void> {
    await queue
      .add(WEBHOOK_JOB.flush, { webhookId, ...(nudge ? NUDGE : {}) }, { id: `webhook.flush.${webhookId}.${wake}`, ...retry })
      .catch((error: unknown) => deps.logger.warn({ err: error, webhookId }, 'queueing a webhook delivery failed; the reconciler will'));
  }

  return {
    handlers: {
      [WEBHOOK_JOB.flush]: async (job) => {
        if (isNudge(job)) {
          const webhook = await deps.store.webhooks.get(job.data.webhookId as string);
          if (webhook && !(await mayWakeSender(webhook))) return;
        }
        await flushWebhook(senderDeps(), job.data.webhookId as string);
      },
      [WEBHOOK_JOB.retry]: async (job) => {
        const delivery = await deps.store.webhookDeliveries.get(job.data.deliveryId as string);
        const webhook = delivery ? await deps.store.webhooks.get(delivery.webhookId) : null;
        if (!delivery || !webhook || delivery.status === 'delivered') return;
        const [change] = await deps.store.changes.list(delivery.projectId, delivery.seq - 1, 1);
        if (!change || change.seq !== delivery.seq) return;
        // A manual retry is one attempt; it does not re-enable the webhook. When it gets through, the sender
        // (waiting out its backoff on this very delivery) is woken at once for what queued up behind it.
        const ok = await attempt(senderDeps(), webhook, change, delivery);
        // A failed delivery stays failed after a manual try that fails too; a pending one is the sender's to retry.
        deps.metrics?.delivery('webhook', ok ? 'sent' : delivery.status === 'failed' ? 'failed' : 'retried');
        if (ok) await clearFailing(deps, webhook.id);
        if (ok && webhook.enabled) await queueFlush(webhook.id, `retried.${Date.now()}`);
      },
      [WEBHOOK_JOB.reconcile]: async (job) => {
        let cursor: string | null = null;
        do {
          const page = await deps.store.webhooks.list({ limit: 200, cursor });
          for (const webhook of page.items.filter((w) => w.enabled)) {
            const [done, lastSeq] = await Promise.all([deps.store.linkCursors.get(webhook.id), deps.store.changes.lastSeq(webhook.projectId)]);
            // A sender job may be waiting out a backoff under the seq's id; the reconciler's nudge has its own.
            if (done && lastSeq > done.seq && (await mayWakeSender(webhook, done))) await queueFlush(webhook.id, `reconciled.${job.runAt}`, true);
          }
          cursor = page.nextCursor;
        } while (cursor);
        const slot = Math.floor(Math.max(job.runAt, Date.now()) / reconcileEvery) + 1;
        await queue.add(WEBHOOK_JOB.reconcile, {}, { id: `webhook.reconcile.${slot}`, runAt: slot * reconcileEvery, attempts: 3 });
      },
    },
    kick: (webhookId) => queueFlush(webhookId, `kicked.${Date.now()}`),
    sendTest: async (webhookId, actorId) => {
      const webhook = await deps.store.webhooks.get(webhookId);
      if (!webhook) return { delivered: false, responseStatus: null, error: 'the webhook was deleted' };
      return sendTestEvent(senderDeps(), webhook, actorId);
    },
    retryOne: async (deliveryId) => {
      await queue.add(WEBHOOK_JOB.retry, { deliveryId }, { id: `webhook.retry.${deliveryId}.${Date.now()}`, attempts: 1 });
    },
    async start() {
      unsubscribe.push(
        deps.bus.subscribe(async (change) => {
          const webhooks = await deps.store.webhooks.listByProject(change.projectId);
          for (const webhook of webhooks) {
            if (!webhook.enabled || !matchesEvents(webhook.events, change.type)) continue;
            // A failing webhook's flush waits out its backoff and will carry this change.
            if (await mayWakeSender(webhook)) await queueFlush(webhook.id, change.seq, true);
          }
        }),
      );
      await queue
        .add(WEBHOOK_JOB.reconcile, {}, { id: `webhook.reconcile.boot.${Date.now()}`, attempts: 3 })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'queueing the webhook reconciliation failed'));
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
