// Plain records as the Store keeps them (the domain's entities). Every store returns exactly these
// shapes (no driver documents, no Date objects: times are ISO 8601 UTC strings)
// so that services and presenters never learn which store they run on.

export type Role = 'viewer' | 'member' | 'admin' | 'owner';
export type RoomRole = 'member' | 'admin';
export type MessageSource = 'web' | 'slack' | 'discord' | 'api';
export type TokenKind = 'session' | 'api';
export type EmbedRole = 'viewer' | 'member';
export type EmbedIdentity = 'anonymous' | 'verified';

/** Who hears about what, and where (API.md "Notifications and jobs"). */
export interface NotifyPrefs {
  assigned: boolean;
  dueSoon: boolean;
  overdue: boolean;
  mentioned: boolean;
  digest: boolean;
  /** Minutes before `dueAt` for the `due_soon` reminder; 0 turns it off. */
  remindBefore: number;
  /** IANA name, for the digest hour and the dates in texts. */
  timezone: string;
  /** Channels besides the in-app inbox, which is always on. */
  channels: { email: boolean; slack: boolean; discord: boolean };
}

export type NotificationEvent = 'assigned' | 'due_soon' | 'overdue' | 'mentioned' | 'digest' | 'test' | 'webhook_disabled';
export type DeliveryChannel = 'inapp' | 'email' | 'slack' | 'discord';
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'skipped';

