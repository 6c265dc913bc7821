// A double of Slack on one loopback port, for the Slack adapter's tests: the Web API methods a
// bridge bot calls, Socket Mode (apps.connections.open and its WebSocket), the response_url
// endpoint, and the requests Slack itself sends to an app (Events API, slash commands,
// interactivity), signed as Slack signs them. Slack cannot be reached from here, so the app keeps
// its real clients (Bolt, @slack/web-api, @slack/socket-mode) and talks to this instead; what the
// double answers follows those clients' sources and Slack's documented payloads, and
// slack.test.ts proves it with the real clients. Like the SMTP server next door it can be taken
// down (connections refused) and brought back on the same port, and it can rate-limit or fail.

import { Waiters } from './waiters.js';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export interface SlackDoubleOptions {
  teamId?: string;
  teamDomain?: string;
  appId?: string;
  /** The bot user's id, what auth.test returns as user_id (Bolt's context.botUserId). */
  botUserId?: string;
  /** The bot's id, what auth.test returns as bot_id (Bolt's context.botId). */
  botId?: string;
  botName?: string;
  /** The xoxb- token the Web API methods accept. */
  botToken?: string;
  /** The xapp- token apps.connections.open accepts. */
  appToken?: string;
  /** The legacy verification token Slack still puts in every payload as `token`. */
  verificationToken?: string;
  /** How often the WebSocket server pings each Socket Mode client, as Slack does; 0 for never. */
  serverPingIntervalMs?: number;
}

export interface SlackUserInput {
  id: string;
  /** The handle (`name` in users.info). */
  name: string;
  realName?: string;
  /** '' unless given, as for the many Slack users who never set one: readers must fall back to real_name. */
  displayName?: string;
  /** Used for every image_* size. */
  image?: string;
  /** profile.email, which Slack shows to apps with users:read.email. */
  email?: string;
  /** An IANA zone; 'UTC' unless given. */
  tz?: string;
  isBot?: boolean;
}

export interface SlackChannelInput {
  id: string;
  name: string;
  /** A private channel: channel_type 'group', is_private. */
  isPrivate?: boolean;
  /** Who is in it; everyone (every user added, now or later) unless given. */
  members?: string[];
  /** Whether the bot was invited; chat.postMessage and conversations.history answer not_in_channel otherwise. */
  botIsMember?: boolean;
}

/** A message as Slack stores it and returns it from conversations.history (no `channel`). */
export interface SlackMessage {
  type: 'message';
  ts: string;
  subtype?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  username?: string;
  thread_ts?: string;
  parent_user_id?: string;
  client_msg_id?: string;
  blocks?: unknown[];
  edited?: { user: string; ts: string };
  [key: string]: unknown;
}

export type ChannelType = 'channel' | 'group' | 'im' | 'mpim';

/** The `event` of a message event: the message plus where it happened, or a message_changed/message_deleted. */
export interface SlackMessageEvent {
  type: 'message';
  channel: string;
  channel_type: ChannelType;
  event_ts: string;
  ts: string;
  subtype?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  hidden?: boolean;
  message?: SlackMessage;
  previous_message?: SlackMessage;
  deleted_ts?: string;
  [key: string]: unknown;
}

