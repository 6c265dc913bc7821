// The only serializers: store records in, public views out. Secrets
// (password hashes, token hashes, sealed secrets) have no path through here.

import { readNotifyPrefs } from '../domain/notify.js';
import type { AuditEntry, Change, IncomingHook, Webhook, WebhookDelivery, ChannelLink, LinkCursor, Identity, Delivery, InstanceSettings, EmbedToken, Invite, Member, Message, Notification, OutboxMail, Project, Role, Room, RoomMember, Task, Token, User } from '../store/entities.js';
import type {
  IncomingHookView,
  WebhookDeliveryView,
  WebhookView,
  IdentityView,
  LinkView,
  AdminDeliveryView,
  AdminUserView,
  AuditView,
  SettingsView,
  ChangeView,
  DeliveryView,
  NotificationView,
  OutboxMailView,
  EmbedTokenView,
  InviteView,
  MeView,
  MemberView,
  MessageView,
  MyProjectView,
  ProjectView,
  RoomMemberView,
  RoomView,
  TaskView,
  TokenView,
  UserView,
} from './views.js';

export * from './views.js';

export const presentUser = (u: User): UserView => ({ id: u.id, email: u.email, name: u.name, createdAt: u.createdAt });

/** Accounts from before verification existed count as verified; from before disabling existed, as enabled. */
export const isVerified = (u: Pick<User, 'verified'>): boolean => u.verified !== false;
export const isDisabled = (u: Pick<User, 'disabled'>): boolean => u.disabled === true;

export const presentMe = (u: User): MeView => ({
  ...presentUser(u),
  isAdmin: u.isAdmin,
  verified: isVerified(u),
  notify: readNotifyPrefs(u.notify),
  updatedAt: u.updatedAt,
});

export const presentAdminUser = (u: User): AdminUserView => ({
  ...presentUser(u),
  isAdmin: u.isAdmin,
  disabled: isDisabled(u),
  verified: isVerified(u),
  updatedAt: u.updatedAt,
});

export const presentSettings = (s: InstanceSettings): SettingsView => ({ registration: s.registration, updatedAt: s.updatedAt, updatedBy: s.updatedBy });

export const presentAudit = (a: AuditEntry): AuditView => ({ ...a, details: { ...a.details } });

export const presentToken = (t: Token): TokenView => ({ id: t.id, name: t.name, kind: t.kind, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt });

export const presentProject = (p: Project): ProjectView => ({
  id: p.id,
  name: p.name,
  description: p.description,
  columns: p.columns.map((c) => ({ key: c.key, name: c.name })),
  createdBy: p.createdBy,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export const presentMyProject = (p: Project, role: Role): MyProjectView => ({ ...presentProject(p), role });

export const presentMember = (m: Member, u: Pick<User, 'name' | 'email'>): MemberView => ({
  projectId: m.projectId,
  userId: m.userId,
  name: u.name,
  email: u.email,
  role: m.role,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const presentInvite = (i: Invite, now: number = Date.now()): InviteView => ({
  id: i.id,
  projectId: i.projectId,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  createdAt: i.createdAt,
  expiresAt: i.expiresAt ?? null,
  sentAt: i.sentAt ?? null,
  state: i.tokenHash && i.expiresAt && Date.parse(i.expiresAt) > now ? 'pending' : 'expired',
});

export const presentTask = (t: Task): TaskView => ({
  id: t.id,
  projectId: t.projectId,
  number: t.number,
  title: t.title,
  description: t.description,
  status: t.status,
  assigneeId: t.assigneeId,
  assignedAt: t.assignedAt ?? null,
  dueAt: t.dueAt,
  labels: [...t.labels],
  position: t.position,
  version: t.version,
  createdBy: t.createdBy,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
  completedAt: t.completedAt,
  fields: structuredClone(t.fields ?? {}),
});

export const presentRoom = (r: Room): RoomView => ({
  id: r.id,
  projectId: r.projectId,
  name: r.name,
  topic: r.topic,
  private: r.private,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const presentRoomMember = (m: RoomMember): RoomMemberView => ({ roomId: m.roomId, userId: m.userId, role: m.role, createdAt: m.createdAt });

export const presentMessage = (m: Message): MessageView => ({
  id: m.id,
  roomId: m.roomId,
  projectId: m.projectId,
  authorId: m.authorId,
  // Messages stored before names were kept have none.
  authorName: m.authorName ?? '',
  text: m.deletedAt ? '' : m.text,
  source: m.source,
  externalId: m.externalId,
  createdAt: m.createdAt,
  editedAt: m.editedAt,
  deletedAt: m.deletedAt,
});

export const presentEmbedToken = (e: EmbedToken): EmbedTokenView => ({
  id: e.id,
  projectId: e.projectId,
  name: e.name,
  origins: [...e.origins],
  role: e.role,
  identity: e.identity,
  createdAt: e.createdAt,
});

export const presentChange = (c: Change): ChangeView => ({ seq: c.seq, type: c.type, at: c.at, actorId: c.actorId, data: c.data });

export const presentRedacted = (c: Pick<Change, 'seq'>): ChangeView => ({ seq: c.seq, type: 'redacted' });

export const presentDelivery = (d: Delivery): DeliveryView => ({ channel: d.channel, status: d.status, attempts: d.attempts, lastError: d.lastError, sentAt: d.sentAt });

export const presentAdminDelivery = (d: Delivery): AdminDeliveryView => ({
  ...presentDelivery(d),
  id: d.id,
  notificationId: d.notificationId,
  userId: d.userId,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** A notification with its deliveries; the in-app one is listed first. */
export const presentNotification = (n: Notification, deliveries: readonly Delivery[]): NotificationView => ({
  id: n.id,
  event: n.event,
  ...(n.taskId ? { taskId: n.taskId } : {}),
  ...(n.messageId ? { messageId: n.messageId } : {}),
  projectId: n.projectId,
  text: n.text,
  createdAt: n.createdAt,
  readAt: n.readAt,
  deliveries: [...deliveries].sort((a, b) => Number(b.channel === 'inapp') - Number(a.channel === 'inapp')).map(presentDelivery),
});

export const presentOutboxMail = (m: OutboxMail): OutboxMailView => ({ ...m });

/** `cursor` is the link's sender's (core/services/feed-sender.ts): its latest failure, until a post goes through. */
export const presentLink = (l: ChannelLink, cursor: LinkCursor | null): LinkView => ({ ...l, lastFailureAt: cursor?.failedAt ?? null });

export const presentIdentity = (i: Identity): IdentityView => ({
  id: i.id,
  platform: i.platform,
  teamId: i.teamId,
  externalUserId: i.externalUserId,
  externalName: i.externalName,
  createdAt: i.createdAt,
});

export const presentWebhook = (w: Webhook): WebhookView => ({
  id: w.id,
  projectId: w.projectId,
  url: w.url,
  events: [...w.events],
  description: w.description,
  enabled: w.enabled,
  disabledReason: w.disabledReason,
  failingSince: w.failingSince,
  createdBy: w.createdBy,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
});

export const presentWebhookDelivery = (d: WebhookDelivery): WebhookDeliveryView => ({
  id: d.id,
  seq: d.seq,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  lastError: d.lastError,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
});

export const presentIncomingHook = (h: IncomingHook): IncomingHookView => ({ id: h.id, roomId: h.roomId, name: h.name, createdBy: h.createdBy, createdAt: h.createdAt });