export interface User {
  id: string;
  /** Lower-cased; unique across the instance. */
  email: string;
  name: string;
  /** null for users who cannot log in with a password (embed-provisioned, guests). */
  passwordHash: string | null;
  isAdmin: boolean;
  /** A disabled account cannot sign in and its tokens stop working. */
  disabled: boolean;
  /** Whether the email address was proven (a link followed, or an admin's word); accounts from before verification count as proven. */
  verified: boolean;
  notify: NotifyPrefs;
  /** Identity from a host site's verified embed JWT: `${embedTokenId}:${sub}`; unique when set. */
  externalRef: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Token {
  id: string;
  userId: string;
  kind: TokenKind;
  name: string;
  /** SHA-256 of the token; the token itself is never stored. Unique. */
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface Column {
  key: string;
  name: string;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  columns: Column[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  projectId: string;
  userId: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export interface Invite {
  id: string;
  projectId: string;
  /** Lower-cased; unique per project. */
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  /** SHA-256 of the one-time link's token; null for invites stored before links existed (a resend gives one). */
  tokenHash: string | null;
  expiresAt: string | null;
  /** When the link was last mailed. */
  sentAt: string | null;
}

export type Registration = 'open' | 'invite' | 'closed';
export type AuthTokenKind = 'password_reset' | 'verify_email';

/** A one-time link's secret for an account: single use (removed when used), hashed, with an expiry. */
export interface AuthToken {
  id: string;
  kind: AuthTokenKind;
  userId: string;
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
}

/** Instance-wide settings an admin changes at run time; one record, id `instance`. */
export interface InstanceSettings {
  id: string;
  registration: Registration;
  updatedAt: string;
  updatedBy: string | null;
}

/** One administrative action: who did what to whom, when, from where. */
export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: string;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
}

export interface Task {
  id: string;
  projectId: string;
  /** Short per-project number (#42) used by chat commands; unique per project. */
  number: number;
  title: string;
  description: string;
  status: string;
  assigneeId: string | null;
  /** When the current assignee was set (null when unassigned): names one assignment, for its notice. */
  assignedAt: string | null;
  dueAt: string | null;
  labels: string[];
  /** Fractional ordering key; compared as a plain (byte-wise) string, ties broken by id. */
  position: string;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /**
   * When the task first left the board's first column (its creation, when created in another column); kept when it
   * moves back. Cycle times run from here. Null while it never has.
   */
  startedAt: string | null;
  /** Created by `/task add` in a room's chat, on Slack or on Discord. */
  fromChat: boolean;
  /** Plugins' values, each under its plugin's name, validated against the plugin's field schema when written. */
  fields: Record<string, unknown>;
}

export interface Room {
  id: string;
  projectId: string;
  /** Unique per project. */
  name: string;
  topic: string;
  private: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface RoomMember {
  id: string;
  roomId: string;
  projectId: string;
  userId: string;
  role: RoomRole;
  createdAt: string;
}

export interface Message {
  id: string;
  roomId: string;
  projectId: string;
  authorId: string;
  /** The author's display name when the message was written (a bridged author may have no Taskwire account). */
  authorName: string;
  text: string;
  source: MessageSource;
  /** Id of the bridged copy on Slack or Discord, when the message came from there. */
  externalId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface EmbedToken {
  id: string;
  projectId: string;
  name: string;
  tokenHash: string;
  origins: string[];
  role: EmbedRole;
  identity: EmbedIdentity;
  /** HS256 key for verified identity JWTs; sealed by the service before it reaches the store. */
  secretSealed: string | null;
  createdBy: string;
  createdAt: string;
}

/**
 * One thing a person was told. Its id is derived from `key` (event, subject, due
 * time, recipient), so recording the same notification twice is a duplicate key.
 */
export interface Notification {
  id: string;
  userId: string;
  event: NotificationEvent;
  projectId: string | null;
  taskId: string | null;
  messageId: string | null;
  text: string;
  createdAt: string;
  readAt: string | null;
}

/** One channel's attempt to reach a person with a notification; id derived from (notification, channel). */
export interface Delivery {
  id: string;
  notificationId: string;
  userId: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

/** A mail kept instead of sent, when no SMTP server is configured. */
export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  createdAt: string;
}

/** How far a consumer (the notifier, a plugin) has processed a project's feed. */
export interface FeedCursor {
  id: string;
  consumer: string;
  projectId: string;
  seq: number;
  updatedAt: string;
}

export type ChatPlatform = 'slack' | 'discord';

/** A room bound to an external channel (Slack channel, Discord channel): messages are mirrored both ways. */
export interface ChannelLink {
  id: string;
  projectId: string;
  platform: ChatPlatform;
  /** Slack team id, Discord guild id. */
  teamId: string;
  channelId: string;
  roomId: string;
  createdBy: string;
  createdAt: string;
}

/** A chat account proven to be a Taskwire user's (by a one-time code the user confirmed while signed in). */
export interface Identity {
  id: string;
  userId: string;
  platform: ChatPlatform;
  teamId: string;
  externalUserId: string;
  externalName: string;
  createdAt: string;
}

/** The one-time code `/task connect` hands out; only its hash is kept, for 10 minutes, used once. */
export interface ConnectCode {
  id: string;
  codeHash: string;
  platform: ChatPlatform;
  teamId: string;
  externalUserId: string;
  externalName: string;
  expiresAt: string;
  createdAt: string;
}

/** A room message and its copy (or original) in one external channel. */
export interface MessageCopy {
  id: string;
  messageId: string;
  linkId: string;
  platform: ChatPlatform;
  channelId: string;
  /** Slack ts, Discord message id. */
  externalId: string;
  /** inbound: the message came from this channel; outbound: Taskwire posted it there. */
  direction: 'inbound' | 'outbound';
  createdAt: string;
}

/** An inbound platform event already handled (Slack's event_id, Discord's interaction id): retries do nothing. */
export interface SeenEvent {
  id: string;
  createdAt: string;
}

/** How far a link's outgoing mirror has got in its project's feed, and who is sending for it now. */
export interface LinkCursor {
  id: string;
  seq: number;
  lockedBy: string | null;
  lockedUntil: string | null;
  /**
   * When the latest run stopped at a change that failed; null once a change goes through. Cursors stored before
   * this field existed lack it (read as null).
   */
  failedAt: string | null;
  updatedAt: string;
}

/** An outside system told about a project's changes: signed POSTs of the change types it subscribed to. */
export interface Webhook {
  id: string;
  projectId: string;
  url: string;
  /** Change types or `<entity>.*` patterns. */
  events: string[];
  description: string;
  /** The `whsec_` signing secret, sealed like embed secrets. */
  secretSealed: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** A disabled webhook sends nothing until re-enabled (PATCH {enabled: true}). */
  enabled: boolean;
  disabledReason: string | null;
  /** When the oldest delivery still failing first failed; null while deliveries go through. */
  failingSince: string | null;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One change sent (or being sent) to one webhook; id derived from (webhook, seq), so each is made once. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  projectId: string;
  seq: number;
  type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** A secret URL that posts into a room as the hook's name. */
export interface IncomingHook {
  id: string;
  roomId: string;
  projectId: string;
  name: string;
  tokenHash: string;
  createdBy: string;
  createdAt: string;
}

/** A plugin's state in one project: enabled, its settings, and how its change hooks are doing. Id: `${name}|${projectId}`. */
export interface PluginState {
  id: string;
  name: string;
  projectId: string;
  enabled: boolean;
  /** Validated against the plugin's settings schema when written. */
  settings: Record<string, unknown>;
  /** Hook deliveries that failed in a row; reset by one that succeeds. */
  failures: number;
  lastError: string | null;
  /** Set once failures reach the limit (the plugin shows `failing`); cleared by a success. */
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A task entering a column (`from` null: its creation there), written in the unit of work that moved it and
 * removed with the task, so the board's past (the cumulative flow) is a grouped count of these.
 */
export interface TaskMove {
  id: string;
  projectId: string;
  taskId: string;
  from: string | null;
  to: string;
  at: string;
}

/** One entry of a project's change feed. */
export interface Change {
  projectId: string;
  /** 1, 2, 3... per project, contiguous, in commit order. */
  seq: number;
  type: string;
  at: string;
  actorId: string | null;
  data: Record<string, unknown>;
  /** When set, only these users may see the data (a private room's members); others get it redacted. */
  audience: string[] | null;
}

/** The collections a unit of work can write, each keyed by `id`. */
export interface Entities {
  users: User;
  tokens: Token;
  projects: Project;
  members: Member;
  invites: Invite;
  tasks: Task;
  rooms: Room;
  roomMembers: RoomMember;
  messages: Message;
  embedTokens: EmbedToken;
  notifications: Notification;
  deliveries: Delivery;
  outbox: OutboxMail;
  feedCursors: FeedCursor;
  authTokens: AuthToken;
  settings: InstanceSettings;
  audit: AuditEntry;
  links: ChannelLink;
  identities: Identity;
  connectCodes: ConnectCode;
  messageCopies: MessageCopy;
  seenEvents: SeenEvent;
  linkCursors: LinkCursor;
  webhooks: Webhook;
  webhookDeliveries: WebhookDelivery;
  incomingHooks: IncomingHook;
  pluginStates: PluginState;
  taskMoves: TaskMove;
}

export type CollectionName = keyof Entities;

export const COLLECTIONS: readonly CollectionName[] = [
  'users',
  'tokens',
  'projects',
  'members',
  'invites',
  'tasks',
  'rooms',
  'roomMembers',
  'messages',
  'embedTokens',
  'notifications',
  'deliveries',
  'outbox',
  'feedCursors',
  'authTokens',
  'settings',
  'audit',
  'links',
  'identities',
  'connectCodes',
  'messageCopies',
  'seenEvents',
  'linkCursors',
  'webhooks',
  'webhookDeliveries',
  'incomingHooks',
  'pluginStates',
  'taskMoves',
];
