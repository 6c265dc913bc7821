// Outgoing webhooks (project admins): an outside system hears about the change
// types it subscribed to, as signed POSTs (Standard Webhooks), in feed order.
// The sending is the jobs layer's (jobs/webhooks); here are the records, the
// rules (URL guard, known event patterns, visibility of the creator) and the
// delivery log.

import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import type { Change, Webhook } from '../domain/entities.js';
import { isKnownPattern } from '../domain/change-types.js';
import { canInProject } from '../domain/policies.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Page, PageRequest } from '../store/ports.js';
import { presentWebhook, presentWebhookDelivery, type CreatedWebhookView, type WebhookDeliveryView, type WebhookView } from '../presenters/index.js';
import { projectAccess, requireUser } from './access.js';
import { commit, type ServiceDeps } from './deps.js';
import type { Limiters } from '../limits/ports.js';
import type { Sealer } from './sealing.js';
import { UnsafeUrlError, vetUrl } from './url-guard.js';
import { roomVisibility } from './visibility.js';

export interface WebhookDeps extends ServiceDeps {
  sealer: Sealer;
  /** WEBHOOK_ALLOW_PRIVATE: lets webhooks reach loopback and private addresses (tests, a trusted LAN). */
  webhookAllowPrivate: boolean;
  /** What the jobs layer does for webhooks: wake a webhook's sender, retry one delivery now. */
  webhookJobs: {
    kick(webhookId: string): Promise<void>;
    retryOne(deliveryId: string): Promise<void>;
    sendTest(webhookId: string, actorId: string): Promise<{ delivered: boolean; responseStatus: number | null; error: string | null }>;
  };
  /** Where incoming-hook posts are counted: shared by the nodes with REDIS_URL, so a hook's limit holds behind a balancer. */
  limiters: Limiters;
}

export { CHANGE_TYPES, isKnownPattern, matchesEvents } from '../domain/change-types.js';

async function checkTarget(deps: WebhookDeps, url: string): Promise<void> {
  try {
    await vetUrl(url, deps.webhookAllowPrivate);
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new ValidationError([{ path: 'url', message: error.message }]);
    throw error;
  }
}

function checkEvents(events: readonly string[]): void {
  const unknown = events.filter((e) => !isKnownPattern(e));
  if (unknown.length > 0) throw new ValidationError([{ path: 'events', message: `unknown change types or patterns: ${unknown.join(', ')}` }]);
}

async function webhookOf(deps: WebhookDeps, actor: Actor, webhookId: string): Promise<Webhook> {
  const webhook = await deps.store.webhooks.get(webhookId);
  if (!webhook) throw new NotFoundError('Webhook not found.');
  try {
    await projectAccess(deps, actor, webhook.projectId, 'link.manage');
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('Webhook not found.');
    throw error;
  }
  return webhook;
}

export async function createWebhook(deps: WebhookDeps, actor: Actor, projectId: string, input: { url: string; events: string[]; description?: string | undefined }): Promise<CreatedWebhookView> {
  await projectAccess(deps, actor, projectId, 'link.manage');
  const userId = requireUser(actor);
  checkEvents(input.events);
  await checkTarget(deps, input.url);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const now = deps.now().toISOString();
  const webhook: Webhook = {
    id: deps.newId(),
    projectId,
    url: input.url,
    events: [...new Set(input.events)],
    description: input.description?.trim() ?? '',
    secretSealed: deps.sealer.seal(secret),
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
    enabled: true,
    disabledReason: null,
    failingSince: null,
  };
  // Deliveries start with the changes after this one: a new webhook does not replay the project's history.
  const cursor = { id: webhook.id, seq: await deps.store.changes.lastSeq(projectId), lockedBy: null, lockedUntil: null, failedAt: null, updatedAt: now };
  const view = presentWebhook(webhook);
  await commit(deps, { projectId }, (uow) => {
    uow.insert('webhooks', webhook);
    uow.insert('linkCursors', cursor);
    uow.append({ type: 'webhook.created', actorId: userId, data: view });
  });
  return { ...view, secret };
}

