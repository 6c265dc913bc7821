// The Platform port on Discord's REST API (through discord.js, whose REST
// queue waits out 429s itself, so one channel's posts keep their order).
// Mirrored posts go through a webhook the bot makes in each channel, under
// the Taskwire author's name and avatar; where the bot may not manage
// webhooks it posts itself and names the author. Every post sets
// allowed_mentions to nothing: mirrored text never pings @everyone, @here,
// roles or people.

import { DiscordAPIError, HTTPError, RateLimitError, type Client, type TextBasedChannel, type Webhook } from 'discord.js';
import { PlatformError, type ChannelRef, type OutgoingPost, type Platform } from '../bridge/ports.js';

const NO_PINGS = { parse: [] as never[] };
const WEBHOOK_NAME = 'Taskwire';
/** Discord error codes another try will not fix: unknown channel, missing access or permissions, cannot DM. */
const FINAL_CODES = new Set([10003, 50001, 50013, 50007, 50035]);
const UNKNOWN_MESSAGE = 10008;

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

/** A post by the bot itself (no webhook here) names the Taskwire author in its text. */
const botText = (post: OutgoingPost) => `**${post.authorName.replace(/\*/g, '')}**: ${post.text}`.slice(0, 2000);

const isUnknownMessage = (error: unknown) => error instanceof PlatformError && (error.cause as { code?: unknown } | undefined)?.code === UNKNOWN_MESSAGE;

export function discordPlatform(client: Client, applicationId: string): Platform {
  /** Per channel: its webhook, or null where the bot posts itself. */
  const hooks = new Map<string, Promise<Webhook | null>>();

  async function textChannel(channelId: string): Promise<TextBasedChannel & { createWebhook?: unknown }> {
    const channel = await call(() => client.channels.fetch(channelId));
    if (!channel?.isTextBased()) throw new PlatformError(`channel ${channelId} is not a text channel`, { transient: false });
    return channel;
  }

  function webhookFor(channelId: string): Promise<Webhook | null> {
    let found = hooks.get(channelId);
    if (!found) {
      found = (async () => {
        const channel = (await textChannel(channelId)) as unknown as { fetchWebhooks?: () => Promise<Map<string, Webhook>>; createWebhook?: (o: { name: string }) => Promise<Webhook> };
        if (!channel.fetchWebhooks || !channel.createWebhook) return null;
        try {
          const existing = [...(await channel.fetchWebhooks()).values()].find((w) => w.name === WEBHOOK_NAME && w.applicationId === applicationId && w.token);
          return existing ?? (await channel.createWebhook({ name: WEBHOOK_NAME }));
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

  return {
    name: 'discord',
    async post(channel: ChannelRef, post: OutgoingPost) {
      const webhook = await webhookFor(channel.channelId);
      if (webhook) {
        const sent = await call(() =>
          webhook.send({ content: post.text.slice(0, 2000), username: post.authorName.slice(0, 80), ...(post.avatarUrl ? { avatarURL: post.avatarUrl } : {}), allowedMentions: NO_PINGS }),
        );
        return sent.id;
      }
      const target = await textChannel(channel.channelId);
      if (!('send' in target)) throw new PlatformError('cannot post in this channel', { transient: false });
      return call(async () => (await (target as { send(o: unknown): Promise<{ id: string }> }).send({ content: botText(post), allowedMentions: NO_PINGS })).id);
    },
    async update(channel, externalId, post) {
      const webhook = await webhookFor(channel.channelId);
      if (webhook) {
        await call(() => webhook.editMessage(externalId, { content: post.text.slice(0, 2000), allowedMentions: NO_PINGS }));
        return;
      }
      const target = await textChannel(channel.channelId);
      await call(async () => {
        await target.messages.edit(externalId, { content: botText(post), allowedMentions: NO_PINGS });
      });
    },
    async remove(channel, externalId) {
      try {
        const webhook = await webhookFor(channel.channelId);
        if (webhook) await call(() => webhook.deleteMessage(externalId));
        else await call(async () => (await textChannel(channel.channelId)).messages.delete(externalId));
      } catch (error) {
        if (!isUnknownMessage(error)) throw error;
      }
    },
    async ephemeral(_channel, externalUserId, text) {
      // Outside an interaction Discord has no private reply in a channel; a direct message is the closest.
      await call(() => client.users.send(externalUserId, { content: text.slice(0, 2000), allowedMentions: NO_PINGS }));
    },
    async directMessage(_teamId, externalUserId, text) {
      await call(() => client.users.send(externalUserId, { content: text.slice(0, 2000), allowedMentions: NO_PINGS }));
    },
  };
}
