// The public shapes of the API (shared/API.md), as zod schemas: the presenters
// below produce exactly these, the OpenAPI document is generated from them, and
// change-feed `data` carries them, so every surface sees one shape per entity.

import { z } from 'zod';

const isoTime = z.string().describe('ISO 8601 time in UTC');

export const UserView = z.object({ id: z.string(), email: z.string(), name: z.string(), createdAt: isoTime });
export type UserView = z.infer<typeof UserView>;

export const MeView = UserView.extend({
  isAdmin: z.boolean(),
  verified: z.boolean().describe('whether the email address was proven by a link (or by an admin)'),
  notify: z.object({
    assigned: z.boolean(),
    dueSoon: z.boolean(),
    overdue: z.boolean(),
    mentioned: z.boolean(),
    digest: z.boolean(),
    remindBefore: z.number().int().describe('minutes before dueAt for the due_soon reminder; 0 turns it off'),
    timezone: z.string().describe('IANA time zone name'),
    channels: z.object({ email: z.boolean(), slack: z.boolean(), discord: z.boolean() }),
  }),
  updatedAt: isoTime,
  /** Present when the caller is an embedded widget's visitor: what its embed token allows. */
  embed: z.object({ projectId: z.string(), role: z.enum(['viewer', 'member']), identity: z.enum(['anonymous', 'verified']) }).optional(),
});
export type MeView = z.infer<typeof MeView>;

export const TokenView = z.object({ id: z.string(), name: z.string(), kind: z.enum(['session', 'api']), createdAt: isoTime, lastUsedAt: isoTime.nullable() });
export type TokenView = z.infer<typeof TokenView>;

export const ColumnView = z.object({ key: z.string(), name: z.string() });

export const ProjectView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  columns: z.array(ColumnView),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type ProjectView = z.infer<typeof ProjectView>;

export const RoleEnum = z.enum(['viewer', 'member', 'admin', 'owner']);

/** A project as its reader sees it, with the reader's own role. */
export const MyProjectView = ProjectView.extend({ role: RoleEnum });
export type MyProjectView = z.infer<typeof MyProjectView>;

export const MemberView = z.object({
  projectId: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: RoleEnum,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type MemberView = z.infer<typeof MemberView>;

export const InviteView = z.object({
  id: z.string(),
  projectId: z.string(),
  email: z.string(),
  role: RoleEnum,
  invitedBy: z.string(),
  createdAt: isoTime,
  expiresAt: isoTime.nullable(),
  sentAt: isoTime.nullable(),
  state: z.enum(['pending', 'expired']).describe('expired: the link no longer works; resend for a new one'),
});
export type InviteView = z.infer<typeof InviteView>;

/** Marks where the OpenAPI document puts the loaded plugins' task field schemas. */
export const PLUGIN_FIELDS_MARK = 'x-taskwire-plugin-fields';
/** Marks where the OpenAPI document puts the loaded plugins' settings schemas (one of them, by the plugin named). */
export const PLUGIN_SETTINGS_MARK = 'x-taskwire-plugin-settings';

export const TaskView = z.object({
  id: z.string(),
  projectId: z.string(),
  number: z.number().int().describe('short per-project number, as in #42'),
  title: z.string(),
  description: z.string(),
  status: z.string(),
  assigneeId: z.string().nullable(),
  assignedAt: isoTime.nullable().describe('when the current assignee was set'),
  dueAt: isoTime.nullable(),
  labels: z.array(z.string()),
  position: z.string().describe('fractional ordering key within the status column'),
  version: z.number().int(),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  completedAt: isoTime.nullable(),
  fields: z
    .record(z.string(), z.unknown())
    .describe("plugins' values, each under its plugin's name (task.fields[plugin]); see GET /api/plugins for each plugin's fieldSchema")
    // The document lists the loaded plugins' field schemas here (core/http/openapi.ts).
    .meta({ [PLUGIN_FIELDS_MARK]: true }),
});
export type TaskView = z.infer<typeof TaskView>;

export const RoomView = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  topic: z.string(),
  private: z.boolean(),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type RoomView = z.infer<typeof RoomView>;

export const RoomMemberView = z.object({ roomId: z.string(), userId: z.string(), role: z.enum(['member', 'admin']), createdAt: isoTime });
export type RoomMemberView = z.infer<typeof RoomMemberView>;

export const MessageView = z.object({
  id: z.string(),
  roomId: z.string(),
  projectId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  text: z.string(),
  source: z.enum(['web', 'slack', 'discord', 'api']),
  externalId: z.string().nullable(),
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable(),
});
export type MessageView = z.infer<typeof MessageView>;

export const EmbedTokenView = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  origins: z.array(z.string()),
  role: z.enum(['viewer', 'member']),
  identity: z.enum(['anonymous', 'verified']),
  createdAt: isoTime,
});
export type EmbedTokenView = z.infer<typeof EmbedTokenView>;

