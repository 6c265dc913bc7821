import type { CollectionName } from '../entities.js';

/** The SQLite table behind each collection of the port. */
export const TABLES: Record<CollectionName, string> = {
  users: 'users',
  tokens: 'tokens',
  projects: 'projects',
  members: 'members',
  invites: 'invites',
  tasks: 'tasks',
  rooms: 'rooms',
  roomMembers: 'room_members',
  messages: 'messages',
  embedTokens: 'embed_tokens',
  notifications: 'notifications',
  deliveries: 'deliveries',
  outbox: 'outbox',
  feedCursors: 'feed_cursors',
  authTokens: 'auth_tokens',
  settings: 'settings',
  audit: 'audit',
  links: 'links',
  identities: 'identities',
  connectCodes: 'connect_codes',
  messageCopies: 'message_copies',
  seenEvents: 'seen_events',
  linkCursors: 'link_cursors',
};
