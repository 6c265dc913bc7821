// User records: one builder for every way an account comes to exist (sign-up,
// the CLI, embed visitors, the chat bot), and the insert for accounts keyed by
// an external reference, where two first requests may race.

import type { User } from '../domain/entities.js';
import { NOTIFY_DEFAULTS, NOTIFY_NONE } from '../domain/notify.js';
import { StoreDuplicateError } from '../store/errors.js';
import { commit, type ServiceDeps } from './deps.js';


export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function buildUser(
  deps: ServiceDeps,
  fields: { email: string; name: string; passwordHash: string | null; isAdmin?: boolean; externalRef?: string | null; verified?: boolean },
): User {
  const now = deps.now().toISOString();
  const external = fields.externalRef ?? null;
  return {
    id: deps.newId(),
    email: fields.email,
    name: fields.name,
    passwordHash: fields.passwordHash,
    isAdmin: fields.isAdmin ?? false,
    disabled: false,
    verified: fields.verified ?? false,
    // People who signed up get notifications; accounts made for them (embeds, bots) have no inbox of theirs.
    notify: structuredClone(external ? NOTIFY_NONE : NOTIFY_DEFAULTS),
    externalRef: external,
    createdAt: now,
    updatedAt: now,
  };
}

/** Inserts a user with an externalRef, or returns the one a concurrent request inserted first. */
export async function insertExternalUser(deps: ServiceDeps, user: User & { externalRef: string }): Promise<User> {
  try {
    await commit(deps, { projectId: null }, (uow) => uow.insert('users', user));
    return user;
  } catch (error) {
    const winner = error instanceof StoreDuplicateError ? await deps.store.users.getByExternalRef(user.externalRef) : null;
    if (winner) return winner;
    throw error;
  }
}
