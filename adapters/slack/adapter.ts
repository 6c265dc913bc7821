// The Slack adapter: a real @slack/bolt App whose requests come through our
// Koa receiver (POST /slack/events) or, with SLACK_APP_TOKEN, Socket Mode;
// the same handlers either way. `/task` runs the bridge's chat commands;
// messages, edits and deletes in linked channels are mirrored into rooms;
// buttons and a message shortcut act on tasks. Outgoing mirroring and DMs
// go through the Platform port (./platform.ts) driven by the bridge core.

import { App, LogLevel, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Middleware } from 'koa';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { mirrorInbound, mirrorInboundDelete, mirrorInboundEdit, chatActor, roomText } from '../../core/services/bridged.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import { createTask } from '../../core/services/tasks.js';
import { doneColumn } from '../../core/services/projects.js';
import { runChatCommand, type ChatReply } from '../bridge/commands.js';
import type { Platform } from '../bridge/ports.js';
import { ACTIONS, escapeSlack, replyBlocks, SHORTCUT_CREATE_TASK } from './format.js';
import { slackPlatform } from './platform.js';
import { KoaSlackReceiver } from './receiver.js';
import { fromSlackText } from './text.js';

export type SlackConfig = NonNullable<Config['slack']>;

export interface SlackAdapter {
  readonly platform: Platform;
  /** Serves POST /slack/events (null in Socket Mode). */
  readonly middleware: Middleware | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Messages posted while the adapter was away are fetched back at most this far. */
const CATCH_UP_MS = 24 * 3_600_000;
const NAME_TTL_MS = 10 * 60_000;

const joinLogArgs = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' ');

/** Bolt's logger interface on our pino logger; Bolt's chatter goes to debug. */
function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...args: unknown[]) => logger.debug({ component: 'slack' }, joinLogArgs(args)),
    info: (...args: unknown[]) => logger.debug({ component: 'slack' }, joinLogArgs(args)),
    warn: (...args: unknown[]) => logger.warn({ component: 'slack' }, joinLogArgs(args)),
    error: (...args: unknown[]) => logger.error({ component: 'slack' }, joinLogArgs(args)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  files?: { name?: string; permalink?: string }[];
  message?: { user?: string; bot_id?: string; text?: string; ts: string; subtype?: string };
  deleted_ts?: string;
  previous_message?: { bot_id?: string };
}

/** Subtypes that are someone's message: mirrored. Joins, topics, bots' posts and the rest are not. */
const MIRRORED = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