/** The body of an Events API request (and the payload of an events_api envelope). */
export interface SlackEventEnvelope {
  token: string;
  team_id: string;
  context_team_id: string;
  context_enterprise_id: null;
  api_app_id: string;
  event: SlackMessageEvent;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: { enterprise_id: null; team_id: string; user_id: string; is_bot: boolean; is_enterprise_install: boolean }[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

export interface SlackCall {
  method: string;
  /** The arguments as sent: form fields are strings, except blocks/attachments/metadata, decoded from their JSON. */
  args: Record<string, unknown>;
  /** From `Authorization: Bearer`, or the `token` form field; null when none was sent. */
  token: string | null;
  at: number;
  /** The HTTP status answered: 200 (also for {ok: false}), 429 when rate-limited, 5xx when failed on purpose. */
  status: number;
  /** The Slack error (`channel_not_found`, `ratelimited`, `http_503`...), null when ok. */
  error: string | null;
  /** The JSON answered with status 200. */
  result: Record<string, unknown> | null;
}

export interface SlackResponseUrlPost {
  url: string;
  kind: 'command' | 'action';
  /** Parsed JSON when it is JSON, else the text. */
  body: unknown;
  at: number;
}

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  text: string;
  command?: string;
}

export interface BlockActionInput {
  userId: string;
  channelId: string;
  /** The message carrying the button; it must be stored in the double (posted through chat.postMessage or postAsUser). */
  messageTs: string;
  actionId: string;
  /** The button's value; taken from the button in the message's blocks unless given. */
  value?: string;
}

export interface MessageShortcutInput {
  userId: string;
  channelId: string;
  messageTs: string;
  callbackId: string;
}

export interface PostAsUserOptions {
  threadTs?: string;
  clientMsgId?: string;
  /** Instead of the rich_text block Slack derives from the text. */
  blocks?: unknown[];
}

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface EnvelopeOptions {
  /** How long to wait for the ack; 3000 ms unless given, Slack's own deadline. */
  timeoutMs?: number;
  /** For events_api: a redelivery, as Slack sends after a missed ack (1..3, with `timeout`). */
  retryAttempt?: number;
  retryReason?: string;
  /** Slack's value for the type unless given: true for commands, view submissions and options; false otherwise. */
  acceptsResponsePayload?: boolean;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface DeliverOptions {
  kind: 'event' | 'command' | 'interactive';
  retryNum?: number;
  /** Slack sends http_timeout, http_error, connection_failed, too_many_redirects, ssl_error or unknown_error. */
  retryReason?: string;
  /** Seconds since the epoch; now unless given (give an old one to test the staleness check). */
  timestamp?: number;
}

export interface Delivery {
  status: number;
  body: string;
  headers: Record<string, string>;
  ms: number;
}

export interface SlackDouble {
  /** http://127.0.0.1:PORT/api/ (with the trailing slash WebClient's slackApiUrl expects). */
  readonly apiUrl: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly port: number;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly verificationToken: string;
  /** The channel every workspace has, #general. */
  readonly generalChannelId: string;

  /** Every Web API call, in arrival order, whatever it was answered. */
  readonly calls: SlackCall[];
  callsOf(method: string): SlackCall[];
  /** The first call of `method`, already made or still to come, that matches; rejects after timeoutMs. */
  waitForCall(method: string, predicate?: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** POSTs to the response_urls handed out in commands and interactions. */
  readonly responses: SlackResponseUrlPost[];
  waitForResponse(predicate?: (post: SlackResponseUrlPost) => boolean, timeoutMs?: number): Promise<SlackResponseUrlPost>;
  /** chat.postEphemeral messages, which never enter a history. */
  readonly ephemerals: { channel: string; user: string; text: string; blocks?: unknown[]; message_ts: string }[];

  /** Answer HTTP 429 with Retry-After for calls of `method` ('*' for all) during the next forMs. */
  rateLimit(method: string, options: { retryAfterSeconds: number; forMs: number }): void;
  /** Answer the next `times` calls of `method` ('*' for all) with an HTTP error. */
  failWith(method: string, options: { status: 500 | 503; times: number }): void;
  /**
   * Answer `method` normally again, ending its failWith. An outage that keeps the port (unlike down(), whose
   * freed port another suite's server may take while it is down).
   */
  recover(method: string): void;
  /** Stop listening and cut every connection (Socket Mode included), as a network outage. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;

  addUser(user: SlackUserInput): void;
  addChannel(channel: SlackChannelInput): void;
  /** The channel's stored top-level messages and replies, oldest first (copies). */
  history(channel: string): SlackMessage[];
  postAsUser(channel: string, user: string, text: string, options?: PostAsUserOptions): SlackEventEnvelope;
  editAsUser(channel: string, ts: string, newText: string): SlackEventEnvelope;
  deleteAsUser(channel: string, ts: string): SlackEventEnvelope;
  /** The message event Slack sends back for the bot's own post (a chat.postMessage call, or its channel and ts). */
  botEcho(post: SlackCall | { channel: string; ts: string }): SlackEventEnvelope;
  /** The form fields of a slash command request (also the payload of a slash_commands envelope). */
  slashCommand(input: SlashCommandInput): Record<string, string>;
  /** A block_actions payload for a click on a button of a stored message. */
  blockAction(input: BlockActionInput): Record<string, unknown>;
  /** A message_action payload (a message shortcut) on a stored message. */
  messageShortcut(input: MessageShortcutInput): Record<string, unknown>;
  /** The url_verification request Slack sends when the Request URL is set. */
  urlVerification(challenge?: string): Record<string, unknown>;

  signRequest(signingSecret: string, rawBody: string, options?: { timestamp?: number }): Record<string, string>;
  deliver(url: string, signingSecret: string, payload: unknown, options: DeliverOptions): Promise<Delivery>;

  /** Resolves once a Socket Mode connection is open (at once if one is); rejects after timeoutMs. */
  socketConnected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest open connection; resolves with the app's ack, rejects on timeout or close. */
  sendEnvelope(type: EnvelopeType, payload: unknown, options?: EnvelopeOptions): Promise<SocketAck>;
  /**
   * Sends Slack's `disconnect` message to every open connection and resolves once they are closed:
   * `obeyed` counts those the client closed itself, `cut` those still open after graceMs (2 s), which the double drops.
   */
  disconnectSocket(reason?: string, options?: { graceMs?: number }): Promise<{ obeyed: number; cut: number }>;
  /** How many Socket Mode connections were opened (hello sent) since start. */
  readonly socketConnections: number;
  /** How many are open now. */
  readonly openSockets: number;
  /** Every message the app sent over Socket Mode (acks), parsed. */
  readonly socketMessages: unknown[];

  stop(): Promise<void>;
}

const SIGNATURE_VERSION = 'v0';
const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';
const ACK_DEADLINE_MS = 3_000;
/** Form fields that WebClient (and Slack) carry as JSON text. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);
const BOT_SCOPES = 'chat:write,chat:write.customize,channels:history,channels:read,groups:history,groups:read,im:history,im:read,im:write,mpim:history,users:read,users:read.email,commands';

/** Computes Slack's request signature: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function signRequest(signingSecret: string, rawBody: string, options: { timestamp?: number } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const hash = createHmac('sha256', signingSecret).update(`${SIGNATURE_VERSION}:${timestamp}:${rawBody}`).digest('hex');
  return { 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': `${SIGNATURE_VERSION}=${hash}` };
}

/**
 * POSTs `payload` to the app as Slack does: events as JSON, slash commands as form fields,
 * interactions as one `payload` form field holding JSON; signed, with the retry headers when given.
 */
export async function deliver(url: string, signingSecret: string, payload: unknown, options: DeliverOptions): Promise<Delivery> {
  let body: string;
  let contentType: string;
  if (options.kind === 'event') {
    body = JSON.stringify(payload);
    contentType = 'application/json';
  } else if (options.kind === 'command') {
    body = new URLSearchParams(payload as Record<string, string>).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else {
    body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    contentType = 'application/x-www-form-urlencoded';
  }
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'User-Agent': SLACK_USER_AGENT,
    Accept: '*/*',
    ...signRequest(signingSecret, body, options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  };
  if (options.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(options.retryNum);
  if (options.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = options.retryReason;
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text, headers: Object.fromEntries(response.headers.entries()), ms: performance.now() - started };
}

interface User {
  input: SlackUserInput;
  updated: number;
}

interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  /** null: every user of the workspace. */
  members: Set<string> | null;
  botIsMember: boolean;
  isGeneral: boolean;
  created: number;
  /** The other person, for an IM. */
  imUser: string | null;
  /** Top-level messages and replies, oldest first (ts only grows). */
  messages: SlackMessage[];
}

/** A Slack error answered as {ok: false, error}. */
class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export async function startSlackDouble(options: SlackDoubleOptions = {}): Promise<SlackDouble> {
  const teamId = options.teamId ?? 'T0TASKWIRE';
  const teamDomain = options.teamDomain ?? 'taskwire-test';
  const appId = options.appId ?? 'A0TASKWIRE';
  const botUserId = options.botUserId ?? 'U0TASKBOT';
  const botId = options.botId ?? 'B0TASKBOT';
  const botName = options.botName ?? 'taskwire';
  const botToken = options.botToken ?? 'xoxb-1111-2222-taskwiredouble';
  const appToken = options.appToken ?? 'xapp-1-A0TASKWIRE-3333-taskwiredouble';
  const verificationToken = options.verificationToken ?? 'verification-token-of-the-double';
  const serverPingIntervalMs = options.serverPingIntervalMs ?? 10_000;
  const generalChannelId = 'C0GENERAL';
  const startedAt = Math.floor(Date.now() / 1000);

  const calls: SlackCall[] = [];
  const responses: SlackResponseUrlPost[] = [];
  const ephemerals: SlackDouble['ephemerals'] = [];
  const socketMessages: unknown[] = [];
  const users = new Map<string, User>();
  const channels = new Map<string, Channel>();
  const ims = new Map<string, string>();
  const responseUrls = new Set<string>();
  const tickets = new Set<string>();
  const limits: { method: string; until: number; retryAfterSeconds: number }[] = [];
  const failures: { method: string; status: number; remaining: number }[] = [];
  const waiters = new Waiters();
  let counter = 0;
  let lastTsMicros = 0n;
  let stopped = false;

  // --- identifiers, as Slack shapes them ---

  /** Message timestamps: seconds and microseconds, unique and increasing within the workspace. */
  const nextTs = (): string => {
    const now = BigInt(Date.now()) * 1000n;
    lastTsMicros = now > lastTsMicros ? now : lastTsMicros + 1n;
    return `${lastTsMicros / 1_000_000n}.${String(lastTsMicros % 1_000_000n).padStart(6, '0')}`;
  };
  const nextId = (prefix: string): string => `${prefix}0${(++counter).toString(36).toUpperCase().padStart(8, '0')}`;
  const triggerId = (): string => `${Date.now()}.${(++counter).toString().padStart(10, '0')}.${randomBytes(16).toString('hex')}`;

  const wake = (): void => waiters.wake();
  const waitFor = <T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> => waiters.waitFor(find, timeoutMs, describe);

  // --- the workspace ---

  const addUser = (input: SlackUserInput): void => {
    users.set(input.id, { input, updated: Math.floor(Date.now() / 1000) });
  };
  const addChannel = (input: SlackChannelInput): void => {
    channels.set(input.id, {
      id: input.id,
      name: input.name,
      type: input.isPrivate ? 'group' : 'channel',
      members: input.members ? new Set(input.members) : null,
      botIsMember: input.botIsMember ?? true,
      isGeneral: false,
      created: Math.floor(Date.now() / 1000),
      imUser: null,
      messages: [],
    });
  };
  addUser({ id: botUserId, name: botName, realName: 'Taskwire', isBot: true });
  addChannel({ id: generalChannelId, name: 'general' });
  (channels.get(generalChannelId) as Channel).isGeneral = true;

  const isMember = (channel: Channel, user: string): boolean =>
    user === botUserId ? channel.botIsMember : channel.members === null ? users.has(user) : channel.members.has(user);

  /** The IM between the bot and `user`, opened on first use. */
  const imWith = (user: string): { channel: Channel; existed: boolean } => {
    const id = ims.get(user);
    if (id) return { channel: channels.get(id) as Channel, existed: true };
    const channel: Channel = {
      id: nextId('D'),
      name: user,
      type: 'im',
      members: new Set([user]),
      botIsMember: true,
      isGeneral: false,
      created: Math.floor(Date.now() / 1000),
      imUser: user,
      messages: [],
    };
    channels.set(channel.id, channel);
    ims.set(user, channel.id);
    return { channel, existed: false };
  };

  const channelOrThrow = (id: string): Channel => {
    const channel = channels.get(id);
    if (!channel) throw new Error(`the Slack double has no channel ${id}: addChannel() it first`);
    return channel;
  };
  const userOrThrow = (id: string): User => {
    const user = users.get(id);
    if (!user) throw new Error(`the Slack double has no user ${id}: addUser() it first`);
    return user;
  };
  const findMessage = (channel: Channel, ts: string): SlackMessage | undefined => channel.messages.find((m) => m.ts === ts);
  const messageOrThrow = (channel: Channel, ts: string): SlackMessage => {
    const message = findMessage(channel, ts);
    if (!message) throw new Error(`the Slack double has no message ${ts} in ${channel.id}`);
    return message;
  };

  /** Stores `message`; a reply also updates its parent's thread fields, as Slack's history shows them. */
  const store = (channel: Channel, message: SlackMessage): void => {
    channel.messages.push(message);
    if (!message.thread_ts || message.thread_ts === message.ts) return;
    const parent = findMessage(channel, message.thread_ts);
    if (!parent) return;
    const replies = channel.messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
    const replyUsers = [...new Set(replies.map((m) => m.user ?? m.bot_id ?? ''))];
    Object.assign(parent, {
      thread_ts: parent.ts,
      reply_count: replies.length,
      reply_users_count: replyUsers.length,
      latest_reply: message.ts,
      reply_users: replyUsers,
      is_locked: false,
    });
  };

  const botProfile = (): Record<string, unknown> => ({
    id: botId,
    deleted: false,
    name: botName,
    updated: startedAt,
    app_id: appId,
    icons: { image_36: `${origin}/avatars/${botId}/36.png`, image_48: `${origin}/avatars/${botId}/48.png`, image_72: `${origin}/avatars/${botId}/72.png` },
    team_id: teamId,
  });

  const eventEnvelope = (event: SlackMessageEvent): SlackEventEnvelope => ({
    token: verificationToken,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: appId,
    event,
    type: 'event_callback',
    event_id: nextId('Ev'),
    event_time: Number(event.event_ts.split('.')[0]),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: 'message', tid: teamId, aid: appId, cid: event.channel })).toString('base64url')}`,
  });

  const asEvent = (channel: Channel, message: SlackMessage): SlackMessageEvent => ({
    ...structuredClone(message),
    channel: channel.id,
    event_ts: message.ts,
    channel_type: channel.type,
  });

  // --- the Web API ---

  const methods: Record<string, { token: 'bot' | 'app'; run: (args: Record<string, unknown>) => Record<string, unknown> }> = {
    'auth.test': {
      token: 'bot',
      run: () => ({ url: `https://${teamDomain}.slack.com/`, team: 'Taskwire Test', user: botName, team_id: teamId, user_id: botUserId, bot_id: botId, is_enterprise_install: false }),
    },
    'apps.connections.open': {
      token: 'app',
      run: () => {
        const ticket = randomUUID();
        tickets.add(ticket);
        return { url: `ws://127.0.0.1:${port}/socket?ticket=${ticket}&app_id=${appId}` };
      },
    },
    'chat.postMessage': { token: 'bot', run: postMessage },
    'chat.update': { token: 'bot', run: updateMessage },
    'chat.delete': {
      token: 'bot',
      run: (args) => {
        const channel = postableChannel(args);
        const ts = required(args, 'ts', 'message_not_found');
        const index = channel.messages.findIndex((m) => m.ts === ts);
        const message = channel.messages[index];
        if (!message) throw new SlackApiError('message_not_found');
        // A bot token deletes only the bot's own messages.
        if (message.bot_id !== botId) throw new SlackApiError('cant_delete_message');
        channel.messages.splice(index, 1);
        return { channel: channel.id, ts };
      },
    },
    'chat.postEphemeral': {
      token: 'bot',
      run: (args) => {
        const channel = postableChannel(args);
        const user = required(args, 'user', 'user_not_found');
        if (!users.has(user)) throw new SlackApiError('user_not_found');
        if (!isMember(channel, user)) throw new SlackApiError('user_not_in_channel');
        const text = str(args.text) ?? '';
        const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
        if (!text && !blocks && !args.attachments) throw new SlackApiError('no_text');
        const messageTs = nextTs();
        ephemerals.push({ channel: channel.id, user, text, ...(blocks ? { blocks } : {}), message_ts: messageTs });
        return { message_ts: messageTs };
      },
    },
    'chat.getPermalink': {
      token: 'bot',
      run: (args) => {
        const channel = knownChannel(args);
        const ts = required(args, 'message_ts', 'message_not_found');
        if (!findMessage(channel, ts)) throw new SlackApiError('message_not_found');
        return { channel: channel.id, permalink: `https://${teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}` };
      },
    },
    'conversations.open': {
      token: 'bot',
      run: (args) => {
        const list = (Array.isArray(args.users) ? args.users.map(String) : (str(args.users) ?? '').split(',')).map((u) => u.trim()).filter(Boolean);
        if (list.length === 0) {
          const channel = knownChannel(args);
          return { no_op: true, already_open: true, channel: { id: channel.id } };
        }
        for (const user of list) if (!users.has(user)) throw new SlackApiError('user_not_found');
        if (list.length > 8) throw new SlackApiError('too_many_users');
        const first = list[0] as string;
        if (list.length === 1) {
          const { channel, existed } = imWith(first);
          const body = bool(args.return_im) ? channelInfo(channel, false) : { id: channel.id };
          return existed ? { no_op: true, already_open: true, channel: body } : { channel: body };
        }
        const members = [...new Set([...list, botUserId])].sort();
        const name = `mpdm-${members.map((m) => users.get(m)?.input.name ?? m).join('--')}-1`;
        let channel = [...channels.values()].find((c) => c.type === 'mpim' && c.name === name);
        const existed = channel !== undefined;
        if (!channel) {
          channel = { id: nextId('G'), name, type: 'mpim', members: new Set(list), botIsMember: true, isGeneral: false, created: Math.floor(Date.now() / 1000), imUser: null, messages: [] };
          channels.set(channel.id, channel);
        }
        return existed ? { no_op: true, already_open: true, channel: { id: channel.id } } : { channel: { id: channel.id } };
      },
    },
    'conversations.history': { token: 'bot', run: conversationsHistory },
    'conversations.replies': { token: 'bot', run: conversationsReplies },
    'conversations.info': {
      token: 'bot',
      run: (args) => ({ channel: channelInfo(knownChannel(args), bool(args.include_num_members)) }),
    },
    'users.info': {
      token: 'bot',
      run: (args) => {
        const user = users.get(required(args, 'user', 'user_not_found'));
        if (!user) throw new SlackApiError('user_not_found');
        return { user: userInfo(user) };
      },
    },
  };

