// Recording a notification and queueing its deliveries: the one path every
// kind of notice takes, so the channel choice and the delivery jobs are decided
// in one place.

import type { NotifyPrefs, User } from '../../core/store/entities.js';
import { recordNotification, type ChannelPlan, type NewNotification } from '../../core/services/notifications.js';
import { OUTSIDE_CHANNELS, type OutsideChannel } from './channels.js';
import { JOB, type NotifyContext } from './context.js';

/**
 * The channels this user wants that this instance has; unreachable ones are recorded as skipped, with why.
 * A channel this server does not run is left out, unless it was asked for by name (a test send), when the
 * person should see why nothing arrived.
 */
export async function planChannels(ctx: NotifyContext, user: User, wanted: readonly OutsideChannel[], explicit = false): Promise<ChannelPlan[]> {
  const plans: ChannelPlan[] = [];
  for (const name of wanted) {
    const channel = ctx.channels.get(name);
    if (!channel) {
      if (explicit) plans.push({ channel: name, status: 'skipped', reason: `${name} is not configured on this server` });
      continue;
    }
    const reason = await channel.unreachable(user);
    plans.push(reason ? { channel: name, status: 'skipped', reason } : { channel: name, status: 'queued' });
  }
  return plans;
}

export const wantedChannels = (prefs: NotifyPrefs): OutsideChannel[] => OUTSIDE_CHANNELS.filter((name) => prefs.channels[name]);

/** Records the notification (once per key) and queues a job per delivery; false when it was recorded before. */
export async function notify(ctx: NotifyContext, user: User, prefs: NotifyPrefs, input: Omit<NewNotification, 'userId' | 'channels'>, only?: OutsideChannel[]): Promise<boolean> {
  const channels = await planChannels(ctx, user, only ?? wantedChannels(prefs), only !== undefined);
  const recorded = await recordNotification(ctx.deps, { ...input, userId: user.id, channels });
  if (!recorded) return false;
  for (const delivery of recorded.deliveries) {
    if (delivery.status !== 'queued') continue;
    // A queue that cannot be reached now is not a lost mail: the reconciler re-queues every queued delivery.
    await ctx.queue
      .add(JOB.deliver, { deliveryId: delivery.id }, { id: `deliver.${delivery.id}`, ...ctx.timings.deliveryRetry })
      .catch((error: unknown) => ctx.deps.logger.warn({ err: error, deliveryId: delivery.id }, 'queueing a delivery failed; the reconciler will'));
  }
  return true;
}
