// What instance admins do: find and manage accounts (disable, make admin, mark
// verified, send a reset link, create one when sign-up is closed), set the
// registration policy, and read the audit log and the instance's figures.
// Every action is written to the audit log in the same unit of work.

import type { Actor, UserActor } from '../domain/actor.js';
import type { Registration, User } from '../domain/entities.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import {
  isDisabled,
  isVerified,
  presentAdminUser,
  presentAudit,
  presentSettings,
  type AdminUserView,
  type AuditView,
  type SettingsView,
} from '../presenters/index.js';
import { StoreDuplicateError } from '../store/errors.js';
import type { Page, PageRequest } from '../store/ports.js';
import { auditEntry, type Request } from './audit.js';
import { commit } from './deps.js';
import { sendPasswordReset } from './recovery.js';
import { currentRegistration, INSTANCE_SETTINGS_ID, settingsRecord, type AccountDeps } from './registration.js';
import { announceRevoked } from './revocation.js';
import { buildUser, normalizeEmail } from './users.js';

export function requireInstanceAdmin(actor: Actor): UserActor {
  if (actor.kind !== 'user' || !actor.isAdmin) throw new ForbiddenError('Only instance administrators may do this.');
  return actor;
}

async function targetUser(deps: AccountDeps, userId: string): Promise<User> {
  const user = await deps.store.users.get(userId);
  if (!user) throw new NotFoundError('User not found.');
  return user;
}

export async function listUsers(deps: AccountDeps, actor: Actor, q: string | undefined, page: PageRequest): Promise<Page<AdminUserView>> {
  requireInstanceAdmin(actor);
  const result = q ? await deps.store.users.search(q.trim().toLowerCase(), page) : await deps.store.users.list(page);
  return { items: result.items.map(presentAdminUser), nextCursor: result.nextCursor };
}

export interface UserPatch {
  disabled?: boolean | undefined;
  isAdmin?: boolean | undefined;
  verified?: boolean | undefined;
}

/** Disabling ends every token and socket of the account at once; an admin cannot lock themselves out. */
export async function updateUser(deps: AccountDeps, actor: Actor, userId: string, patch: UserPatch, request: Request): Promise<AdminUserView> {
  const admin = requireInstanceAdmin(actor);
  const user = await targetUser(deps, userId);
  if (user.id === admin.userId && (patch.disabled === true || patch.isAdmin === false)) {
    throw new ConflictError('You cannot disable yourself or take away your own admin rights; ask another administrator.');
  }
  const updated: User = {
    ...user,
    disabled: patch.disabled ?? isDisabled(user),
    isAdmin: patch.isAdmin ?? user.isAdmin,
    verified: patch.verified ?? isVerified(user),
    updatedAt: deps.now().toISOString(),
  };
  const cut = patch.disabled === true && !isDisabled(user) ? await deps.store.tokens.listByUser(user.id) : [];
  const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  await commit(deps, { projectId: null }, (uow) => {
    uow.replace('users', updated, { updatedAt: user.updatedAt });
    cut.forEach((t) => uow.remove('tokens', t.id));
    uow.insert('audit', auditEntry(deps, actor, 'user.updated', user.id, { email: user.email, ...changes }, request));
  });
  await announceRevoked(deps, cut.map((t) => t.id));
  return presentAdminUser(updated);
}

export async function adminPasswordReset(deps: AccountDeps, actor: Actor, userId: string, request: Request): Promise<void> {
  requireInstanceAdmin(actor);
  const user = await targetUser(deps, userId);
  if (isDisabled(user)) throw new ConflictError('This account is disabled; enable it first.');
  await commit(deps, { projectId: null }, (uow) =>
    uow.insert('audit', auditEntry(deps, actor, 'user.password_reset_sent', user.id, { email: user.email }, request)),
  );
  await sendPasswordReset(deps, user);
}

/** When sign-up is closed, admins make accounts: the person sets a password through a reset link. */
export async function createUser(deps: AccountDeps, actor: Actor, input: { email: string; name: string; isAdmin?: boolean | undefined }, request: Request): Promise<AdminUserView> {
  requireInstanceAdmin(actor);
  const email = normalizeEmail(input.email);
  const user = buildUser(deps, { email, name: input.name.trim(), passwordHash: null, isAdmin: input.isAdmin ?? false });
  try {
    await commit(deps, { projectId: null }, (uow) => {
      uow.insert('users', user);
      uow.insert('audit', auditEntry(deps, actor, 'user.created', user.id, { email, isAdmin: user.isAdmin }, request));
    });
  } catch (error) {
    if (error instanceof StoreDuplicateError && error.collection === 'users') throw new ConflictError('An account with this email already exists.');
    throw error;
  }
  await sendPasswordReset(deps, user);
  return presentAdminUser(user);
}

export async function getSettings(deps: AccountDeps, actor: Actor): Promise<SettingsView> {
  requireInstanceAdmin(actor);
  const stored = await deps.store.settings.get(INSTANCE_SETTINGS_ID);
  return stored ? presentSettings(stored) : { registration: await currentRegistration(deps), updatedAt: null, updatedBy: null };
}

export async function updateSettings(deps: AccountDeps, actor: Actor, patch: { registration: Registration }, request: Request): Promise<SettingsView> {
  const admin = requireInstanceAdmin(actor);
  const stored = await deps.store.settings.get(INSTANCE_SETTINGS_ID);
  const before = stored?.registration ?? deps.registration;
  const next = settingsRecord(patch.registration, deps.now().toISOString(), admin.userId);
  await commit(deps, { projectId: null }, (uow) => {
    if (stored) uow.replace('settings', next, { updatedAt: stored.updatedAt });
    else uow.insert('settings', next);
    uow.insert('audit', auditEntry(deps, actor, 'settings.updated', null, { registration: { from: before, to: patch.registration } }, request));
  });
  return presentSettings(next);
}

export async function listAudit(deps: AccountDeps, actor: Actor, page: PageRequest): Promise<Page<AuditView>> {
  requireInstanceAdmin(actor);
  const result = await deps.store.audit.list(page);
  return { items: result.items.map(presentAudit), nextCursor: result.nextCursor };
}
