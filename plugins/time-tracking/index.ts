// Time tracking, built in: log time on a task from chat (`/task time 12 1h30m`)
// or with the timer in the task editor's panel, keep an estimate, and read a
// report per task and person. Everything lives in the task's own field
// (task.fields['time-tracking']), so it is in the feed, live in the widget,
// and exported with the task.

import { randomUUID } from 'node:crypto';
import { definePlugin, type PluginRequest, type RequestContext, type TaskView } from '../../core/plugins/sdk.js';
import { formatMinutes, MAX_ENTRY_MINUTES, parseDuration } from './duration.js';

interface Entry {
  id: string;
  userId: string;
  minutes: number;
  at: string;
  source: 'command' | 'timer' | 'panel';
}

interface Tracking {
  estimateMinutes: number | null;
  entries: Entry[];
  /** Running timers: user id → when it was started. */
  timers: Record<string, string>;
}

const MAX_ENTRIES = 2000;

const FIELD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['estimateMinutes', 'entries', 'timers'],
  properties: {
    estimateMinutes: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 },
    entries: {
      type: 'array',
      maxItems: MAX_ENTRIES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'userId', 'minutes', 'at', 'source'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 64 },
          userId: { type: 'string', minLength: 1, maxLength: 100 },
          minutes: { type: 'integer', minimum: 1, maximum: MAX_ENTRY_MINUTES },
          at: { type: 'string', format: 'date-time' },
          source: { enum: ['command', 'timer', 'panel'] },
        },
      },
    },
    timers: { type: 'object', maxProperties: 500, additionalProperties: { type: 'string', format: 'date-time' } },
  },
};

const NAME = 'time-tracking';

function trackingOf(task: TaskView): Tracking {
  const value = task.fields[NAME] as Tracking | undefined;
  return value ? structuredClone(value) : { estimateMinutes: null, entries: [], timers: {} };
}

function totalsByPerson(tracking: Tracking, from?: number, to?: number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of tracking.entries) {
    const at = Date.parse(entry.at);
    if ((from !== undefined && at < from) || (to !== undefined && at >= to)) continue;
    totals.set(entry.userId, (totals.get(entry.userId) ?? 0) + entry.minutes);
  }
  return totals;
}

function person(ctx: RequestContext): string {
  if (!ctx.actor) ctx.reject(403, 'Sign in to track time: anonymous visitors cannot.');
  return ctx.actor.userId;
}

async function addEntry(ctx: RequestContext, task: TaskView, minutes: number, source: Entry['source']): Promise<Tracking> {
  const tracking = trackingOf(task);
  if (tracking.entries.length >= MAX_ENTRIES) ctx.reject(409, `#${task.number} already has ${MAX_ENTRIES} time entries.`);
  tracking.entries.push({ id: randomUUID(), userId: person(ctx), minutes, at: new Date().toISOString(), source });
  await ctx.tasks.setField(task.id, tracking);
  return tracking;
}

async function summary(ctx: RequestContext, task: TaskView): Promise<string> {
  const tracking = trackingOf(task);
  const totals = totalsByPerson(tracking);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const estimate = tracking.estimateMinutes ? ` of ${formatMinutes(tracking.estimateMinutes)} estimated` : '';
  if (all === 0) return `#${task.number} ${task.title}: no time logged yet${estimate ? ` (${formatMinutes(tracking.estimateMinutes!)} estimated)` : ''}.`;
  const names = new Map((await ctx.members.list()).map((m) => [m.userId, m.name]));
  const lines = [...totals].sort((a, b) => b[1] - a[1]).map(([userId, minutes]) => `- ${names.get(userId) ?? 'a former member'}: ${formatMinutes(minutes)}`);
  return `#${task.number} ${task.title}: ${formatMinutes(all)} logged${estimate}\n${lines.join('\n')}`;
}

