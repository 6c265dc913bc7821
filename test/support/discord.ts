// A double of Discord on one loopback port, for the Discord adapter's tests: the REST API v10
// routes a bridge bot calls (under /api/v10, with Discord's JSON errors and rate-limit headers),
// the Gateway v10 (JSON encoding, no compression) on the same port, and the interactions Discord
// sends to an app's HTTP endpoint, signed with Ed25519 as Discord signs them. Discord cannot be
// reached from here, so the app keeps its real discord.js Client and talks to this instead: give
// the Client `rest: { api: double.apiUrl }` and it finds the gateway through GET /gateway/bot, as
// @discordjs/ws always does. What the double answers follows discord.js 14 / @discordjs/rest 2 /
// @discordjs/ws 1 sources and Discord's documented payloads; discord.test.ts proves it with the
// real client. Like the Slack double next door it can be taken down and brought back on the same
// port, rate-limit or fail on purpose, and drop the gateway resumably or not.

import { Waiters } from './waiters.js';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

export interface DiscordDoubleOptions {
  /** The application's id; a fresh snowflake unless given. */
  applicationId?: string;
  /** The bot user's id; the application's id unless given, as for every app created since 2020. */
  botUserId?: string;
  /** The token `Authorization: Bot <token>` and IDENTIFY must carry. */
  botToken?: string;
  /** The one guild (server) the bot is in; a fresh snowflake unless given. */
  guildId?: string;
  botUsername?: string;
  guildName?: string;
  /** HELLO's heartbeat_interval; Discord's 41250 ms unless given. */
  heartbeatIntervalMs?: number;
  /** How long after an interaction is sent its initial response is accepted: Discord's 3 s unless given. */
  interactionDeadlineMs?: number;
  /**
   * The privileged intents switched on in the Developer Portal (all three unless given). IDENTIFY
   * asking for one that is off is closed with 4014; with Message Content off, REST reads lose content too.
   */
  privilegedIntents?: { messageContent?: boolean; guildMembers?: boolean; guildPresences?: boolean };
  /** Whether the bot's and its webhooks' own posts come back as MESSAGE_CREATE (as on Discord); true unless false. */
  echoOwnMessages?: boolean;
}

export interface DiscordUserInput {
  id: string;
  username: string;
  global_name?: string | null;
  avatar?: string | null;
  bot?: boolean;
}

/** A user object as the API returns it (author, mentions, member.user). */
export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
  discriminator: string;
  public_flags: number;
  flags: number;
  bot?: boolean;
  [key: string]: unknown;
}

export interface DiscordChannel {
  id: string;
  /** 0 GUILD_TEXT, 1 DM, 5 GUILD_ANNOUNCEMENT. */
  type: number;
  guild_id?: string;
  name?: string;
  position?: number;
  last_message_id: string | null;
  flags: number;
  recipients?: DiscordUser[];
  [key: string]: unknown;
}

/** A message as GET /channels/:id/messages returns it. */
export interface DiscordMessage {
  id: string;
  channel_id: string;
  /** 0 DEFAULT, 19 REPLY, 20 CHAT_INPUT_COMMAND. */
  type: number;
  content: string;
  author: DiscordUser;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: DiscordUser[];
  mention_roles: string[];
  attachments: unknown[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  flags: number;
  webhook_id?: string;
  application_id?: string;
  [key: string]: unknown;
}

export interface DiscordWebhook {
  id: string;
  type: number;
  guild_id: string;
  channel_id: string;
  name: string;
  avatar: string | null;
  token: string;
  application_id: string;
  user: DiscordUser;
}

export interface DiscordCall {
  method: string;
  /** The route template, `/channels/:channelId/messages`; null when no route matched (answered 404). */
  route: string | null;
  /** The path under /api/v10, without the query. */
  path: string;
  query: Record<string, string>;
  /** The JSON sent (for multipart, the payload_json), null when none. */
  body: unknown;
  /** The token from `Authorization: Bot <token>`, null when none was sent. */
  auth: string | null;
  at: number;
  /** The HTTP status answered. */
  status: number;
  /** Discord's error JSON when the status was 4xx/5xx. */
  error: { code: number; message: string } | null;
  /** The JSON answered on success (null for 204). */
  response: unknown;
}

export interface DiscordInteractionResponse {
  interactionId: string;
  token: string;
  /** callback: POST /interactions/:id/:token/callback; http: the body of the app's answer to postInteraction. */
  kind: 'callback' | 'http' | 'edit-original' | 'delete-original' | 'followup';
  /** The interaction callback type for callback/http (1 PONG, 4 CHANNEL_MESSAGE_WITH_SOURCE, 5 DEFERRED...), null otherwise. */
  type: number | null;
  data: Record<string, unknown> | null;
  /** flags has 64 (EPHEMERAL). */
  ephemeral: boolean;
  status: number;
  at: number;
  /** The message created or edited, when there is one. */
  messageId: string | null;
}

export interface GatewayIdentify {
  intents: number;
  token: string;
  properties: unknown;
  shard: unknown;
  at: number;
}

export interface GatewayResume {
  sessionId: string;
  seq: number;
  token: string;
  at: number;
  /** resumed: missed dispatches replayed, then RESUMED; invalid: answered INVALID_SESSION d=false. */
  outcome: 'resumed' | 'invalid';
  replayed: number;
}

/** A frame the double sent on the gateway (heartbeat ACKs left out). */
export interface GatewayFrame {
  sessionId: string | null;
  op: number;
  t: string | null;
  s: number | null;
  /** A dispatch sent again on RESUME. */
  replayed: boolean;
  at: number;
}

export interface SlashCommandInput {
  user: DiscordUserInput;
  channelId: string;
  /** `task` unless given. */
  name?: string;
  subcommand?: string;
  /** Option values by name (types from the registered command, else inferred), or raw option objects. */
  options?: Record<string, string | number | boolean> | { name: string; type: number; value: unknown }[];
}

export interface UserSaysOptions {
  /** Make it a reply (type 19) to this message. */
  replyTo?: string;
  nonce?: string;
}

export interface PostInteractionOptions {
  /** Seconds since the epoch, as a string or number; now unless given. */
  timestamp?: string | number;
  /** Change the body after signing (true or 'body'), or corrupt the signature. */
  tamper?: boolean | 'body' | 'signature';
  /** How long Discord waits for the answer: 3000 ms. */
  timeoutMs?: number;
}

export interface InteractionDelivery {
  status: number;
  /** Parsed JSON when it is JSON, else the text; null on timeout. */
  body: unknown;
  headers: Record<string, string>;
  timedOut: boolean;
}

export interface DiscordDouble {
  /** http://127.0.0.1:PORT/api: what discord.js's `rest.api` option takes (@discordjs/rest appends /v10). */
  readonly apiUrl: string;
  /** ws://127.0.0.1:PORT/gateway: what GET /gateway/bot answers as `url`. */
  readonly gatewayUrl: string;
  /** ws://127.0.0.1:PORT/resume: READY's resume_gateway_url, which clients must resume on. */
  readonly resumeGatewayUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly botToken: string;
  readonly guildId: string;
  /** The Ed25519 public key, 64 hex characters: what the Developer Portal shows (DISCORD_PUBLIC_KEY). */
  readonly publicKeyHex: string;
  readonly botUser: DiscordUser;

  /** Discord's signature headers for an interaction body: Ed25519 over timestamp + body, hex. */
  signInteraction(rawBody: string, timestamp?: string | number): { 'X-Signature-Ed25519': string; 'X-Signature-Timestamp': string };

  addUser(user: DiscordUserInput): DiscordUser;
  /** A guild text channel; a later one reaches a connected client as CHANNEL_CREATE. */
  addChannel(channel: { id?: string; name: string; type?: 0 | 5 }): DiscordChannel;
  channel(id: string): DiscordChannel | undefined;
  /** The DM channel between `user` and the bot, opened on first use. */
  dmChannelWith(user: DiscordUserInput): string;
  /** The channel's stored messages, oldest first (copies). */
  messages(channelId: string): DiscordMessage[];
  /** Commands registered by bulk overwrite: global, or a guild's. */
  commands(guildId?: string): Record<string, unknown>[];
  webhooks(channelId?: string): DiscordWebhook[];

  readonly calls: DiscordCall[];
  /** Calls of `method` ('*' for any) whose path matches `routePattern` (`/channels/:id/messages`, a literal path, or '*'). */
  callsTo(method: string, routePattern: string): DiscordCall[];
  waitForCall(method: string, routePattern: string, predicate?: (call: DiscordCall) => boolean, timeoutMs?: number): Promise<DiscordCall>;
  readonly interactionResponses: DiscordInteractionResponse[];
  waitForInteractionResponse(predicate?: (response: DiscordInteractionResponse) => boolean, timeoutMs?: number): Promise<DiscordInteractionResponse>;

  /** Answer 429 to matching calls (`METHOD /route` or `/route` or '*') during the next forMs. */
  rateLimit(routePattern: string, options: { retryAfterSeconds: number; forMs: number; global?: boolean }): void;
  /** Answer the next `times` matching calls with a server error. */
  failWith(routePattern: string, options: { status: 500 | 502 | 503; times: number }): void;
  /** Stop listening and cut every connection (REST and gateway), as an outage; sessions stay resumable. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;

  /** WebSocket connections opened on the gateway since start. */
  readonly connections: number;
  /** Each gateway connection: its path (/gateway, or /resume for READY's resume_gateway_url) and query. */
  readonly connectionLog: { path: string; v: string | null; encoding: string | null; compress: string | null; at: number }[];
  readonly identifies: GatewayIdentify[];
  readonly resumes: GatewayResume[];
  readonly gatewayLog: GatewayFrame[];
  /** Sessions with a live connection (READY or RESUMED sent). */
  readonly liveSessions: number;
  /** Resolves once a session is live (at once if one is); rejects after timeoutMs. */
  connected(timeoutMs?: number): Promise<void>;
  waitForGateway(predicate: (frame: GatewayFrame) => boolean, timeoutMs?: number): Promise<GatewayFrame>;
  /** Sends a dispatch to every session (buffered for resumable ones that are away); returns how many got it live. */
  dispatch(t: string, d: unknown): number;

  userSays(channelId: string, user: DiscordUserInput, content: string, options?: UserSaysOptions): DiscordMessage;
  userEdits(channelId: string, messageId: string, content: string): DiscordMessage;
  userDeletes(channelId: string, messageId: string): void;
  /** The MESSAGE_CREATE data Discord sends for a stored message (the bot's own posts included). */
  botEchoOf(message: DiscordMessage | string): Record<string, unknown>;

  slashCommand(input: SlashCommandInput): Record<string, unknown>;
  /** A PING interaction (type 1), what Discord sends to check an interactions endpoint. */
  ping(): Record<string, unknown>;
  /** Dispatches an interaction as INTERACTION_CREATE (its 3-second clock starts now). */
  sendInteraction(payload: Record<string, unknown>): void;
  /** POSTs an interaction signed to an HTTP endpoint, as Discord does, and handles the answer like a callback. */
  postInteraction(url: string, payload: Record<string, unknown>, options?: PostInteractionOptions): Promise<InteractionDelivery>;

