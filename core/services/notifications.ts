// Notifications as people see them: recording one (its in-app copy and a
// delivery row per channel, once per key), who may still receive it, the
// inbox, reminders still to come, and what instance admins may inspect.
// Sending through email and chat is the jobs layer's (jobs/notifications).

import { createHash } from 'node:crypto';
import type { Actor, UserActor } from '../domain/actor.js';
import { notificationKey, readNotifyPrefs, remindersFor } from '../domain/notify.js';
import { canInProject } from '../domain/policies.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import {
  presentAdminDelivery,
  presentNotification,
  presentOutboxMail,
  type AdminDeliveryView,
  type NotificationView,
  type OutboxMailView,
  type ReminderView,
} from '../presenters/index.js';
import type { Delivery, DeliveryChannel, DeliveryStatus, Notification, NotificationEvent, User } from '../store/entities.js';
import { StoreDuplicateError } from '../store/errors.js';
import type { DeliveryFilter, Page, PageRequest } from '../store/ports.js';
import { projectAccess } from './access.js';
import { requireInstanceAdmin } from './admin.js';
import { commit, type ServiceDeps } from './deps.js';
import { roomVisibility } from './visibility.js';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

export const notificationIdFor = (key: string): string => `n${digest(key)}`;
export const deliveryIdFor = (notificationId: string, channel: DeliveryChannel): string => `d${digest(`${notificationId}|${channel}`)}`;

export interface ChannelPlan {
  channel: Exclude<DeliveryChannel, 'inapp'>;
  /** queued: a job will send it; skipped: final, with the reason in lastError. */
  status: Extract<DeliveryStatus, 'queued' | 'skipped'>;
  reason?: string;
}

export interface NewNotification {
  key: string;
  userId: string;
  event: NotificationEvent;
  projectId: string | null;
  taskId?: string | null;
  messageId?: string | null;
  text: string;
  channels: readonly ChannelPlan[];
}

export interface Recorded {
  notification: Notification;
  deliveries: Delivery[];
}

/**
 * Records a notification with its in-app delivery (sent: it is in the inbox)
 * and one delivery row per other channel, in one unit; returns null when this
 * key was recorded before, so retries, restarts and other workers add nothing.
 * The user's sockets get it through the bus.
 */
export async function recordNotification(deps: ServiceDeps, input: NewNotification): Promise<Recorded | null> {
  const now = deps.now().toISOString();
  const notification: Notification = {
    id: notificationIdFor(input.key),
    userId: input.userId,
    event: input.event,
    projectId: input.projectId,
    taskId: input.taskId ?? null,
    messageId: input.messageId ?? null,
    text: input.text,
    createdAt: now,
    readAt: null,
  };
  const delivery = (channel: DeliveryChannel, status: DeliveryStatus, lastError: string | null): Delivery => ({
    id: deliveryIdFor(notification.id, channel),
    notificationId: notification.id,
    userId: input.userId,
    channel,
    status,
    attempts: status === 'sent' ? 1 : 0,
    lastError,
    createdAt: now,
    updatedAt: now,
    sentAt: status === 'sent' ? now : null,
  });
  const deliveries = [delivery('inapp', 'sent', null), ...input.channels.map((plan) => delivery(plan.channel, plan.status, plan.reason ?? null))];
  try {
    await commit(deps, { projectId: null }, (uow) => {
      uow.insert('notifications', notification);
      for (const d of deliveries) uow.insert('deliveries', d);
    });
  } catch (error) {
    if (error instanceof StoreDuplicateError) return null;
    throw error;
  }
  await deps.bus
    .publishControl({ type: 'notification', userId: input.userId, notification: presentNotification(notification, deliveries) })
    .catch((error: unknown) => deps.logger.warn({ err: error }, 'pushing a notification to sockets failed; the inbox has it'));
  return { notification, deliveries };
}

/** Whether the notification was recorded already (a reminder that fired, a mention that was noticed). */
export async function wasNotified(deps: ServiceDeps, key: string): Promise<boolean> {
  return (await deps.store.notifications.get(notificationIdFor(key))) !== null;
}

/**
 * Rewrites a delivery's status after an attempt (a concurrent attempt on the same row makes this one give way),
 * and shows the person's open pages the notification with its deliveries as they are now.
 */
export async function updateDelivery(deps: ServiceDeps, delivery: Delivery, patch: Partial<Pick<Delivery, 'status' | 'attempts' | 'lastError' | 'sentAt'>>): Promise<Delivery> {
  const next: Delivery = { ...delivery, ...patch, updatedAt: deps.now().toISOString() };
  await commit(deps, { projectId: null }, (uow) => uow.replace('deliveries', next, { updatedAt: delivery.updatedAt, status: delivery.status }));
  const notification = await deps.store.notifications.get(delivery.notificationId);
  if (notification) {
    const [view] = await withDeliveries(deps, [notification]);
    await deps.bus
      .publishControl({ type: 'notification', userId: notification.userId, notification: view! })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'pushing a delivery update failed; the inbox has it'));
  }
  return next;
}

