// Limits on what people type, said where they type it, in the widget and the
// app page (app/field-limit.ts adds the app's limits to these): a counter
// once a value nears its limit, and a refusal as a sentence rather than a field
// that cuts a paste short (no `maxlength`) or a form that silently does
// nothing. The limits are the server's (docs/API.md), so nothing is refused here
// that the server would take.

import { html, nothing, type TemplateResult } from 'lit';

export interface Limit {
  /** How the sentence names the value: "The title". */
  label: string;
  max: number;
  /** At least one non-blank character. */
  required?: boolean;
}

/** A task's title: 1–200 characters once trimmed (POST /api/projects/:id/tasks). */
export const TITLE: Limit = { label: 'The title', max: 200, required: true };

/** A chat message: 1–4,000 characters once trimmed (POST /api/rooms/:id/messages); a blank one is simply not sent. */
export const MESSAGE: Limit = { label: 'The message', max: 4000 };

/** Why `value` cannot be sent, in a sentence; null when it can. Length as the server counts it: trimmed. */
export function refusal(value: string, limit: Limit): string | null {
  const length = value.trim().length;
  if (limit.required && !length) return `${limit.label} cannot be empty or only spaces.`;
  if (length > limit.max) return `${limit.label} is ${length} characters long; the limit is ${limit.max}. Shorten it by ${length - limit.max}.`;
  return null;
}

/** `170 / 200` once the value is within a fifth of its limit, marked when over it; nothing before. */
export function counter(value: string, limit: Limit, id?: string): TemplateResult | typeof nothing {
  const length = value.trim().length;
  if (length < limit.max * 0.8) return nothing;
  return html`<span id=${id ?? nothing} class="counter ${length > limit.max ? 'over' : ''}" part="counter" aria-live="polite">${length} / ${limit.max}</span>`;
}
