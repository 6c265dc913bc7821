// A person's notifications, their deliveries, the mail outbox and feed cursors; account links, settings and the audit log.

import type { AuditRepo, AuthTokensRepo, IncomingHooksRepo, PluginStatesRepo, WebhookDeliveriesRepo, WebhooksRepo, ConnectCodesRepo, IdentitiesRepo, LinkCursorsRepo, LinksRepo, MessageCopiesRepo, SeenEventsRepo, DeliveriesRepo, FeedCursorsRepo, NotificationsRepo, OutboxRepo, SettingsRepo } from '../../ports.js';
import { BY_CREATED, pageNewestFirst, type Filter, type Reads } from '../reads.js';

export function notificationsRepo(reads: Reads): NotificationsRepo {
  return {
    get: (id) => reads.one('notifications', { _id: id }),
    getMany: async (ids) => (ids.length === 0 ? [] : reads.many('notifications', { _id: { $in: [...new Set(ids)] } }, { _id: 1 })),
    listByUser: (userId, { unreadOnly }, page) => pageNewestFirst(reads, 'notifications', unreadOnly ? { userId, readAt: null } : { userId }, page),
    countUnread: (userId) => reads.models.entities.notifications.countDocuments({ userId, readAt: null }),
  };
}

export function deliveriesRepo(reads: Reads): DeliveriesRepo {
  return {
    get: (id) => reads.one('deliveries', { _id: id }),
    listByNotifications: async (ids) =>
      ids.length === 0 ? [] : reads.many('deliveries', { notificationId: { $in: [...new Set(ids)] } }, BY_CREATED),
    list: (filter, page) => {
      const where: Filter = {};
      if (filter.status !== undefined) where.status = filter.status;
      if (filter.channel !== undefined) where.channel = filter.channel;
      return pageNewestFirst(reads, 'deliveries', where, page);
    },
  };
}

export function outboxRepo(reads: Reads): OutboxRepo {
  return { list: (page) => pageNewestFirst(reads, 'outbox', {}, page) };
}

export function feedCursorsRepo(reads: Reads): FeedCursorsRepo {
  return { get: (id) => reads.one('feedCursors', { _id: id }) };
}

export function authTokensRepo(reads: Reads): AuthTokensRepo {
  return {
    getByHash: (tokenHash) => reads.one('authTokens', { tokenHash }),
    listByUser: (userId) => reads.many('authTokens', { userId }, { _id: 1 }),
  };
}

export function settingsRepo(reads: Reads): SettingsRepo {
  return { get: (id) => reads.one('settings', { _id: id }) };
}

export function auditRepo(reads: Reads): AuditRepo {
  return { list: (page) => pageNewestFirst(reads, 'audit', {}, page) };
}

export function linksRepo(reads: Reads): LinksRepo {
  return {
    get: (id) => reads.one('links', { _id: id }),
    getByChannel: (platform, teamId, channelId) => reads.one('links', { platform, teamId, channelId }),
    listByRoom: (roomId) => reads.many('links', { roomId }, BY_CREATED),
    listByProject: (projectId) => reads.many('links', { projectId }, BY_CREATED),
    list: (page) => reads.pageByCreated('links', {}, page),
  };
}

export function identitiesRepo(reads: Reads): IdentitiesRepo {
  return {
    get: (id) => reads.one('identities', { _id: id }),
    getByExternal: (platform, teamId, externalUserId) => reads.one('identities', { platform, teamId, externalUserId }),
    listByUser: (userId) => reads.many('identities', { userId }, BY_CREATED),
  };
}

export function connectCodesRepo(reads: Reads): ConnectCodesRepo {
  return { getByHash: (codeHash) => reads.one('connectCodes', { codeHash }) };
}

export function messageCopiesRepo(reads: Reads): MessageCopiesRepo {
  return {
    getByExternal: (platform, channelId, externalId) => reads.one('messageCopies', { platform, channelId, externalId }),
    getForLink: (linkId, messageId) => reads.one('messageCopies', { linkId, messageId }),
    listByMessage: (messageId) => reads.many('messageCopies', { messageId }, { _id: 1 }),
  };
}

export function seenEventsRepo(reads: Reads): SeenEventsRepo {
  return { get: (id) => reads.one('seenEvents', { _id: id }) };
}

export function linkCursorsRepo(reads: Reads): LinkCursorsRepo {
  return { get: (id) => reads.one('linkCursors', { _id: id }) };
}

export function webhooksRepo(reads: Reads): WebhooksRepo {
  return {
    get: (id) => reads.one('webhooks', { _id: id }),
    listByProject: (projectId) => reads.many('webhooks', { projectId }, BY_CREATED),
    list: (page) => reads.pageByCreated('webhooks', {}, page),
  };
}

export function webhookDeliveriesRepo(reads: Reads): WebhookDeliveriesRepo {
  return {
    get: (id) => reads.one('webhookDeliveries', { _id: id }),
    listByWebhook: (webhookId, page) => pageNewestFirst(reads, 'webhookDeliveries', { webhookId }, page),
  };
}

export function incomingHooksRepo(reads: Reads): IncomingHooksRepo {
  return {
    get: (id) => reads.one('incomingHooks', { _id: id }),
    getByTokenHash: (tokenHash) => reads.one('incomingHooks', { tokenHash }),
    listByRoom: (roomId) => reads.many('incomingHooks', { roomId }, BY_CREATED),
  };
}

export function pluginStatesRepo(reads: Reads): PluginStatesRepo {
  return {
    get: (id) => reads.one('pluginStates', { _id: id }),
    listByProject: (projectId) => reads.many('pluginStates', { projectId }, { name: 1 }),
    list: (page) => reads.pageByCreated('pluginStates', {}, page),
  };
}