/**
 * Whether `userId` may still hear about something in this project (and room):
 * access is checked when a notification is sent, not when it was scheduled,
 * so someone removed from the project gets nothing more from it.
 */
export async function mayReceive(deps: ServiceDeps, userId: string, projectId: string | null, roomId?: string | null): Promise<User | null> {
  const user = await deps.store.users.get(userId);
  if (!user) return null;
  if (projectId === null) return user;
  const member = await deps.store.members.get(projectId, userId);
  const subject = { userId, role: member?.role ?? null };
  if (!canInProject(subject, 'task.read')) return null;
  if (roomId && !(await roomVisibility(deps, subject, projectId)).canRead(roomId)) return null;
  return user;
}

function requireUserActor(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
  return actor;
}

async function withDeliveries(deps: ServiceDeps, notifications: Notification[]): Promise<NotificationView[]> {
  const deliveries = await deps.store.deliveries.listByNotifications(notifications.map((n) => n.id));
  const byNotification = new Map<string, Delivery[]>();
  for (const d of deliveries) byNotification.set(d.notificationId, [...(byNotification.get(d.notificationId) ?? []), d]);
  return notifications.map((n) => presentNotification(n, byNotification.get(n.id) ?? []));
}

export async function listMyNotifications(deps: ServiceDeps, actor: Actor, options: { unreadOnly: boolean }, page: PageRequest): Promise<Page<NotificationView> & { unread: number }> {
  const { userId } = requireUserActor(actor);
  const result = await deps.store.notifications.listByUser(userId, options, page);
  const unread = await deps.store.notifications.countUnread(userId);
  return { items: await withDeliveries(deps, result.items), nextCursor: result.nextCursor, unread };
}

/** Marks the caller's own notifications read; ids of others' (or unknown ones) are ignored, as for a stale tab. */
export async function markRead(deps: ServiceDeps, actor: Actor, ids: readonly string[]): Promise<{ unread: number }> {
  const { userId } = requireUserActor(actor);
  const mine = (await deps.store.notifications.getMany(ids)).filter((n) => n.userId === userId && n.readAt === null);
  if (mine.length > 0) {
    const now = deps.now().toISOString();
    await commit(deps, { projectId: null }, (uow) => {
      for (const n of mine) uow.replace('notifications', { ...n, readAt: now });
    });
  }
  const unread = await deps.store.notifications.countUnread(userId);
  if (mine.length > 0) {
    await deps.bus
      .publishControl({ type: 'notifications.read', userId, ids: mine.map((n) => n.id), unread })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'pushing read marks failed; other tabs catch up on reconnect'));
  }
  return { unread };
}

/** The reminders a task still owes its assignee (readers of the task), derived as the scheduler derives them. */
export async function listReminders(deps: ServiceDeps, actor: Actor, taskId: string): Promise<{ items: ReminderView[] }> {
  const task = await deps.store.tasks.get(taskId);
  if (!task) throw new NotFoundError('Task not found.');
  try {
    await projectAccess(deps, actor, task.projectId, 'task.read');
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('Task not found.');
    throw error;
  }
  const assignee = task.assigneeId ? await mayReceive(deps, task.assigneeId, task.projectId) : null;
  if (!assignee || !task.dueAt) return { items: [] };
  const items: ReminderView[] = [];
  for (const reminder of remindersFor(task, readNotifyPrefs(assignee.notify))) {
    if (await wasNotified(deps, notificationKey.reminder(reminder.event, task.id, task.dueAt, reminder.userId))) continue;
    items.push({ event: reminder.event, userId: reminder.userId, at: new Date(reminder.at).toISOString() });
  }
  return { items };
}

export async function listDeliveries(deps: ServiceDeps, actor: Actor, filter: DeliveryFilter, page: PageRequest): Promise<Page<AdminDeliveryView>> {
  requireInstanceAdmin(actor);
  const result = await deps.store.deliveries.list(filter, page);
  return { items: result.items.map(presentAdminDelivery), nextCursor: result.nextCursor };
}

export async function listOutbox(deps: ServiceDeps, actor: Actor, page: PageRequest): Promise<Page<OutboxMailView>> {
  requireInstanceAdmin(actor);
  const result = await deps.store.outbox.list(page);
  return { items: result.items.map(presentOutboxMail), nextCursor: result.nextCursor };
}

/** What the HTTP layer needs of the jobs layer to send a test notification (jobs/notifications implements it). */
export interface TestSender {
  sendTest(actor: UserActor, channel: DeliveryChannel): Promise<void>;
}