  function knownChannel(args: Record<string, unknown>): Channel {
    const channel = channels.get(required(args, 'channel', 'channel_not_found'));
    if (!channel) throw new SlackApiError('channel_not_found');
    return channel;
  }

  /** The channel a bot may write to or read; a user id means the bot's IM with that user, as Slack allows. */
  function postableChannel(args: Record<string, unknown>): Channel {
    const id = required(args, 'channel', 'channel_not_found');
    if (/^[UW]/.test(id) && users.has(id)) return imWith(id).channel;
    const channel = channels.get(id);
    if (!channel) throw new SlackApiError('channel_not_found');
    if (!channel.botIsMember) throw new SlackApiError('not_in_channel');
    return channel;
  }

  function postMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = postableChannel(args);
    const text = str(args.text) ?? '';
    const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
    const attachments = Array.isArray(args.attachments) ? args.attachments : undefined;
    if (!text && !blocks && !attachments) throw new SlackApiError('no_text');
    if (text.length > 40_000) throw new SlackApiError('msg_too_long');
    const username = str(args.username);
    const iconUrl = str(args.icon_url);
    const iconEmoji = str(args.icon_emoji);
    const threadTs = str(args.thread_ts);
    const ts = nextTs();
    // With a bot token Slack records the post as the bot user (user + bot_id, no subtype); once
    // the post overrides the name or icon (chat:write.customize) it is a `bot_message` with
    // `username` and `icons` and no `user`. Bolt's ignoreSelf recognises both shapes.
    const customized = username !== undefined || iconUrl !== undefined || iconEmoji !== undefined;
    const message: SlackMessage = {
      ...(customized ? { subtype: 'bot_message' } : {}),
      type: 'message',
      text,
      ...(customized ? {} : { user: botUserId }),
      ...(customized && username !== undefined ? { username } : {}),
      ...(customized ? { icons: iconUrl ? { image_36: iconUrl, image_48: iconUrl, image_72: iconUrl } : iconEmoji ? { emoji: iconEmoji } : {} } : {}),
      ts,
      bot_id: botId,
      app_id: appId,
      ...(blocks ? { blocks } : {}),
      ...(attachments ? { attachments } : {}),
      team: teamId,
      bot_profile: botProfile(),
      ...(threadTs ? { thread_ts: threadTs, parent_user_id: parentUser(channel, threadTs) } : {}),
    };
    if (threadTs && bool(args.reply_broadcast)) message.subtype = 'thread_broadcast';
    store(channel, message);
    return { channel: channel.id, ts, message: structuredClone(message) };
  }

  function parentUser(channel: Channel, threadTs: string): string {
    const parent = findMessage(channel, threadTs);
    return parent?.user ?? parent?.bot_id ?? '';
  }

  function updateMessage(args: Record<string, unknown>): Record<string, unknown> {
    const channel = postableChannel(args);
    const ts = required(args, 'ts', 'message_not_found');
    const message = findMessage(channel, ts);
    if (!message) throw new SlackApiError('message_not_found');
    if (message.bot_id !== botId) throw new SlackApiError('cant_update_message');
    const text = str(args.text);
    // Slack keeps the previous blocks and attachments unless new ones (even []) are given.
    if (text !== undefined) message.text = text;
    if (Array.isArray(args.blocks)) message.blocks = args.blocks;
    if (Array.isArray(args.attachments)) message.attachments = args.attachments;
    if (!message.text && !message.blocks?.length && !(Array.isArray(message.attachments) && message.attachments.length)) throw new SlackApiError('no_text');
    message.edited = { user: botUserId, ts: nextTs() };
    return { channel: channel.id, ts, text: message.text ?? '', message: structuredClone(message) };
  }

  function conversationsHistory(args: Record<string, unknown>): Record<string, unknown> {
    const channel = postableChannel(args);
    const oldest = str(args.oldest);
    const latest = str(args.latest);
    const inclusive = bool(args.inclusive);
    const limit = pageSize(args.limit, 100, 999);
    const low = oldest ? tsKey(oldest) : null;
    const high = latest ? tsKey(latest) : null;
    // Thread replies are not in a channel's history (conversations.replies has them), except broadcasts.
    const inRange = channel.messages.filter((m) => {
      if (m.thread_ts && m.thread_ts !== m.ts && m.subtype !== 'thread_broadcast') return false;
      const key = tsKey(m.ts);
      if (low !== null && (inclusive ? key < low : key <= low)) return false;
      if (high !== null && (inclusive ? key > high : key >= high)) return false;
      return true;
    });
    // Pages are listed newest first. The page is the `limit` messages closest to `latest` and the
    // cursor walks back in time; with `oldest` and no `latest` it is the ones closest to `oldest`
    // and the cursor walks forward, as Slack documented for its history methods.
    const forward = oldest !== undefined && latest === undefined;
    const boundary = decodeCursor(str(args.cursor));
    if (boundary === 'invalid') throw new SlackApiError('invalid_cursor');
    const candidates = boundary === null ? inRange : inRange.filter((m) => (forward ? tsKey(m.ts) > boundary : tsKey(m.ts) < boundary));
    const page = forward ? candidates.slice(0, limit) : candidates.slice(-limit);
    const hasMore = candidates.length > page.length;
    const edge = forward ? page[page.length - 1] : page[0];
    return {
      messages: structuredClone(page).toReversed(),
      has_more: hasMore,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      ...(hasMore && edge ? { response_metadata: { next_cursor: encodeCursor(edge.ts) } } : {}),
    };
  }

  function conversationsReplies(args: Record<string, unknown>): Record<string, unknown> {
    const channel = postableChannel(args);
    const ts = required(args, 'ts', 'thread_not_found');
    const parent = findMessage(channel, ts);
    if (!parent) throw new SlackApiError('thread_not_found');
    const limit = pageSize(args.limit, 1000, 1000);
    const boundary = decodeCursor(str(args.cursor));
    if (boundary === 'invalid') throw new SlackApiError('invalid_cursor');
    // A thread reads oldest first, the parent leading.
    const thread = channel.messages.filter((m) => m.ts === ts || m.thread_ts === ts);
    const candidates = boundary === null ? thread : thread.filter((m) => tsKey(m.ts) > boundary);
    const page = candidates.slice(0, limit);
    const hasMore = candidates.length > page.length;
    const last = page[page.length - 1];
    return { messages: structuredClone(page), has_more: hasMore, ...(hasMore && last ? { response_metadata: { next_cursor: encodeCursor(last.ts) } } : {}) };
  }

  function channelInfo(channel: Channel, withCount: boolean): Record<string, unknown> {
    if (channel.type === 'im') {
      return { id: channel.id, created: channel.created, is_archived: false, is_im: true, is_org_shared: false, context_team_id: teamId, updated: channel.created * 1000, user: channel.imUser, is_user_deleted: false, priority: 0 };
    }
    const members = channel.members === null ? [...users.keys()].filter((u) => u !== botUserId) : [...channel.members];
    return {
      id: channel.id,
      name: channel.name,
      is_channel: channel.type === 'channel',
      is_group: channel.type === 'group',
      is_im: false,
      is_mpim: channel.type === 'mpim',
      is_private: channel.type !== 'channel',
      created: channel.created,
      is_archived: false,
      is_general: channel.isGeneral,
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: teamId,
      updated: channel.created * 1000,
      parent_conversation: null,
      creator: '',
      is_ext_shared: false,
      shared_team_ids: [teamId],
      pending_connected_team_ids: [],
      is_member: channel.botIsMember,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
      ...(withCount ? { num_members: members.length + (channel.botIsMember ? 1 : 0) } : {}),
    };
  }

  function userInfo(user: User): Record<string, unknown> {
    const { id, name, realName = name, displayName = '', email, tz = 'UTC', isBot = false } = user.input;
    const image = (size: number): string => user.input.image ?? `${origin}/avatars/${id}/${size}.png`;
    return {
      id,
      team_id: teamId,
      name,
      deleted: false,
      color: '9f69e7',
      real_name: realName,
      tz,
      tz_label: tz,
      tz_offset: tzOffsetSeconds(tz),
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        ...(email ? { email } : {}),
        ...(isBot && id === botUserId ? { bot_id: botId, api_app_id: appId, always_active: false } : {}),
        avatar_hash: 'g0123456789a',
        image_24: image(24),
        image_32: image(32),
        image_48: image(48),
        image_72: image(72),
        image_192: image(192),
        image_512: image(512),
        status_text: '',
        status_emoji: '',
        team: teamId,
      },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: isBot,
      is_app_user: false,
      updated: user.updated,
      is_email_confirmed: true,
    };
  }

  /** Answers one Web API request the way Slack does, recording it. */
  function api(method: string, req: IncomingMessage, url: URL, raw: string, res: ServerResponse): void {
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const isJson = contentType.startsWith('application/json');
    let args: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let badJson = false;
    if (isJson) {
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : {};
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = { ...args, ...(parsed as Record<string, unknown>) };
        else badJson = true;
      } catch {
        badJson = true;
      }
    } else if (raw) {
      for (const [key, value] of new URLSearchParams(raw)) args[key] = value;
    }
    if (!isJson) {
      for (const field of JSON_FIELDS) {
        const value = args[field];
        if (typeof value !== 'string') continue;
        try {
          args[field] = JSON.parse(value);
        } catch {
          // Slack would answer invalid_blocks and the like; the raw text stays in the record.
        }
      }
    }
    // A JSON body must carry its token in the header; a form may carry it as a field.
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const bodyToken = !isJson ? (str(args.token) ?? null) : null;
    const token = bearer ?? bodyToken;
    delete args.token;
    const call: SlackCall = { method, args, token, at: Date.now(), status: 200, error: null, result: null };
    calls.push(call);

    const now = Date.now();
    const limit = limits.find((l) => (l.method === method || l.method === '*') && l.until > now);
    if (limit) {
      call.status = 429;
      call.error = 'ratelimited';
      res.writeHead(429, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(limit.retryAfterSeconds) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      wake();
      return;
    }
    const failure = failures.find((f) => (f.method === method || f.method === '*') && f.remaining > 0);
    if (failure) {
      failure.remaining -= 1;
      call.status = failure.status;
      call.error = `http_${failure.status}`;
      res.writeHead(failure.status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(failure.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
      wake();
      return;
    }

    let result: Record<string, unknown>;
    try {
      if (badJson) throw new SlackApiError('invalid_json');
      const handler = methods[method];
      if (!handler) throw new SlackApiError('unknown_method', { req_method: method });
      if (token === null) throw new SlackApiError('not_authed');
      const kind = token === botToken ? 'bot' : token === appToken ? 'app' : null;
      if (kind === null) throw new SlackApiError('invalid_auth');
      if (kind !== handler.token) throw new SlackApiError('not_allowed_token_type');
      result = { ok: true, ...handler.run(args) };
    } catch (err) {
      if (!(err instanceof SlackApiError)) {
        call.status = 500;
        call.error = 'double_failed';
        throw err;
      }
      result = { ok: false, error: err.code, ...err.extra };
      call.error = err.code;
    }
    call.result = result;
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
    if (token === botToken) {
      headers['X-OAuth-Scopes'] = BOT_SCOPES;
      headers['X-Accepted-OAuth-Scopes'] = '';
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify(result));
    wake();
  }

  // --- the HTTP server: the Web API, response_urls, and the Socket Mode upgrade ---

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      console.error('the Slack double failed on', req.method, req.url, err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/api/')) return api(url.pathname.slice('/api/'.length), req, url, raw, res);
    if (req.method === 'POST' && responseUrls.has(url.pathname)) {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Kept as text.
      }
      responses.push({ url: `${origin}${url.pathname}`, kind: url.pathname.startsWith('/commands/') ? 'command' : 'action', body, at: Date.now() });
      wake();
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('ok');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }

  const wss = new WebSocketServer({ noServer: true });
  const open = new Set<WebSocket>();
  const pending = new Map<string, { ws: WebSocket; resolve: (ack: SocketAck) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }>();
  let socketConnections = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    const ticket = url.searchParams.get('ticket');
    // Each URL from apps.connections.open admits one connection.
    if (url.pathname !== '/socket' || !ticket || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  function onSocket(ws: WebSocket): void {
    open.add(ws);
    socketConnections += 1;
    const connectedAt = Date.now();
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.size,
        debug_info: { host: 'applink-double', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    const pinger = serverPingIntervalMs > 0 ? setInterval(() => ws.ping(Buffer.from(`ping ${Date.now() - connectedAt}`)), serverPingIntervalMs) : null;
    pinger?.unref();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        socketMessages.push(text);
        return;
      }
      socketMessages.push(message);
      const id = message && typeof message === 'object' ? (message as { envelope_id?: unknown }).envelope_id : undefined;
      const waiting = typeof id === 'string' ? pending.get(id) : undefined;
      if (typeof id === 'string' && waiting) {
        pending.delete(id);
        clearTimeout(waiting.timer);
        waiting.resolve(message as SocketAck);
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      open.delete(ws);
      if (pinger) clearInterval(pinger);
      for (const [id, waiting] of pending) {
        if (waiting.ws !== ws) continue;
        pending.delete(id);
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`the Socket Mode connection closed before envelope ${id} was acknowledged`));
      }
      wake();
    });
    wake();
  }

  // --- listening ---

  const listen = (at: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  const origin = `http://127.0.0.1:${port}`;
  let listening = true;

  const goDown = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Upgraded sockets no longer count for server.close, so wait for each WebSocket's own close.
    const cut = [...open].map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
    for (const ws of open) ws.terminate();
    for (const socket of sockets) socket.destroy();
    await Promise.all([closed, ...cut]);
  };

  // --- what Slack sends to the app ---

  const userRef = (id: string): Record<string, unknown> => {
    const user = userOrThrow(id);
    return { id, username: user.input.name, name: user.input.name, team_id: teamId };
  };
  const newResponseUrl = (kind: 'commands' | 'actions'): string => {
    const path = `/${kind}/${teamId}/${Date.now()}${++counter}/${randomBytes(12).toString('hex')}`;
    responseUrls.add(path);
    return `${origin}${path}`;
  };

  const double: SlackDouble = {
    apiUrl: `${origin}/api/`,
    origin,
    port,
    teamId,
    teamDomain,
    appId,
    botUserId,
    botId,
    botToken,
    appToken,
    verificationToken,
    generalChannelId,
    calls,
    responses,
    ephemerals,
    socketMessages,
    get socketConnections() {
      return socketConnections;
    },
    get openSockets() {
      return open.size;
    },

    callsOf: (method) => calls.filter((c) => c.method === method),
    waitForCall(method, predicate = () => true, timeoutMs = 5_000) {
      return waitFor(
        () => calls.find((c) => c.method === method && predicate(c)),
        timeoutMs,
        () => `no matching ${method} call (calls: ${calls.map((c) => `${c.method} ${c.status}${c.error ? ` ${c.error}` : ''}`).join('; ') || 'none'})`,
      );
    },
    waitForResponse(predicate = () => true, timeoutMs = 5_000) {
      return waitFor(
        () => responses.find(predicate),
        timeoutMs,
        () => `no matching response_url POST (got ${responses.length})`,
      );
    },

    rateLimit(method, { retryAfterSeconds, forMs }) {
      limits.push({ method, until: Date.now() + forMs, retryAfterSeconds });
    },
    failWith(method, { status, times }) {
      failures.push({ method, status, remaining: times });
    },
    recover(method) {
      for (const failure of failures) if (failure.method === method) failure.remaining = 0;
    },
    down: goDown,
    async up() {
      if (stopped) throw new Error('the Slack double was stopped; start another');
      if (listening) return;
      await listen(port);
      listening = true;
    },

    addUser,
    addChannel,
    history: (channel) => structuredClone(channelOrThrow(channel).messages),

    postAsUser(channelId, userId, text, opts = {}) {
      const channel = channelOrThrow(channelId);
      userOrThrow(userId);
      if (!isMember(channel, userId)) throw new Error(`${userId} is not in ${channelId}`);
      const ts = nextTs();
      const message: SlackMessage = {
        client_msg_id: opts.clientMsgId ?? randomUUID(),
        type: 'message',
        text,
        user: userId,
        ts,
        blocks: opts.blocks ?? [{ type: 'rich_text', block_id: blockId(), elements: [{ type: 'rich_text_section', elements: richText(text) }] }],
        team: teamId,
        ...(opts.threadTs ? { thread_ts: opts.threadTs, parent_user_id: parentUser(channel, opts.threadTs) } : {}),
      };
      store(channel, message);
      return eventEnvelope(asEvent(channel, message));
    },
    editAsUser(channelId, ts, newText) {
      const channel = channelOrThrow(channelId);
      const message = messageOrThrow(channel, ts);
      const previous = structuredClone(message);
      const editTs = nextTs();
      message.text = newText;
      if (message.client_msg_id) message.blocks = [{ type: 'rich_text', block_id: blockId(), elements: [{ type: 'rich_text_section', elements: richText(newText) }] }];
      message.edited = { user: message.user ?? botUserId, ts: editTs };
      // Slack nests the new and the previous message and stamps the change with its own ts.
      return eventEnvelope({
        type: 'message',
        subtype: 'message_changed',
        message: { ...structuredClone(message), source_team: teamId, user_team: teamId },
        previous_message: previous,
        channel: channel.id,
        hidden: true,
        ts: editTs,
        event_ts: editTs,
        channel_type: channel.type,
      });
    },
    deleteAsUser(channelId, ts) {
      const channel = channelOrThrow(channelId);
      const message = messageOrThrow(channel, ts);
      channel.messages.splice(channel.messages.indexOf(message), 1);
      const eventTs = nextTs();
      return eventEnvelope({
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        deleted_ts: ts,
        channel: channel.id,
        previous_message: message,
        ts: eventTs,
        event_ts: eventTs,
        channel_type: channel.type,
      });
    },
    botEcho(post) {
      let where: { channel: string; ts: string };
      if ('method' in post) {
        const result = post.result;
        if (post.method !== 'chat.postMessage' || !result?.ok) throw new Error(`botEcho needs a successful chat.postMessage call, not ${post.method} (${post.error ?? 'ok'})`);
        where = { channel: String(result.channel), ts: String(result.ts) };
      } else {
        where = post;
      }
      const channel = channelOrThrow(where.channel);
      return eventEnvelope(asEvent(channel, messageOrThrow(channel, where.ts)));
    },
    slashCommand({ userId, channelId, text, command = '/task' }) {
      const user = userOrThrow(userId);
      const channel = channels.get(channelId);
      // A command typed in a DM names the conversation `directmessage`, in a private channel `privategroup`.
      const channelName = !channel ? channelId : channel.type === 'im' ? 'directmessage' : channel.type === 'group' ? 'privategroup' : channel.name;
      return {
        token: verificationToken,
        team_id: teamId,
        team_domain: teamDomain,
        channel_id: channelId,
        channel_name: channelName,
        user_id: userId,
        user_name: user.input.name,
        command,
        text,
        api_app_id: appId,
        is_enterprise_install: 'false',
        response_url: newResponseUrl('commands'),
        trigger_id: triggerId(),
      };
    },
    blockAction({ userId, channelId, messageTs, actionId, value }) {
      const channel = channelOrThrow(channelId);
      const message = messageOrThrow(channel, messageTs);
      const found = findButton(message.blocks ?? [], actionId);
      if (!found) throw new Error(`message ${messageTs} has no button with action_id ${actionId}`);
      const clicked = value ?? found.button.value;
      return {
        type: 'block_actions',
        user: userRef(userId),
        api_app_id: appId,
        token: verificationToken,
        container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
        trigger_id: triggerId(),
        team: { id: teamId, domain: teamDomain },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: channelId, name: channel.type === 'im' ? 'directmessage' : channel.name },
        message: structuredClone(message),
        state: { values: {} },
        response_url: newResponseUrl('actions'),
        actions: [
          {
            action_id: actionId,
            block_id: found.blockId,
            text: found.button.text ?? { type: 'plain_text', text: '', emoji: true },
            ...(clicked === undefined ? {} : { value: clicked }),
            ...(found.button.style ? { style: found.button.style } : {}),
            type: 'button',
            action_ts: nextTs(),
          },
        ],
      };
    },
    messageShortcut({ userId, channelId, messageTs, callbackId }) {
      const channel = channelOrThrow(channelId);
      const message = messageOrThrow(channel, messageTs);
      return {
        type: 'message_action',
        token: verificationToken,
        action_ts: nextTs(),
        team: { id: teamId, domain: teamDomain },
        user: userRef(userId),
        channel: { id: channelId, name: channel.type === 'im' ? 'directmessage' : channel.name },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: callbackId,
        trigger_id: triggerId(),
        response_url: newResponseUrl('actions'),
        message_ts: messageTs,
        message: structuredClone(message),
      };
    },
    urlVerification(challenge = randomBytes(24).toString('base64url')) {
      return { token: verificationToken, challenge, type: 'url_verification' };
    },

    signRequest,
    deliver,

    socketConnected(timeoutMs = 10_000) {
      return waitFor(
        () => (open.size > 0 ? true : undefined),
        timeoutMs,
        () => `no Socket Mode connection (apps.connections.open calls: ${calls.filter((c) => c.method === 'apps.connections.open').length})`,
      ).then(() => undefined);
    },
    sendEnvelope(type, payload, opts = {}) {
      const ws = [...open].pop();
      if (!ws) return Promise.reject(new Error('no Socket Mode connection is open'));
      const envelopeId = randomUUID();
      const envelope = {
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: opts.acceptsResponsePayload ?? acceptsResponse(type, payload),
        ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' } : {}),
      };
      const timeoutMs = opts.timeoutMs ?? ACK_DEADLINE_MS;
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`the app did not acknowledge the ${type} envelope ${envelopeId} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, { ws, resolve, reject, timer });
        ws.send(JSON.stringify(envelope));
      });
    },
    async disconnectSocket(reason = 'refresh_requested', { graceMs = 2_000 } = {}) {
      // Slack asks the client to go and drops the link itself if it lingers.
      const outcomes = await Promise.all(
        [...open].map(
          (ws) =>
            new Promise<'obeyed' | 'cut'>((resolve) => {
              let cut = false;
              const timer = setTimeout(() => {
                cut = true;
                ws.terminate();
              }, graceMs);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve(cut ? 'cut' : 'obeyed');
              });
              ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-double' } }));
            }),
        ),
      );
      return { obeyed: outcomes.filter((o) => o === 'obeyed').length, cut: outcomes.filter((o) => o === 'cut').length };
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      waiters.failAll(new Error('the Slack double was stopped'));
      await goDown();
      wss.close();
    },
  };
  return double;
}

/** Slack's accepts_response_payload: commands, view submissions and select options may answer in the ack. */
function acceptsResponse(type: EnvelopeType, payload: unknown): boolean {
  if (type === 'slash_commands') return true;
  if (type !== 'interactive') return false;
  const kind = payload && typeof payload === 'object' ? (payload as { type?: unknown }).type : undefined;
  return kind === 'view_submission' || kind === 'block_suggestion';
}

interface Button {
  text?: unknown;
  value?: string;
  style?: string;
}

/** The button with `actionId` in section accessories or actions blocks. */
function findButton(blocks: unknown[], actionId: string): { blockId: string; button: Button } | null {
  for (const block of blocks) {
    if (!block || typeof block !== 'object') continue;
    const { block_id: id, elements, accessory } = block as { block_id?: string; elements?: unknown[]; accessory?: unknown };
    for (const element of [...(Array.isArray(elements) ? elements : []), accessory]) {
      if (!element || typeof element !== 'object') continue;
      const candidate = element as { type?: string; action_id?: string } & Button;
      if (candidate.type === 'button' && candidate.action_id === actionId) return { blockId: id ?? '', button: candidate };
    }
  }
  return null;
}

/** The rich_text_section elements Slack's client derives from a message's wire text (mentions, channels, links, text). */
function richText(text: string): Record<string, unknown>[] {
  const elements: Record<string, unknown>[] = [];
  let last = 0;
  for (const match of text.matchAll(/<([^>]+)>/g)) {
    if (match.index > last) elements.push({ type: 'text', text: unescape(text.slice(last, match.index)) });
    last = match.index + match[0].length;
    const [target = '', label] = (match[1] ?? '').split('|');
    if (target.startsWith('@')) elements.push({ type: 'user', user_id: target.slice(1) });
    else if (target.startsWith('#')) elements.push({ type: 'channel', channel_id: target.slice(1) });
    else if (target.startsWith('!')) elements.push({ type: 'broadcast', range: target.slice(1) });
    else elements.push({ type: 'link', url: target, ...(label ? { text: label } : {}) });
  }
  if (last < text.length) elements.push({ type: 'text', text: unescape(text.slice(last)) });
  return elements;
}

/** Slack's wire text escapes &, < and >; rich_text carries them plain. */
function unescape(s: string): string {
  return s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function blockId(): string {
  return randomBytes(3).toString('base64url').slice(0, 4);
}

/** A required argument; Slack answers a missing one with the error of a wrong one. */
function required(args: Record<string, unknown>, name: string, error: string): string {
  const value = str(args[name]);
  if (!value) throw new SlackApiError(error);
  return value;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function pageSize(value: unknown, fallback: number, max: number): number {
  const n = Number.parseInt(str(value) ?? '', 10);
  return Number.isNaN(n) || n < 1 ? fallback : Math.min(n, max);
}

/** A message timestamp as an exact integer of microseconds (floats lose the last digits). */
function tsKey(ts: string): bigint {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return BigInt(seconds || '0') * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
}

// Slack's history cursors are base64 of `next_ts:<ts without the dot>`.
function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts.replace('.', '')}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): bigint | null | 'invalid' {
  if (!cursor) return null;
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1] ? BigInt(match[1]) : 'invalid';
}

function tzOffsetSeconds(tz: string): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date());
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!match) return 0;
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
  } catch {
    return 0;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
