// The Insights tab's range: two calendar days (YYYY-MM-DD, both included) in the
// browser's time zone, the presets, and the picker that edits them. Days are
// calendar dates, not instants: they are computed on UTC midnights so a
// daylight-saving change never shifts one.

import { html } from '../src/index.js';

export interface DayRange {
  from: string;
  to: string;
}

/** The IANA zone the API counts days and weeks in: the browser's own. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Today's calendar day in `tz`. */
export function todayIn(tz: string, now = new Date()): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const asDate = (day: string): Date => new Date(`${day}T00:00:00Z`);
const asDay = (date: Date): string => date.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const date = asDate(day);
  date.setUTCDate(date.getUTCDate() + days);
  return asDay(date);
}

/** The same day `months` later (earlier when negative); a day the month lacks (31 April) becomes its last. */
export function addMonths(day: string, months: number): string {
  const date = asDate(day);
  const wanted = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(wanted, last));
  return asDay(date);
}

export interface Preset {
  key: string;
  label: string;
  /** The first day of a range that ends on `to`. */
  from(to: string): string;
}

// Each preset spans exactly what it names, today included: 4 weeks are 28 days.
export const PRESETS: readonly Preset[] = [
  { key: '4w', label: 'Last 4 weeks', from: (to) => addDays(to, -27) },
  { key: '12w', label: '12 weeks', from: (to) => addDays(to, -83) },
  { key: '6m', label: '6 months', from: (to) => addDays(addMonths(to, -6), 1) },
  { key: '1y', label: '1 year', from: (to) => addDays(addMonths(to, -12), 1) },
];

/** What the tab opens on: twelve weeks to today, the API's own default. */
export const DEFAULT_PRESET = PRESETS[1]!;

export function presetRange(preset: Preset, tz: string): DayRange {
  const to = todayIn(tz);
  return { from: preset.from(to), to };
}

/** The preset `range` is, if it is one (it ends today). */
export function presetOf(range: DayRange, tz: string): Preset | undefined {
  return range.to === todayIn(tz) ? PRESETS.find((p) => p.from(range.to) === range.from) : undefined;
}

/**
 * The presets as buttons (the current one pressed) and a small form with the two days; `choose` gets the
 * new range. The form sends what it holds as it is: the server's rules on ranges are the ones shown.
 */
export function renderRangePicker(range: DayRange, tz: string, choose: (range: DayRange) => void) {
  const current = presetOf(range, tz);
  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    choose({ from: String(data.get('from') ?? ''), to: String(data.get('to') ?? '') });
  };
  return html`<div class="range" role="group" aria-label="Range">
    <div class="presets">
      ${PRESETS.map(
        (p) => html`<button type="button" class="btn preset" data-preset=${p.key} aria-pressed=${p === current ? 'true' : 'false'} @click=${() => choose(presetRange(p, tz))}>
          ${p.label}
        </button>`,
      )}
    </div>
    <form class="days" novalidate @submit=${submit}>
      <label>From <input type="date" name="from" required .value=${range.from} /></label>
      <label>To <input type="date" name="to" required .value=${range.to} /></label>
      <button class="btn apply">Show</button>
    </form>
    <span class="tz hint">Days in ${tz}</span>
  </div>`;
}
