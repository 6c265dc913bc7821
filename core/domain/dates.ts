// Calendar dates as people type them in chat ("friday", "+3d", "2026-12-01"),
// resolved against an explicit `now` in UTC so the same input always means the
// same day in every transport and every test.

/** A calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string;

export type DateParse = { ok: true; date: CalendarDate } | { ok: false; message: string };

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const SHORT_WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, tues: 2, wed: 3, thu: 4, thur: 4, thurs: 4, fri: 5, sat: 6 };
const DAY_MS = 86_400_000;
/** Far enough for any plan, small enough that `+N` never leaves the four-digit years ISO strings assume. */
const MAX_OFFSET_DAYS = 3650;

export const DATE_FORMS = 'YYYY-MM-DD, today, tomorrow, a weekday (friday, fri) or an offset (+3d, +2w)';

function startOfUtcDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

export function formatDate(ms: number): CalendarDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function weekdayIndex(word: string): number | undefined {
  const full = WEEKDAYS.indexOf(word as (typeof WEEKDAYS)[number]);
  return full >= 0 ? full : SHORT_WEEKDAYS[word];
}

/**
 * Weekday names mean their next occurrence strictly after today: on a Friday,
 * "friday" is a week ahead (say "today" for today), as people mean it when planning.
 */
export function parseDate(input: string, now: Date): DateParse {
  const word = input.trim().toLowerCase();
  const today = startOfUtcDay(now);
  if (word === 'today') return { ok: true, date: formatDate(today) };
  if (word === 'tomorrow' || word === 'tmrw') return { ok: true, date: formatDate(today + DAY_MS) };

  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(word);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const ms = Date.UTC(year, month - 1, day);
    // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
    if (year < 1970 || formatDate(ms) !== word) return { ok: false, message: `"${input}" is not a real calendar date.` };
    return { ok: true, date: word };
  }

  const offset = /^\+(\d{1,4})([dw])$/.exec(word);
  if (offset) {
    const days = Number(offset[1]) * (offset[2] === 'w' ? 7 : 1);
    if (days > MAX_OFFSET_DAYS) return { ok: false, message: `"${input}" is too far ahead; use at most ${MAX_OFFSET_DAYS} days.` };
    return { ok: true, date: formatDate(today + days * DAY_MS) };
  }

  const weekday = weekdayIndex(word);
  if (weekday !== undefined) {
    const ahead = (weekday - new Date(today).getUTCDay() + 7) % 7 || 7;
    return { ok: true, date: formatDate(today + ahead * DAY_MS) };
  }
  return { ok: false, message: `"${input}" is not a date I understand; use ${DATE_FORMS}.` };
}

/** The stored form of a due date: midnight UTC of that day, as `new Date('YYYY-MM-DD')` reads it. */
export function dueAtOf(date: CalendarDate): string {
  return `${date}T00:00:00.000Z`;
}
