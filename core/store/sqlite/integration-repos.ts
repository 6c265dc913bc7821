// SQLite reads of the integrations' records: chat links and identities, the
// bridge's message map and cursors, webhooks and their deliveries, incoming
// hooks, plugin states.

import type * as Port from '../ports.js';
import type { ChannelLink, ConnectCode, Identity, IncomingHook, LinkCursor, MessageCopy, PluginState, SeenEvent, Webhook, WebhookDelivery } from '../entities.js';
import { pageByCreated, pageNewestFirst } from './paging.js';
import type { Reader } from './reader.js';

export function linksRepo(reader: Reader): Port.LinksRepo {
  return {
    get: async (id) => reader.doc<ChannelLink>('SELECT doc FROM links WHERE id = ?', id),
    getByChannel: async (platform, teamId, channelId) =>
      reader.doc<ChannelLink>('SELECT doc FROM links WHERE platform = ? AND team_id = ? AND channel_id = ?', platform, teamId, channelId),
    listByRoom: async (roomId) => reader.docs<ChannelLink>('SELECT doc FROM links WHERE room_id = ? ORDER BY created_at, id', roomId),
    listByProject: async (projectId) => reader.docs<ChannelLink>('SELECT doc FROM links WHERE project_id = ? ORDER BY created_at, id', projectId),
    list: async (page) => pageByCreated<ChannelLink>(reader, 'links t', '1 = 1', [], page),
  };
}

export function identitiesRepo(reader: Reader): Port.IdentitiesRepo {
  return {
    get: async (id) => reader.doc<Identity>('SELECT doc FROM identities WHERE id = ?', id),
    getByExternal: async (platform, teamId, externalUserId) =>
      reader.doc<Identity>('SELECT doc FROM identities WHERE platform = ? AND team_id = ? AND external_user_id = ?', platform, teamId, externalUserId),
    listByUser: async (userId) => reader.docs<Identity>('SELECT doc FROM identities WHERE user_id = ? ORDER BY created_at, id', userId),
  };
}

export function connectCodesRepo(reader: Reader): Port.ConnectCodesRepo {
  return { getByHash: async (hash) => reader.doc<ConnectCode>('SELECT doc FROM connect_codes WHERE code_hash = ?', hash) };
}

export function messageCopiesRepo(reader: Reader): Port.MessageCopiesRepo {
  return {
    getByExternal: async (platform, channelId, externalId) =>
      reader.doc<MessageCopy>('SELECT doc FROM message_copies WHERE platform = ? AND channel_id = ? AND external_id = ?', platform, channelId, externalId),
    getForLink: async (linkId, messageId) => reader.doc<MessageCopy>('SELECT doc FROM message_copies WHERE link_id = ? AND message_id = ?', linkId, messageId),
    listByMessage: async (messageId) => reader.docs<MessageCopy>('SELECT doc FROM message_copies WHERE message_id = ? ORDER BY id', messageId),
  };
}

export function seenEventsRepo(reader: Reader): Port.SeenEventsRepo {
  return { get: async (id) => reader.doc<SeenEvent>('SELECT doc FROM seen_events WHERE id = ?', id) };
}

export function linkCursorsRepo(reader: Reader): Port.LinkCursorsRepo {
  return { get: async (id) => reader.doc<LinkCursor>('SELECT doc FROM link_cursors WHERE id = ?', id) };
}

export function webhooksRepo(reader: Reader): Port.WebhooksRepo {
  return {
    get: async (id) => reader.doc<Webhook>('SELECT doc FROM webhooks WHERE id = ?', id),
    listByProject: async (projectId) => reader.docs<Webhook>('SELECT doc FROM webhooks WHERE project_id = ? ORDER BY created_at, id', projectId),
    list: async (page) => pageByCreated<Webhook>(reader, 'webhooks t', '1 = 1', [], page),
  };
}

export function webhookDeliveriesRepo(reader: Reader): Port.WebhookDeliveriesRepo {
  return {
    get: async (id) => reader.doc<WebhookDelivery>('SELECT doc FROM webhook_deliveries WHERE id = ?', id),
    listByWebhook: async (webhookId, page) => pageNewestFirst<WebhookDelivery>(reader, 'webhook_deliveries', 'webhook_id = ?', [webhookId], page),
  };
}

export function incomingHooksRepo(reader: Reader): Port.IncomingHooksRepo {
  return {
    get: async (id) => reader.doc<IncomingHook>('SELECT doc FROM incoming_hooks WHERE id = ?', id),
    getByTokenHash: async (hash) => reader.doc<IncomingHook>('SELECT doc FROM incoming_hooks WHERE token_hash = ?', hash),
    listByRoom: async (roomId) => reader.docs<IncomingHook>('SELECT doc FROM incoming_hooks WHERE room_id = ? ORDER BY created_at, id', roomId),
  };
}

export function pluginStatesRepo(reader: Reader): Port.PluginStatesRepo {
  return {
    get: async (id) => reader.doc<PluginState>('SELECT doc FROM plugin_states WHERE id = ?', id),
    listByProject: async (projectId) => reader.docs<PluginState>('SELECT doc FROM plugin_states WHERE project_id = ? ORDER BY name', projectId),
    list: async (page) => pageByCreated<PluginState>(reader, 'plugin_states t', '1 = 1', [], page),
  };
}
