// The Platform port on Discord's REST API (discord.js's REST client, whose
// queue waits out 429s itself, so one channel's posts keep their order). It
// speaks to the routes directly, so a worker process with no gateway session
// sends the same way a web node does. Mirrored posts go through a webhook the
// bot makes in each channel, under the Taskwire author's name and avatar;
// where the bot may not manage webhooks it posts itself and names the author.
// Every post sets allowed_mentions to nothing: mirrored text never pings
// @everyone, @here, roles or people.

import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import { PlatformError, type ChannelRef, type OutgoingPost, type Platform } from '../bridge/ports.js';

const NO_PINGS = { parse: [] as never[] };
const WEBHOOK_NAME = 'Taskwire';
/** Discord error codes another try will not fix: unknown channel, missing access or permissions, cannot DM, bad form. */
const FINAL_CODES = new Set([10003, 50001, 50013, 50007, 50035]);
const UNKNOWN_MESSAGE = 10008;
const MAX_CONTENT = 2000;

interface RestWebhook {
  id: string;
  token?: string;
  name: string | null;
  application_id: string | null;
}

export function translateDiscordError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof RateLimitError) return new PlatformError('Discord rate-limited the call', { transient: true, retryAfterMs: error.retryAfter, cause: error });
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : Number(error.code);
    return new PlatformError(`Discord answered ${error.status} (${error.code}): ${error.message}`, { transient: error.status >= 500 || !FINAL_CODES.has(code), cause: error });
  }
  if (error instanceof HTTPError) return new PlatformError(`Discord answered ${error.status}`, { transient: true, cause: error });
  return new PlatformError(`Discord is unreachable: ${error instanceof Error ? error.message : String(error)}`, { transient: true, cause: error });
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDiscordError(error);
  }
}

const isUnknownMessage = (error: unknown) => error instanceof PlatformError && (error.cause as { code?: unknown } | undefined)?.code === UNKNOWN_MESSAGE;

/** A post by the bot itself (no webhook here) names the Taskwire author in its text. */
const botText = (post: OutgoingPost) => `**${post.authorName.replace(/\*/g, '')}**: ${post.text}`.slice(0, MAX_CONTENT);

export function discordPlatform(rest: REST, applicationId: string): Platform {
  /** Per channel: its webhook, or null where the bot posts itself. */
  const hooks = new Map<string, Promise<RestWebhook | null>>();

  function webhookFor(channelId: string): Promise<RestWebhook | null> {
    let found = hooks.get(channelId);
    if (!found) {
      found = (async () => {
        try {
          const existing = (await rest.get(Routes.channelWebhooks(channelId))) as RestWebhook[];
          const ours = existing.find((w) => w.name === WEBHOOK_NAME && w.application_id === applicationId && w.token);
          return ours ?? ((await rest.post(Routes.channelWebhooks(channelId), { body: { name: WEBHOOK_NAME } })) as RestWebhook);
        } catch (error) {
          const platformError = translateDiscordError(error);
          if (platformError.transient) throw platformError;
          // No "Manage Webhooks" here: the bot posts itself and names the author.
          return null;
        }
      })();
      hooks.set(channelId, found);
      found.catch(() => hooks.delete(channelId));
    }
    return found;
  }

  async function dm(externalUserId: string, text: string): Promise<void> {
    const channel = (await call(() => rest.post(Routes.userChannels(), { body: { recipient_id: externalUserId } }))) as { id: string };
    await call(() => rest.post(Routes.channelMessages(channel.id), { body: { content: text.slice(0, MAX_CONTENT), allowed_mentions: NO_PINGS } }));
  }

  return {
    name: 'discord',
    async post(channel: ChannelRef, post: OutgoingPost) {
      const webhook = await webhookFor(channel.channelId);
      if (webhook?.token) {
        const token = webhook.token;
        const sent = (await call(() =>
          rest.post(Routes.webhook(webhook.id, token), {
            body: { content: post.text.slice(0, MAX_CONTENT), username: post.authorName.slice(0, 80), ...(post.avatarUrl ? { avatar_url: post.avatarUrl } : {}), allowed_mentions: NO_PINGS },
            query: new URLSearchParams({ wait: 'true' }),
            auth: false,
          }),
        )) as { id: string };
        return sent.id;
      }
      const sent = (await call(() => rest.post(Routes.channelMessages(channel.channelId), { body: { content: botText(post), allowed_mentions: NO_PINGS } }))) as { id: string };
      return sent.id;
    },
    async update(channel, externalId, post) {
      const webhook = await webhookFor(channel.channelId);
      if (webhook?.token) {
        const token = webhook.token;
        await call(() => rest.patch(Routes.webhookMessage(webhook.id, token, externalId), { body: { content: post.text.slice(0, MAX_CONTENT), allowed_mentions: NO_PINGS }, auth: false }));
        return;
      }
      await call(() => rest.patch(Routes.channelMessage(channel.channelId, externalId), { body: { content: botText(post), allowed_mentions: NO_PINGS } }));
    },
    async remove(channel, externalId) {
      try {
        const webhook = await webhookFor(channel.channelId);
        if (webhook?.token) {
          const token = webhook.token;
          await call(() => rest.delete(Routes.webhookMessage(webhook.id, token, externalId), { auth: false }));
        } else await call(() => rest.delete(Routes.channelMessage(channel.channelId, externalId)));
      } catch (error) {
        if (!isUnknownMessage(error)) throw error;
      }
    },
    // Outside an interaction Discord has no private reply in a channel; a direct message is the closest.
    ephemeral: (_channel, externalUserId, text) => dm(externalUserId, text),
    directMessage: (_teamId, externalUserId, text) => dm(externalUserId, text),
  };
}
