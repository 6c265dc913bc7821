// A project's analytics over a range of days in a time zone (API.md
// "Analytics"): project readers only, never an embedded widget. The store
// answers grouped counts per day (AnalyticsRepo); this folds them into weeks
// and members, and the presenter rounds. What counts as history is kept as it
// happens: tasks carry startedAt and fromChat, and every change of column is a
// TaskMove written with the task (core/services/tasks.ts).

import type { Actor } from '../domain/actor.js';
import { addDays, daysBetween, mondayOf, zonedDays, type Day } from '../domain/zoned-days.js';
import { localDate } from '../domain/notify.js';
import type { Subject } from '../domain/policies.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { presentAnalytics, type AnalyticsFigures, type AnalyticsView } from '../presenters/analytics.js';
import type { Completions, OpenTasks } from '../store/ports.js';
import { projectAccess } from './access.js';
import type { ServiceDeps } from './deps.js';
import { doneColumn } from './projects.js';
import { allMembers } from './roster.js';
import { roomVisibility } from './visibility.js';

/** Longest range, both ends included: two years, a leap day among them. */
export const MAX_RANGE_DAYS = 731;
/** Without `from`, the range is twelve weeks ending on `to`. */
const DEFAULT_DAYS = 84;

export interface AnalyticsQuery {
  /** YYYY-MM-DD, already checked to be a real date. */
  from?: string | undefined;
  to?: string | undefined;
  /** An IANA zone, already checked. */
  tz?: string | undefined;
}

export async function projectAnalytics(deps: ServiceDeps, actor: Actor, projectId: string, query: AnalyticsQuery): Promise<AnalyticsView> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'project.read');
  if (actor.kind === 'embed') throw new ForbiddenError('An embedded widget cannot read analytics; open the project in the app.');
  const now = deps.now();
  const range = resolveRange(query, await callerZone(deps, actor), now.getTime());
  const { days, bounds } = zonedDays(range.from, range.to, range.tz);
  const iso = bounds.map((at) => new Date(at).toISOString());
  const done = doneColumn(project)!;
  const rooms = await readableRooms(deps, subject, projectId);
  const { analytics } = deps.store;
  const [byStatus, open, created, completions, flow, messages, replies, members] = await Promise.all([
    analytics.tasksByStatus(projectId),
    analytics.openByAssignee(projectId, done, now.toISOString()),
    analytics.createdPerPeriod(projectId, done, iso),
    analytics.completions(projectId, done, iso),
    analytics.tasksByStatusAt(projectId, iso.slice(1)),
    analytics.messagesPerPeriod(rooms, iso),
    analytics.medianReplyDelay(rooms, iso[0]!, iso.at(-1)!),
    namedMembers(deps, projectId),
  ]);
  const columns = project.columns.map((c) => c.key);
  const statusCount = new Map(byStatus.map((s) => [s.key, s.count]));
  const figures: AnalyticsFigures = {
    range,
    throughput: weekly(days, (i) => created[i]!.created, (i) => completions.perPeriod[i]!),
    cycleTime: completions.cycle,
    leadTime: completions.lead,
    wip: columns.map((status) => ({ status, count: statusCount.get(status) ?? 0 })),
    overdue: open.reduce((n, o) => n + o.overdue, 0),
    created: sum(created.map((c) => c.created)),
    createdAndCompleted: sum(created.map((c) => c.completed)),
    cumulativeFlow: days.map((day, i) => ({ day, counts: Object.fromEntries(columns.map((status) => [status, flow[i]![status] ?? 0])) })),
    members: memberFigures(members, open, completions),
    messagesPerDay: days.map((day, i) => ({ day, count: messages[i]! })),
    tasksFromChat: sum(created.map((c) => c.fromChat)),
    medianReplyMs: replies.medianMs,
  };
  return presentAnalytics(figures);
}

/**
 * The range asked for, defaults filled in: `tz` the caller's zone; `to` today there, but never before `from` nor
 * past the longest range from it (so `from` alone is always a range); `from` twelve weeks before `to`. Problems with
 * the range name `from`, the end that sets its length.
 */
export function resolveRange(query: AnalyticsQuery, zone: string, now: number): AnalyticsView['range'] {
  const tz = query.tz ?? zone;
  const to = query.to ?? (query.from ? defaultEnd(query.from, localDate(now, tz)) : localDate(now, tz));
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  const length = daysBetween(from, to) + 1;
  if (length < 1) throw new ValidationError([{ path: 'from', message: `must not be after to (${to})` }]);
  if (length > MAX_RANGE_DAYS) throw new ValidationError([{ path: 'from', message: `must be at most ${MAX_RANGE_DAYS} days before to (${to}), both included` }]);
  return { from, to, tz };
}

function defaultEnd(from: string, today: string): string {
  const latest = addDays(from, MAX_RANGE_DAYS - 1);
  if (today < from) return from;
  return today > latest ? latest : today;
}

async function callerZone(deps: ServiceDeps, actor: Actor): Promise<string> {
  const user = actor.userId ? await deps.store.users.get(actor.userId) : null;
  return user?.notify?.timezone ?? 'UTC';
}

async function readableRooms(deps: ServiceDeps, subject: Subject, projectId: string): Promise<string[]> {
  const visibility = await roomVisibility(deps, subject, projectId);
  return (await deps.store.rooms.listByProject(projectId)).map((room) => room.id).filter((id) => visibility.canRead(id));
}

async function namedMembers(deps: ServiceDeps, projectId: string): Promise<{ userId: string; name: string }[]> {
  const members = await allMembers(deps, projectId);
  const names = new Map((await deps.store.users.getMany(members.map((m) => m.userId))).map((u) => [u.id, u.name]));
  return members
    .map((m) => ({ userId: m.userId, name: names.get(m.userId) ?? '' }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** Day figures summed into the weeks (from Monday) that overlap the range; only the range's days count. */
function weekly(days: readonly Day[], created: (day: number) => number, completed: (day: number) => number): AnalyticsView['throughput'] {
  const first = mondayOf(days[0]!);
  const weeks: AnalyticsView['throughput'] = [];
  days.forEach((day, i) => {
    const index = Math.floor(daysBetween(first, day) / 7);
    weeks[index] ??= { week: addDays(first, index * 7), created: 0, completed: 0 };
    weeks[index].created += created(i);
    weeks[index].completed += completed(i);
  });
  return weeks;
}

function memberFigures(members: { userId: string; name: string }[], open: readonly OpenTasks[], completions: Completions): AnalyticsFigures['members'] {
  const openBy = new Map(open.map((o) => [o.assigneeId, o]));
  const completedBy = new Map(completions.byAssignee.map((c) => [c.assigneeId, c]));
  return members.map(({ userId, name }) => ({
    userId,
    name,
    assigned: openBy.get(userId)?.open ?? 0,
    completed: completedBy.get(userId)?.count ?? 0,
    overdue: openBy.get(userId)?.overdue ?? 0,
    cycleP50Ms: completedBy.get(userId)?.cycleP50 ?? null,
  }));
}

const sum = (values: readonly number[]): number => values.reduce((n, v) => n + v, 0);
