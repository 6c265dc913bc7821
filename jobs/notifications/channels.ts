// A channel reaches a person outside the app: email now, Slack and Discord
// direct messages when those adapters are configured (they register a Channel
// of their own). The in-app inbox is not a channel: recording the notification
// is its delivery.

import type { DeliveryChannel, Notification, User } from '../../core/store/entities.js';

export type OutsideChannel = Exclude<DeliveryChannel, 'inapp'>;
export const OUTSIDE_CHANNELS: readonly OutsideChannel[] = ['email', 'slack', 'discord'];

export interface Delivering {
  user: User;
  notification: Notification;
  /** Stable per (notification, channel): a resend carries the same id, so it can be recognised. */
  deliveryId: string;
}

export interface Channel {
  readonly name: OutsideChannel;
  /** Why this user cannot be reached here (no connected account, no address), or null when they can. */
  unreachable(user: User): Promise<string | null>;
  /** Sends; throws ChannelError (or any error, taken as transient) when it did not. */
  send(delivering: Delivering): Promise<void>;
}

export class ChannelError extends Error {
  /** Whether another try may succeed (a server down) or not (refused credentials, a refused address). */
  readonly transient: boolean;

  constructor(message: string, transient: boolean) {
    super(message);
    this.name = 'ChannelError';
    this.transient = transient;
  }
}