export async function listWebhooks(deps: WebhookDeps, actor: Actor, projectId: string): Promise<{ items: WebhookView[]; nextCursor: null }> {
  await projectAccess(deps, actor, projectId, 'link.manage');
  return { items: (await deps.store.webhooks.listByProject(projectId)).map(presentWebhook), nextCursor: null };
}

export async function updateWebhook(
  deps: WebhookDeps,
  actor: Actor,
  webhookId: string,
  patch: { url?: string | undefined; events?: string[] | undefined; description?: string | undefined; enabled?: boolean | undefined },
): Promise<WebhookView> {
  const webhook = await webhookOf(deps, actor, webhookId);
  const userId = requireUser(actor);
  if (patch.events) checkEvents(patch.events);
  if (patch.url) await checkTarget(deps, patch.url);
  const reenabled = patch.enabled === true && !webhook.enabled;
  const next: Webhook = {
    ...webhook,
    url: patch.url ?? webhook.url,
    events: patch.events ? [...new Set(patch.events)] : webhook.events,
    description: patch.description?.trim() ?? webhook.description,
    enabled: patch.enabled ?? webhook.enabled,
    disabledReason: patch.enabled === false ? 'disabled by an admin' : reenabled ? null : webhook.disabledReason,
    failingSince: reenabled ? null : webhook.failingSince,
    updatedAt: deps.now().toISOString(),
  };
  const view = presentWebhook(next);
  await commit(deps, { projectId: webhook.projectId }, (uow) => {
    uow.replace('webhooks', next, { updatedAt: webhook.updatedAt });
    uow.append({ type: 'webhook.updated', actorId: userId, data: view });
  });
  if (next.enabled) await deps.webhookJobs.kick(next.id);
  return view;
}

export async function deleteWebhook(deps: WebhookDeps, actor: Actor, webhookId: string): Promise<void> {
  const webhook = await webhookOf(deps, actor, webhookId);
  const userId = requireUser(actor);
  const cursor = await deps.store.linkCursors.get(webhook.id);
  await commit(deps, { projectId: webhook.projectId }, (uow) => {
    uow.remove('webhooks', webhook.id);
    if (cursor) uow.remove('linkCursors', cursor.id);
    uow.append({ type: 'webhook.deleted', actorId: userId, data: { id: webhook.id, projectId: webhook.projectId } });
  });
}

export async function listWebhookDeliveries(deps: WebhookDeps, actor: Actor, webhookId: string, page: PageRequest): Promise<Page<WebhookDeliveryView>> {
  await webhookOf(deps, actor, webhookId);
  const result = await deps.store.webhookDeliveries.listByWebhook(webhookId, page);
  return { items: result.items.map(presentWebhookDelivery), nextCursor: result.nextCursor };
}

/** Sends one delivery again now (a failed one on a disabled webhook too); the sender records the outcome. */
export async function retryWebhookDelivery(deps: WebhookDeps, actor: Actor, webhookId: string, deliveryId: string): Promise<void> {
  await webhookOf(deps, actor, webhookId);
  const delivery = await deps.store.webhookDeliveries.get(deliveryId);
  if (!delivery || delivery.webhookId !== webhookId) throw new NotFoundError('Delivery not found.');
  await deps.webhookJobs.retryOne(delivery.id);
}

/** Whether the webhook's creator may see this change now; null when they are no longer in the project. */
export async function creatorMaySee(deps: ServiceDeps, webhook: Webhook, change: Change): Promise<boolean | null> {
  const member = await deps.store.members.get(webhook.projectId, webhook.createdBy);
  const subject = { userId: webhook.createdBy, role: member?.role ?? null };
  if (!canInProject(subject, 'feed.read')) return null;
  return (await roomVisibility(deps, subject, webhook.projectId)).canSeeChange(change);
}

/** Sends a signed `webhook.test` event to the webhook now and says how the receiver answered (admins). */
export async function testWebhook(deps: WebhookDeps, actor: Actor, webhookId: string): Promise<{ delivered: boolean; responseStatus: number | null; error: string | null }> {
  const webhook = await webhookOf(deps, actor, webhookId);
  return deps.webhookJobs.sendTest(webhook.id, requireUser(actor));
}
