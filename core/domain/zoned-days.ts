// Calendar days and weeks in a time zone, as instants: analytics count by the
// days people live in, so a day is from one local midnight to the next (23 or
// 25 hours across a daylight-saving change) and weeks start on Monday.

import { localDate, zoneOffset } from './notify.js';

/** A calendar date, `YYYY-MM-DD`. */
export type Day = string;

const DAY_MS = 86_400_000;

const dayNumber = (day: Day): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number): Day => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const n = dayNumber(text);
  return Number.isFinite(n) && dayOf(n) === text;
}

export function addDays(day: Day, days: number): Day {
  return dayOf(dayNumber(day) + days);
}

/** Days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: Day, b: Day): number {
  return dayNumber(b) - dayNumber(a);
}

/** The Monday of the week `day` is in. */
export function mondayOf(day: Day): Day {
  // Day 0 of the epoch, 1970-01-01, was a Thursday.
  const n = dayNumber(day);
  return dayOf(n - ((((n + 3) % 7) + 7) % 7));
}

/** The first instant (epoch ms) whose local date in `timeZone` is `day`. */
export function startOfDay(day: Day, timeZone: string): number {
  const wall = dayNumber(day) * DAY_MS;
  // Two passes settle the offset on either side of a change; a midnight the clocks skip needs the search below.
  let at = wall - zoneOffset(wall, timeZone);
  at = wall - zoneOffset(at, timeZone);
  if (localDate(at, timeZone) === day && localDate(at - 1000, timeZone) < day) return at;
  // Offsets stay within ±15 hours: search that window, to the second, for where the date turns.
  let low = wall - 15 * 3_600_000;
  let high = wall + 15 * 3_600_000;
  while (high - low > 1000) {
    const mid = low + Math.floor((high - low) / 2000) * 1000;
    if (localDate(mid, timeZone) >= day) high = mid;
    else low = mid;
  }
  return high;
}

/** The days `from` to `to` (both included) and the instants between them: bounds[i] starts days[i], the last bound ends the last day. */
export function zonedDays(from: Day, to: Day, timeZone: string): { days: Day[]; bounds: number[] } {
  const days = Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
  const bounds: number[] = [];
  let offset: number | null = null;
  for (const day of [...days, addDays(to, 1)]) {
    const wall = dayNumber(day) * DAY_MS;
    // Offsets change a few times a year: the previous day's usually holds, and one lookup confirms it.
    let at: number = offset === null ? NaN : wall - offset;
    if (offset === null || zoneOffset(at, timeZone) !== offset) {
      at = startOfDay(day, timeZone);
      offset = wall - at;
    }
    bounds.push(at);
  }
  return { days, bounds };
}

/** The index of the period of `bounds` that `at` falls in ([bounds[i], bounds[i+1])), or -1 outside them all. */
export function periodOf(at: number, bounds: readonly number[]): number {
  if (at < bounds[0]! || at >= bounds[bounds.length - 1]!) return -1;
  let low = 0;
  let high = bounds.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (bounds[mid]! <= at) low = mid;
    else high = mid;
  }
  return low;
}