const apiUrlOf = (config: SlackConfig): string | undefined => (config.apiUrl ? (config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`) : undefined);

/** No retries and no waiting on rate limits inside the client: the bridge's sender decides (see platform.ts). */
function clientOptionsOf(config: SlackConfig) {
  const slackApiUrl = apiUrlOf(config);
  return { ...(slackApiUrl ? { slackApiUrl } : {}), rejectRateLimitedCalls: true, retryConfig: { retries: 0 } };
}

/** The Platform alone, for a worker process: it sends the bridge's queued posts and DMs but serves no Slack requests. */
export function slackPlatformFor(config: SlackConfig): Platform {
  return slackPlatform(new webApi.WebClient(config.botToken, clientOptionsOf(config)));
}

export function createSlackAdapter(options: { deps: ServiceDeps; config: SlackConfig; logger: Logger; publicUrl: () => string }): SlackAdapter {
  const { deps, config, logger } = options;
  const slackApiUrl = apiUrlOf(config);
  const clientOptions = clientOptionsOf(config);
  const koaReceiver = config.appToken ? null : new KoaSlackReceiver(config.signingSecret ?? '', logger);
  const socketReceiver = config.appToken
    ? new SocketModeReceiver({ appToken: config.appToken, logger: boltLogger(logger), installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} } })
    : null;
  const app = new App({ token: config.botToken, receiver: (koaReceiver ?? socketReceiver)!, logger: boltLogger(logger), clientOptions, ignoreSelf: true });
  const platform = slackPlatform(app.client);
  const names = new Map<string, { name: string; at: number }>();

  async function nameOf(userId: string): Promise<string> {
    const cached = names.get(userId);
    if (cached && Date.now() - cached.at < NAME_TTL_MS) return cached.name;
    try {
      const info = await app.client.users.info({ user: userId });
      const name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || userId;
      names.set(userId, { name, at: Date.now() });
      return name;
    } catch {
      return cached?.name ?? userId;
    }
  }

  async function mirrorEvent(teamId: string, e: SlackMessageEvent): Promise<void> {
    const link = await deps.store.links.getByChannel('slack', teamId, e.channel);
    if (!link) return;
    if (e.subtype === 'message_changed') {
      if (!e.message || e.message.bot_id) return;
      await mirrorInboundEdit(deps, link, e.message.ts, fromSlackText(e.message.text ?? ''));
      return;
    }
    if (e.subtype === 'message_deleted') {
      if (e.previous_message?.bot_id || !e.deleted_ts) return;
      await mirrorInboundDelete(deps, link, e.deleted_ts);
      return;
    }
    // The bot's own posts come back as events with its bot_id: never mirrored back (no echo).
    if (!MIRRORED.has(e.subtype) || e.bot_id || !e.user) return;
    const files = (e.files ?? []).filter((f) => f.permalink).map((f) => ({ name: f.name ?? 'file', url: f.permalink! }));
    await mirrorInbound(deps, {
      link,
      externalId: e.ts,
      author: { externalUserId: e.user, name: await nameOf(e.user) },
      text: roomText(fromSlackText(e.text ?? ''), files),
    });
  }

  async function doneStatusOf(projectId: string | undefined): Promise<string | null> {
    const project = projectId ? await deps.store.projects.get(projectId) : null;
    return project ? (doneColumn(project) ?? null) : null;
  }

  async function render(reply: ChatReply) {
    return {
      response_type: reply.visibility === 'channel' ? ('in_channel' as const) : ('ephemeral' as const),
      text: escapeSlack(reply.text),
      blocks: replyBlocks(reply.text, reply.tasks ?? [], options.publicUrl(), await doneStatusOf(reply.projectId)),
    };
  }

  app.command('/task', async ({ command, ack, respond }) => {
    await ack();
    const reply = await runChatCommand(deps, options.publicUrl(), {
      platform: 'slack',
      teamId: command.team_id,
      channelId: command.channel_id,
      user: { id: command.user_id, name: command.user_name },
      text: command.text,
    });
    await respond(await render(reply));
  });

  app.event('message', async ({ event, body }) => {
    await mirrorEvent((body as { team_id: string }).team_id, event as unknown as SlackMessageEvent);
  });

  for (const [actionId, verb] of [[ACTIONS.done, 'done'], [ACTIONS.assignMe, 'assign']] as const) {
    app.action(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const b = body as { team?: { id: string }; channel?: { id: string }; user: { id: string; name?: string; username?: string } };
      const task = await deps.store.tasks.get((action as { value?: string }).value ?? '');
      if (!task || !b.team || !b.channel) return;
      const reply = await runChatCommand(deps, options.publicUrl(), {
        platform: 'slack',
        teamId: b.team.id,
        channelId: b.channel.id,
        user: { id: b.user.id, name: b.user.name ?? b.user.username ?? b.user.id },
        text: verb === 'done' ? `done ${task.number}` : `assign ${task.number} me`,
      });
      await respond({ ...(await render(reply)), replace_original: false });
    });
  }

  app.shortcut(SHORTCUT_CREATE_TASK, async ({ ack, shortcut, respond }) => {
    await ack();
    const s = shortcut as unknown as { team: { id: string; domain?: string }; channel: { id: string }; user: { id: string }; message: { ts: string; text?: string } };
    const link = await deps.store.links.getByChannel('slack', s.team.id, s.channel.id);
    const actor = await chatActor(deps, 'slack', s.team.id, s.user.id);
    const tell = (text: string) => respond({ response_type: 'ephemeral', text: escapeSlack(text) });
    if (!link) return void (await tell('This channel is not linked to a Taskwire project yet: /task link <project>.'));
    if (!actor) return void (await tell('Connect your chat account to Taskwire first: run /task connect.'));
    const text = fromSlackText(s.message.text ?? '').trim() || '(message without text)';
    const permalink = `https://${s.team.domain ?? 'app'}.slack.com/archives/${s.channel.id}/p${s.message.ts.replace('.', '')}`;
    try {
      const task = await createTask(deps, actor, link.projectId, { title: text.split('\n')[0]!.slice(0, 200), description: `From Slack: ${permalink}\n\n${text}`.slice(0, 20_000) });
      await tell(`Created #${task.number} "${task.title}".`);
    } catch (error) {
      await tell(error instanceof Error ? error.message : 'Creating the task failed.');
    }
  });

  app.error(async (error) => {
    deps.metrics?.adapterError('slack');
    logger.error({ err: error }, 'a Slack handler failed');
  });

  /** What linked channels received while Taskwire was away, mirrored once and in order (copies make it idempotent). */
  async function catchUp(): Promise<void> {
    let cursor: string | null = null;
    do {
      const page = await deps.store.links.list({ limit: 200, cursor });
      for (const link of page.items.filter((l) => l.platform === 'slack')) {
        const oldest = Math.max(Date.parse(link.createdAt), Date.now() - CATCH_UP_MS) / 1000;
        try {
          const history = await app.client.conversations.history({ channel: link.channelId, oldest: oldest.toFixed(6), limit: 200 });
          const messages = [...((history.messages ?? []) as unknown as SlackMessageEvent[])].sort((a, b) => Number(a.ts) - Number(b.ts));
          for (const message of messages) await mirrorEvent(link.teamId, { ...message, type: 'message', channel: link.channelId });
        } catch (error) {
          deps.metrics?.adapterError('slack');
          logger.warn({ err: error, linkId: link.id }, 'fetching missed Slack messages failed');
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  return {
    platform,
    middleware: koaReceiver?.middleware() ?? null,
    async start() {
      if (socketReceiver) {
        socketReceiver.client.on('connected', () => void catchUp().catch((error: unknown) => logger.warn({ err: error }, 'Slack catch-up failed')));
        await app.start();
      } else {
        await app.start();
        void catchUp().catch((error: unknown) => logger.warn({ err: error }, 'Slack catch-up failed'));
      }
    },
    async stop() {
      await app.stop().catch((error: unknown) => logger.warn({ err: error }, 'stopping the Slack app failed'));
    },
  };
}
