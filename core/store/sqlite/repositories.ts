// The read side of the SQLite store: one repository object per port interface
// (the integrations' records are in integration-repos.ts).

import type * as Port from '../ports.js';
import type { AuditEntry, AuthToken, Change, Delivery, InstanceSettings, EmbedToken, FeedCursor, Invite, Member, Message, Notification, OutboxMail, Project, Room, RoomMember, Task, Token, User } from '../entities.js';
import { decodeCursor } from '../cursor.js';
import { finishPage, pageByCreated, pageNewestFirst } from './paging.js';
import type { Reader } from './reader.js';

export function usersRepo(reader: Reader): Port.UsersRepo {
  return {
    get: async (id) => reader.doc<User>('SELECT doc FROM users WHERE id = ?', id),
    getByEmail: async (email) => reader.doc<User>('SELECT doc FROM users WHERE email = ?', email),
    getByExternalRef: async (ref) => reader.doc<User>('SELECT doc FROM users WHERE external_ref = ?', ref),
    getMany: async (ids) => {
      if (ids.length === 0) return [];
      return reader.docs<User>('SELECT doc FROM users WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    },
    list: async (page) => pageByCreated<User>(reader, 'users t', '1 = 1', [], page),
    search: async (q, page) =>
      pageByCreated<User>(
        reader,
        'users t',
        "(t.email LIKE ? ESCAPE '\\' OR lower(t.doc->>'name') LIKE ? ESCAPE '\\')",
        [likePattern(q), likePattern(q)],
        page,
      ),
    count: async () => reader.row<{ n: number }>('SELECT count(*) AS n FROM users')!.n,
  };
}

export function tokensRepo(reader: Reader): Port.TokensRepo {
  return {
    get: async (id) => reader.doc<Token>('SELECT doc FROM tokens WHERE id = ?', id),
    getByHash: async (hash) => reader.doc<Token>('SELECT doc FROM tokens WHERE token_hash = ?', hash),
    listByUser: async (userId) =>
      reader.docs<Token>('SELECT doc FROM tokens WHERE user_id = ? ORDER BY created_at, id', userId),
    touch: async (id, at) => reader.run("UPDATE tokens SET doc = json_set(doc, '$.lastUsedAt', ?) WHERE id = ?", at, id),
  };
}

export function projectsRepo(reader: Reader): Port.ProjectsRepo {
  return {
    get: async (id) => reader.doc<Project>('SELECT doc FROM projects WHERE id = ?', id),
    listForUser: async (userId, page) =>
      pageByCreated<Project>(reader, 'projects t JOIN members m ON m.project_id = t.id', 'm.user_id = ?', [userId], page),
    nextTaskNumber: async (projectId) =>
      reader.row<{ task_counter: number }>(
        `INSERT INTO feeds (scope, task_counter) VALUES (?, 1)
         ON CONFLICT (scope) DO UPDATE SET task_counter = task_counter + 1 RETURNING task_counter`,
        projectId,
      )!.task_counter,
    raiseTaskCounter: async (projectId, atLeast) =>
      reader.run(
        `INSERT INTO feeds (scope, task_counter) VALUES (?, ?)
         ON CONFLICT (scope) DO UPDATE SET task_counter = max(task_counter, excluded.task_counter)`,
        projectId,
        atLeast,
      ),
    list: async (page) => pageByCreated<Project>(reader, 'projects t', '1 = 1', [], page),
    count: async () => reader.row<{ n: number }>('SELECT count(*) AS n FROM projects')!.n,
  };
}

export function membersRepo(reader: Reader): Port.MembersRepo {
  return {
    get: async (projectId, userId) =>
      reader.doc<Member>('SELECT doc FROM members WHERE project_id = ? AND user_id = ?', projectId, userId),
    listByProject: async (projectId, page) => pageByCreated<Member>(reader, 'members t', 't.project_id = ?', [projectId], page),
    listByUser: async (userId) => reader.docs<Member>('SELECT doc FROM members WHERE user_id = ? ORDER BY created_at, id', userId),
    countByRole: async (projectId, role) =>
      reader.row<{ n: number }>('SELECT count(*) AS n FROM members WHERE project_id = ? AND role = ?', projectId, role)!.n,
  };
}

export function invitesRepo(reader: Reader): Port.InvitesRepo {
  return {
    get: async (id) => reader.doc<Invite>('SELECT doc FROM invites WHERE id = ?', id),
    getByEmail: async (projectId, email) =>
      reader.doc<Invite>('SELECT doc FROM invites WHERE project_id = ? AND email = ?', projectId, email),
    listByProject: async (projectId) =>
      reader.docs<Invite>('SELECT doc FROM invites WHERE project_id = ? ORDER BY created_at, id', projectId),
    listByEmail: async (email) => reader.docs<Invite>('SELECT doc FROM invites WHERE email = ? ORDER BY created_at, id', email),
    getByTokenHash: async (hash) => reader.doc<Invite>("SELECT doc FROM invites WHERE doc->>'tokenHash' = ?", hash),
  };
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The list filters of a task query as SQL conditions (each led by AND) and their parameters. */
function taskFilters(query: Port.TaskQuery): { filterSql: string; params: unknown[] } {
  const filters: string[] = [];
  const params: unknown[] = [];
  if (query.assigneeId !== undefined) {
    filters.push('assignee_id = ?');
    params.push(query.assigneeId);
  }
  if (query.label !== undefined) {
    filters.push("EXISTS (SELECT 1 FROM json_each(doc, '$.labels') WHERE value = ?)");
    params.push(query.label);
  }
  if (query.q !== undefined) {
    filters.push("(lower(doc->>'title') LIKE ? ESCAPE '\\' OR lower(doc->>'description') LIKE ? ESCAPE '\\')");
    params.push(likePattern(query.q), likePattern(query.q));
  }
  if (query.dueBefore !== undefined) {
    filters.push('due_at IS NOT NULL AND due_at < ?');
    params.push(query.dueBefore);
  }
  return { filterSql: filters.map((f) => ` AND ${f}`).join(''), params };
}

export function tasksRepo(reader: Reader): Port.TasksRepo {
  return {
    get: async (id) => reader.doc<Task>('SELECT doc FROM tasks WHERE id = ?', id),
    getByNumber: async (projectId, number) =>
      reader.doc<Task>('SELECT doc FROM tasks WHERE project_id = ? AND number = ?', projectId, number),
    list: async (projectId, query, page) => {
      const { filterSql, params } = taskFilters(query);
      const reverse = query.reverse === true;
      const [cmp, desc, step] = reverse ? ['<', ' DESC', -1] : ['>', '', 1];
      let [fromColumn, fromPosition, fromId]: (string | number | null)[] = [reverse ? query.statusOrder.length - 1 : 0, null, null];
      if (page.cursor) [fromColumn, fromPosition, fromId] = decodeCursor(page.cursor, ['number', 'string', 'string']);
      const items: { task: Task; column: number }[] = [];
      // Column by column in board order, so the index (project_id, status, position, id) serves every page.
      for (let column = fromColumn as number; column >= 0 && column < query.statusOrder.length && items.length <= page.limit; column += step) {
        const status = query.statusOrder[column]!;
        if (query.status !== undefined && query.status !== status) continue;
        const after = column === fromColumn && fromPosition !== null;
        const rows = reader.docs<Task>(
          `SELECT doc FROM tasks WHERE project_id = ? AND status = ?${after ? ` AND (position ${cmp} ? OR (position = ? AND id ${cmp} ?))` : ''}${filterSql}
           ORDER BY position${desc}, id${desc} LIMIT ?`,
          projectId,
          status,
          ...(after ? [fromPosition, fromPosition, fromId] : []),
          ...params,
          page.limit + 1 - items.length,
        );
        items.push(...rows.map((task) => ({ task, column })));
      }
      const paged = finishPage(items, page.limit, (last) => [last.column, last.task.position, last.task.id]);
      return { items: paged.items.map((item) => item.task), nextCursor: paged.nextCursor };
    },
    countColumns: async (projectId, query) => {
      const { filterSql, params } = taskFilters(query);
      const rows = reader.rows<{ status: string; count: number }>(
        `SELECT status, count(*) AS count FROM tasks WHERE project_id = ?${filterSql} GROUP BY status`,
        projectId,
        ...params,
      );
      return query.statusOrder.map((status) => rows.find((row) => row.status === status)?.count ?? 0);
    },
    neighbor: async (projectId, status, from, direction) => {
      const next = direction === 'next';
      const order = next ? 'position, id' : 'position DESC, id DESC';
      if (!from) {
        return reader.doc<Task>(`SELECT doc FROM tasks WHERE project_id = ? AND status = ? ORDER BY ${order} LIMIT 1`, projectId, status);
      }
      const cmp = next ? '>' : '<';
      return reader.doc<Task>(
        `SELECT doc FROM tasks WHERE project_id = ? AND status = ? AND (position ${cmp} ? OR (position = ? AND id ${cmp} ?))
         ORDER BY ${order} LIMIT 1`,
        projectId,
        status,
        from.position,
        from.position,
        from.id,
      );
    },
    listDue: async (from, to, page) => {
      let cursorSql = '';
      const cursorParams: unknown[] = [];
      if (page.cursor) {
        const [dueAt, id] = decodeCursor(page.cursor, ['string', 'string']);
        cursorSql = ' AND (due_at > ? OR (due_at = ? AND id > ?))';
        cursorParams.push(dueAt, dueAt, id);
      }
      const items = reader.docs<Task>(
        `SELECT doc FROM tasks WHERE due_at IS NOT NULL AND due_at >= ? AND due_at < ?${cursorSql} ORDER BY due_at, id LIMIT ?`,
        from,
        to,
        ...cursorParams,
        page.limit + 1,
      );
      return finishPage(items, page.limit, (last) => [last.dueAt!, last.id]);
    },
  };
}

export function roomsRepo(reader: Reader): Port.RoomsRepo {
  return {
    get: async (id) => reader.doc<Room>('SELECT doc FROM rooms WHERE id = ?', id),
    getByName: async (projectId, name) => reader.doc<Room>('SELECT doc FROM rooms WHERE project_id = ? AND name = ?', projectId, name),
    listByProject: async (projectId) =>
      reader.docs<Room>('SELECT doc FROM rooms WHERE project_id = ? ORDER BY created_at, id', projectId),
  };
}

export function roomMembersRepo(reader: Reader): Port.RoomMembersRepo {
  return {
    get: async (roomId, userId) =>
      reader.doc<RoomMember>('SELECT doc FROM room_members WHERE room_id = ? AND user_id = ?', roomId, userId),
    listByRoom: async (roomId) =>
      reader.docs<RoomMember>("SELECT doc FROM room_members WHERE room_id = ? ORDER BY doc->>'createdAt', id", roomId),
    listRoomIdsForUser: async (projectId, userId) =>
      reader
        .rows<{ room_id: string }>('SELECT room_id FROM room_members WHERE project_id = ? AND user_id = ? ORDER BY room_id', projectId, userId)
        .map((row) => row.room_id),
  };
}

export function messagesRepo(reader: Reader): Port.MessagesRepo {
  return {
    get: async (id) => reader.doc<Message>('SELECT doc FROM messages WHERE id = ?', id),
    listByRoom: async (roomId, { beforeId, limit }) => {
      if (!beforeId) {
        return reader.docs<Message>('SELECT doc FROM messages WHERE room_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', roomId, limit);
      }
      const before = reader.row<{ created_at: string }>('SELECT created_at FROM messages WHERE id = ? AND room_id = ?', beforeId, roomId);
      if (!before) return [];
      return reader.docs<Message>(
        `SELECT doc FROM messages WHERE room_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        roomId,
        before.created_at,
        before.created_at,
        beforeId,
        limit,
      );
    },
    listOldestFirst: async (roomId, { afterId, limit }) => {
      if (!afterId) return reader.docs<Message>('SELECT doc FROM messages WHERE room_id = ? ORDER BY created_at, id LIMIT ?', roomId, limit);
      const after = reader.row<{ created_at: string }>('SELECT created_at FROM messages WHERE id = ? AND room_id = ?', afterId, roomId);
      if (!after) return [];
      return reader.docs<Message>(
        `SELECT doc FROM messages WHERE room_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
         ORDER BY created_at, id LIMIT ?`,
        roomId,
        after.created_at,
        after.created_at,
        afterId,
        limit,
      );
    },
  };
}

export function embedTokensRepo(reader: Reader): Port.EmbedTokensRepo {
  return {
    get: async (id) => reader.doc<EmbedToken>('SELECT doc FROM embed_tokens WHERE id = ?', id),
    getByHash: async (hash) => reader.doc<EmbedToken>('SELECT doc FROM embed_tokens WHERE token_hash = ?', hash),
    listByProject: async (projectId) =>
      reader.docs<EmbedToken>('SELECT doc FROM embed_tokens WHERE project_id = ? ORDER BY created_at, id', projectId),
  };
}

interface ChangeRow {
  project_id: string;
  seq: number;
  type: string;
  at: string;
  actor_id: string | null;
  data: string;
  audience: string | null;
}

export function changesRepo(reader: Reader): Port.ChangesRepo {
  return {
    list: async (projectId, since, limit) =>
      reader
        .rows<ChangeRow>('SELECT * FROM changes WHERE project_id = ? AND seq > ? ORDER BY seq LIMIT ?', projectId, since, limit)
        .map(
          (row): Change => ({
            projectId: row.project_id,
            seq: row.seq,
            type: row.type,
            at: row.at,
            actorId: row.actor_id,
            data: JSON.parse(row.data) as Record<string, unknown>,
            audience: row.audience === null ? null : (JSON.parse(row.audience) as string[]),
          }),
        ),
    lastSeq: async (projectId) => reader.row<{ last_seq: number }>('SELECT last_seq FROM feeds WHERE scope = ?', projectId)?.last_seq ?? 0,
  };
}

export function notificationsRepo(reader: Reader): Port.NotificationsRepo {
  return {
    get: async (id) => reader.doc<Notification>('SELECT doc FROM notifications WHERE id = ?', id),
    getMany: async (ids) => {
      if (ids.length === 0) return [];
      return reader.docs<Notification>('SELECT doc FROM notifications WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    },
    listByUser: async (userId, { unreadOnly }, page) =>
      pageNewestFirst<Notification>(reader, 'notifications', `user_id = ?${unreadOnly ? ' AND read_at IS NULL' : ''}`, [userId], page),
    countUnread: async (userId) =>
      reader.row<{ n: number }>('SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL', userId)!.n,
  };
}

export function deliveriesRepo(reader: Reader): Port.DeliveriesRepo {
  return {
    get: async (id) => reader.doc<Delivery>('SELECT doc FROM deliveries WHERE id = ?', id),
    listByNotifications: async (ids) => {
      if (ids.length === 0) return [];
      return reader.docs<Delivery>(
        'SELECT doc FROM deliveries WHERE notification_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id',
        JSON.stringify(ids),
      );
    },
    list: async (filter, page) => {
      const where = ['1 = 1'];
      const params: unknown[] = [];
      if (filter.status !== undefined) {
        where.push('status = ?');
        params.push(filter.status);
      }
      if (filter.channel !== undefined) {
        where.push('channel = ?');
        params.push(filter.channel);
      }
      return pageNewestFirst<Delivery>(reader, 'deliveries', where.join(' AND '), params, page);
    },
  };
}

export function outboxRepo(reader: Reader): Port.OutboxRepo {
  return { list: async (page) => pageNewestFirst<OutboxMail>(reader, 'outbox', '1 = 1', [], page) };
}

export function feedCursorsRepo(reader: Reader): Port.FeedCursorsRepo {
  return { get: async (id) => reader.doc<FeedCursor>('SELECT doc FROM feed_cursors WHERE id = ?', id) };
}

export function authTokensRepo(reader: Reader): Port.AuthTokensRepo {
  return {
    getByHash: async (hash) => reader.doc<AuthToken>('SELECT doc FROM auth_tokens WHERE token_hash = ?', hash),
    listByUser: async (userId) => reader.docs<AuthToken>('SELECT doc FROM auth_tokens WHERE user_id = ? ORDER BY id', userId),
  };
}

export function settingsRepo(reader: Reader): Port.SettingsRepo {
  return { get: async (id) => reader.doc<InstanceSettings>('SELECT doc FROM settings WHERE id = ?', id) };
}

export function auditRepo(reader: Reader): Port.AuditRepo {
  return { list: async (page) => pageNewestFirst<AuditEntry>(reader, 'audit', '1 = 1', [], page) };
}
