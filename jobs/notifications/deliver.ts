// Sends one delivery (a notification through one channel). The delivery row
// is the truth: a job for a row that is no longer queued does nothing, so a
// duplicate job, a retry after success or a second worker sends nothing twice.
// Access is checked again now: someone removed from the project since gets nothing.

import { mayReceive, updateDelivery } from '../../core/services/notifications.js';
import type { Delivery } from '../../core/store/entities.js';
import { StoreConflictError } from '../../core/store/errors.js';
import { isLastAttempt, PermanentJobError, type Job } from '../queue.js';
import { ChannelError, type OutsideChannel } from './channels.js';
import type { NotifyContext } from './context.js';

const MAX_ERROR_LENGTH = 500;

export async function runDelivery(ctx: NotifyContext, job: Job): Promise<void> {
  const { store } = ctx.deps;
  const delivery = await store.deliveries.get(job.data.deliveryId as string);
  if (!delivery || delivery.status !== 'queued' || delivery.channel === 'inapp') return;
  const notification = await store.notifications.get(delivery.notificationId);
  if (!notification) return;
  const room = notification.messageId ? (await store.messages.get(notification.messageId))?.roomId : null;
  const metrics = ctx.deps.metrics;
  const user = await mayReceive(ctx.deps, delivery.userId, notification.projectId, room);
  if (!user) {
    metrics?.delivery(delivery.channel, 'skipped');
    return settle(ctx, delivery, { status: 'skipped', lastError: 'no longer allowed to see this' });
  }
  const channel = ctx.channels.get(delivery.channel as OutsideChannel);
  if (!channel) {
    metrics?.delivery(delivery.channel, 'skipped');
    return settle(ctx, delivery, { status: 'skipped', lastError: `${delivery.channel} is not configured on this server` });
  }

  const attempts = delivery.attempts + 1;
  try {
    await channel.send({ user, notification, deliveryId: delivery.id });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    const final = (error instanceof ChannelError && !error.transient) || isLastAttempt(job);
    metrics?.delivery(delivery.channel, final ? 'failed' : 'retried');
    await settle(ctx, delivery, { status: final ? 'failed' : 'queued', attempts, lastError: message });
    // Throwing hands the retry (with backoff) to the queue; a final failure must not be tried again.
    if (final) throw new PermanentJobError(message);
    throw error;
  }
  metrics?.delivery(delivery.channel, 'sent');
  await settle(ctx, delivery, { status: 'sent', attempts, lastError: null, sentAt: ctx.deps.now().toISOString() });
}

async function settle(ctx: NotifyContext, delivery: Delivery, patch: Partial<Pick<Delivery, 'status' | 'attempts' | 'lastError' | 'sentAt'>>): Promise<void> {
  try {
    await updateDelivery(ctx.deps, delivery, patch);
  } catch (error) {
    // Another runner settled it first (a lease taken over): its outcome stands.
    if (!(error instanceof StoreConflictError)) throw error;
  }
}