/** POST's answer: the only time the token (and, for verified identity, the signing secret) is readable. */
export const CreatedEmbedTokenView = EmbedTokenView.extend({ token: z.string(), secret: z.string().optional() });
export type CreatedEmbedTokenView = z.infer<typeof CreatedEmbedTokenView>;

export const ChangeView = z.union([
  z.object({ seq: z.number().int(), type: z.string(), at: isoTime, actorId: z.string().nullable(), data: z.record(z.string(), z.unknown()) }),
  z.object({ seq: z.number().int(), type: z.literal('redacted') }),
]);
export type ChangeView = z.infer<typeof ChangeView>;

export const NOTIFICATION_EVENTS = ['assigned', 'due_soon', 'overdue', 'mentioned', 'digest', 'test', 'webhook_disabled'] as const;
export const DELIVERY_CHANNELS = ['inapp', 'email', 'slack', 'discord'] as const;
export const DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;

export const DeliveryView = z.object({
  channel: z.enum(DELIVERY_CHANNELS),
  status: z.enum(DELIVERY_STATUSES).describe('queued: will be (re)tried; sent, failed and skipped are final'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  sentAt: isoTime.nullable(),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

export const NotificationView = z.object({
  id: z.string(),
  event: z.enum(NOTIFICATION_EVENTS),
  taskId: z.string().optional(),
  messageId: z.string().optional(),
  projectId: z.string().nullable(),
  text: z.string(),
  createdAt: isoTime,
  readAt: isoTime.nullable(),
  deliveries: z.array(DeliveryView),
});
export type NotificationView = z.infer<typeof NotificationView>;

/** One delivery attempt as instance admins see it. */
export const AdminDeliveryView = DeliveryView.extend({
  id: z.string(),
  notificationId: z.string(),
  userId: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type AdminDeliveryView = z.infer<typeof AdminDeliveryView>;

export const OutboxMailView = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  messageId: z.string(),
  createdAt: isoTime,
});
export type OutboxMailView = z.infer<typeof OutboxMailView>;

export const ReminderView = z.object({
  event: z.enum(['due_soon', 'overdue']),
  userId: z.string(),
  at: isoTime,
});
export type ReminderView = z.infer<typeof ReminderView>;

export const REGISTRATION_POLICIES = ['open', 'invite', 'closed'] as const;

export const RegistrationOptionsView = z.object({
  registration: z.enum(REGISTRATION_POLICIES).describe('open: anyone signs up; invite: only through an invite link; closed: only admins create accounts'),
  firstUser: z.boolean().describe('true while the instance has no account: the first sign-up is allowed and becomes instance admin'),
  emailVerification: z.boolean().describe('whether new addresses are verified by a mailed link'),
});
export type RegistrationOptionsView = z.infer<typeof RegistrationOptionsView>;

export const AdminUserView = UserView.extend({
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  verified: z.boolean(),
  updatedAt: isoTime,
});
export type AdminUserView = z.infer<typeof AdminUserView>;

export const SettingsView = z.object({ registration: z.enum(REGISTRATION_POLICIES), updatedAt: isoTime.nullable(), updatedBy: z.string().nullable() });
export type SettingsView = z.infer<typeof SettingsView>;

export const AuditView = z.object({
  id: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: isoTime,
});
export type AuditView = z.infer<typeof AuditView>;

export const StatsView = z.object({
  users: z.number().int(),
  projects: z.number().int(),
  sockets: z.number().int().describe('open sockets on this node'),
  queue: z.object({ kind: z.enum(['inline', 'bullmq']), waiting: z.number().int(), delayed: z.number().int(), active: z.number().int(), failed: z.number().int() }),
});
export type StatsView = z.infer<typeof StatsView>;

export const PLATFORMS = ['slack', 'discord'] as const;

export const LinkView = z.object({
  id: z.string(),
  projectId: z.string(),
  platform: z.enum(PLATFORMS),
  teamId: z.string().describe('Slack team id, Discord guild id'),
  channelId: z.string(),
  roomId: z.string(),
  createdBy: z.string(),
  createdAt: isoTime,
  lastFailureAt: isoTime.nullable().describe('when posting to the channel last failed (it is being retried); null while posts go through'),
});
export type LinkView = z.infer<typeof LinkView>;

export const IdentityView = z.object({
  id: z.string(),
  platform: z.enum(PLATFORMS),
  teamId: z.string(),
  externalUserId: z.string(),
  externalName: z.string(),
  createdAt: isoTime,
});
export type IdentityView = z.infer<typeof IdentityView>;

export const WebhookView = z.object({
  id: z.string(),
  projectId: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: isoTime.nullable().describe('when the oldest delivery still failing first failed'),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type WebhookView = z.infer<typeof WebhookView>;

/** POST's answer: the only time the signing secret is readable. */
export const CreatedWebhookView = WebhookView.extend({ secret: z.string().describe('whsec_…, for verifying deliveries (Standard Webhooks)') });
export type CreatedWebhookView = z.infer<typeof CreatedWebhookView>;

export const WebhookDeliveryView = z.object({
  id: z.string().describe('also the webhook-id header of every attempt'),
  seq: z.number().int(),
  type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  deliveredAt: isoTime.nullable(),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;

export const IncomingHookView = z.object({ id: z.string(), roomId: z.string(), name: z.string(), createdBy: z.string(), createdAt: isoTime });
export type IncomingHookView = z.infer<typeof IncomingHookView>;
export const CreatedIncomingHookView = IncomingHookView.extend({ url: z.string().describe('POST {text} here; keep it secret') });
export type CreatedIncomingHookView = z.infer<typeof CreatedIncomingHookView>;

export const PluginCommandView = z.object({ name: z.string(), usage: z.string(), description: z.string() });

export const PluginView = z.object({
  name: z.string(),
  version: z.string().describe('semver'),
  description: z.string(),
  permissions: z.array(z.string()),
  settingsSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the per-project settings'),
  commands: z.array(PluginCommandView).describe('/task sub-commands the plugin adds'),
  events: z.array(z.string()).describe('change types (or <entity>.*) the plugin reacts to'),
  fieldSchema: z.record(z.string(), z.unknown()).nullable().describe("JSON Schema of the plugin's value in task.fields[name]"),
  panel: z
    .object({ url: z.string().describe('an ES module defining the custom element'), tag: z.string(), title: z.string() })
    .nullable()
    .describe("a custom element the widget's task editor shows for projects that enabled the plugin"),
});
export type PluginView = z.infer<typeof PluginView>;

export const ProjectPluginView = z.object({
  name: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()).nullable().describe('null for callers below admin'),
  status: z.enum(['ok', 'failing', 'disabled']),
  lastError: z.string().nullable().describe('the last hook failure (admins only)'),
  failingSince: isoTime.nullable(),
});
export type ProjectPluginView = z.infer<typeof ProjectPluginView>;