function taskNumber(ctx: RequestContext, word: string | undefined, usage: string): number {
  if (!word || !/^#?\d+$/.test(word)) ctx.reject(400, `Give the task's number. Usage: ${usage}`);
  return Number(word.replace('#', ''));
}

const TIME_USAGE = '/task time <number> [duration]';
const ESTIMATE_USAGE = '/task estimate <number> <duration>|none';

export default definePlugin({
  name: NAME,
  version: '1.0.0',
  description: 'Log time on tasks from chat or with a timer, keep estimates, and report time per task and person.',
  permissions: ['tasks:read', 'tasks:write', 'members:read'],
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      roundTimerTo: { type: 'integer', enum: [1, 5, 15], default: 1, description: 'timer entries are rounded up to this many minutes' },
    },
  },
  field: { schema: FIELD_SCHEMA },
  panel: { file: './panel.js', tag: 'taskwire-time-tracking', title: 'Time tracking' },
  commands: {
    time: {
      usage: TIME_USAGE,
      description: 'log time on a task (1h30m, 45m, 2h), or show its total per person',
      access: 'read',
      async run(ctx: RequestContext, args: string[]) {
        const number = taskNumber(ctx, args[0], TIME_USAGE);
        const task = await ctx.tasks.get(number);
        if (args.length === 1) return { text: await summary(ctx, task) };
        const minutes = parseDuration(args.slice(1).join(''));
        if (minutes === null) ctx.reject(400, `"${args.slice(1).join(' ')}" is not a duration from 1m to ${MAX_ENTRY_MINUTES / 60 / 24} days, like 1h30m, 45m or 2h. Usage: ${TIME_USAGE}`);
        // Reading is open to viewers; logging is a write, so the role is checked like any other write.
        if (!ctx.actor) ctx.reject(403, 'Connect your account to log time.');
        if (ctx.actor.role === 'viewer') ctx.reject(403, 'Your role (viewer) can read the time logged but not log time; ask a project admin for member access.');
        const tracking = await addEntry(ctx, task, minutes, 'command');
        const mine = totalsByPerson(tracking).get(ctx.actor.userId) ?? 0;
        return { text: `Logged ${formatMinutes(minutes)} on #${task.number} ${task.title} (you: ${formatMinutes(mine)} in all).`, public: true };
      },
    },
    estimate: {
      usage: ESTIMATE_USAGE,
      description: 'set or clear how long a task should take',
      async run(ctx: RequestContext, args: string[]) {
        const number = taskNumber(ctx, args[0], ESTIMATE_USAGE);
        const text = args.slice(1).join('');
        const minutes = /^(none|-)$/i.test(text) ? null : parseDuration(text);
        if (minutes === null && !/^(none|-)$/i.test(text)) ctx.reject(400, `Give a duration like 3h or 45m, or none. Usage: ${ESTIMATE_USAGE}`);
        const task = await ctx.tasks.get(number);
        const tracking = trackingOf(task);
        tracking.estimateMinutes = minutes;
        await ctx.tasks.setField(task.id, tracking);
        return { text: minutes ? `#${task.number} is estimated at ${formatMinutes(minutes)}.` : `#${task.number} has no estimate now.`, public: true };
      },
    },
  },
  routes: [
    {
      method: 'GET',
      path: '/projects/:projectId/report',
      summary: 'Time logged per task and person in [from, to) (admins and members; viewers too)',
      query: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: {
          from: { type: 'string', format: 'date-time', description: 'inclusive, ISO 8601' },
          to: { type: 'string', format: 'date-time', description: 'exclusive, ISO 8601' },
        },
      },
      async handler(ctx: RequestContext, { query }: PluginRequest) {
        const from = Date.parse(query['from'] as string);
        const to = Date.parse(query['to'] as string);
        if (!(to > from)) ctx.reject(400, 'to must be after from.');
        const names = new Map((await ctx.members.list()).map((m) => [m.userId, m.name]));
        const people = new Map<string, number>();
        const tasks: { taskId: string; number: number; title: string; status: string; estimateMinutes: number | null; totalMinutes: number; people: { userId: string; name: string | null; minutes: number }[] }[] = [];
        for await (const task of ctx.tasks.each()) {
          const tracking = trackingOf(task);
          const totals = totalsByPerson(tracking, from, to);
          if (totals.size === 0) continue;
          for (const [userId, minutes] of totals) people.set(userId, (people.get(userId) ?? 0) + minutes);
          tasks.push({
            taskId: task.id,
            number: task.number,
            title: task.title,
            status: task.status,
            estimateMinutes: tracking.estimateMinutes,
            totalMinutes: [...totals.values()].reduce((a, b) => a + b, 0),
            people: [...totals].map(([userId, minutes]) => ({ userId, name: names.get(userId) ?? null, minutes })).sort((a, b) => b.minutes - a.minutes),
          });
        }
        return {
          from: new Date(from).toISOString(),
          to: new Date(to).toISOString(),
          totalMinutes: [...people.values()].reduce((a, b) => a + b, 0),
          tasks: tasks.sort((a, b) => b.totalMinutes - a.totalMinutes || a.number - b.number),
          people: [...people].map(([userId, minutes]) => ({ userId, name: names.get(userId) ?? null, minutes })).sort((a, b) => b.minutes - a.minutes),
        };
      },
    },
    {
      method: 'POST',
      path: '/tasks/:taskId/entries',
      summary: 'Log time on the task for the caller',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['duration'],
        properties: { duration: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[0-9hmin. ]*[0-9][0-9hmin. ]*$', description: 'like 1h30m, 45m or 2h' } },
      },
      async handler(ctx: RequestContext, { params, body }: PluginRequest) {
        const minutes = parseDuration((body as { duration: string }).duration);
        if (minutes === null) ctx.reject(400, 'duration must be from 1m to 7 days, like 1h30m, 45m or 2h.');
        const task = await ctx.tasks.get(params['taskId']!);
        return addEntry(ctx, task, minutes, 'panel');
      },
    },
    {
      method: 'DELETE',
      path: '/tasks/:taskId/entries/:entryId',
      summary: 'Remove one of your own time entries',
      async handler(ctx: RequestContext, { params }: PluginRequest) {
        const task = await ctx.tasks.get(params['taskId']!);
        const tracking = trackingOf(task);
        const entry = tracking.entries.find((e) => e.id === params['entryId']);
        if (!entry) ctx.reject(404, 'There is no such time entry on this task.');
        if (entry.userId !== person(ctx)) ctx.reject(403, 'Only the person who logged time can remove it.');
        tracking.entries = tracking.entries.filter((e) => e.id !== entry.id);
        await ctx.tasks.setField(task.id, tracking);
        return tracking;
      },
    },
    {
      method: 'POST',
      path: '/tasks/:taskId/timer',
      summary: "Start or stop the caller's timer on the task; stopping logs the time",
      body: { type: 'object', additionalProperties: false, required: ['action'], properties: { action: { enum: ['start', 'stop'] } } },
      async handler(ctx: RequestContext, { params, body }: PluginRequest) {
        const userId = person(ctx);
        const task = await ctx.tasks.get(params['taskId']!);
        const tracking = trackingOf(task);
        const started = tracking.timers[userId];
        if ((body as { action: string }).action === 'start') {
          if (started) ctx.reject(409, 'Your timer on this task is already running.');
          tracking.timers[userId] = new Date().toISOString();
          await ctx.tasks.setField(task.id, tracking);
          return tracking;
        }
        if (!started) ctx.reject(409, 'Your timer on this task is not running.');
        delete tracking.timers[userId];
        const round = Number(ctx.settings['roundTimerTo'] ?? 1);
        const minutes = Math.min(MAX_ENTRY_MINUTES, Math.max(1, Math.ceil((Date.now() - Date.parse(started)) / 60_000 / round) * round));
        tracking.entries.push({ id: randomUUID(), userId, minutes, at: new Date().toISOString(), source: 'timer' });
        await ctx.tasks.setField(task.id, tracking);
        return tracking;
      },
    },
    {
      method: 'PUT',
      path: '/tasks/:taskId/estimate',
      summary: 'Set or clear the estimate',
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['minutes'],
        properties: { minutes: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 } },
      },
      async handler(ctx: RequestContext, { params, body }: PluginRequest) {
        const task = await ctx.tasks.get(params['taskId']!);
        const tracking = trackingOf(task);
        tracking.estimateMinutes = (body as { minutes: number | null }).minutes;
        await ctx.tasks.setField(task.id, tracking);
        return tracking;
      },
    },
  ],
});
