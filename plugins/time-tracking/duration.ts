// Durations as people type them in chat: 1h30m, 45m, 2h, 1.5h, 90 (minutes).

const FORM = /^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+)m(?:in)?)?$/i;
export const MAX_ENTRY_MINUTES = 7 * 24 * 60;

/** Whole minutes, or null when the text is not a duration from 1 minute to a week. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return inRange(Number(trimmed));
  const match = FORM.exec(trimmed);
  if (!match || (!match[1] && !match[2])) return null;
  const minutes = Math.round(Number(match[1] ?? 0) * 60) + Number(match[2] ?? 0);
  return inRange(minutes);
}

function inRange(minutes: number): number | null {
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_ENTRY_MINUTES ? minutes : null;
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
