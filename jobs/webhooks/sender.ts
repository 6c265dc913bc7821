// Deliveries of one webhook, in feed order (core/services/feed-sender.ts):
// each matching change the creator may see becomes a delivery row (id derived
// from webhook and seq, so it is made once) and a Standard Webhooks POST:
// `webhook-id` (the delivery id, the same on every retry), `webhook-timestamp`,
// `webhook-signature`. A failure records the attempt and stops the sender, so
// later deliveries of this webhook wait behind it and no other webhook does; the
// queue retries with backoff and jitter. A webhook failing for 3 days is
// disabled, and its creator told.

import { createHash } from 'node:crypto';
import { Webhook as Signer } from 'standardwebhooks';
import { notificationKey, readNotifyPrefs } from '../../core/domain/notify.js';
import type { Change, Webhook, WebhookDelivery } from '../../core/domain/entities.js';
import { commit, type ServiceDeps } from '../../core/services/deps.js';
import { drainFeed, type DrainResult } from '../../core/services/feed-sender.js';
import { creatorMaySee, matchesEvents } from '../../core/services/webhooks.js';
import type { Sealer } from '../../core/services/sealing.js';
import { StoreConflictError, StoreDuplicateError } from '../../core/store/errors.js';
import { notify } from '../notifications/record.js';
import type { NotifyContext } from '../notifications/context.js';
import { postSigned } from './post.js';

export const FAILING_LIMIT_MS = 3 * 24 * 3_600_000;

export interface WebhookSenderDeps {
  deps: ServiceDeps;
  sealer: Sealer;
  allowPrivate: boolean;
  /** To tell a disabled webhook's creator. */
  notifications: NotifyContext | null;
  timeoutMs?: number;
}

/** The delivery was not accepted; the run stops here and the queue tries again later. */
export class DeliveryFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryFailed';
  }
}

export const deliveryIdFor = (webhookId: string, seq: number): string => `msg_${createHash('sha256').update(`${webhookId}|${seq}`).digest('hex').slice(0, 32)}`;

/** The body: `{type, timestamp, data}` with `data` the feed entry, and its signature headers. */
export function signedRequest(secret: string, deliveryId: string, change: Change, now: Date): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    type: change.type,
    timestamp: now.toISOString(),
    data: { seq: change.seq, type: change.type, at: change.at, actorId: change.actorId, projectId: change.projectId, data: change.data },
  });
  const signature = new Signer(secret).sign(deliveryId, now, body);
  return {
    body,
    headers: { 'webhook-id': deliveryId, 'webhook-timestamp': Math.floor(now.getTime() / 1000).toString(), 'webhook-signature': signature },
  };
}

async function saveDelivery(s: WebhookSenderDeps, before: WebhookDelivery | null, next: WebhookDelivery): Promise<void> {
  try {
    await commit(s.deps, { projectId: null }, (uow) => (before ? uow.replace('webhookDeliveries', next, { updatedAt: before.updatedAt }) : uow.insert('webhookDeliveries', next)));
  } catch (error) {
    if (!(error instanceof StoreConflictError || error instanceof StoreDuplicateError)) throw error;
  }
}

async function saveWebhook(s: WebhookSenderDeps, before: Webhook, patch: Partial<Webhook>): Promise<Webhook> {
  const next = { ...before, ...patch, updatedAt: s.deps.now().toISOString() };
  await commit(s.deps, { projectId: null }, (uow) => uow.replace('webhooks', next, { updatedAt: before.updatedAt }));
  return next;
}

async function disable(s: WebhookSenderDeps, webhook: Webhook, reason: string): Promise<void> {
  await saveWebhook(s, webhook, { enabled: false, disabledReason: reason }).catch((error: unknown) => {
    if (!(error instanceof StoreConflictError)) throw error;
  });
  s.deps.logger.warn({ webhookId: webhook.id, reason }, 'a webhook was disabled');
  const creator = await s.deps.store.users.get(webhook.createdBy);
  if (!creator || !s.notifications) return;
  await notify(s.notifications, creator, readNotifyPrefs(creator.notify), {
    key: notificationKey.webhookDisabled(webhook.id, webhook.updatedAt, creator.id),
    event: 'webhook_disabled',
    projectId: webhook.projectId,
    text: `Your webhook to ${webhook.url} was disabled: ${reason}. Fix the receiver, then enable it again.`,
  });
}

