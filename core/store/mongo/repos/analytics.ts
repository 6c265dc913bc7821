// Analytics reads on MongoDB. The pipelines use only $match and $group with
// $sum, which FerretDB (the suites' server) supports as MongoDB does; it has no
// date arithmetic or $bucket, so a count per period is one indexed pipeline
// per period, a few at a time. The reply delays need each room's messages in
// order, which a cursor streams without holding them.

import type { TaskMove } from '../../entities.js';
import type { AnalyticsRepo, Completions, CreatedTasks, Distribution, OpenTasks, TaskMovesRepo } from '../../ports.js';
import { ascending, nearestRank } from '../../../domain/percentiles.js';
import { periodOf } from '../../../domain/zoned-days.js';
import { flowBounds, sizesAt, type ColumnDelta } from '../../status-flow.js';
import type { Raw } from '../models.js';
import type { Filter, Reads } from '../reads.js';

/** Pipelines in flight at once for the per-period counts. */
const PARALLEL = 8;

interface Group {
  _id: Record<string, unknown> | string | null;
  n: number;
}

async function mapPeriods<T>(bounds: readonly string[], count: (lo: string, hi: string) => Promise<T>): Promise<T[]> {
  const results: T[] = Array.from({ length: Math.max(bounds.length - 1, 0) });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < results.length; i = next++) results[i] = await count(bounds[i]!, bounds[i + 1]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, results.length) }, worker));
  return results;
}

const inPeriod = (lo: string, hi: string) => ({ $gte: lo, $lt: hi });

function distribution(values: number[]): Distribution {
  values.sort(ascending);
  return { count: values.length, p50: nearestRank(values, 50), p85: nearestRank(values, 85), p95: nearestRank(values, 95) };
}

/** A group's key (the `_id` $group sets). */
function keyOf(group: Group): Group['_id'] {
  const { _id: key } = group;
  return key;
}

/** What SQLite computes in SQL, from the completed tasks' times. */
function measureCompletions(raws: readonly Raw[], bounds: readonly string[]): Completions {
  const perPeriod = Array.from({ length: Math.max(bounds.length - 1, 0) }, () => 0);
  const instants = bounds.map((b) => Date.parse(b));
  const cycles: number[] = [];
  const leads: number[] = [];
  const byAssignee = new Map<string | null, number[]>();
  for (const raw of raws) {
    const end = Date.parse(raw.completedAt as string);
    const period = periodOf(end, instants);
    if (period >= 0) perPeriod[period]! += 1;
    const created = Date.parse(raw.createdAt as string);
    const started = typeof raw.startedAt === 'string' ? Date.parse(raw.startedAt) : created;
    const cycle = Math.max(end - started, 0);
    cycles.push(cycle);
    leads.push(Math.max(end - created, 0));
    const assigneeId = (raw.assigneeId as string | null | undefined) ?? null;
    const theirs = byAssignee.get(assigneeId);
    if (theirs) theirs.push(cycle);
    else byAssignee.set(assigneeId, [cycle]);
  }
  return {
    perPeriod,
    cycle: distribution(cycles),
    lead: distribution(leads),
    byAssignee: [...byAssignee].map(([assigneeId, values]) => ({ assigneeId, count: values.length, cycleP50: nearestRank(values.sort(ascending), 50)! })),
  };
}

export function taskMovesRepo(reads: Reads): TaskMovesRepo {
  return {
    listByTask: (taskId) => reads.many('taskMoves', { taskId }, { at: 1, _id: 1 }) as Promise<TaskMove[]>,
  };
}

