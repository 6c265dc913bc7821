// Analytics reads on SQLite, over the plain tables of migration 10
// (analytics-schema.ts), never the records' JSON. Periods arrive as a JSON
// array of bounds and become a small table (one row per period) joined to an
// indexed time column, so each period is one index range. Where every bound
// falls on a whole UTC hour (any zone whose offsets are whole hours), counts
// come from the hourly sums; otherwise from the rows themselves.

import type { AnalyticsRepo, CreatedTasks, Distribution, KeyCount, OpenTasks, TaskMovesRepo } from '../ports.js';
import type { TaskMove } from '../entities.js';
import { flowBounds, sizesAt, type ColumnDelta } from '../status-flow.js';
import type { Reader } from './reader.js';

/**
 * The k-th smallest (from 0) cycle or lead time among a range's completions (project, done column, from, to; and
 * an assignee for `by_assignee`): the index on the duration is walked in order, skipping completions outside the range.
 */
const kth = (column: 'cycle_ms' | 'lead_ms', byAssignee = false) =>
  `SELECT ${column} FROM task_facts INDEXED BY ${byAssignee ? 'task_facts_assignee_cycle' : column === 'cycle_ms' ? 'task_facts_cycle' : 'task_facts_lead'}
   WHERE project_id = ? AND status = ? ${byAssignee ? 'AND assignee_id IS ?' : ''} AND completed_at >= ? AND completed_at < ?
   ORDER BY ${column} LIMIT 1 OFFSET ?`;

/** Where the nearest-rank p-th percentile of `count` values is, from 0: the ceil(p × count / 100)-th smallest. */
const rank = (p: number, count: number) => Math.max(Math.ceil((p * count) / 100), 1) - 1;

/** Period i is [lo, hi) between two consecutive bounds. */
const PERIODS = 'periods(i, lo, hi) AS (SELECT i, lo, hi FROM (SELECT key AS i, value AS lo, lead(value) OVER (ORDER BY key) AS hi FROM json_each(?)) WHERE hi IS NOT NULL)';
const ROOMS = 'rooms(id) AS (SELECT value FROM json_each(?))';

/** Whether every bound is a whole UTC hour ('' stands for the beginning of time), so hourly sums add up to the periods exactly. */
const onHours = (bounds: readonly string[]) => bounds.every((b) => b === '' || b.endsWith(':00:00.000Z'));
/** A bound as the hour keys (YYYY-MM-DDTHH) compare to it. */
const hourKeys = (bounds: readonly string[]) => JSON.stringify(bounds.map((b) => b.slice(0, 13)));

/** One value per period, `empty` where nothing was counted. */
function perPeriod<R extends { i: number }, T>(rows: readonly R[], bounds: readonly string[], empty: () => T, value: (row: R) => T): T[] {
  const result = Array.from({ length: Math.max(bounds.length - 1, 0) }, empty);
  for (const row of rows) result[row.i] = value(row);
  return result;
}

export function taskMovesRepo(reader: Reader): TaskMovesRepo {
  return {
    listByTask: async (taskId) => reader.docs<TaskMove>('SELECT doc FROM task_moves WHERE task_id = ? ORDER BY at, id', taskId),
  };
}

