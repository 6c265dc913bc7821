// Limits on what people type, said where they type it: a counter once a value
// nears its limit, and a refusal as a sentence rather than a field that cuts a
// paste short (no `maxlength`) or a form that silently does nothing. The limits
// are the server's (the OpenAPI document's), so nothing is refused here that
// the server would take.

import { css, html, nothing } from '../src/index.js';

export interface Limit {
  /** How the sentence names the value: "The project name". */
  label: string;
  max: number;
  /** At least one non-blank character. */
  required?: boolean;
}

export const PROJECT_NAME: Limit = { label: 'The project name', max: 100, required: true };
export const EMAIL: Limit = { label: 'The address', max: 254, required: true };

/** Why `value` cannot be sent, in a sentence; null when it can. Length as the server counts it: trimmed. */
export function refusal(value: string, limit: Limit): string | null {
  const length = value.trim().length;
  if (limit.required && length === 0) return `${limit.label} cannot be empty or only spaces.`;
  if (length > limit.max) return `${limit.label} is ${length} characters long; the limit is ${limit.max}. Shorten it by ${length - limit.max}.`;
  return null;
}

/** `87 / 100` once the value is within a fifth of its limit, marked when over it; nothing before. */
export function counter(value: string, limit: Limit, id: string) {
  const length = value.trim().length;
  if (length < limit.max * 0.8) return nothing;
  return html`<span id=${id} class="counter ${length > limit.max ? 'over' : ''}" aria-live="polite">${length} / ${limit.max}</span>`;
}

/** The counter and the refusal, for the screens that use them. */
export const limitStyles = css`
  .counter {
    font-size: 11px;
    color: var(--_muted);
    white-space: nowrap;
  }
  .counter.over {
    color: var(--_danger);
    font-weight: 600;
  }
  .refusal {
    margin: 6px 0 0;
    color: var(--_danger);
    font-size: 13px;
  }
`;
