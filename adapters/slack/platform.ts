// The Platform port on Slack's Web API. The WebClient is told not to retry
// and not to wait out rate limits itself: the bridge's sender decides, so a
// 429 holds back only that channel's later messages, in order, and honours
// Retry-After without blocking a worker for minutes.

import type { WebClient } from '@slack/web-api';
import { PlatformError, type ChannelRef, type OutgoingPost, type Platform } from '../bridge/ports.js';
import { escapeSlack } from './format.js';

/** Slack errors that another try will not fix. */
const FINAL = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked', 'msg_too_long', 'no_text', 'restricted_action', 'cant_update_message', 'user_not_found']);
const GONE = new Set(['message_not_found', 'cant_delete_message']);

export function translateSlackError(error: unknown): PlatformError {
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new PlatformError('Slack rate-limited the call', { transient: true, retryAfterMs: (e.retryAfter ?? 1) * 1000, cause: error });
  }
  const slackError = e.data?.error;
  if (slackError) return new PlatformError(`Slack answered ${slackError}`, { transient: !FINAL.has(slackError), cause: error });
  // Network errors and HTTP 5xx: Slack is down or unreachable for now.
  return new PlatformError(`Slack is unreachable: ${e.message ?? String(error)}`, { transient: true, cause: error });
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateSlackError(error);
  }
}

/** A mirrored message as the bot posts it: under the author's name (chat:write.customize), never unfurled. */
const asPost = (channel: ChannelRef, post: OutgoingPost) => ({
  channel: channel.channelId,
  text: escapeSlack(post.text),
  username: post.authorName.slice(0, 80),
  ...(post.avatarUrl ? { icon_url: post.avatarUrl } : {}),
  unfurl_links: false,
  unfurl_media: false,
});

export function slackPlatform(client: WebClient): Platform {
  return {
    name: 'slack',
    async post(channel, post) {
      const result = await call(() => client.chat.postMessage(asPost(channel, post)));
      if (!result.ts) throw new PlatformError('Slack did not return the message ts', { transient: true });
      return result.ts;
    },
    async update(channel, externalId, post) {
      const { username: _username, icon_url: _icon, unfurl_links: _l, unfurl_media: _m, ...rest } = asPost(channel, post) as Record<string, unknown>;
      await call(() => client.chat.update({ ...(rest as { channel: string; text: string }), ts: externalId }));
    },
    async remove(channel, externalId) {
      try {
        await call(() => client.chat.delete({ channel: channel.channelId, ts: externalId }));
      } catch (error) {
        if (error instanceof PlatformError && GONE.has(String((error.cause as { data?: { error?: string } })?.data?.error))) return;
        throw error;
      }
    },
    async ephemeral(channel, externalUserId, text) {
      await call(() => client.chat.postEphemeral({ channel: channel.channelId, user: externalUserId, text: escapeSlack(text) }));
    },
    async directMessage(_teamId, externalUserId, text) {
      const opened = await call(() => client.conversations.open({ users: externalUserId }));
      const channel = opened.channel?.id;
      if (!channel) throw new PlatformError('Slack did not open a direct message channel', { transient: true });
      await call(() => client.chat.postMessage({ channel, text: escapeSlack(text), unfurl_links: false }));
    },
  };
}