/** One attempt of one delivery: records the outcome; true when the receiver accepted it. */
export async function attempt(s: WebhookSenderDeps, webhook: Webhook, change: Change, existing: WebhookDelivery | null): Promise<boolean> {
  const now = s.deps.now();
  const id = deliveryIdFor(webhook.id, change.seq);
  const delivery: WebhookDelivery = existing ?? {
    id,
    webhookId: webhook.id,
    projectId: webhook.projectId,
    seq: change.seq,
    type: change.type,
    status: 'pending',
    attempts: 0,
    responseStatus: null,
    lastError: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    deliveredAt: null,
  };
  if (!existing) await saveDelivery(s, null, delivery);
  const stored = (await s.deps.store.webhookDeliveries.get(id)) ?? delivery;
  const { body, headers } = signedRequest(s.sealer.open(webhook.secretSealed), id, change, now);
  const outcome = await postSigned(webhook.url, body, headers, s.allowPrivate, s.timeoutMs);
  const ok = outcome.error === null;
  if (!ok) s.deps.metrics?.adapterError('webhook');
  await saveDelivery(s, stored, {
    ...stored,
    status: ok ? 'delivered' : stored.status === 'failed' ? 'failed' : 'pending',
    attempts: stored.attempts + 1,
    responseStatus: outcome.status,
    lastError: outcome.error,
    updatedAt: s.deps.now().toISOString(),
    deliveredAt: ok ? s.deps.now().toISOString() : stored.deliveredAt,
  });
  return ok;
}

/** Drains the webhook's feed; stops at the first delivery that fails (the queue retries the run). */
export async function flushWebhook(s: WebhookSenderDeps, webhookId: string): Promise<DrainResult> {
  const initial = await s.deps.store.webhooks.get(webhookId);
  if (!initial?.enabled) return { seq: 0, ran: false };
  return drainFeed(s.deps, {
    cursorId: initial.id,
    projectId: initial.projectId,
    apply: async (change) => {
      let webhook = await s.deps.store.webhooks.get(webhookId);
      if (!webhook?.enabled) throw new DeliveryFailed('the webhook is disabled');
      if (!matchesEvents(webhook.events, change.type)) return;
      const visible = await creatorMaySee(s.deps, webhook, change);
      if (visible === null) {
        await disable(s, webhook, 'its creator is no longer a member of the project');
        throw new DeliveryFailed('the webhook was disabled');
      }
      // A webhook sees what its creator may see; other changes (a private room's messages) are not sent at all.
      if (!visible) return;
      const existing = await s.deps.store.webhookDeliveries.get(deliveryIdFor(webhook.id, change.seq));
      if (existing?.status === 'delivered') return;
      if (await attempt(s, webhook, change, existing)) {
        s.deps.metrics?.delivery('webhook', 'sent');
        if (webhook.failingSince) await saveWebhook(s, webhook, { failingSince: null });
        return;
      }
      const now = s.deps.now();
      let givenUp = false;
      webhook = await s.deps.store.webhooks.get(webhookId);
      if (!webhook) throw new DeliveryFailed('the webhook was deleted');
      if (!webhook.failingSince) webhook = await saveWebhook(s, webhook, { failingSince: now.toISOString() });
      else if (now.getTime() - Date.parse(webhook.failingSince) >= FAILING_LIMIT_MS) {
        const failed = await s.deps.store.webhookDeliveries.get(deliveryIdFor(webhook.id, change.seq));
        if (failed) await saveDelivery(s, failed, { ...failed, status: 'failed', updatedAt: now.toISOString() });
        await disable(s, webhook, 'its deliveries failed for 3 days');
        givenUp = true;
      }
      s.deps.metrics?.delivery('webhook', givenUp ? 'failed' : 'retried');
      throw new DeliveryFailed(`delivery ${change.seq} to ${webhook.url} failed`);
    },
  });
}

/** A signed `webhook.test` event sent now, outside the feed and the delivery log; the outcome is for the person who asked. */
export async function sendTestEvent(s: WebhookSenderDeps, webhook: Webhook, actorId: string): Promise<{ delivered: boolean; responseStatus: number | null; error: string | null }> {
  const now = s.deps.now();
  const change: Change = {
    projectId: webhook.projectId,
    seq: 0,
    type: 'webhook.test',
    at: now.toISOString(),
    actorId,
    data: { webhookId: webhook.id, message: 'A test event from Taskwire: this webhook works.' },
    audience: null,
  };
  const { body, headers } = signedRequest(s.sealer.open(webhook.secretSealed), `msg_test_${s.deps.newId().replaceAll('-', '')}`, change, now);
  const outcome = await postSigned(webhook.url, body, headers, s.allowPrivate, s.timeoutMs);
  return { delivered: outcome.error === null, responseStatus: outcome.status, error: outcome.error };
}

/** A delivery got through: the webhook is no longer failing (the 3-day clock starts again at the next failure). */
export async function clearFailing(deps: ServiceDeps, webhookId: string): Promise<void> {
  const webhook = await deps.store.webhooks.get(webhookId);
  if (!webhook?.failingSince) return;
  const next = { ...webhook, failingSince: null, updatedAt: deps.now().toISOString() };
  await commit(deps, { projectId: null }, (uow) => uow.replace('webhooks', next, { updatedAt: webhook.updatedAt })).catch((error: unknown) => {
    if (!(error instanceof StoreConflictError)) throw error;
  });
}
