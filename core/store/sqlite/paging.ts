// Keyset paging shared by the SQLite repositories: pages by (created_at, id),
// oldest or newest first, with the cursor of the last item handed out.

import type * as Port from '../ports.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Reader } from './reader.js';

/** Pages (created_at, id) over `from`, which must expose those columns as `t`: oldest first, or newest first. */
export function pageByCreated<T extends { createdAt: string; id: string }>(
  reader: Reader,
  from: string,
  where: string,
  params: unknown[],
  page: Port.PageRequest,
  order: 'oldest' | 'newest' = 'oldest',
): Port.Page<T> {
  const [after, direction] = order === 'oldest' ? ['>', ''] : ['<', ' DESC'];
  let cursorSql = '';
  const cursorParams: unknown[] = [];
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor, ['string', 'string']);
    cursorSql = ` AND (t.created_at ${after} ? OR (t.created_at = ? AND t.id ${after} ?))`;
    cursorParams.push(createdAt, createdAt, id);
  }
  const items = reader.docs<T>(
    `SELECT t.doc FROM ${from} WHERE ${where}${cursorSql} ORDER BY t.created_at${direction}, t.id${direction} LIMIT ?`,
    ...params,
    ...cursorParams,
    page.limit + 1,
  );
  return finishPage(items, page.limit, (last) => [last.createdAt, last.id]);
}

/** Pages (created_at, id) newest first over `table`. */
export function pageNewestFirst<T extends { createdAt: string; id: string }>(reader: Reader, table: string, where: string, params: unknown[], page: Port.PageRequest): Port.Page<T> {
  return pageByCreated<T>(reader, `${table} t`, where, params, page, 'newest');
}

export function finishPage<T>(items: T[], limit: number, key: (last: T) => (string | number)[]): Port.Page<T> {
  if (items.length <= limit) return { items, nextCursor: null };
  const kept = items.slice(0, limit);
  return { items: kept, nextCursor: encodeCursor(key(kept[kept.length - 1]!)) };
}
