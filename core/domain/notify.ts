// Notification rules that need no I/O: default preferences, reading stored
// ones, when a reminder is due, who a chat message mentions, and times in a
// person's own timezone.

import { mentionKeys, type Person } from './commands.js';
import type { NotificationEvent, NotifyPrefs, Task } from './entities.js';

export const REMIND_BEFORE_MAX_MINUTES = 10_080;

/** People who signed up hear about their work; digest is opt-in. */
export const NOTIFY_DEFAULTS: NotifyPrefs = {
  assigned: true,
  dueSoon: true,
  overdue: true,
  mentioned: true,
  digest: false,
  remindBefore: 1440,
  timezone: 'UTC',
  channels: { email: true, slack: true, discord: true },
};

/** Accounts made for someone else (embed visitors, chat guests) have no inbox to fill. */
export const NOTIFY_NONE: NotifyPrefs = {
  assigned: false,
  dueSoon: false,
  overdue: false,
  mentioned: false,
  digest: false,
  remindBefore: 0,
  timezone: 'UTC',
  channels: { email: false, slack: false, discord: false },
};

/** The hour of the day (local) the digest goes out. */
export const DIGEST_HOUR = 8;

/**
 * A user's preferences as stored: accounts written before the preferences grew
 * kept `{email, assignments, reminders}`; read them as the same choices.
 */
export function readNotifyPrefs(stored: unknown): NotifyPrefs {
  const raw = (stored ?? {}) as Record<string, unknown>;
  if (!('assigned' in raw) && ('assignments' in raw || 'reminders' in raw)) {
    const flag = (key: string) => raw[key] !== false;
    return {
      ...NOTIFY_DEFAULTS,
      assigned: flag('assignments'),
      dueSoon: flag('reminders'),
      overdue: flag('reminders'),
      channels: { ...NOTIFY_DEFAULTS.channels, email: flag('email') },
    };
  }
  const prefs = raw as Partial<NotifyPrefs>;
  return { ...NOTIFY_DEFAULTS, ...prefs, channels: { ...NOTIFY_DEFAULTS.channels, ...prefs.channels } };
}

type Optional<T> = { [K in keyof T]?: T[K] | undefined };

/** What `PATCH /api/me {notify}` may carry: any subset, channels too. */
export type NotifyPatch = Optional<Omit<NotifyPrefs, 'channels'>> & { channels?: Optional<NotifyPrefs['channels']> | undefined };

/** A partial `notify` merged into the current one (channels merge too). */
export function mergeNotifyPrefs(current: NotifyPrefs, patch: NotifyPatch): NotifyPrefs {
  const defined = Object.fromEntries(Object.entries(patch).filter(([key, value]) => value !== undefined && key !== 'channels'));
  const channels = Object.fromEntries(Object.entries(patch.channels ?? {}).filter(([, value]) => value !== undefined));
  return { ...current, ...defined, channels: { ...current.channels, ...channels } };
}

export function isTimeZone(name: string): boolean {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

export type ReminderEvent = Extract<NotificationEvent, 'due_soon' | 'overdue'>;

export interface Reminder {
  event: ReminderEvent;
  userId: string;
  /** Epoch milliseconds when it is due. */
  at: number;
}

/**
 * The reminders a task owes its assignee under their preferences: `due_soon`
 * at dueAt - remindBefore (when remindBefore > 0), `overdue` at dueAt. None
 * for a done or unassigned task or one without a due date.
 */
export function remindersFor(task: Pick<Task, 'assigneeId' | 'dueAt' | 'completedAt'>, prefs: NotifyPrefs): Reminder[] {
  if (!task.assigneeId || !task.dueAt || task.completedAt) return [];
  const due = Date.parse(task.dueAt);
  const reminders: Reminder[] = [];
  if (prefs.dueSoon && prefs.remindBefore > 0) reminders.push({ event: 'due_soon', userId: task.assigneeId, at: due - prefs.remindBefore * 60_000 });
  if (prefs.overdue) reminders.push({ event: 'overdue', userId: task.assigneeId, at: due });
  return reminders;
}

/**
 * The people a chat message mentions with `@name`: only exact matches (an
 * email, its local part, a full name or a name word) that name one person, so
 * a prefix never notifies the wrong one.
 */
export function mentionedPeople(text: string, people: readonly Person[]): Person[] {
  const found = new Map<string, Person>();
  for (const match of text.matchAll(/(?:^|[^\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g)) {
    const needle = match[1]!.toLowerCase().replace(/[.]+$/, '');
    const named = people.filter((p) => mentionKeys(p).includes(needle));
    if (named.length === 1) found.set(named[0]!.id, named[0]!);
  }
  return [...found.values()];
}

// Building an Intl.DateTimeFormat costs a fraction of a millisecond, more than the formatting itself; reminders
// format thousands of times a minute in a handful of zones, so each is built once per zone.
const partsFormats = new Map<string, Intl.DateTimeFormat>();
const textFormats = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions, locale: string): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(timeZone, format);
  }
  return format;
}

/** The offset of `timeZone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
export function zoneOffset(at: number, timeZone: string): number {
  const parts = cached(
    partsFormats,
    timeZone,
    { hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    'en-US',
  ).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(at / 1000) * 1000;
}

/** The local calendar date at `at` in `timeZone`, as YYYY-MM-DD. */
export function localDate(at: number, timeZone: string): string {
  return new Date(at + zoneOffset(at, timeZone)).toISOString().slice(0, 10);
}

/** The first instant after `after` when the clock in `timeZone` shows `hour`:00. */
export function nextLocalHour(after: number, timeZone: string, hour: number): number {
  const today = Date.parse(`${localDate(after, timeZone)}T00:00:00Z`);
  for (let day = 0; day <= 2; day++) {
    const wall = today + day * 86_400_000 + hour * 3_600_000;
    // Two passes settle the offset around a daylight-saving change.
    let at = wall - zoneOffset(wall, timeZone);
    at = wall - zoneOffset(at, timeZone);
    if (at > after) return at;
  }
  return after + 86_400_000;
}

/** A time for a person: "Tue 1 Dec 2026, 17:00 (Europe/Paris)". */
export function formatLocalTime(at: number, timeZone: string): string {
  const text = cached(
    textFormats,
    timeZone,
    { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    'en-GB',
  ).format(new Date(at));
  return `${text} (${timeZone})`;
}

/**
 * The identity of each notification: one person hears about one thing once.
 * The store derives the notification's id from it, so recording it again is a
 * duplicate key, whoever records it and however often.
 */
export const notificationKey = {
  assigned: (taskId: string, assignedAt: string, userId: string) => `assigned|${taskId}|${assignedAt}|${userId}`,
  reminder: (event: ReminderEvent, taskId: string, dueAt: string, userId: string) => `${event}|${taskId}|${dueAt}|${userId}`,
  mentioned: (messageId: string, userId: string) => `mentioned|${messageId}|${userId}`,
  digest: (userId: string, day: string) => `digest|${userId}|${day}`,
  test: (userId: string, nonce: string) => `test|${userId}|${nonce}`,
  webhookDisabled: (webhookId: string, since: string, userId: string) => `webhook_disabled|${webhookId}|${since}|${userId}`,
};