export function analyticsRepo(reader: Reader): AnalyticsRepo {
  const flowDeltas = (projectId: string, bounds: readonly string[]): ColumnDelta[] =>
    onHours(bounds)
      ? reader.rows<ColumnDelta>(
          `WITH ${PERIODS}
           SELECT p.i AS period, f.status AS status, sum(f.delta) AS delta
           FROM periods p JOIN flow_hours f ON f.project_id = ? AND f.hour >= p.lo AND f.hour < p.hi
           GROUP BY p.i, f.status`,
          hourKeys(bounds),
          projectId,
        )
      : reader.rows<ColumnDelta>(
          `WITH ${PERIODS}
           SELECT p.i AS period, m.to_status AS status, count(*) AS delta
           FROM periods p JOIN task_moves m ON m.project_id = ? AND m.at >= p.lo AND m.at < p.hi GROUP BY p.i, m.to_status
           UNION ALL
           SELECT p.i, m.from_status, -count(*)
           FROM periods p JOIN task_moves m ON m.project_id = ? AND m.at >= p.lo AND m.at < p.hi WHERE m.from_status IS NOT NULL GROUP BY p.i, m.from_status`,
          JSON.stringify(bounds),
          projectId,
          projectId,
        );

  return {
    tasksByStatus: async (projectId) =>
      reader.rows<KeyCount<string>>('SELECT status AS key, count(*) AS count FROM task_facts WHERE project_id = ? GROUP BY status', projectId),

    openByAssignee: async (projectId, doneStatus, now) =>
      reader.rows<OpenTasks>(
        `SELECT assignee_id AS assigneeId, count(*) AS open, count(CASE WHEN due_at < ? THEN 1 END) AS overdue
         FROM task_facts WHERE project_id = ? AND status <> ? GROUP BY assignee_id`,
        now,
        projectId,
        doneStatus,
      ),

    createdPerPeriod: async (projectId, doneStatus, bounds) => {
      const rows = reader.rows<CreatedTasks & { i: number }>(
        `WITH ${PERIODS}
         SELECT p.i AS i, count(*) AS created, count(CASE WHEN t.status = ? THEN 1 END) AS completed, sum(t.from_chat) AS fromChat
         FROM periods p JOIN task_facts t ON t.project_id = ? AND t.created_at >= p.lo AND t.created_at < p.hi
         GROUP BY p.i`,
        JSON.stringify(bounds),
        doneStatus,
        projectId,
      );
      return perPeriod(rows, bounds, () => ({ created: 0, completed: 0, fromChat: 0 }), ({ created, completed, fromChat }) => ({ created, completed, fromChat }));
    },

    completions: async (projectId, doneStatus, bounds) => {
      const counted = reader.rows<{ i: number; count: number }>(
        `WITH ${PERIODS}
         SELECT p.i AS i, count(*) AS count
         FROM periods p JOIN task_facts t ON t.project_id = ? AND t.status = ? AND t.completed_at >= p.lo AND t.completed_at < p.hi
         GROUP BY p.i`,
        JSON.stringify(bounds),
        projectId,
        doneStatus,
      );
      const [project, done, from, to] = [projectId, doneStatus, bounds[0] ?? '', bounds.at(-1) ?? ''];
      const perPeriodCounts = perPeriod(counted, bounds, () => 0, (row) => row.count);
      const n = perPeriodCounts.reduce((sum, c) => sum + c, 0);
      const distribution = (column: 'cycle_ms' | 'lead_ms'): Distribution => {
        const at = (p: number) => (n === 0 ? null : reader.value<number>(kth(column), project, done, from, to, rank(p, n)));
        return { count: n, p50: at(50), p85: at(85), p95: at(95) };
      };
      const assignees = reader.rows<{ assigneeId: string | null; count: number }>(
        'SELECT assignee_id AS assigneeId, count(*) AS count FROM task_facts WHERE project_id = ? AND status = ? AND completed_at >= ? AND completed_at < ? GROUP BY assignee_id',
        project,
        done,
        from,
        to,
      );
      const byAssignee = assignees.map(({ assigneeId, count }) => ({
        assigneeId,
        count,
        cycleP50: reader.value<number>(kth('cycle_ms', true), project, done, assigneeId, from, to, rank(50, count))!,
      }));
      return { perPeriod: perPeriodCounts, cycle: distribution('cycle_ms'), lead: distribution('lead_ms'), byAssignee };
    },

    tasksByStatusAt: async (projectId, instants) => sizesAt(flowDeltas(projectId, flowBounds(instants)), instants.length),

    messagesPerPeriod: async (roomIds, bounds) => {
      const rows = onHours(bounds)
        ? reader.rows<{ i: number; count: number }>(
            `WITH ${PERIODS}, ${ROOMS}
             SELECT p.i AS i, sum(h.count) AS count
             FROM periods p JOIN rooms r JOIN chat_hours h ON h.room_id = r.id AND h.hour >= p.lo AND h.hour < p.hi
             GROUP BY p.i`,
            hourKeys(bounds),
            JSON.stringify(roomIds),
          )
        : reader.rows<{ i: number; count: number }>(
            `WITH ${PERIODS}, ${ROOMS}
             SELECT p.i AS i, count(*) AS count
             FROM periods p JOIN rooms r JOIN chat_lines l ON l.room_id = r.id AND l.at >= p.lo AND l.at < p.hi
             GROUP BY p.i`,
            JSON.stringify(bounds),
            JSON.stringify(roomIds),
          );
      return perPeriod(rows, bounds, () => 0, (row) => row.count);
    },

    medianReplyDelay: async (roomIds, from, to) => {
      const rooms = JSON.stringify(roomIds);
      const { count } = reader.row<{ count: number }>(
        `WITH ${ROOMS} SELECT count(*) AS count FROM rooms r JOIN chat_lines l ON l.room_id = r.id AND l.at >= ? AND l.at < ? WHERE l.reply_ms IS NOT NULL`,
        rooms,
        from,
        to,
      )!;
      if (count === 0) return { count, medianMs: null };
      // The answers' own index, walked from the shortest: the median is the ceil(n/2)-th that is in range.
      const median = reader.row<{ ms: number }>(
        `SELECT reply_ms AS ms FROM chat_lines INDEXED BY chat_lines_replies
         WHERE reply_ms IS NOT NULL AND room_id IN (SELECT value FROM json_each(?)) AND at >= ? AND at < ?
         ORDER BY reply_ms LIMIT 1 OFFSET ?`,
        rooms,
        from,
        to,
        Math.ceil(count / 2) - 1,
      )!;
      return { count, medianMs: median.ms };
    },
  };
}
