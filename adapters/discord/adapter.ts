// The Discord adapter: a real discord.js v14 Client on the gateway (its REST
// and the gateway URL from DISCORD_API_URL when set), `/task` registered at
// boot with one bulk overwrite, interactions taken over the gateway or at
// POST /discord/interactions (one handler for both), and messages, edits and
// deletes in linked channels mirrored into rooms. Outgoing mirroring and DMs
// go through the Platform port (./platform.ts) driven by the bridge core.

import { Client, escapeMarkdown, Events, REST, GatewayIntentBits, Partials, Routes, type Message, type PartialMessage } from 'discord.js';
import type { Middleware } from 'koa';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { taskDetails } from '../../core/presenters/command-reply.js';
import { mirrorInbound, mirrorInboundDelete, mirrorInboundEdit, roomText } from '../../core/services/bridged.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import { runChatCommand, type ChatReply } from '../bridge/commands.js';
import type { Platform } from '../bridge/ports.js';
import { grammarText, TASK_COMMAND, taskCommand, type CommandOption } from './command.js';
import { discordPlatform } from './platform.js';
import { fromDiscordText } from './text.js';
import { publicKeyFromHex, verifyDiscordRequest } from './verify.js';

export type DiscordConfig = NonNullable<Config['discord']>;

export interface DiscordAdapter {
  readonly platform: Platform;
  /** Serves POST /discord/interactions. */
  readonly middleware: Middleware;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages];
/** An answer later than this becomes a deferred response and a follow-up (Discord allows 3 s). */
const ANSWER_WITHIN_MS = 2_000;
const CATCH_UP_MS = 24 * 3_600_000;
const DISCORD_EPOCH = 1_420_070_400_000n;
const MAX_BODY_BYTES = 1024 * 1024;
const NO_PINGS = { parse: [] as never[] };
const EPHEMERAL = 64;

/** The smallest snowflake of a moment: Discord lists messages `after` an id. */
const snowflakeAt = (ms: number): string => ((BigInt(Math.max(ms, 1_420_070_400_000)) - DISCORD_EPOCH) << 22n).toString();

interface Invocation {
  guildId: string;
  channelId: string;
  user: { id: string; name: string };
  options: readonly CommandOption[];
}

/**
 * REST as the bridge wants it: 429s are waited out by the REST queue (order kept per route), failures are not
 * retried inside the client but reported, so the bridge's sender decides (the queue retries with backoff).
 */
function restOptions(config: DiscordConfig) {
  return { retries: 0, ...(config.apiUrl ? { api: config.apiUrl.replace(/\/+$/, '') } : {}) };
}

/** The Platform alone, for a worker process: REST only, no gateway session (the web nodes hold that). */
export function discordPlatformFor(config: DiscordConfig): Platform {
  const rest = new REST(restOptions(config)).setToken(config.token);
  return discordPlatform(rest, config.applicationId);
}

