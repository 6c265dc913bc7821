// Small presentation helpers. User text only ever reaches the page through Lit
// text bindings (escaped by construction); links are built here from http(s)
// URLs only, as attribute bindings, never as markup.

import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]![0], words.at(-1)![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase() || '?';
}

/** A stable background colour per user: white text on it is over 5:1 whatever the hue (the same lightness in oklch). */
export function avatarColor(seed: string): string {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `oklch(50% 0.13 ${hash % 360})`;
}

export function avatar(userId: string, name: string, part = 'avatar'): TemplateResult {
  return html`<span class="avatar" part=${part} style=${styleMap({ background: avatarColor(userId) })} title=${name} role="img" aria-label=${name}>${initials(name)}</span>`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function dueLabel(iso: string): string {
  return dayFormat.format(new Date(iso));
}

export function isOverdue(dueAt: string | null, completedAt: string | null, now = Date.now()): boolean {
  return !!dueAt && !completedAt && Date.parse(dueAt) < now;
}

export function messageTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date();
  return date.toDateString() === today.toDateString() ? timeFormat.format(date) : `${dayFormat.format(date)}, ${timeFormat.format(date)}`;
}

export const fullTime = (iso: string): string => fullFormat.format(new Date(iso));

const pad = (n: number): string => String(n).padStart(2, '0');

/** `yyyy-mm-dd` for an <input type=date>, in local time. */
export function dateInputValue(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An <input type=date> value as the end of that local day, in ISO. */
export function dateFromInput(value: string): string | null {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return null;
  return new Date(y, m - 1, d, 23, 59, 0).toISOString();
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'|`]+/gi;

/** A URL safe to put in href: http or https only, after parsing. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Text with http(s) URLs as links; everything else (including anything that looks like markup) stays text. */
export function linkify(text: string): (string | TemplateResult)[] {
  const out: (string | TemplateResult)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // Trailing punctuation is usually the sentence's, not the URL's.
    const raw = match[0].replace(/[.,;:!?)\]]+$/, '');
    const start = match.index ?? 0;
    const href = safeHref(raw);
    if (!href) continue;
    if (start > last) out.push(text.slice(last, start));
    out.push(html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow ugc">${raw}</a>`);
    last = start + raw.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export const when = <T>(condition: unknown, render: () => T): T | typeof nothing => (condition ? render() : nothing);