  /**
   * Cuts the gateway connections. resumable: the session survives and the client's RESUME replays
   * what it missed; not resumable: the session is gone, RESUME is answered INVALID_SESSION d=false
   * and what was said meanwhile is never dispatched. Close code 4000 unless given (1006: no close frame).
   */
  dropGateway(options: { resumable: boolean; code?: number }): Promise<void>;
  /** Sends RECONNECT (op 7) to every live connection. */
  requestReconnect(): void;
  /** Sends INVALID_SESSION (op 9) to every live connection; d=false invalidates the sessions. */
  invalidateSessions(resumable?: boolean): void;

  stop(): Promise<void>;
}

// --- protocol constants (Discord's numbers) ---

const API_VERSION = 10;
const DISCORD_EPOCH = 1_420_070_400_000n;
const OP = { DISPATCH: 0, HEARTBEAT: 1, IDENTIFY: 2, PRESENCE_UPDATE: 3, VOICE_STATE_UPDATE: 4, RESUME: 6, RECONNECT: 7, REQUEST_GUILD_MEMBERS: 8, INVALID_SESSION: 9, HELLO: 10, HEARTBEAT_ACK: 11, REQUEST_SOUNDBOARD_SOUNDS: 31 } as const;
const INTENT = { GUILDS: 1 << 0, GUILD_MEMBERS: 1 << 1, GUILD_WEBHOOKS: 1 << 5, GUILD_PRESENCES: 1 << 8, GUILD_MESSAGES: 1 << 9, DIRECT_MESSAGES: 1 << 12, MESSAGE_CONTENT: 1 << 15 } as const;
const KNOWN_INTENTS = (1 << 17) - 1 + (1 << 20) + (1 << 21) + (1 << 24) + (1 << 25);
const CHANNEL_TYPE = { GUILD_TEXT: 0, DM: 1, GUILD_ANNOUNCEMENT: 5 } as const;
const MESSAGE_TYPE = { DEFAULT: 0, REPLY: 19, CHAT_INPUT_COMMAND: 20 } as const;
const FLAG_EPHEMERAL = 1 << 6;
const FLAG_LOADING = 1 << 7;
const INTERACTION = { PING: 1, APPLICATION_COMMAND: 2 } as const;
const CALLBACK = { PONG: 1, CHANNEL_MESSAGE_WITH_SOURCE: 4, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: 5, DEFERRED_UPDATE_MESSAGE: 6, UPDATE_MESSAGE: 7, AUTOCOMPLETE_RESULT: 8, MODAL: 9 } as const;
const OPTION_TYPE = { SUB_COMMAND: 1, SUB_COMMAND_GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, CHANNEL: 7, ROLE: 8, MENTIONABLE: 9, NUMBER: 10 } as const;
/** The permissions of @everyone in a new server, which the people of these tests have. */
const EVERYONE_PERMISSIONS = '2222085186637376';
/** What the bot's managed role grants: Administrator, as most bridge bots are invited with. */
const BOT_ROLE_PERMISSIONS = '8';
const ALL_PERMISSIONS = '2251799813685247';
const APP_FLAG = { PRESENCE_LIMITED: 1 << 13, GUILD_MEMBERS_LIMITED: 1 << 15, MESSAGE_CONTENT_LIMITED: 1 << 19 } as const;
const MAX_WEBHOOKS_PER_CHANNEL = 15;
const INTERACTIONS_USER_AGENT = 'Discord-Interactions/1.0 (+https://discord.com)';

// --- errors, as Discord shapes them ---

/** An API error: Discord answers {message, code[, errors]} with the status. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const unknown = (what: 'Channel' | 'Message' | 'Webhook' | 'User' | 'Guild' | 'Member' | 'Application' | 'interaction'): ApiError => {
  const codes = { Application: 10002, Channel: 10003, Guild: 10004, Member: 10007, Message: 10008, User: 10013, Webhook: 10015, interaction: 10062 };
  return new ApiError(404, codes[what], `Unknown ${what}`);
};

/** 400 Invalid Form Body, with the per-field errors Discord nests under `_errors`. */
const invalidForm = (field: string, code: string, message: string): ApiError => {
  const errors: Record<string, unknown> = {};
  let cursor = errors;
  const path = field.split('.');
  path.forEach((key, index) => {
    if (index === path.length - 1) cursor[key] = { _errors: [{ code, message }] };
    else cursor = (cursor[key] = {}) as Record<string, unknown>;
  });
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
};

// --- helpers ---

const SNOWFLAKE = /^\d{17,20}$/;

function isoTimestamp(ms: number): string {
  // Discord writes microseconds and an explicit offset: 2025-01-02T03:04:05.678000+00:00.
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

function timestampOf(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function obj(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

interface Session {
  id: string;
  token: string;
  intents: number;
  seq: number;
  /** Every dispatch of the session, for RESUME to replay. */
  buffer: { s: number; t: string; frame: string }[];
  conn: Conn | null;
  state: 'live' | 'away' | 'invalid';
}

interface Conn {
  ws: WebSocket;
  path: string;
  session: Session | null;
  closed: boolean;
}

interface Interaction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
  channelId: string | null;
  sentAt: number;
  /** The callback type it was answered with, null until then. */
  answered: number | null;
  originalId: string | null;
  /** Messages only the invoking user sees (the original when ephemeral, ephemeral follow-ups). */
  ephemeral: Map<string, DiscordMessage>;
}

interface Webhook {
  id: string;
  token: string;
  channelId: string;
  name: string;
  avatar: string | null;
}

interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown> | unknown[] | null;
  /** Work to do once the answer is written: the gateway echo, as Discord sends it after the request. */
  after: (() => void)[];
}

interface RouteAnswer {
  status: number;
  body?: unknown;
}

interface Route {
  method: string;
  template: string;
  segments: string[];
  /** bot: `Authorization: Bot <token>` required; none: the token in the URL is the credential. */
  auth: 'bot' | 'none';
  run(ctx: RouteContext): RouteAnswer;
}

/** A path segment as the server reads it: /users/%40me is /users/@me (discord-api-types' Routes encode). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const snowflakeOption = (name: string, value: string | undefined, fallback: () => string): string => {
  if (value === undefined) return fallback();
  if (!SNOWFLAKE.test(value)) throw new Error(`${name} must be a snowflake (17 to 20 digits), not ${value}`);
  return value;
};

const userObject = (input: DiscordUserInput, discriminator = '0'): DiscordUser => ({
  id: input.id,
  username: input.username,
  avatar: input.avatar ?? null,
  discriminator,
  public_flags: 0,
  flags: 0,
  ...(input.bot ? { bot: true } : {}),
  banner: null,
  accent_color: null,
  global_name: input.global_name ?? null,
  avatar_decoration_data: null,
  collectibles: null,
  display_name_styles: null,
  banner_color: null,
  clan: null,
  primary_guild: null,
});

/** The _trace Discord puts in HELLO, READY and RESUMED. */
const trace = (): string[] => [`["gateway-prd-double-${(Date.now() % 100).toString().padStart(2, '0')}",{"micros":0}]`];

const allowedMentionsOf = (body: Record<string, unknown>): AllowedMentions | undefined => {
  const allowed = obj(body.allowed_mentions);
  if (!allowed) return undefined;
  const parse = Array.isArray(allowed.parse) ? allowed.parse.map(String) : undefined;
  const listed = Array.isArray(allowed.users) ? allowed.users.map(String) : undefined;
  for (const kind of parse ?? []) {
    if (!['users', 'roles', 'everyone'].includes(kind)) throw invalidForm('allowed_mentions.parse.0', 'BASE_TYPE_CHOICES', `Value must be one of ('roles', 'users', 'everyone').`);
  }
  if (parse?.includes('users') && listed && listed.length > 0) {
    throw invalidForm('allowed_mentions', 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["users"] and users: [ids...] are mutually exclusive.`);
  }
  return { ...(parse ? { parse } : {}), ...(listed ? { users: listed } : {}), ...(typeof allowed.replied_user === 'boolean' ? { replied_user: allowed.replied_user } : {}) };
};

/** Webhook names and username overrides: 1 to `max` characters, without "clyde" or "discord" (Discord refuses both). */
const checkName = (field: string, name: unknown, max: number): string => {
  if (typeof name !== 'string' || name.length < 1 || name.length > max) throw invalidForm(field, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${max} in length.`);
  const forbidden = ['clyde', 'discord'].find((word) => name.toLowerCase().includes(word));
  if (forbidden) throw invalidForm(field, 'USERNAME_INVALID_CONTAINS', `Username cannot contain "${forbidden}"`);
  return name;
};

/** Whether a call matches `[METHOD ]/route/:param/...` (a literal path, a template, a trailing /*, or *). */
const patternMatches = (pattern: string, method: string, path: string): boolean => {
  if (pattern === '*') return true;
  let routePart = pattern.trim();
  const spaced = /^([A-Z]+)\s+(.+)$/.exec(routePart);
  if (spaced) {
    if (spaced[1] !== method) return false;
    routePart = spaced[2] as string;
  }
  if (routePart === '*') return true;
  routePart = routePart.replace(/^\/api\/v\d+/, '').split('?')[0] as string;
  const want = routePart.split('/').filter(Boolean).map(decodeSegment);
  const have = path.split('/').filter(Boolean).map(decodeSegment);
  if (want[want.length - 1] === '*') return want.slice(0, -1).every((seg, i) => seg.startsWith(':') || seg === have[i]) && have.length >= want.length - 1;
  return want.length === have.length && want.every((seg, i) => seg.startsWith(':') || seg === have[i]);
};

const bucketOf = (method: string, template: string): string => createHash('sha1').update(`${method} ${template}`).digest('hex').slice(0, 32);

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  if (status === 204) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The JSON of a request: the body itself, or a multipart form's payload_json (files are noted as attachments). */
async function parseBody(req: IncomingMessage, raw: Buffer): Promise<{ body: Record<string, unknown> | unknown[] | null; bad: boolean }> {
  if (raw.length === 0) return { body: null, bad: false };
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  try {
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const json = form.get('payload_json');
      const body = typeof json === 'string' ? (obj(JSON.parse(json)) ?? {}) : {};
      const files = [...form.entries()].filter(([key, value]) => key !== 'payload_json' && typeof value !== 'string');
      if (files.length > 0 && !Array.isArray(body.attachments)) {
        body.attachments = files.map(([, value], id) => ({ id, filename: (value as File).name }));
      }
      return { body, bad: false };
    }
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return { body: Array.isArray(parsed) ? parsed : obj(parsed), bad: parsed === null || typeof parsed !== 'object' };
  } catch {
    return { body: null, bad: true };
  }
}

/** Checks a message body as Discord does (content length, something to send) and returns what it holds. */
const messageBody = (body: Record<string, unknown>, requireSomething: boolean): { content: string | undefined; embeds: unknown[] | undefined; components: unknown[] | undefined; allowed: AllowedMentions | undefined; flags: number | undefined } => {
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') throw invalidForm('content', 'BASE_TYPE_STRING', 'Must be a string.');
  const content = str(body.content);
  if (content !== undefined && [...content].length > 2000) throw invalidForm('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  const embeds = Array.isArray(body.embeds) ? body.embeds : undefined;
  if (embeds && embeds.length > 10) throw invalidForm('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  const components = Array.isArray(body.components) ? body.components : undefined;
  const hasAttachments = Array.isArray(body.attachments) && body.attachments.length > 0;
  if (requireSomething && !content && !(embeds && embeds.length > 0) && !(components && components.length > 0) && !hasAttachments && !body.sticker_ids && !body.poll) {
    throw new ApiError(400, 50006, 'Cannot send an empty message');
  }
  const flags = typeof body.flags === 'number' ? body.flags : undefined;
  return { content, embeds, components, allowed: allowedMentionsOf(body), flags };
};

export async function startDiscordDouble(options: DiscordDoubleOptions = {}): Promise<DiscordDouble> {
  // Snowflakes: milliseconds since Discord's epoch, worker 1, process 1, an increment; unique and increasing.
  let lastMs = 0n;
  let increment = 0n;
  const snowflake = (): string => {
    let ms = BigInt(Date.now()) - DISCORD_EPOCH;
    if (ms <= lastMs) {
      ms = lastMs;
      increment += 1n;
      if (increment > 4095n) {
        ms += 1n;
        increment = 0n;
      }
    } else {
      increment = 0n;
    }
    lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
  };

  const applicationId = snowflakeOption('applicationId', options.applicationId, snowflake);
  const botUserId = snowflakeOption('botUserId', options.botUserId, () => applicationId);
  const guildId = snowflakeOption('guildId', options.guildId, snowflake);
  const botToken = options.botToken ?? `${Buffer.from(botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(28).toString('base64url')}`;
  const botUsername = options.botUsername ?? 'Taskwire';
  const guildName = options.guildName ?? 'Taskwire Test';
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
  const interactionDeadlineMs = options.interactionDeadlineMs ?? 3_000;
  const privileged = { messageContent: true, guildMembers: true, guildPresences: true, ...options.privilegedIntents };
  const echoOwnMessages = options.echoOwnMessages ?? true;
  const startedAt = Date.now();

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // An SPKI-encoded Ed25519 key ends with the 32 raw bytes Discord shows as hex.
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const signInteraction: DiscordDouble['signInteraction'] = (rawBody, timestamp = Math.floor(Date.now() / 1000)) => {
    const ts = String(timestamp);
    return { 'X-Signature-Ed25519': sign(null, Buffer.from(ts + rawBody), privateKey).toString('hex'), 'X-Signature-Timestamp': ts };
  };

  const calls: DiscordCall[] = [];
  const interactionResponses: DiscordInteractionResponse[] = [];
  const identifies: GatewayIdentify[] = [];
  const resumes: GatewayResume[] = [];
  const gatewayLog: GatewayFrame[] = [];
  const waiters = new Waiters();
  const limits: { pattern: string; until: number; retryAfterSeconds: number; global: boolean }[] = [];
  const failures: { pattern: string; status: number; remaining: number }[] = [];
  let stopped = false;

  const wake = (): void => waiters.wake();
  const waitFor = <T>(find: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> => waiters.waitFor(find, timeoutMs, describe);

  // --- the world: users, the guild, its channels, DMs, messages, webhooks, commands ---

  const users = new Map<string, DiscordUser>();
  const joinedAt = new Map<string, number>();
  const channels = new Map<string, DiscordChannel>();
  const dms = new Map<string, string>();
  const messagesByChannel = new Map<string, DiscordMessage[]>();
  const webhooks = new Map<string, Webhook>();
  const globalCommands: Record<string, unknown>[] = [];
  const guildCommands = new Map<string, Record<string, unknown>[]>();
  const interactions = new Map<string, Interaction>();
  const botRoleId = snowflake();
  const ownerId = snowflake();
  const unregisteredCommandIds = new Map<string, string>();


  // Bots kept their four-digit discriminators when people lost theirs.
  const botUser = userObject({ id: botUserId, username: botUsername, bot: true }, '4821');
  users.set(botUserId, botUser);
  joinedAt.set(botUserId, startedAt);

  const addUser = (input: DiscordUserInput): DiscordUser => {
    if (!SNOWFLAKE.test(input.id)) throw new Error(`a user id must be a snowflake, not ${input.id}`);
    const existing = users.get(input.id);
    const user = userObject(input);
    if (existing && input.id === botUserId) return existing;
    users.set(input.id, existing ? Object.assign(existing, user) : user);
    if (!joinedAt.has(input.id)) joinedAt.set(input.id, Date.now());
    return users.get(input.id) as DiscordUser;
  };

  const memberOf = (userId: string, withUser: boolean): Record<string, unknown> => ({
    avatar: null,
    banner: null,
    communication_disabled_until: null,
    deaf: false,
    flags: 0,
    joined_at: isoTimestamp(joinedAt.get(userId) ?? startedAt),
    mute: false,
    nick: null,
    pending: false,
    premium_since: null,
    roles: userId === botUserId ? [botRoleId] : [],
    ...(withUser ? { user: clone(users.get(userId)) } : {}),
  });

  const channelOrThrow = (id: string): DiscordChannel => {
    const channel = channels.get(id);
    if (!channel) throw new Error(`the Discord double has no channel ${id}: addChannel() it first`);
    return channel;
  };
  const messagesOf = (channelId: string): DiscordMessage[] => {
    let list = messagesByChannel.get(channelId);
    if (!list) messagesByChannel.set(channelId, (list = []));
    return list;
  };
  const findMessage = (channelId: string, id: string): DiscordMessage | undefined => messagesByChannel.get(channelId)?.find((m) => m.id === id);

  // --- what the gateway sends ---

  const guildChannels = (): DiscordChannel[] => [...channels.values()].filter((c) => c.guild_id === guildId);
  const roles = (): Record<string, unknown>[] => [
    { id: guildId, name: '@everyone', description: null, permissions: EVERYONE_PERMISSIONS, position: 0, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, managed: false, mentionable: false, icon: null, unicode_emoji: null, flags: 0 },
    { id: botRoleId, name: botUsername, description: null, permissions: BOT_ROLE_PERMISSIONS, position: 1, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, managed: true, mentionable: false, icon: null, unicode_emoji: null, flags: 0, tags: { bot_id: botUserId } },
  ];
  const guildObject = (): Record<string, unknown> => ({
    id: guildId,
    name: guildName,
    icon: null,
    description: null,
    home_header: null,
    splash: null,
    discovery_splash: null,
    features: [],
    banner: null,
    owner_id: ownerId,
    application_id: null,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: guildChannels()[0]?.id ?? null,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    roles: roles(),
    default_message_notifications: 0,
    mfa_level: 0,
    explicit_content_filter: 0,
    max_presences: null,
    max_members: 500000,
    max_stage_video_channel_users: 50,
    max_video_channel_users: 25,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    rules_channel_id: null,
    safety_alerts_channel_id: null,
    public_updates_channel_id: null,
    hub_type: null,
    premium_progress_bar_enabled: false,
    latest_onboarding_question_id: null,
    nsfw: false,
    nsfw_level: 0,
    emojis: [],
    stickers: [],
    incidents_data: null,
    inventory_settings: null,
    embedded_activities: [],
  });
  // GUILD_CREATE: the guild plus what the connecting user may see; its channels carry no guild_id.
  const guildCreate = (): Record<string, unknown> => ({
    ...guildObject(),
    joined_at: isoTimestamp(startedAt),
    large: false,
    unavailable: false,
    member_count: [...users.keys()].length,
    lazy: true,
    voice_states: [],
    members: [memberOf(botUserId, true)],
    channels: guildChannels().map((c) => {
      const copy: Record<string, unknown> = clone(c);
      delete copy.guild_id;
      return copy;
    }),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    application_command_counts: {},
    activity_instances: [],
    version: Date.now(),
  });

  // --- the gateway: sessions and dispatches ---

  const sessions = new Map<string, Session>();
  const conns = new Set<Conn>();
  const connectionLog: DiscordDouble['connectionLog'] = [];
  let connections = 0;


  const sendRaw = (conn: Conn, payload: { op: number; d: unknown; s: number | null; t: string | null }, log = true): void => {
    if (conn.closed) return;
    conn.ws.send(JSON.stringify(payload));
    if (log) {
      gatewayLog.push({ sessionId: conn.session?.id ?? null, op: payload.op, t: payload.t, s: payload.s, replayed: false, at: Date.now() });
      wake();
    }
  };

  /** Whether the session's intents let it receive the dispatch, and what it sees of it. */
  const visibleTo = (session: Session, t: string, d: unknown): unknown => {
    const data = obj(d);
    const has = (bit: number): boolean => (session.intents & bit) === bit;
    switch (t) {
      case 'GUILD_CREATE':
      case 'GUILD_UPDATE':
      case 'GUILD_DELETE':
      case 'CHANNEL_CREATE':
      case 'CHANNEL_UPDATE':
      case 'CHANNEL_DELETE':
        return has(INTENT.GUILDS) ? d : undefined;
      case 'WEBHOOKS_UPDATE':
        return has(INTENT.GUILD_WEBHOOKS) ? d : undefined;
      case 'MESSAGE_CREATE':
      case 'MESSAGE_UPDATE':
      case 'MESSAGE_DELETE':
      case 'MESSAGE_DELETE_BULK': {
        const inGuild = data?.guild_id !== undefined;
        if (!has(inGuild ? INTENT.GUILD_MESSAGES : INTENT.DIRECT_MESSAGES)) return undefined;
        if (t === 'MESSAGE_DELETE' || t === 'MESSAGE_DELETE_BULK' || !data || has(INTENT.MESSAGE_CONTENT)) return d;
        return withoutContent(data);
      }
      default:
        return d;
    }
  };

  /** A message as an app without the Message Content intent sees it: empty unless a DM, its own, or mentioning it. */
  const withoutContent = <T extends Record<string, unknown>>(message: T): T => {
    const author = obj(message.author);
    const mentions = Array.isArray(message.mentions) ? (message.mentions as { id?: string }[]) : [];
    const exempt = message.guild_id === undefined && channels.get(String(message.channel_id))?.type === CHANNEL_TYPE.DM;
    if (exempt || author?.id === botUserId || mentions.some((m) => m.id === botUserId)) return message;
    return { ...message, content: '', embeds: [], attachments: [], components: [] };
  };

  const sessionDispatch = (session: Session, t: string, d: unknown): boolean => {
    const seen = visibleTo(session, t, d);
    if (seen === undefined) return false;
    session.seq += 1;
    const payload = { op: OP.DISPATCH, d: seen, s: session.seq, t };
    const frame = JSON.stringify(payload);
    session.buffer.push({ s: session.seq, t, frame });
    if (session.buffer.length > 5_000) session.buffer.shift();
    if (session.state === 'live' && session.conn && !session.conn.closed) {
      session.conn.ws.send(frame);
      gatewayLog.push({ sessionId: session.id, op: OP.DISPATCH, t, s: session.seq, replayed: false, at: Date.now() });
      wake();
      return true;
    }
    return false;
  };

  /** To every session that still exists: sent when connected, kept for RESUME when away, never for an invalid one. */
  const dispatch = (t: string, d: unknown): number => {
    let live = 0;
    for (const session of sessions.values()) {
      if (session.state === 'invalid') continue;
      if (sessionDispatch(session, t, d)) live += 1;
    }
    return live;
  };

  const closeConn = (conn: Conn, code: number, reason: string): void => {
    if (conn.closed) return;
    if (code === 1006) conn.ws.terminate();
    else conn.ws.close(code, reason);
  };

  const onIdentify = (conn: Conn, d: Record<string, unknown>): void => {
    if (conn.session) return closeConn(conn, 4005, 'Already authenticated.');
    const token = str(d.token) ?? '';
    const intents = d.intents;
    identifies.push({ intents: typeof intents === 'number' ? intents : Number.NaN, token, properties: d.properties, shard: d.shard, at: Date.now() });
    wake();
    if (token !== botToken) return closeConn(conn, 4004, 'Authentication failed.');
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) return closeConn(conn, 4013, 'Invalid intent(s).');
    const disallowed =
      (!privileged.messageContent && (intents & INTENT.MESSAGE_CONTENT) !== 0) ||
      (!privileged.guildMembers && (intents & INTENT.GUILD_MEMBERS) !== 0) ||
      (!privileged.guildPresences && (intents & INTENT.GUILD_PRESENCES) !== 0);
    if (disallowed) return closeConn(conn, 4014, 'Disallowed intent(s).');
    const session: Session = { id: randomBytes(16).toString('hex'), token, intents, seq: 0, buffer: [], conn, state: 'live' };
    sessions.set(session.id, session);
    conn.session = session;
    sessionDispatch(session, 'READY', {
      v: API_VERSION,
      user_settings: {},
      user: { verified: true, username: botUser.username, mfa_enabled: false, id: botUserId, global_name: null, flags: 0, email: null, discriminator: botUser.discriminator, clan: null, bot: true, avatar: null, primary_guild: null },
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: resumeGatewayUrl,
      relationships: [],
      private_channels: [],
      presences: [],
      guilds: [{ id: guildId, unavailable: true }],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['us-east', 'us-central', 'atlanta', 'newark', 'us-south'],
      game_relationships: [],
      auth: {},
      application: { id: applicationId, flags: applicationFlags() },
      ...(Array.isArray(d.shard) ? { shard: d.shard } : {}),
      _trace: trace(),
    });
    sessionDispatch(session, 'GUILD_CREATE', guildCreate());
  };

  const onResume = (conn: Conn, d: Record<string, unknown>): void => {
    if (conn.session) return closeConn(conn, 4005, 'Already authenticated.');
    const sessionId = str(d.session_id) ?? '';
    const seq = typeof d.seq === 'number' ? d.seq : Number.NaN;
    const token = str(d.token) ?? '';
    const record: GatewayResume = { sessionId, seq, token, at: Date.now(), outcome: 'invalid', replayed: 0 };
    resumes.push(record);
    if (token !== botToken) {
      wake();
      return closeConn(conn, 4004, 'Authentication failed.');
    }
    const session = sessions.get(sessionId);
    if (!session || session.state === 'invalid' || !(seq <= session.seq)) {
      // Discord answers a session it no longer has with INVALID_SESSION d=false and lets the client go.
      sendRaw(conn, { op: OP.INVALID_SESSION, d: false, s: null, t: null });
      wake();
      return;
    }
    // A session lives on one connection: an older one still open is dropped.
    if (session.conn && session.conn !== conn && !session.conn.closed) closeConn(session.conn, 4000, 'Unknown error.');
    session.conn = conn;
    session.state = 'live';
    conn.session = session;
    for (const entry of session.buffer) {
      if (entry.s <= seq) continue;
      conn.ws.send(entry.frame);
      record.replayed += 1;
      gatewayLog.push({ sessionId: session.id, op: OP.DISPATCH, t: entry.t, s: entry.s, replayed: true, at: Date.now() });
    }
    record.outcome = 'resumed';
    sessionDispatch(session, 'RESUMED', { _trace: trace() });
  };

  const onGatewayMessage = (conn: Conn, data: RawData, isBinary: boolean): void => {
    if (isBinary) return closeConn(conn, 4002, 'Error while decoding payload.');
    const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
    let payload: Record<string, unknown> | null;
    try {
      payload = obj(JSON.parse(text));
    } catch {
      payload = null;
    }
    if (!payload || typeof payload.op !== 'number') return closeConn(conn, 4002, 'Error while decoding payload.');
    const d = obj(payload.d) ?? {};
    switch (payload.op) {
      case OP.HEARTBEAT:
        sendRaw(conn, { op: OP.HEARTBEAT_ACK, d: null, s: null, t: null }, false);
        return;
      case OP.IDENTIFY:
        return onIdentify(conn, d);
      case OP.RESUME:
        return onResume(conn, d);
      case OP.PRESENCE_UPDATE:
      case OP.VOICE_STATE_UPDATE:
      case OP.REQUEST_GUILD_MEMBERS:
      case OP.REQUEST_SOUNDBOARD_SOUNDS:
        if (!conn.session) return closeConn(conn, 4003, 'Not authenticated.');
        return;
      default:
        return closeConn(conn, 4001, 'Unknown opcode.');
    }
  };

  const onGatewayConnection = (ws: WebSocket, path: string, query: URLSearchParams): void => {
    connections += 1;
    connectionLog.push({ path, v: query.get('v'), encoding: query.get('encoding'), compress: query.get('compress'), at: Date.now() });
    const conn: Conn = { ws, path, session: null, closed: false };
    conns.add(conn);
    ws.on('message', (data: RawData, isBinary: boolean) => onGatewayMessage(conn, data, isBinary));
    ws.on('error', () => {});
    ws.on('close', (code: number) => {
      conn.closed = true;
      conns.delete(conn);
      const session = conn.session;
      if (session && session.conn === conn) {
        session.conn = null;
        // Closing with 1000 or 1001 ends the session; any other close (or none) leaves it resumable.
        if (session.state !== 'invalid') session.state = code === 1000 || code === 1001 ? 'invalid' : 'away';
      }
      wake();
    });
    wake();
    if (query.get('v') !== String(API_VERSION)) return closeConn(conn, 4012, 'Invalid API version.');
    if ((query.get('encoding') ?? 'json') !== 'json') return closeConn(conn, 4002, 'Error while decoding payload.');
    sendRaw(conn, { op: OP.HELLO, d: { heartbeat_interval: heartbeatIntervalMs, _trace: trace() }, s: null, t: null });
  };

  const applicationFlags = (): number =>
    (privileged.messageContent ? APP_FLAG.MESSAGE_CONTENT_LIMITED : 0) | (privileged.guildMembers ? APP_FLAG.GUILD_MEMBERS_LIMITED : 0) | (privileged.guildPresences ? APP_FLAG.PRESENCE_LIMITED : 0);

  // --- messages ---

  const mentionsIn = (content: string, allowed: AllowedMentions | undefined): { users: DiscordUser[]; everyone: boolean } => {
    const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
    const explicit = new Set(allowed?.users ?? []);
    const found: DiscordUser[] = [];
    for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) {
      const id = match[1] as string;
      const user = users.get(id);
      if (!user || found.some((u) => u.id === id)) continue;
      if (parse.includes('users') || explicit.has(id)) found.push(clone(user));
    }
    return { users: found, everyone: parse.includes('everyone') && /@(everyone|here)\b/.test(content) };
  };



  const newMessage = (channelId: string, author: DiscordUser, content: string, extra: Partial<DiscordMessage> & { allowed?: AllowedMentions | undefined } = {}): DiscordMessage => {
    const { allowed, ...rest } = extra;
    const id = snowflake();
    const mentions = mentionsIn(content, allowed);
    const message: DiscordMessage = {
      type: MESSAGE_TYPE.DEFAULT,
      content,
      mentions: mentions.users,
      mention_roles: [],
      attachments: [],
      embeds: [],
      timestamp: isoTimestamp(timestampOf(id)),
      edited_timestamp: null,
      flags: 0,
      components: [],
      id,
      channel_id: channelId,
      author: clone(author),
      pinned: false,
      mention_everyone: mentions.everyone,
      tts: false,
      ...rest,
    };
    return message;
  };

  const store = (message: DiscordMessage): void => {
    messagesOf(message.channel_id).push(message);
    const channel = channels.get(message.channel_id);
    if (channel) channel.last_message_id = message.id;
  };

  /** MESSAGE_CREATE/MESSAGE_UPDATE data: the message plus guild_id, the author's member and channel_type, as the gateway adds. */
  const gatewayMessage = (message: DiscordMessage): Record<string, unknown> => {
    const channel = channels.get(message.channel_id);
    const inGuild = channel?.guild_id !== undefined;
    const data: Record<string, unknown> = clone(message);
    data.channel_type = channel?.type ?? CHANNEL_TYPE.GUILD_TEXT;
    if (inGuild) {
      data.guild_id = guildId;
      data.mentions = message.mentions.map((u) => ({ ...clone(u), member: memberOf(u.id, false) }));
      // Webhooks are not members.
      if (!message.webhook_id && users.has(message.author.id)) data.member = memberOf(message.author.id, false);
    }
    return data;
  };

  const echo = (message: DiscordMessage, t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE'): void => {
    dispatch(t, gatewayMessage(message));
  };
  const echoDelete = (message: DiscordMessage): void => {
    const channel = channels.get(message.channel_id);
    dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, ...(channel?.guild_id ? { guild_id: guildId } : {}) });
  };

  /** A message as REST reads return it: without content when the Message Content intent is off in the portal. */
  const readable = (message: DiscordMessage): DiscordMessage => (privileged.messageContent ? clone(message) : withoutContent(clone(message)));

  // --- interactions ---

  const registerInteraction = (payload: Record<string, unknown>): Interaction => {
    const id = str(payload.id);
    const token = str(payload.token);
    if (!id || !token) throw new Error('an interaction payload needs an id and a token: build it with slashCommand() or ping()');
    const channel = obj(payload.channel);
    const interaction: Interaction = { id, token, payload, channelId: str(channel?.id) ?? str(payload.channel_id) ?? null, sentAt: Date.now(), answered: null, originalId: null, ephemeral: new Map() };
    interactions.set(token, interaction);
    return interaction;
  };

  const interactionUser = (interaction: Interaction): DiscordUser => {
    const member = obj(interaction.payload.member);
    return (obj(member?.user) ?? obj(interaction.payload.user) ?? {}) as DiscordUser;
  };

  /** The message an interaction response creates: type 20, from the bot, through the application's webhook. */
  const interactionMessage = (interaction: Interaction, body: ReturnType<typeof messageBody>, loading: boolean): DiscordMessage => {
    const data = obj(interaction.payload.data) ?? {};
    const sub = Array.isArray(data.options) ? (data.options as { name?: string; type?: number }[]).find((o) => o.type === OPTION_TYPE.SUB_COMMAND) : undefined;
    const user = interactionUser(interaction);
    const flags = (body.flags ?? 0) & FLAG_EPHEMERAL;
    return newMessage(interaction.channelId ?? '0', botUser, body.content ?? '', {
      type: MESSAGE_TYPE.CHAT_INPUT_COMMAND,
      webhook_id: applicationId,
      application_id: applicationId,
      flags: flags | (loading ? FLAG_LOADING : 0),
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      interaction_metadata: {
        id: interaction.id,
        type: INTERACTION.APPLICATION_COMMAND,
        user: clone(user),
        authorizing_integration_owners: interaction.payload.authorizing_integration_owners ?? {},
        name: [data.name, sub?.name].filter(Boolean).join(' '),
        command_type: 1,
      },
      interaction: { id: interaction.id, type: INTERACTION.APPLICATION_COMMAND, name: [data.name, sub?.name].filter(Boolean).join(' '), user: clone(user) },
      allowed: body.allowed,
    });
  };

  const recordResponse = (interaction: Interaction, kind: DiscordInteractionResponse['kind'], type: number | null, data: Record<string, unknown> | null, status: number, messageId: string | null): void => {
    const flags = typeof data?.flags === 'number' ? data.flags : 0;
    interactionResponses.push({ interactionId: interaction.id, token: interaction.token, kind, type, data: data ? clone(data) : null, ephemeral: (flags & FLAG_EPHEMERAL) !== 0, status, at: Date.now(), messageId });
    wake();
  };

  /** Answers an interaction's initial response (REST callback or HTTP answer); returns the message it made. */
  const answerInteraction = (interaction: Interaction, body: Record<string, unknown>, kind: 'callback' | 'http', after: (() => void)[]): DiscordMessage | null => {
    const type = body.type;
    const data = obj(body.data);
    if (Date.now() - interaction.sentAt > interactionDeadlineMs && kind === 'callback') throw unknown('interaction');
    if (interaction.answered !== null) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    const isPing = interaction.payload.type === INTERACTION.PING;
    if (typeof type !== 'number' || !Object.values(CALLBACK).includes(type as never)) throw invalidForm('type', 'BASE_TYPE_CHOICES', 'Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.');
    if (isPing !== (type === CALLBACK.PONG)) throw new ApiError(400, 40004, isPing ? 'Interaction responses to a PING must be PONG' : 'Invalid interaction response type');
    let message: DiscordMessage | null = null;
    if (type === CALLBACK.CHANNEL_MESSAGE_WITH_SOURCE || type === CALLBACK.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE) {
      const parsed = messageBody(data ?? {}, type === CALLBACK.CHANNEL_MESSAGE_WITH_SOURCE);
      message = interactionMessage(interaction, parsed, type === CALLBACK.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE);
      interaction.originalId = message.id;
      if ((message.flags & FLAG_EPHEMERAL) !== 0) {
        interaction.ephemeral.set(message.id, message);
      } else {
        store(message);
        const created = message;
        after.push(() => echo(created, 'MESSAGE_CREATE'));
      }
    }
    interaction.answered = type;
    recordResponse(interaction, kind, type, data, kind === 'http' ? 200 : 204, message?.id ?? null);
    return message;
  };

  /** The interaction a `/webhooks/:applicationId/:token` route names, answered already (else Unknown Webhook). */
  const interactionByToken = (webhookId: string, token: string): Interaction | null => {
    if (webhookId !== applicationId) return null;
    const interaction = interactions.get(token);
    if (!interaction) throw new ApiError(401, 50027, 'Invalid Webhook Token');
    return interaction;
  };

  const interactionMessageById = (interaction: Interaction, messageId: string): { message: DiscordMessage; ephemeral: boolean } => {
    const id = messageId === '@original' ? interaction.originalId : messageId;
    if (!id) throw unknown('Message');
    const ephemeral = interaction.ephemeral.get(id);
    if (ephemeral) return { message: ephemeral, ephemeral: true };
    const stored = interaction.channelId ? findMessage(interaction.channelId, id) : undefined;
    if (!stored || stored.interaction_metadata === undefined || (obj(stored.interaction_metadata)?.id as string | undefined) !== interaction.id) throw unknown('Message');
    return { message: stored, ephemeral: false };
  };

  // --- REST ---

  const webhookObject = (hook: Webhook, withUser = true): Record<string, unknown> => ({
    application_id: applicationId,
    avatar: hook.avatar,
    channel_id: hook.channelId,
    guild_id: guildId,
    id: hook.id,
    name: hook.name,
    type: 1,
    ...(withUser ? { user: clone(botUser) } : {}),
    token: hook.token,
    url: `https://discord.com/api/webhooks/${hook.id}/${hook.token}`,
  });

  const webhookOrThrow = (id: string, token: string): Webhook => {
    const hook = webhooks.get(id);
    if (!hook) throw unknown('Webhook');
    if (hook.token !== token) throw new ApiError(401, 50027, 'Invalid Webhook Token');
    return hook;
  };


  const channelForMessages = (channelId: string): DiscordChannel => {
    const channel = channels.get(channelId);
    if (!channel) throw unknown('Channel');
    return channel;
  };

  const commandName = /^[-_\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
  const bulkOverwrite = (existing: Record<string, unknown>[], body: unknown, forGuild: string | null): Record<string, unknown>[] => {
    if (!Array.isArray(body)) throw invalidForm('_', 'BASE_TYPE_ARRAY', 'Must be an array.');
    if (body.length > 100) throw invalidForm('_', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    const names = new Set<string>();
    const result = body.map((raw, index) => {
      const command = obj(raw);
      if (!command) throw invalidForm(`${index}`, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      const type = typeof command.type === 'number' ? command.type : 1;
      const name = str(command.name) ?? '';
      if (type === 1 && !commandName.test(name)) throw invalidForm(`${index}.name`, 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid`);
      if (names.has(`${type}:${name}`)) throw invalidForm(`${index}.name`, 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      names.add(`${type}:${name}`);
      const description = str(command.description) ?? '';
      if (type === 1 && (description.length < 1 || description.length > 100)) throw invalidForm(`${index}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      // A bulk overwrite keeps the id of a command whose name it keeps.
      const previous = existing.find((c) => c.name === name && (c.type ?? 1) === type);
      return {
        id: str(previous?.id) ?? snowflake(),
        application_id: applicationId,
        version: snowflake(),
        default_member_permissions: command.default_member_permissions ?? null,
        type,
        name,
        name_localizations: command.name_localizations ?? null,
        description,
        description_localizations: command.description_localizations ?? null,
        ...(forGuild ? { guild_id: forGuild } : { dm_permission: command.dm_permission ?? true, contexts: command.contexts ?? null, integration_types: command.integration_types ?? [0] }),
        ...(Array.isArray(command.options) ? { options: command.options } : {}),
        nsfw: command.nsfw ?? false,
      };
    });
    existing.splice(0, existing.length, ...result);
    return clone(result);
  };

  const appOrThrow = (id: string): void => {
    if (id !== applicationId) throw new ApiError(403, 50001, 'Missing Access');
  };
  const guildOrThrow = (id: string): void => {
    if (id !== guildId) throw unknown('Guild');
  };

  const postWebhookMessage = (hook: Webhook, ctx: RouteContext): RouteAnswer => {
    const body = obj(ctx.body) ?? {};
    const parsed = messageBody(body, true);
    const username = body.username === undefined || body.username === null ? hook.name : checkName('username', body.username, 80);
    const avatarUrl = str(body.avatar_url);
    const author = { ...userObject({ id: hook.id, username, avatar: avatarUrl ? createHash('md5').update(avatarUrl).digest('hex') : hook.avatar }, '0000'), bot: true };
    const message = newMessage(hook.channelId, author as DiscordUser, parsed.content ?? '', {
      webhook_id: hook.id,
      // Messages of a webhook an application owns carry its id.
      application_id: applicationId,
      embeds: parsed.embeds ?? [],
      components: parsed.components ?? [],
      flags: (parsed.flags ?? 0) & (1 << 2 | 1 << 12),
      allowed: parsed.allowed,
    });
    store(message);
    if (echoOwnMessages) ctx.after.push(() => echo(message, 'MESSAGE_CREATE'));
    const wait = ['true', '1', 'True'].includes(ctx.query.get('wait') ?? '');
    return wait ? { status: 200, body: clone(message) } : { status: 204 };
  };

  const routes: Route[] = [];
  const route = (method: string, template: string, auth: Route['auth'], run: Route['run']): void => {
    routes.push({ method, template, segments: template.split('/').filter(Boolean), auth, run });
  };

  route('GET', '/gateway', 'none', () => ({ status: 200, body: { url: gatewayUrl } }));
  route('GET', '/gateway/bot', 'bot', () => ({
    status: 200,
    body: { url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: Math.max(0, 1000 - identifies.length), reset_after: 86_400_000 - ((Date.now() - startedAt) % 86_400_000), max_concurrency: 1 } },
  }));
  route('GET', '/users/@me', 'bot', () => ({ status: 200, body: { ...clone(botUser), verified: true, mfa_enabled: false, email: null, locale: 'en-US', premium_type: 0, bio: '' } }));
  route('GET', '/users/:userId', 'bot', ({ params }) => {
    const user = users.get(params.userId as string);
    if (!user) throw unknown('User');
    return { status: 200, body: clone(user) };
  });
  route('POST', '/users/@me/channels', 'bot', ({ body }) => {
    const recipient = str(obj(body)?.recipient_id);
    if (!recipient || !users.has(recipient) || recipient === botUserId) throw new ApiError(400, 50033, 'Invalid Recipient(s)');
    return { status: 200, body: clone(channelOrThrow(openDm(recipient))) };
  });
  route('GET', '/applications/@me', 'bot', () => ({
    status: 200,
    body: {
      id: applicationId,
      name: botUsername,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: publicKeyHex,
      flags: applicationFlags(),
      hook: true,
      is_monetized: false,
      is_verified: false,
      is_discoverable: false,
      integration_types_config: { 0: {} },
      approximate_guild_count: 1,
      approximate_user_install_count: 0,
      interactions_endpoint_url: null,
      redirect_uris: [],
      tags: [],
      team: null,
      owner: { id: ownerId, username: 'owner', avatar: null, discriminator: '0', public_flags: 0, flags: 0, global_name: 'Owner' },
      bot: clone(botUser),
    },
  }));
  route('GET', '/applications/:applicationId/commands', 'bot', ({ params }) => {
    appOrThrow(params.applicationId as string);
    return { status: 200, body: clone(globalCommands) };
  });
  route('PUT', '/applications/:applicationId/commands', 'bot', ({ params, body }) => {
    appOrThrow(params.applicationId as string);
    return { status: 200, body: bulkOverwrite(globalCommands, body, null) };
  });
  route('GET', '/applications/:applicationId/guilds/:guildId/commands', 'bot', ({ params }) => {
    appOrThrow(params.applicationId as string);
    guildOrThrow(params.guildId as string);
    return { status: 200, body: clone(guildCommands.get(guildId) ?? []) };
  });
  route('PUT', '/applications/:applicationId/guilds/:guildId/commands', 'bot', ({ params, body }) => {
    appOrThrow(params.applicationId as string);
    guildOrThrow(params.guildId as string);
    let list = guildCommands.get(guildId);
    if (!list) guildCommands.set(guildId, (list = []));
    return { status: 200, body: bulkOverwrite(list, body, guildId) };
  });
  route('GET', '/guilds/:guildId', 'bot', ({ params, query }) => {
    guildOrThrow(params.guildId as string);
    const counts = query.get('with_counts') === 'true' ? { approximate_member_count: users.size, approximate_presence_count: 1 } : {};
    return { status: 200, body: { ...guildObject(), ...counts } };
  });
  route('GET', '/guilds/:guildId/channels', 'bot', ({ params }) => {
    guildOrThrow(params.guildId as string);
    return { status: 200, body: clone(guildChannels()) };
  });
  route('GET', '/guilds/:guildId/members/:userId', 'bot', ({ params }) => {
    guildOrThrow(params.guildId as string);
    const userId = params.userId as string;
    if (!users.has(userId)) throw unknown('Member');
    return { status: 200, body: memberOf(userId, true) };
  });
  route('GET', '/channels/:channelId', 'bot', ({ params }) => ({ status: 200, body: clone(channelForMessages(params.channelId as string)) }));
  route('POST', '/channels/:channelId/typing', 'bot', ({ params }) => {
    channelForMessages(params.channelId as string);
    return { status: 204 };
  });
  route('GET', '/channels/:channelId/messages', 'bot', ({ params, query }) => {
    const channel = channelForMessages(params.channelId as string);
    const rawLimit = query.get('limit');
    const limit = rawLimit === null ? 50 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidForm('limit', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 100.');
    const list = messagesOf(channel.id);
    const before = query.get('before');
    const after = query.get('after');
    const around = query.get('around');
    for (const [name, value] of [['before', before], ['after', after], ['around', around]] as const) {
      if (value !== null && !SNOWFLAKE.test(value)) throw invalidForm(name, 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`);
    }
    let page: DiscordMessage[];
    if (around !== null) {
      const older = list.filter((m) => compareIds(m.id, around) <= 0).slice(-Math.ceil(limit / 2));
      const newer = list.filter((m) => compareIds(m.id, around) > 0).slice(0, limit - older.length);
      page = [...older, ...newer];
    } else if (after !== null) {
      // The `limit` messages right after `after`, still listed newest first.
      page = list.filter((m) => compareIds(m.id, after) > 0 && (before === null || compareIds(m.id, before) < 0)).slice(0, limit);
    } else {
      page = list.filter((m) => before === null || compareIds(m.id, before) < 0).slice(-limit);
    }
    return { status: 200, body: page.map(readable).toReversed() };
  });
  route('POST', '/channels/:channelId/messages', 'bot', (ctx) => {
    const channel = channelForMessages(ctx.params.channelId as string);
    const body = obj(ctx.body) ?? {};
    const parsed = messageBody(body, true);
    const reference = obj(body.message_reference);
    let replyTo: DiscordMessage | undefined;
    if (reference?.message_id !== undefined) {
      replyTo = findMessage(channel.id, String(reference.message_id));
      if (!replyTo && reference.fail_if_not_exists !== false) throw invalidForm('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
    }
    const message = newMessage(channel.id, botUser, parsed.content ?? '', {
      embeds: parsed.embeds ?? [],
      components: parsed.components ?? [],
      flags: (parsed.flags ?? 0) & (1 << 2 | 1 << 12),
      tts: body.tts === true,
      allowed: parsed.allowed,
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
      ...(replyTo ? { type: MESSAGE_TYPE.REPLY, message_reference: { type: 0, channel_id: channel.id, message_id: replyTo.id, ...(channel.guild_id ? { guild_id: guildId } : {}) }, referenced_message: clone(replyTo) } : {}),
    });
    store(message);
    if (echoOwnMessages) ctx.after.push(() => echo(message, 'MESSAGE_CREATE'));
    return { status: 200, body: clone(message) };
  });
  route('GET', '/channels/:channelId/messages/:messageId', 'bot', ({ params }) => {
    const channel = channelForMessages(params.channelId as string);
    const message = findMessage(channel.id, params.messageId as string);
    if (!message) throw unknown('Message');
    return { status: 200, body: readable(message) };
  });
  route('PATCH', '/channels/:channelId/messages/:messageId', 'bot', (ctx) => {
    const channel = channelForMessages(ctx.params.channelId as string);
    const message = findMessage(channel.id, ctx.params.messageId as string);
    if (!message) throw unknown('Message');
    if (message.author.id !== botUserId || message.webhook_id !== undefined) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
    edit(message, obj(ctx.body) ?? {});
    if (echoOwnMessages) ctx.after.push(() => echo(message, 'MESSAGE_UPDATE'));
    return { status: 200, body: clone(message) };
  });
  route('DELETE', '/channels/:channelId/messages/:messageId', 'bot', (ctx) => {
    const channel = channelForMessages(ctx.params.channelId as string);
    const found = findMessage(channel.id, ctx.params.messageId as string);
    if (!found) throw unknown('Message');
    // The bot may delete anyone's message in a guild (Manage Messages), only its own in a DM.
    if (channel.type === CHANNEL_TYPE.DM && found.author.id !== botUserId) throw new ApiError(403, 50003, 'Cannot execute action on a DM channel');
    const message = remove(channel.id, found.id);
    ctx.after.push(() => echoDelete(message));
    return { status: 204 };
  });
  route('POST', '/channels/:channelId/webhooks', 'bot', (ctx) => {
    const channel = channelForMessages(ctx.params.channelId as string);
    if (channel.type === CHANNEL_TYPE.DM) throw new ApiError(403, 50003, 'Cannot execute action on a DM channel');
    const body = obj(ctx.body) ?? {};
    const name = checkName('name', body.name, 80);
    if ([...webhooks.values()].filter((h) => h.channelId === channel.id).length >= MAX_WEBHOOKS_PER_CHANNEL) {
      throw new ApiError(400, 30007, `Maximum number of webhooks reached (${MAX_WEBHOOKS_PER_CHANNEL})`);
    }
    const avatar = str(body.avatar);
    const hook: Webhook = { id: snowflake(), token: randomBytes(51).toString('base64url').slice(0, 68), channelId: channel.id, name, avatar: avatar ? createHash('md5').update(avatar).digest('hex') : null };
    webhooks.set(hook.id, hook);
    ctx.after.push(() => dispatch('WEBHOOKS_UPDATE', { guild_id: guildId, channel_id: channel.id }));
    return { status: 200, body: webhookObject(hook) };
  });
  route('GET', '/channels/:channelId/webhooks', 'bot', ({ params }) => {
    const channel = channelForMessages(params.channelId as string);
    if (channel.type === CHANNEL_TYPE.DM) throw new ApiError(403, 50003, 'Cannot execute action on a DM channel');
    return { status: 200, body: [...webhooks.values()].filter((h) => h.channelId === channel.id).map((h) => webhookObject(h)) };
  });
  route('GET', '/webhooks/:webhookId', 'bot', ({ params }) => {
    const hook = webhooks.get(params.webhookId as string);
    if (!hook) throw unknown('Webhook');
    return { status: 200, body: webhookObject(hook) };
  });
  route('DELETE', '/webhooks/:webhookId', 'bot', (ctx) => {
    const hook = webhooks.get(ctx.params.webhookId as string);
    if (!hook) throw unknown('Webhook');
    webhooks.delete(hook.id);
    ctx.after.push(() => dispatch('WEBHOOKS_UPDATE', { guild_id: guildId, channel_id: hook.channelId }));
    return { status: 204 };
  });
  route('GET', '/webhooks/:webhookId/:token', 'none', ({ params }) => {
    const hook = webhookOrThrow(params.webhookId as string, params.token as string);
    return { status: 200, body: webhookObject(hook, false) };
  });
  route('POST', '/webhooks/:webhookId/:token', 'none', (ctx) => {
    const interaction = interactionByToken(ctx.params.webhookId as string, ctx.params.token as string);
    if (!interaction) return postWebhookMessage(webhookOrThrow(ctx.params.webhookId as string, ctx.params.token as string), ctx);
    // A follow-up: only once the interaction was answered.
    if (interaction.answered === null || interaction.payload.type === INTERACTION.PING) throw unknown('Webhook');
    const body = obj(ctx.body) ?? {};
    const message = interactionMessage(interaction, messageBody(body, true), false);
    if ((message.flags & FLAG_EPHEMERAL) !== 0) interaction.ephemeral.set(message.id, message);
    else {
      store(message);
      ctx.after.push(() => echo(message, 'MESSAGE_CREATE'));
    }
    recordResponse(interaction, 'followup', null, body, 200, message.id);
    return { status: 200, body: clone(message) };
  });
  route('GET', '/webhooks/:webhookId/:token/messages/:messageId', 'none', ({ params }) => {
    const interaction = interactionByToken(params.webhookId as string, params.token as string);
    if (interaction) return { status: 200, body: clone(interactionMessageById(interaction, params.messageId as string).message) };
    const hook = webhookOrThrow(params.webhookId as string, params.token as string);
    const message = findMessage(hook.channelId, params.messageId as string);
    if (!message || message.webhook_id !== hook.id) throw unknown('Message');
    return { status: 200, body: clone(message) };
  });
  route('PATCH', '/webhooks/:webhookId/:token/messages/:messageId', 'none', (ctx) => {
    const body = obj(ctx.body) ?? {};
    const interaction = interactionByToken(ctx.params.webhookId as string, ctx.params.token as string);
    if (interaction) {
      const { message, ephemeral } = interactionMessageById(interaction, ctx.params.messageId as string);
      const wasLoading = (message.flags & FLAG_LOADING) !== 0;
      edit(message, body, !wasLoading);
      message.flags &= ~FLAG_LOADING;
      if (!ephemeral) ctx.after.push(() => echo(message, 'MESSAGE_UPDATE'));
      recordResponse(interaction, 'edit-original', null, { ...body, ...(ephemeral ? { flags: FLAG_EPHEMERAL } : {}) }, 200, message.id);
      return { status: 200, body: clone(message) };
    }
    const hook = webhookOrThrow(ctx.params.webhookId as string, ctx.params.token as string);
    const message = findMessage(hook.channelId, ctx.params.messageId as string);
    if (!message || message.webhook_id !== hook.id) throw unknown('Message');
    edit(message, body);
    if (echoOwnMessages) ctx.after.push(() => echo(message, 'MESSAGE_UPDATE'));
    return { status: 200, body: clone(message) };
  });
  route('DELETE', '/webhooks/:webhookId/:token/messages/:messageId', 'none', (ctx) => {
    const interaction = interactionByToken(ctx.params.webhookId as string, ctx.params.token as string);
    if (interaction) {
      const { message, ephemeral } = interactionMessageById(interaction, ctx.params.messageId as string);
      if (ephemeral) interaction.ephemeral.delete(message.id);
      else {
        remove(message.channel_id, message.id);
        ctx.after.push(() => echoDelete(message));
      }
      recordResponse(interaction, 'delete-original', null, null, 204, message.id);
      return { status: 204 };
    }
    const hook = webhookOrThrow(ctx.params.webhookId as string, ctx.params.token as string);
    const message = findMessage(hook.channelId, ctx.params.messageId as string);
    if (!message || message.webhook_id !== hook.id) throw unknown('Message');
    remove(hook.channelId, message.id);
    ctx.after.push(() => echoDelete(message));
    return { status: 204 };
  });
  route('POST', '/interactions/:interactionId/:token/callback', 'none', (ctx) => {
    const interaction = interactions.get(ctx.params.token as string);
    if (!interaction || interaction.id !== ctx.params.interactionId) throw unknown('interaction');
    const message = answerInteraction(interaction, obj(ctx.body) ?? {}, 'callback', ctx.after);
    if (!['true', '1'].includes(ctx.query.get('with_response') ?? '')) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: { id: interaction.id, type: interaction.payload.type, activity_instance_id: null, response_message_id: message?.id ?? null, response_message_loading: message ? (message.flags & FLAG_LOADING) !== 0 : false, response_message_ephemeral: message ? (message.flags & FLAG_EPHEMERAL) !== 0 : false },
        resource: { type: interaction.answered, ...(message ? { message: clone(message) } : {}) },
      },
    };
  });

  function edit(message: DiscordMessage, body: Record<string, unknown>, markEdited = true): void {
    const parsed = messageBody(body, false);
    if (parsed.content !== undefined) {
      message.content = parsed.content;
      const mentions = mentionsIn(parsed.content, parsed.allowed);
      message.mentions = mentions.users;
      message.mention_everyone = mentions.everyone;
    }
    if (parsed.embeds !== undefined) message.embeds = parsed.embeds;
    if (parsed.components !== undefined) message.components = parsed.components;
    if (!message.content && message.embeds.length === 0 && message.components.length === 0 && (message.flags & FLAG_LOADING) === 0) {
      throw new ApiError(400, 50006, 'Cannot send an empty message');
    }
    if (markEdited) message.edited_timestamp = isoTimestamp(Date.now());
  }

  function remove(channelId: string, messageId: string): DiscordMessage {
    const list = messagesOf(channelId);
    const index = list.findIndex((m) => m.id === messageId);
    const message = list[index];
    if (!message) throw unknown('Message');
    list.splice(index, 1);
    return message;
  }

  function openDm(userId: string): string {
    const existing = dms.get(userId);
    if (existing) return existing;
    const id = snowflake();
    channels.set(id, { id, type: CHANNEL_TYPE.DM, last_message_id: null, flags: 0, recipients: [clone(users.get(userId) as DiscordUser)] });
    dms.set(userId, id);
    return id;
  }

  const matchRoute = (method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | null => {
    const segments = path.split('/').filter(Boolean).map(decodeSegment);
    let wrongMethod = false;
    // Literal segments win over parameters (/users/@me before /users/:userId).
    const candidates = routes
      .map((r) => {
        if (r.segments.length !== segments.length) return null;
        const params: Record<string, string> = {};
        let literals = 0;
        for (const [i, seg] of r.segments.entries()) {
          const actual = segments[i] as string;
          if (seg.startsWith(':')) params[seg.slice(1)] = actual;
          else if (seg === actual) literals += 1;
          else return null;
        }
        return { route: r, params, literals };
      })
      .filter((c): c is { route: Route; params: Record<string, string>; literals: number } => c !== null)
      .sort((a, b) => b.literals - a.literals);
    for (const candidate of candidates) {
      if (candidate.route.method === method) return candidate;
      wrongMethod = true;
    }
    return wrongMethod ? 'method' : null;
  };

  // --- rate limits and failures ---



  // --- the HTTP server: REST under /api/v10 and the gateway's upgrade ---

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      console.error('the Discord double failed on', req.method, req.url, err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });




  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const raw = await readBody(req);
    const prefix = `/api/v${API_VERSION}`;
    if (!url.pathname.startsWith(`${prefix}/`)) {
      send(res, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    const path = url.pathname.slice(prefix.length).split('/').map(decodeSegment).join('/');
    const method = (req.method ?? 'GET').toUpperCase();
    const { body, bad } = await parseBody(req, raw);
    const authorization = req.headers.authorization ?? '';
    const bot = /^Bot\s+(.+)$/.exec(authorization)?.[1] ?? null;
    const matched = matchRoute(method, path);
    const call: DiscordCall = {
      method,
      route: matched && matched !== 'method' ? matched.route.template : null,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      auth: bot ?? (authorization || null),
      at: Date.now(),
      status: 0,
      error: null,
      response: null,
    };
    calls.push(call);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      const error = status >= 400 ? obj(payload) : null;
      call.error = error && typeof error.code === 'number' ? { code: error.code, message: String(error.message) } : null;
      call.response = status < 400 && status !== 204 ? payload : null;
      send(res, status, payload, headers);
      wake();
    };

    if (matched === null) return answer(404, { message: '404: Not Found', code: 0 });
    if (matched === 'method') return answer(405, { message: '405: Method Not Allowed', code: 0 });
    const { route: found, params } = matched;

    const now = Date.now();
    // Interaction callbacks are outside the global rate limit.
    const limit = limits.find((l) => l.until > now && patternMatches(l.pattern, method, path) && !(l.global && found.template.startsWith('/interactions/')));
    if (limit) {
      const after = limit.retryAfterSeconds;
      const headers: Record<string, string> = limit.global
        ? { 'Retry-After': String(Math.ceil(after)), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' }
        : {
            'Retry-After': String(Math.ceil(after)),
            'X-RateLimit-Limit': '5',
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset': ((now + after * 1000) / 1000).toFixed(3),
            'X-RateLimit-Reset-After': after.toFixed(3),
            'X-RateLimit-Bucket': bucketOf(method, found.template),
            'X-RateLimit-Scope': 'user',
          };
      return answer(429, { message: 'You are being rate limited.', retry_after: after, global: limit.global }, headers);
    }
    const failure = failures.find((f) => f.remaining > 0 && patternMatches(f.pattern, method, path));
    if (failure) {
      failure.remaining -= 1;
      call.status = failure.status;
      call.error = { code: 0, message: `${failure.status}` };
      if (failure.status === 500) {
        send(res, 500, { message: '500: Internal Server Error', code: 0 });
      } else {
        // 502 and 503 come from Discord's edge, not its API: not JSON.
        res.writeHead(failure.status, { 'Content-Type': failure.status === 502 ? 'text/html' : 'text/plain' });
        res.end(failure.status === 502 ? '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>' : 'upstream connect error or disconnect/reset before headers. reset reason: connection termination');
      }
      wake();
      return;
    }
    if (found.auth === 'bot' && bot !== botToken) return answer(401, { message: '401: Unauthorized', code: 0 });
    if (bad) return answer(400, { message: 'The request body contains invalid JSON.', code: 50109 });
    for (const [name, value] of Object.entries(params)) {
      if (name.endsWith('Id') && value !== '@original' && !SNOWFLAKE.test(value)) {
        return answer(400, { message: 'Invalid Form Body', code: 50035, errors: { [name.replace(/Id$/, '_id').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]: { _errors: [{ code: 'NUMBER_TYPE_COERCE', message: `Value "${value}" is not snowflake.` }] } } });
      }
    }

    const ctx: RouteContext = { params, query: url.searchParams, body, after: [] };
    let result: RouteAnswer;
    try {
      result = found.run(ctx);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return answer(err.status, { message: err.message, code: err.code, ...(err.errors ? { errors: err.errors } : {}) });
    }
    // Every answer carries the route's bucket, as Discord's do; this double never runs a bucket dry by itself.
    answer(result.status, result.body ?? null, {
      'X-RateLimit-Limit': '5',
      'X-RateLimit-Remaining': '4',
      'X-RateLimit-Reset': ((now + 5_000) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': '5.000',
      'X-RateLimit-Bucket': bucketOf(method, found.template),
    });
    for (const work of ctx.after) setImmediate(work);
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/gateway' && url.pathname !== '/resume') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onGatewayConnection(ws, url.pathname, url.searchParams));
  });

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
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  const resumeGatewayUrl = `ws://127.0.0.1:${port}/resume`;
  let listening = true;

  const cut = async (conn: Conn, code: number): Promise<void> => {
    if (conn.closed) return;
    const closed = new Promise<void>((resolve) => conn.ws.once('close', () => resolve()));
    closeConn(conn, code, code === 4000 ? 'Unknown error.' : code === 4009 ? 'Session timed out.' : '');
    // A peer that never answers the close frame is cut off.
    const timer = setTimeout(() => conn.ws.terminate(), 1_000);
    await closed;
    clearTimeout(timer);
  };

  const goDown = async (): Promise<void> => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...conns].map((conn) => cut(conn, 1006)));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  /** A guild text (or announcement) channel; one added while a client is connected reaches it as CHANNEL_CREATE. */
  const addChannel = (input: { id?: string; name: string; type?: 0 | 5 }): DiscordChannel => {
    const id = input.id ?? snowflake();
    if (!SNOWFLAKE.test(id)) throw new Error(`a channel id must be a snowflake, not ${id}`);
    if (channels.has(id)) throw new Error(`channel ${id} exists already`);
    const channel: DiscordChannel = {
      id,
      type: input.type ?? CHANNEL_TYPE.GUILD_TEXT,
      last_message_id: null,
      flags: 0,
      guild_id: guildId,
      name: input.name,
      parent_id: null,
      rate_limit_per_user: 0,
      topic: null,
      position: guildChannels().length,
      permission_overwrites: [],
      nsfw: false,
      icon_emoji: null,
      theme_color: null,
    };
    channels.set(id, channel);
    dispatch('CHANNEL_CREATE', clone(channel));
    return clone(channel);
  };

  const slashOptions = (input: SlashCommandInput, definition: Record<string, unknown>[] | undefined, resolved: { users: Record<string, unknown>; members: Record<string, unknown>; channels: Record<string, unknown> }): Record<string, unknown>[] => {
    if (Array.isArray(input.options)) return clone(input.options);
    return Object.entries(input.options ?? {}).map(([name, value]) => {
      const declared = definition?.find((o) => o.name === name);
      if (definition && !declared) throw new Error(`the registered command has no option ${name}`);
      const type =
        typeof declared?.type === 'number'
          ? declared.type
          : typeof value === 'boolean'
            ? OPTION_TYPE.BOOLEAN
            : typeof value === 'number'
              ? Number.isInteger(value)
                ? OPTION_TYPE.INTEGER
                : OPTION_TYPE.NUMBER
              : OPTION_TYPE.STRING;
      if (type === OPTION_TYPE.USER) {
        const user = users.get(String(value));
        if (user) {
          resolved.users[user.id] = clone(user);
          resolved.members[user.id] = { ...memberOf(user.id, false), permissions: EVERYONE_PERMISSIONS };
        }
      }
      if (type === OPTION_TYPE.CHANNEL) {
        const channel = channels.get(String(value));
        if (channel) resolved.channels[channel.id] = { id: channel.id, name: channel.name, type: channel.type, permissions: EVERYONE_PERMISSIONS, flags: 0, last_message_id: channel.last_message_id };
      }
      return { name, type, value: type === OPTION_TYPE.USER || type === OPTION_TYPE.CHANNEL ? String(value) : value };
    });
  };

  /** The id an unregistered command gets, the same for every invocation. */
  const commandIdFor = (name: string): string => {
    let id = unregisteredCommandIds.get(name);
    if (!id) unregisteredCommandIds.set(name, (id = snowflake()));
    return id;
  };

  const double: DiscordDouble = {
    apiUrl: `${origin}/api`,
    gatewayUrl,
    resumeGatewayUrl,
    origin,
    port,
    applicationId,
    botUserId,
    botToken,
    guildId,
    publicKeyHex,
    botUser: clone(botUser),
    signInteraction,

    addUser,
    addChannel,
    channel: (id) => {
      const channel = channels.get(id);
      return channel ? clone(channel) : undefined;
    },
    dmChannelWith(user) {
      addUser(user);
      return openDm(user.id);
    },
    messages: (channelId) => clone(messagesByChannel.get(channelId) ?? []),
    commands: (forGuild) => clone(forGuild === undefined ? globalCommands : (guildCommands.get(forGuild) ?? [])),
    webhooks: (channelId) => [...webhooks.values()].filter((h) => channelId === undefined || h.channelId === channelId).map((h) => webhookObject(h) as unknown as DiscordWebhook),

    calls,
    callsTo: (method, routePattern) => calls.filter((c) => (method === '*' || c.method === method.toUpperCase()) && patternMatches(routePattern, c.method, c.path)),
    waitForCall(method, routePattern, predicate = () => true, timeoutMs = 5_000) {
      return waitFor(
        () => calls.find((c) => (method === '*' || c.method === method.toUpperCase()) && patternMatches(routePattern, c.method, c.path) && c.status !== 0 && predicate(c)),
        timeoutMs,
        () => `no matching ${method} ${routePattern} call (calls: ${calls.map((c) => `${c.method} ${c.path} ${c.status}`).join('; ') || 'none'})`,
      );
    },
    interactionResponses,
    waitForInteractionResponse(predicate = () => true, timeoutMs = 5_000) {
      return waitFor(
        () => interactionResponses.find(predicate),
        timeoutMs,
        () => `no matching interaction response (got ${interactionResponses.map((r) => `${r.kind}:${r.type ?? ''}`).join(', ') || 'none'})`,
      );
    },

    rateLimit(routePattern, { retryAfterSeconds, forMs, global = false }) {
      limits.push({ pattern: routePattern, until: Date.now() + forMs, retryAfterSeconds, global });
    },
    failWith(routePattern, { status, times }) {
      failures.push({ pattern: routePattern, status, remaining: times });
    },
    down: goDown,
    async up() {
      if (stopped) throw new Error('the Discord double was stopped; start another');
      if (listening) return;
      await listen(port);
      listening = true;
    },

    get connections() {
      return connections;
    },
    connectionLog,
    identifies,
    resumes,
    gatewayLog,
    get liveSessions() {
      return [...sessions.values()].filter((s) => s.state === 'live').length;
    },
    connected(timeoutMs = 10_000) {
      return waitFor(
        () => ([...sessions.values()].some((s) => s.state === 'live' && s.conn && !s.conn.closed) ? true : undefined),
        timeoutMs,
        () => `no live gateway session (connections: ${connections}, identifies: ${identifies.length}, resumes: ${resumes.length})`,
      ).then(() => undefined);
    },
    waitForGateway(predicate, timeoutMs = 10_000) {
      return waitFor(
        () => gatewayLog.find(predicate),
        timeoutMs,
        () => `no matching gateway frame (sent: ${gatewayLog.map((f) => f.t ?? `op${f.op}`).join(', ') || 'none'})`,
      );
    },
    dispatch,

    userSays(channelId, user, content, opts = {}) {
      const channel = channelOrThrow(channelId);
      const author = addUser(user);
      const replyTo = opts.replyTo ? findMessage(channelId, opts.replyTo) : undefined;
      if (opts.replyTo && !replyTo) throw new Error(`the Discord double has no message ${opts.replyTo} in ${channelId}`);
      const message = newMessage(channel.id, author, content, {
        ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
        ...(replyTo
          ? { type: MESSAGE_TYPE.REPLY, message_reference: { type: 0, channel_id: channelId, message_id: replyTo.id, ...(channel.guild_id ? { guild_id: guildId } : {}) }, referenced_message: clone(replyTo) }
          : {}),
      });
      store(message);
      echo(message, 'MESSAGE_CREATE');
      return clone(message);
    },
    userEdits(channelId, messageId, content) {
      channelOrThrow(channelId);
      const message = findMessage(channelId, messageId);
      if (!message) throw new Error(`the Discord double has no message ${messageId} in ${channelId}`);
      message.content = content;
      const mentions = mentionsIn(content, undefined);
      message.mentions = mentions.users;
      message.mention_everyone = mentions.everyone;
      message.edited_timestamp = isoTimestamp(Date.now());
      echo(message, 'MESSAGE_UPDATE');
      return clone(message);
    },
    userDeletes(channelId, messageId) {
      channelOrThrow(channelId);
      echoDelete(remove(channelId, messageId));
    },
    botEchoOf(message) {
      const id = typeof message === 'string' ? message : message.id;
      for (const list of messagesByChannel.values()) {
        const found = list.find((m) => m.id === id);
        if (found) return gatewayMessage(found);
      }
      throw new Error(`the Discord double has no message ${id}`);
    },

    slashCommand({ user, channelId, name = 'task', subcommand, options: given }) {
      const channel = channelOrThrow(channelId);
      addUser(user);
      const person = users.get(user.id) as DiscordUser;
      const inGuild = channel.guild_id !== undefined;
      const registered = (guildCommands.get(guildId) ?? []).find((c) => c.name === name) ?? globalCommands.find((c) => c.name === name);
      const declared = Array.isArray(registered?.options) ? (registered.options as Record<string, unknown>[]) : undefined;
      const resolved = { users: {} as Record<string, unknown>, members: {} as Record<string, unknown>, channels: {} as Record<string, unknown> };
      let commandOptions: Record<string, unknown>[] | undefined;
      if (subcommand !== undefined) {
        const sub = declared?.find((o) => o.name === subcommand && o.type === OPTION_TYPE.SUB_COMMAND);
        if (declared && !sub) throw new Error(`the registered /${name} has no subcommand ${subcommand}`);
        const subOptions = Array.isArray(sub?.options) ? (sub.options as Record<string, unknown>[]) : declared ? [] : undefined;
        commandOptions = [{ name: subcommand, type: OPTION_TYPE.SUB_COMMAND, options: slashOptions({ user, channelId, options: given ?? {} }, subOptions, resolved) }];
      } else if (given !== undefined) {
        commandOptions = slashOptions({ user, channelId, options: given }, declared, resolved);
      }
      const hasResolved = Object.keys(resolved.users).length + Object.keys(resolved.channels).length > 0;
      const channelData: Record<string, unknown> = inGuild
        ? { ...clone(channel), guild_id: guildId, permissions: EVERYONE_PERMISSIONS }
        : { id: channel.id, type: CHANNEL_TYPE.DM, last_message_id: channel.last_message_id, flags: 0, recipients: [clone(person)] };
      delete channelData.permission_overwrites;
      return {
        app_permissions: inGuild ? ALL_PERMISSIONS : '1126607452007489',
        application_id: applicationId,
        attachment_size_limit: 10_485_760,
        authorizing_integration_owners: { 0: inGuild ? guildId : '0' },
        channel: channelData,
        channel_id: channel.id,
        context: inGuild ? 0 : 1,
        data: {
          id: str(registered?.id) ?? commandIdFor(name),
          name,
          ...(commandOptions ? { options: commandOptions } : {}),
          ...(hasResolved ? { resolved: Object.fromEntries(Object.entries(resolved).filter(([, v]) => Object.keys(v).length > 0)) } : {}),
          type: 1,
          ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
        },
        entitlement_sku_ids: [],
        entitlements: [],
        ...(inGuild ? { guild: { features: [], id: guildId, locale: 'en-US' }, guild_id: guildId, guild_locale: 'en-US' } : {}),
        id: snowflake(),
        locale: 'en-US',
        ...(inGuild ? { member: { ...memberOf(user.id, true), permissions: EVERYONE_PERMISSIONS, unusual_dm_activity_until: null } } : { user: clone(person) }),
        token: `aW50ZXJhY3Rpb246${Buffer.from(snowflake()).toString('base64url')}${randomBytes(96).toString('base64url')}`,
        type: INTERACTION.APPLICATION_COMMAND,
        version: 1,
      };
    },
    ping() {
      return {
        application_id: applicationId,
        entitlements: [],
        id: snowflake(),
        token: `aW50ZXJhY3Rpb246${Buffer.from(snowflake()).toString('base64url')}${randomBytes(96).toString('base64url')}`,
        type: INTERACTION.PING,
        user: { avatar: null, discriminator: '0000', id: '643945264868098049', public_flags: 1, username: 'discord', global_name: 'Discord', bot: false, system: true },
        version: 1,
      };
    },
    sendInteraction(payload) {
      registerInteraction(payload);
      dispatch('INTERACTION_CREATE', clone(payload));
    },
    async postInteraction(url, payload, opts = {}) {
      const interaction = registerInteraction(payload);
      const body = JSON.stringify(payload);
      const signature = signInteraction(body, opts.timestamp);
      const tamper = opts.tamper === true ? 'body' : opts.tamper;
      const sentBody = tamper === 'body' ? body.replace(/}$/, ',"tampered":true}') : body;
      if (tamper === 'signature') {
        const hex = signature['X-Signature-Ed25519'];
        signature['X-Signature-Ed25519'] = `${hex[0] === 'a' ? 'b' : 'a'}${hex.slice(1)}`;
      }
      const headers = { 'Content-Type': 'application/json', 'User-Agent': INTERACTIONS_USER_AGENT, ...signature };
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body: sentBody, redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs ?? 3_000) });
      } catch (err) {
        if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return { status: 0, body: null, headers: {}, timedOut: true };
        throw err;
      }
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Kept as text.
      }
      const answer = obj(parsed);
      if (response.status === 200 && answer && typeof answer.type === 'number' && interaction.answered === null) {
        const after: (() => void)[] = [];
        try {
          answerInteraction(interaction, answer, 'http', after);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          recordResponse(interaction, 'http', answer.type, obj(answer.data), 400, null);
        }
        for (const work of after) work();
      }
      return { status: response.status, body: parsed, headers: Object.fromEntries(response.headers.entries()), timedOut: false };
    },

    async dropGateway({ resumable, code = 4000 }) {
      const targets = [...conns];
      if (!resumable) {
        for (const session of sessions.values()) session.state = 'invalid';
      }
      await Promise.all(targets.map((conn) => cut(conn, code)));
    },
    requestReconnect() {
      for (const conn of conns) if (conn.session?.state === 'live') sendRaw(conn, { op: OP.RECONNECT, d: null, s: null, t: null });
    },
    invalidateSessions(resumable = false) {
      for (const conn of conns) {
        const session = conn.session;
        if (session?.state !== 'live') continue;
        if (!resumable) session.state = 'invalid';
        sendRaw(conn, { op: OP.INVALID_SESSION, d: resumable, s: null, t: null });
      }
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      waiters.failAll(new Error('the Discord double was stopped'));
      await goDown();
      wss.close();
    },
  };
  return double;
}
