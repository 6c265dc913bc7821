// Room → channel: the project's change feed is the ordered outbox, drained
// per link by the feed sender (core/services/feed-sender.ts). A rate limit is
// waited out as the platform asked (up to 30 s, holding back that channel
// only); other failures go back to the queue with backoff.

import type { Change, ChannelLink, Message } from '../../core/domain/entities.js';
import { copyOf } from '../../core/services/bridged.js';
import { commit, type ServiceDeps } from '../../core/services/deps.js';
import { drainFeed, type DrainResult } from '../../core/services/feed-sender.js';
import { StoreDuplicateError } from '../../core/store/errors.js';
import { PlatformError, type Platform } from './ports.js';

/** A Retry-After up to this long is waited out in the job; longer ones go back to the queue. */
const MAX_INLINE_WAIT_MS = 30_000;

function outgoing(message: Message): { text: string; authorName: string } {
  return { text: message.text, authorName: message.authorName || 'Taskwire' };
}

async function apply(deps: ServiceDeps, link: ChannelLink, platform: Platform, change: Change): Promise<void> {
  if (!change.type.startsWith('message.') || change.data.roomId !== link.roomId) return;
  const messageId = change.data.id as string;
  const copy = await deps.store.messageCopies.getForLink(link.id, messageId);
  const channel = { teamId: link.teamId, channelId: link.channelId };
  if (change.type === 'message.created') {
    // A copy exists: the message came from this very channel (no echo), or it was posted before a crash.
    if (copy) return;
    const message = await deps.store.messages.get(messageId);
    if (!message || message.deletedAt) return;
    const externalId = await platform.post(channel, outgoing(message));
    try {
      await commit(deps, { projectId: null }, (uow) => uow.insert('messageCopies', copyOf(deps, link, message, externalId, 'outbound')));
    } catch (error) {
      if (!(error instanceof StoreDuplicateError)) throw error;
    }
    return;
  }
  // Only the bot's own copies can be edited or deleted by it; people's messages in the channel are theirs.
  if (!copy || copy.direction !== 'outbound') return;
  const message = await deps.store.messages.get(messageId);
  if (change.type === 'message.updated' && message && !message.deletedAt) await platform.update(channel, copy.externalId, outgoing(message));
  if (change.type === 'message.deleted') await platform.remove(channel, copy.externalId);
}

/** Sends what the link's channel is missing, in feed order. */
export async function flushLink(deps: ServiceDeps, platform: Platform, linkId: string): Promise<DrainResult> {
  const link = await deps.store.links.get(linkId);
  if (!link) return { seq: 0, ran: false };
  return drainFeed(deps, {
    cursorId: link.id,
    projectId: link.projectId,
    apply: (change) => apply(deps, link, platform, change),
    waitBeforeRetry: (error) => {
      if (!(error instanceof PlatformError) || error.retryAfterMs === null || error.retryAfterMs > MAX_INLINE_WAIT_MS) return null;
      deps.logger.warn({ linkId, retryAfterMs: error.retryAfterMs }, 'the chat platform rate-limited us; waiting as it asked');
      return error.retryAfterMs;
    },
  });
}
