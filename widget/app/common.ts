// What the app page's parts share: the signed-in account's shape, the keys it
// keeps in localStorage, the API's error in words, times, and the events the
// sign-in card and the link pages send up to <taskwire-app>.

import { ApiError } from '../src/index.js';
import type { MeView, RegistrationOptionsView } from '../../core/presenters/views.js';

export const SESSION_KEY = 'taskwire.session';
/** The last address signed in with, so a returning person finds it filled in. */
export const EMAIL_KEY = 'taskwire.email';

export type Account = Pick<MeView, 'id' | 'name' | 'email' | 'isAdmin' | 'verified'>;
export type AuthOptions = RegistrationOptionsView;

/** `taskwire-session`: signed in or up. `joined`: signed up through an invite link, so already in its project. */
export interface SessionDetail {
  token: string;
  user: Account;
  joined: boolean;
}

/** The pages mailed links (and `/task connect`) open; the server serves the app page at these paths. */
export type LinkKind = 'invite' | 'reset-password' | 'verify-email' | 'connect';

/**
 * `taskwire-link`: a link page is done (`projectId` for an accepted invite, `said` what a connected chat
 * account is), or its reader wants another account.
 */
export interface LinkDetail {
  kind: LinkKind;
  outcome: 'done' | 'sign-out';
  projectId?: string;
  said?: string;
}

/**
 * The server's words for an error: the details' messages (prefixed with their field, except a link's token,
 * whose message says it all), else the message.
 */
export function messageOf(error: unknown): string {
  const details = error instanceof ApiError ? error.details.filter((d) => d.message) : [];
  if (details.length) return details.map((d) => (d.path && !/token$/i.test(d.path) ? `${d.path}: ${d.message}` : d.message)).join(' ');
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** Lit `properties` for internal reactive state: `states('a b')` is `{a: {state: true}, b: {state: true}}`. */
export const states = (names: string): Record<string, { state: true }> => Object.fromEntries(names.split(' ').map((name) => [name, { state: true }]));

/** Short for encodeURIComponent (ids in API paths and hashes). */
export const enc = encodeURIComponent;

export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

export function emit<T>(from: HTMLElement, type: string, detail: T): void {
  from.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}
