// Tasks on the board. The list order (column in board order, then position,
// then id) needs the index of a status in a client-given array, which no server
// sorts by portably, so a page is filled column by column with one indexed
// query each (tasks_board: projectId, status, position, _id). Strings compare
// byte-wise on the server (no collation), the same as JS `<` for ASCII.

import type { Task } from '../../entities.js';
import { InvalidCursorError } from '../../errors.js';
import { decodeCursor } from '../../cursor.js';
import type { TaskQuery, TasksRepo } from '../../ports.js';
import { finishPage, type Filter, type Reads } from '../reads.js';

const BOARD_ORDER = { position: 1, _id: 1 } as const;
const BOARD_ORDER_REVERSED = { position: -1, _id: -1 } as const;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function filtersOf(query: TaskQuery): Filter[] {
  const filters: Filter[] = [];
  if (query.assigneeId !== undefined) filters.push({ assigneeId: query.assigneeId });
  if (query.label !== undefined) filters.push({ labels: query.label });
  if (query.q !== undefined) {
    const pattern = new RegExp(escapeRegex(query.q), 'i');
    filters.push({ $or: [{ title: pattern }, { description: pattern }] });
  }
  // $lt on a string never matches null, but the explicit $ne keeps that independent of type bracketing.
  if (query.dueBefore !== undefined) filters.push({ dueAt: { $ne: null, $lt: query.dueBefore } });
  return filters;
}

/** (position, id) strictly after or before `from`. */
function beyond(position: string, id: string, direction: '$gt' | '$lt'): Filter {
  return { $or: [{ position: { [direction]: position } }, { position, _id: { [direction]: id } }] };
}

export function tasksRepo(reads: Reads): TasksRepo {
  return {
    get: (id) => reads.one('tasks', { _id: id }),
    getByNumber: (projectId, number) => reads.one('tasks', { projectId, number }),
    list: async (projectId, query, page) => {
      if (page.limit < 1) return { items: [], nextCursor: null };
      const reverse = query.reverse === true;
      let from: { column: number; position: string | null; id: string } = { column: reverse ? query.statusOrder.length - 1 : 0, position: null, id: '' };
      if (page.cursor) {
        const [column, position, id] = decodeCursor(page.cursor, ['number', 'string', 'string']) as [number, string, string];
        if (!Number.isInteger(column) || column < 0) throw new InvalidCursorError();
        from = { column, position, id };
      }
      const filters = filtersOf(query);
      const found: { task: Task; column: number }[] = [];
      for (let column = from.column; column >= 0 && column < query.statusOrder.length && found.length <= page.limit; column += reverse ? -1 : 1) {
        const status = query.statusOrder[column]!;
        if (query.status !== undefined && query.status !== status) continue;
        const conditions: Filter[] = [{ projectId, status }, ...filters];
        if (column === from.column && from.position !== null) conditions.push(beyond(from.position, from.id, reverse ? '$lt' : '$gt'));
        const tasks = await reads.many('tasks', { $and: conditions }, reverse ? BOARD_ORDER_REVERSED : BOARD_ORDER, page.limit + 1 - found.length);
        for (const task of tasks) found.push({ task, column });
      }
      const paged = finishPage(found, page.limit, (last) => [last.column, last.task.position, last.task.id]);
      return { items: paged.items.map((item) => item.task), nextCursor: paged.nextCursor };
    },
    // One indexed count per column: FerretDB's aggregation is not needed for this.
    countColumns: (projectId, query) => {
      const filters = filtersOf(query);
      return Promise.all(query.statusOrder.map((status) => reads.models.entities.tasks.countDocuments({ $and: [{ projectId, status }, ...filters] }).exec()));
    },
    neighbor: async (projectId, status, from, direction) => {
      const next = direction === 'next';
      const conditions: Filter[] = [{ projectId, status }];
      if (from) conditions.push(beyond(from.position, from.id, next ? '$gt' : '$lt'));
      const [task] = await reads.many('tasks', { $and: conditions }, next ? BOARD_ORDER : BOARD_ORDER_REVERSED, 1);
      return task ?? null;
    },
    listDue: async (from, to, page) => {
      if (page.limit < 1) return { items: [], nextCursor: null };
      const conditions: Filter[] = [{ dueAt: { $ne: null, $gte: from, $lt: to } }];
      if (page.cursor) {
        const [dueAt, id] = decodeCursor(page.cursor, ['string', 'string']);
        conditions.push({ $or: [{ dueAt: { $gt: dueAt } }, { dueAt, _id: { $gt: id } }] });
      }
      const items = await reads.many('tasks', { $and: conditions }, { dueAt: 1, _id: 1 }, page.limit + 1);
      return finishPage(items, page.limit, (last) => [last.dueAt!, last.id]);
    },
  };
}
