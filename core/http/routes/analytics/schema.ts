import { z } from 'zod';
import { CalendarDay, TimeZone } from '../common.js';

export const AnalyticsQuery = z.object({
  // JSON Schema cannot tie one parameter to another: the extension says `from` is at most `to` and 731 days before it.
  from: CalendarDay.optional()
    .describe('first day of the range, in tz; at most `to` and 730 days before it; default: 83 days before to')
    .meta({ 'x-range-end': 'to', 'x-range-max-days': 731 }),
  to: CalendarDay.optional().describe('last day of the range, in tz; default: today there, but not before from nor more than 730 days after it'),
  tz: TimeZone.optional().describe("IANA time zone the days follow; default: the caller's notify.timezone"),
});
