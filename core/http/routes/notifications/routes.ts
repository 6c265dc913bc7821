import { ForbiddenError } from '../../../errors.js';
import * as notifications from '../../../services/notifications.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { route, type RouteDef } from '../../routing.js';
import { TaskParams } from '../tasks/schema.js';
import { DeliveriesPage, DeliveriesQuery, InboxPage, InboxQuery, OutboxPage, ReadBody, ReminderList, TestAccepted, TestBody, UnreadCount } from './schema.js';

export function notificationRoutes(deps: ServiceDeps, sender: notifications.TestSender): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/me/notifications', tag: 'notifications', summary: 'The caller\'s notifications, newest first, with their deliveries', auth: 'required',
      query: InboxQuery, status: 200, response: InboxPage, errors: [400, 401, 403],
      handle: ({ actor, query }) => notifications.listMyNotifications(deps, actor, { unreadOnly: query.unread }, query),
    }),
    route({
      method: 'post', path: '/api/me/notifications/read', tag: 'notifications', summary: 'Mark the caller\'s notifications read', auth: 'required',
      body: ReadBody, status: 200, response: UnreadCount, errors: [400, 401, 403, 413],
      handle: ({ actor, body }) => notifications.markRead(deps, actor, body.ids),
    }),
    route({
      method: 'post', path: '/api/me/notifications/test', tag: 'notifications', summary: 'Send the caller a test notification now through one channel', auth: 'required',
      body: TestBody, status: 202, response: TestAccepted, errors: [400, 401, 403, 413, 503],
      handle: async ({ actor, body }) => {
        if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
        await sender.sendTest(actor, body.channel);
        return { accepted: true as const };
      },
    }),
    route({
      method: 'get', path: '/api/tasks/:taskId/reminders', tag: 'notifications', summary: 'Reminders the task still owes its assignee', auth: 'required',
      params: TaskParams, status: 200, response: ReminderList, errors: [400, 401, 404],
      handle: ({ actor, params }) => notifications.listReminders(deps, actor, params.taskId),
    }),
    route({
      method: 'get', path: '/api/admin/deliveries', tag: 'admin', summary: 'Every delivery attempt, newest first (instance admins)', auth: 'required',
      query: DeliveriesQuery, status: 200, response: DeliveriesPage, errors: [400, 401, 403],
      handle: ({ actor, query }) => notifications.listDeliveries(deps, actor, { status: query.status, channel: query.channel }, query),
    }),
    route({
      method: 'get', path: '/api/admin/outbox', tag: 'admin', summary: 'Mail kept instead of sent when no SMTP server is configured (instance admins)', auth: 'required',
      query: DeliveriesQuery.pick({ limit: true, cursor: true }), status: 200, response: OutboxPage, errors: [400, 401, 403],
      handle: ({ actor, query }) => notifications.listOutbox(deps, actor, query),
    }),
  ];
}