export function analyticsRepo(reads: Reads): AnalyticsRepo {
  const { tasks, taskMoves, messages } = reads.models.entities;
  const groups = (model: typeof tasks, match: Filter, key: Record<string, string> | string): Promise<Group[]> =>
    model.aggregate<Group>([{ $match: match }, { $group: { _id: key, n: { $sum: 1 } } }]).exec();

  return {
    tasksByStatus: async (projectId) => (await groups(tasks, { projectId }, '$status')).map((g) => ({ key: keyOf(g) as string, count: g.n })),

    openByAssignee: async (projectId, doneStatus, now) => {
      const open = { projectId, status: { $ne: doneStatus } };
      const [all, overdue] = await Promise.all([
        groups(tasks, open, '$assigneeId'),
        groups(tasks, { ...open, dueAt: { $ne: null, $lt: now } }, '$assigneeId'),
      ]);
      const late = new Map(overdue.map((g) => [keyOf(g) ?? null, g.n]));
      return all.map((g): OpenTasks => ({ assigneeId: (keyOf(g) as string | null) ?? null, open: g.n, overdue: late.get(keyOf(g) ?? null) ?? 0 }));
    },

    createdPerPeriod: (projectId, doneStatus, bounds) =>
      mapPeriods(bounds, async (lo, hi) => {
        const found = await groups(tasks, { projectId, createdAt: inPeriod(lo, hi) }, { status: '$status', fromChat: '$fromChat' });
        const counts: CreatedTasks = { created: 0, completed: 0, fromChat: 0 };
        for (const group of found) {
          const key = keyOf(group) as { status: string; fromChat?: boolean | null };
          const { n } = group;
          counts.created += n;
          if (key.status === doneStatus) counts.completed += n;
          if (key.fromChat === true) counts.fromChat += n;
        }
        return counts;
      }),

    completions: async (projectId, doneStatus, bounds) => {
      const raws = await tasks
        .find({ projectId, status: doneStatus, completedAt: inPeriod(bounds[0] ?? '', bounds.at(-1) ?? '') }, { _id: 0, assigneeId: 1, createdAt: 1, startedAt: 1, completedAt: 1 })
        .lean<Raw[]>();
      return measureCompletions(raws, bounds);
    },

    tasksByStatusAt: async (projectId, instants) => {
      const perPeriod = await mapPeriods(flowBounds(instants), (lo, hi) => groups(taskMoves, { projectId, at: inPeriod(lo, hi) }, { from: '$from', to: '$to' }));
      const deltas = perPeriod.flatMap((found, period) =>
        found.flatMap((group): ColumnDelta[] => {
          const key = keyOf(group) as { from?: string | null; to: string };
          const { n } = group;
          const into = { period, status: key.to, delta: n };
          return key.from ? [into, { period, status: key.from, delta: -n }] : [into];
        }),
      );
      return sizesAt(deltas, instants.length);
    },

    messagesPerPeriod: (roomIds, bounds) =>
      mapPeriods(bounds, (lo, hi) => (roomIds.length === 0 ? Promise.resolve(0) : messages.countDocuments({ roomId: { $in: [...roomIds] }, createdAt: inPeriod(lo, hi), deletedAt: null }).exec())),

    medianReplyDelay: async (roomIds, from, to) => {
      const delays: number[] = [];
      for (const roomId of roomIds) {
        const live = { roomId, deletedAt: null };
        const before = await messages.findOne({ ...live, createdAt: { $lt: from } }, { authorId: 1 }).sort({ createdAt: -1, _id: -1 }).lean<Raw>();
        let previousAuthor = (before?.authorId as string | undefined) ?? null;
        // When the turn waiting for an answer started.
        let open: number | null = null;
        const cursor = messages.find({ ...live, createdAt: { $gte: from } }, { authorId: 1, createdAt: 1 }).sort({ createdAt: 1, _id: 1 }).lean<Raw>().cursor();
        for await (const raw of cursor) {
          const author = raw.authorId as string;
          const createdAt = raw.createdAt as string;
          if (author === previousAuthor) continue;
          previousAuthor = author;
          const at = Date.parse(createdAt);
          if (open !== null) delays.push(at - open);
          if (createdAt >= to) break;
          open = at;
        }
      }
      delays.sort(ascending);
      return { count: delays.length, medianMs: nearestRank(delays, 50) };
    },
  };
}
