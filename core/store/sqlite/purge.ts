// The purge's bulk deletes on SQLite. Every statement is atomic on its own
// (autocommit), and each filters on an indexed column or on the very
// expression an index of migration 9 was built on, so a batch never scans a
// table.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database, Statement } from 'better-sqlite3';
import type { PurgeCollection, PurgeKeys, PurgeRepo } from '../ports.js';
import { TABLES } from './tables.js';

/** Where each key lives: a generated column, or the indexed JSON expression. */
const KEYS: { readonly [C in PurgeCollection]: Readonly<Record<PurgeKeys[C], string>> } = {
  tasks: { projectId: 'project_id' },
  rooms: { projectId: 'project_id' },
  roomMembers: { projectId: 'project_id', roomId: 'room_id' },
  messages: { projectId: "doc->>'projectId'", roomId: 'room_id' },
  messageCopies: { messageId: 'message_id', linkId: 'link_id' },
  links: { projectId: 'project_id', roomId: 'room_id' },
  linkCursors: {},
  webhooks: { projectId: 'project_id' },
  webhookDeliveries: { projectId: "doc->>'projectId'", webhookId: 'webhook_id' },
  incomingHooks: { projectId: "doc->>'projectId'", roomId: 'room_id' },
  pluginStates: { projectId: 'project_id' },
  notifications: { projectId: "doc->>'projectId'" },
  deliveries: { notificationId: 'notification_id' },
  embedTokens: { projectId: 'project_id' },
  invites: { projectId: 'project_id' },
  members: { projectId: 'project_id' },
  feedCursors: { projectId: "doc->>'projectId'" },
  taskMoves: { projectId: 'project_id', taskId: 'task_id' },
};

/** A big feed goes in slices, with the event loop free in between (better-sqlite3 is synchronous). */
const CHANGES_PER_SLICE = 5_000;

function where<C extends PurgeCollection>(collection: C, field: PurgeKeys[C] | 'id'): string {
  return `${TABLES[collection]} WHERE ${field === 'id' ? 'id' : KEYS[collection][field as PurgeKeys[C]]}`;
}

export function sqlitePurgeRepo(db: Database): PurgeRepo {
  const cache = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    ids: async (collection, field, value, limit) => prepared(`SELECT id FROM ${where(collection, field)} = ? LIMIT ?`).pluck().all(value, limit) as string[],
    deleteWhere: async (collection, field, values) => {
      if (values.length === 0) return 0;
      return prepared(`DELETE FROM ${where(collection, field)} IN (SELECT value FROM json_each(?))`).run(JSON.stringify(values)).changes;
    },
    deletedProjects: async (limit) =>
      prepared('SELECT scope FROM feeds f WHERE last_seq > 0 AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = f.scope) ORDER BY scope LIMIT ?')
        .pluck()
        .all(limit) as string[],
    deletedRooms: async (limit) => {
      // A skip scan over the (room_id, ...) index: one probe per distinct room, not one per message.
      const nextRoom = prepared('SELECT room_id FROM messages WHERE room_id > ? ORDER BY room_id LIMIT 1').pluck();
      const roomExists = prepared('SELECT 1 FROM rooms WHERE id = ?').pluck();
      const gone: string[] = [];
      for (let roomId = nextRoom.get('') as string | undefined; roomId !== undefined && gone.length < limit; roomId = nextRoom.get(roomId) as string | undefined) {
        if (roomExists.get(roomId) === undefined) gone.push(roomId);
      }
      return gone;
    },
    dropFeed: async (projectId) => {
      const slice = prepared('DELETE FROM changes WHERE project_id = ? AND seq IN (SELECT seq FROM changes WHERE project_id = ? ORDER BY seq LIMIT ?)');
      while (slice.run(projectId, projectId, CHANGES_PER_SLICE).changes > 0) await yieldToLoop();
      // The head goes last: while it stays, the project is listed by deletedProjects and its purge is not over.
      prepared('DELETE FROM feeds WHERE scope = ?').run(projectId);
      return true;
    },
  };
}
