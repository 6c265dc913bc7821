// One-time links for accounts (password reset, address check) and invites: a
// random token goes into the link, only its SHA-256 is stored, with an expiry;
// using it removes the record, so it works once.

import type { AuthToken, AuthTokenKind } from '../domain/entities.js';
import { DeadLinkError } from '../errors.js';
import { hashToken, newToken } from './credentials.js';
import type { ServiceDeps } from './deps.js';

export const LINK_LIFETIME_MS = {
  password_reset: 30 * 60_000,
  verify_email: 3 * 24 * 3_600_000,
  invite: 7 * 24 * 3_600_000,
} as const;

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = newToken('twl');
  return { token, tokenHash: hashToken(token) };
}

export function buildAuthToken(deps: ServiceDeps, kind: AuthTokenKind, userId: string): { token: string; record: AuthToken } {
  const { token, tokenHash } = newLinkToken();
  const now = deps.now();
  return {
    token,
    record: { id: deps.newId(), kind, userId, tokenHash, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS[kind]).toISOString() },
  };
}

export const invalidLink = (path = 'token'): DeadLinkError =>
  new DeadLinkError(path, 'This link is not valid any more: it was used, it expired, or a newer one replaced it.');

/** The live record behind a link's token, or the one 404 every bad link gets (unknown, used, expired, other kind). */
export async function liveAuthToken(deps: ServiceDeps, kind: AuthTokenKind, token: string): Promise<AuthToken> {
  const record = await deps.store.authTokens.getByHash(hashToken(token));
  if (!record || record.kind !== kind || Date.parse(record.expiresAt) <= deps.now().getTime()) throw invalidLink();
  return record;
}
