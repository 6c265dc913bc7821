// The analytics answer (API.md "Analytics"): the figures a service computed,
// rounded as the contract says and shaped for the wire. The schema is the
// OpenAPI document's description of the response.

import { z } from 'zod';
import { rounded } from '../domain/percentiles.js';
import type { Distribution } from '../store/ports.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('a calendar day in the range\'s time zone, YYYY-MM-DD');
const count = z.number().int().min(0);
const hoursOrNull = z.number().min(0).nullable().describe('hours, 2 decimals; null when count is 0');

const Percentiles = z.object({ count, p50: hoursOrNull, p85: hoursOrNull, p95: hoursOrNull });

export const AnalyticsView = z.object({
  range: z.object({ from: day, to: day, tz: z.string().describe('IANA time zone name') }),
  throughput: z.array(z.object({ week: day.describe('the Monday of the week'), created: count, completed: count })),
  cycleTime: Percentiles.describe('tasks completed inside the range: from first leaving the first column to completedAt'),
  leadTime: Percentiles.describe('tasks completed inside the range: from creation to completedAt'),
  wip: z.array(z.object({ status: z.string(), count })).describe('every column, in board order, with its tasks now'),
  overdue: count.describe('tasks not done whose dueAt has passed'),
  completionRate: z.number().min(0).max(1).nullable().describe('of the tasks created inside the range, the share completed now; 4 decimals'),
  cumulativeFlow: z.array(z.object({ day, counts: z.record(z.string(), count).describe('every current column, 0 included') })),
  members: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      assigned: count.describe('open tasks assigned now'),
      completed: count.describe('tasks completed inside the range and assigned to them now'),
      overdue: count,
      cycleTimeP50: hoursOrNull.describe('hours, 2 decimals, over their tasks counted in completed; null when none'),
    }),
  ),
  chat: z.object({
    messagesPerDay: z.array(z.object({ day, count })),
    tasksFromChat: count,
    medianFirstReplyMinutes: z.number().min(0).nullable().describe('1 decimal; null when no turn inside the range was answered'),
  }),
});
export type AnalyticsView = z.infer<typeof AnalyticsView>;

/** What the service measured, unrounded: durations in milliseconds. */
export interface AnalyticsFigures {
  range: AnalyticsView['range'];
  throughput: AnalyticsView['throughput'];
  cycleTime: Distribution;
  leadTime: Distribution;
  wip: AnalyticsView['wip'];
  overdue: number;
  created: number;
  createdAndCompleted: number;
  cumulativeFlow: AnalyticsView['cumulativeFlow'];
  members: (Omit<AnalyticsView['members'][number], 'cycleTimeP50'> & { cycleP50Ms: number | null })[];
  messagesPerDay: AnalyticsView['chat']['messagesPerDay'];
  tasksFromChat: number;
  /** The median (nearest rank) wait of an answered turn, null when none was. */
  medianReplyMs: number | null;
}

const HOUR_MS = 3_600_000;

const hours = (ms: number | null) => (ms === null ? null : rounded(ms / HOUR_MS, 2));

function inHours(d: Distribution): AnalyticsView['cycleTime'] {
  return { count: d.count, p50: hours(d.p50), p85: hours(d.p85), p95: hours(d.p95) };
}

export function presentAnalytics(f: AnalyticsFigures): AnalyticsView {
  return {
    range: f.range,
    throughput: f.throughput,
    cycleTime: inHours(f.cycleTime),
    leadTime: inHours(f.leadTime),
    wip: f.wip,
    overdue: f.overdue,
    completionRate: f.created === 0 ? null : rounded(f.createdAndCompleted / f.created, 4),
    cumulativeFlow: f.cumulativeFlow,
    members: f.members.map(({ cycleP50Ms, ...member }) => ({ ...member, cycleTimeP50: hours(cycleP50Ms) })),
    chat: { messagesPerDay: f.messagesPerDay, tasksFromChat: f.tasksFromChat, medianFirstReplyMinutes: f.medianReplyMs === null ? null : rounded(f.medianReplyMs / 60_000, 1) },
  };
}
