// The Platform port: what the bridge core asks of a chat platform (Slack now,
// Discord next). One contract suite (test/contract/platform) runs against each
// platform's adapter talking to that platform's local double. No SDK type
// crosses this file.

import type { ChatPlatform } from '../../core/domain/entities.js';

export interface ChannelRef {
  /** Slack team id, Discord guild id. */
  teamId: string;
  channelId: string;
}

/** A room message as it goes out: the bot posts it under the Taskwire author's name. */
export interface OutgoingPost {
  text: string;
  authorName: string;
  avatarUrl?: string | null;
}

export interface Platform {
  readonly name: ChatPlatform;
  /** Posts to the channel; resolves with the platform's id of the new message. */
  post(channel: ChannelRef, post: OutgoingPost): Promise<string>;
  update(channel: ChannelRef, externalId: string, post: OutgoingPost): Promise<void>;
  /** Deletes the bot's copy; a copy already gone counts as deleted. */
  remove(channel: ChannelRef, externalId: string): Promise<void>;
  /** A reply only `externalUserId` sees, in the channel. */
  ephemeral(channel: ChannelRef, externalUserId: string, text: string): Promise<void>;
  /** A direct message to a chat account (notifications). */
  directMessage(teamId: string, externalUserId: string, text: string): Promise<void>;
}

/** What a platform call's failure means for the caller: wait and retry (how long, if the platform said), or give up. */
export class PlatformError extends Error {
  readonly transient: boolean;
  /** The platform's Retry-After, when it rate-limited the call. */
  readonly retryAfterMs: number | null;

  constructor(message: string, options: { transient: boolean; retryAfterMs?: number | null; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlatformError';
    this.transient = options.transient;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}