export function createDiscordAdapter(options: { deps: ServiceDeps; config: DiscordConfig; logger: Logger; publicUrl: () => string }): DiscordAdapter {
  const { deps, config, logger } = options;
  const client = new Client({
    intents: INTENTS,
    partials: [Partials.Channel, Partials.Message],
    allowedMentions: NO_PINGS,
    rest: restOptions(config),
  });
  client.rest.setToken(config.token);
  const platform = discordPlatform(client.rest, config.applicationId);
  const publicKey = publicKeyFromHex(config.publicKey);
  let stopped = false;

  function render(reply: ChatReply): string {
    const lines = [escapeMarkdown(reply.text)];
    for (const task of (reply.tasks ?? []).slice(0, 15)) {
      const link = `${options.publicUrl()}/#/projects/${encodeURIComponent(task.projectId)}/board`;
      lines.push(`[#${task.number}](<${link}>) **${escapeMarkdown(task.title)}** · ${escapeMarkdown(taskDetails(task).join(' · '))}`);
    }
    return lines.join('\n').slice(0, 2000);
  }

  async function answer(invocation: Invocation): Promise<{ content: string; ephemeral: boolean }> {
    const reply = await runChatCommand(deps, options.publicUrl(), {
      platform: 'discord',
      teamId: invocation.guildId,
      channelId: invocation.channelId,
      user: invocation.user,
      text: grammarText(invocation.options),
    });
    return { content: render(reply), ephemeral: reply.visibility === 'private' };
  }

  /** Runs the command; resolves with the answer, or with null when it takes too long to answer at once. */
  function answerSoon(invocation: Invocation): { soon: Promise<{ content: string; ephemeral: boolean } | null>; done: Promise<{ content: string; ephemeral: boolean }> } {
    const done = answer(invocation).catch((error: unknown) => {
      deps.metrics?.adapterError('discord');
      logger.error({ err: error }, 'a Discord command failed');
      return { content: 'That command failed on our side; try again.', ephemeral: true };
    });
    const soon = Promise.race([done, new Promise<null>((resolve) => setTimeout(() => resolve(null), ANSWER_WITHIN_MS))]);
    return { soon, done };
  }

  async function mirrorCreate(message: Message): Promise<void> {
    if (!message.guildId || message.author.bot || message.webhookId || message.system) return;
    const link = await deps.store.links.getByChannel('discord', message.guildId, message.channelId);
    if (!link) return;
    const names = {
      users: new Map([...message.mentions.users.values()].map((u) => [u.id, message.mentions.members?.get(u.id)?.displayName ?? u.globalName ?? u.username])),
      roles: new Map([...message.mentions.roles.values()].map((r) => [r.id, r.name])),
      channels: new Map([...message.mentions.channels.values()].map((c) => [c.id, 'name' in c && typeof c.name === 'string' ? c.name : c.id])),
    };
    const attachments = [...message.attachments.values()].map((a) => ({ name: a.name, url: a.url }));
    await mirrorInbound(deps, {
      link,
      externalId: message.id,
      author: { externalUserId: message.author.id, name: message.member?.displayName ?? message.author.globalName ?? message.author.username },
      text: roomText(fromDiscordText(message.content, names), attachments),
    });
  }

  async function mirrorUpdate(message: Message | PartialMessage): Promise<void> {
    const full = message.partial ? await message.fetch().catch(() => null) : message;
    if (!full?.guildId || full.author.bot || full.webhookId) return;
    const link = await deps.store.links.getByChannel('discord', full.guildId, full.channelId);
    if (!link) return;
    await mirrorInboundEdit(deps, link, full.id, fromDiscordText(full.content, { users: new Map(), roles: new Map(), channels: new Map() }));
  }

  async function mirrorDelete(message: Message | PartialMessage): Promise<void> {
    if (!message.guildId) return;
    const link = await deps.store.links.getByChannel('discord', message.guildId, message.channelId);
    if (link) await mirrorInboundDelete(deps, link, message.id);
  }

  /** After a session that could not resume, what linked channels got meanwhile is fetched and mirrored once, in order. */
  async function catchUp(): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await deps.store.links.list({ limit: 200, cursor });
      for (const link of page.items.filter((l) => l.platform === 'discord')) {
        try {
          const channel = await client.channels.fetch(link.channelId);
          if (!channel?.isTextBased()) continue;
          const after = snowflakeAt(Math.max(Date.parse(link.createdAt), Date.now() - CATCH_UP_MS));
          const messages = [...(await channel.messages.fetch({ after, limit: 100 })).values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
          for (const message of messages) await mirrorCreate(message);
        } catch (error) {
          deps.metrics?.adapterError('discord');
          logger.warn({ err: error, linkId: link.id }, 'fetching missed Discord messages failed');
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  const guard = <A extends unknown[]>(what: string, handler: (...args: A) => Promise<void>) => (...args: A) => {
    handler(...args).catch((error: unknown) => {
      deps.metrics?.adapterError('discord');
      logger.error({ err: error }, `Discord ${what} failed`);
    });
  };

  client.on('messageCreate', guard('message mirroring', mirrorCreate));
  client.on('messageUpdate', guard('edit mirroring', async (_old, message) => mirrorUpdate(message)));
  client.on('messageDelete', guard('delete mirroring', mirrorDelete));
  client.on('shardReady', guard('catch-up', async () => catchUp()));
  client.on(
    'interactionCreate',
    guard('interaction', async (interaction) => {
      if (!interaction.isChatInputCommand() || interaction.commandName !== TASK_COMMAND.name) return;
      const { soon, done } = answerSoon({
        guildId: interaction.guildId ?? '',
        channelId: interaction.channelId,
        user: { id: interaction.user.id, name: interaction.user.globalName ?? interaction.user.username },
        options: interaction.options.data as unknown as CommandOption[],
      });
      const quick = await soon;
      if (quick) {
        await interaction.reply({ content: quick.content, allowedMentions: NO_PINGS, ...(quick.ephemeral ? { flags: EPHEMERAL } : {}) });
        return;
      }
      await interaction.deferReply({ flags: EPHEMERAL });
      await interaction.editReply({ content: (await done).content, allowedMentions: NO_PINGS });
    }),
  );
  client.on('error', (error) => {
    deps.metrics?.adapterError('discord');
    logger.warn({ err: error }, 'the Discord client reported an error');
  });

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== '/discord/interactions') return next();
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      ctx.set('Allow', 'POST');
      return;
    }
    const refuse = (status: number, code: string, message: string) => {
      ctx.status = status;
      ctx.body = { error: { code, message, details: [] } };
    };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return refuse(413, 'payload_too_large', 'The request body is too large.');
      chunks.push(chunk);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const verdict = verifyDiscordRequest(publicKey, { signature: ctx.get('X-Signature-Ed25519') || undefined, timestamp: ctx.get('X-Signature-Timestamp') || undefined }, raw);
    if (!verdict.ok) {
      logger.warn({ reason: verdict.reason }, 'refused a Discord interaction');
      return refuse(401, 'unauthenticated', 'The interaction signature is missing, wrong or too old.');
    }
    let body: { type?: number; id?: string; token?: string; guild_id?: string; channel_id?: string; member?: { nick?: string | null; user?: { id: string; username: string; global_name?: string | null } }; user?: { id: string; username: string; global_name?: string | null }; data?: { name?: string; options?: CommandOption[] } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return refuse(400, 'validation_failed', 'The body is not JSON.');
    }
    if (body.type === 1) {
      ctx.body = { type: 1 };
      return;
    }
    const user = body.member?.user ?? body.user;
    if (body.type !== 2 || body.data?.name !== TASK_COMMAND.name || !user || !body.channel_id || !body.token) {
      ctx.body = { type: 4, data: { content: 'Taskwire only knows /task.', flags: EPHEMERAL, allowed_mentions: NO_PINGS } };
      return;
    }
    const { soon, done } = answerSoon({
      guildId: body.guild_id ?? '',
      channelId: body.channel_id,
      user: { id: user.id, name: body.member?.nick ?? user.global_name ?? user.username },
      options: body.data.options ?? [],
    });
    const quick = await soon;
    if (quick) {
      ctx.body = { type: 4, data: { content: quick.content, allowed_mentions: NO_PINGS, ...(quick.ephemeral ? { flags: EPHEMERAL } : {}) } };
      return;
    }
    ctx.body = { type: 5, data: { flags: EPHEMERAL } };
    const token = body.token;
    void done.then((later) =>
      client.rest
        .patch(Routes.webhookMessage(config.applicationId, token, '@original'), { body: { content: later.content, allowed_mentions: NO_PINGS }, auth: false })
        .catch((error: unknown) => {
          deps.metrics?.adapterError('discord');
          logger.warn({ err: error }, 'following up a deferred Discord interaction failed');
        }),
    );
  };

  async function connect(attempt = 1): Promise<void> {
    if (stopped) return;
    try {
      await client.login(config.token);
    } catch (error) {
      const wait = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
      deps.metrics?.adapterError('discord');
      logger.warn({ err: error, retryInMs: wait }, 'logging in to Discord failed; retrying');
      setTimeout(() => void connect(attempt + 1), wait).unref();
    }
  }

  client.once(Events.ClientReady, guard('command registration', async (ready) => {
    // One bulk overwrite: the registered commands are exactly these, whatever an earlier version registered.
    const { dropped, ...command } = taskCommand(deps.pluginCommands?.list() ?? []);
    if (dropped.length > 0) logger.warn({ dropped }, 'Discord allows 25 sub-commands: these plugin commands are not registered there');
    await ready.application.commands.set([command as unknown as Parameters<typeof ready.application.commands.set>[0][number]]);
  }));

  return {
    platform,
    middleware,
    async start() {
      void connect();
    },
    async stop() {
      stopped = true;
      await client.destroy().catch((error: unknown) => logger.warn({ err: error }, 'closing the Discord client failed'));
    },
  };
}
