// Accounts and sessions: register, log in, log out, the caller's profile and
// personal API tokens.

import type { RequestActor, UserActor } from '../domain/actor.js';
import { ConflictError, DeadLinkError, NotFoundError, UnauthenticatedError } from '../errors.js';
import { isDisabled, presentMe, presentToken, type MeView, type TokenView } from '../presenters/index.js';
import type { Token, User } from '../store/entities.js';
import { mergeNotifyPrefs, readNotifyPrefs, type NotifyPatch } from '../domain/notify.js';
import { StoreDuplicateError } from '../store/errors.js';
import { decoyHash, hashPassword, hashToken, newToken, verifyPassword } from './credentials.js';
import { commit, type ServiceDeps } from './deps.js';
import { buildUser } from './users.js';
import { joinByInvite, liveInvite, requireInvitedAddress } from './invites.js';
import { sendVerification } from './recovery.js';
import { FIRST_ADMIN_MARKER_ID, requireOpenRegistration, settingsRecord, type AuthDeps } from './registration.js';
import { announceRevoked } from './revocation.js';
import { normalizeEmail } from './users.js';

/** Sessions last 30 days from login. */
const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

export type { AuthDeps } from './registration.js';

export interface Session {
  user: MeView;
  token: string;
}

export { normalizeEmail } from './users.js';

function sessionToken(deps: ServiceDeps, userId: string): { token: string; record: Token } {
  const token = newToken('tws');
  const now = deps.now();
  return {
    token,
    record: {
      id: deps.newId(),
      userId,
      kind: 'session',
      name: 'session',
      tokenHash: hashToken(token),
      createdAt: now.toISOString(),
      lastUsedAt: null,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    },
  };
}

export interface Registration {
  email: string;
  name: string;
  password: string;
  /** The token of an invite link: signs up under any policy, for the invited address, and joins its project. */
  inviteToken?: string | undefined;
}

/**
 * Who may sign up: the first person on an empty instance (who becomes its
 * admin), anyone with a live invite link for the address they register, and
 * everyone else only while the policy is `open`.
 */
export async function register(deps: AuthDeps, input: Registration, clientIp: string): Promise<Session> {
  await deps.throttle.beforeRegister(clientIp);
  const email = normalizeEmail(input.email);
  const invite = input.inviteToken ? await liveInvite(deps, input.inviteToken).catch(() => Promise.reject(invalidInvite())) : null;
  if (invite) requireInvitedAddress(invite, email);
  if (await deps.store.users.getByEmail(email)) throw new ConflictError('An account with this email already exists.');
  const passwordHash = await hashPassword(input.password, deps.passwords);
  const first = !invite && (await deps.store.users.count()) === 0;
  if (!invite && !first) await requireOpenRegistration(deps);
  const user = buildUser(deps, { email, name: input.name.trim(), passwordHash, isAdmin: first, verified: first || invite !== null });
  const session = sessionToken(deps, user.id);
  try {
    await commit(deps, { projectId: null }, (uow) => {
      uow.insert('users', user);
      uow.insert('tokens', session.record);
      if (first) uow.insert('settings', settingsRecord(deps.registration, user.createdAt, user.id, FIRST_ADMIN_MARKER_ID));
    });
  } catch (error) {
    // Two registrations racing for one email: the unique index decides, the loser gets the same 409.
    if (error instanceof StoreDuplicateError && error.collection === 'users') throw new ConflictError('An account with this email already exists.');
    // Two "first" sign-ups at once: one became admin; the other is judged like any later one.
    if (error instanceof StoreDuplicateError && error.collection === 'settings') return register(deps, input, clientIp);
    throw error;
  }
  if (invite) await joinByInvite(deps, invite, user);
  else if (!user.verified) await sendVerification(deps, user);
  return { user: presentMe(user), token: session.token };
}

const invalidInvite = () => new DeadLinkError('inviteToken', 'This invite link is not valid any more: it was used, it expired, or it was revoked or resent.');

export async function login(deps: AuthDeps, input: { email: string; password: string }, clientIp: string): Promise<Session> {
  const email = normalizeEmail(input.email);
  await deps.throttle.beforeLogin(clientIp, email);
  const user = await deps.store.users.getByEmail(email);
  // Unknown email and wrong password cost the same time and get the same answer.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash(deps.passwords)));
  if (!user || !user.passwordHash || !ok) {
    await deps.throttle.loginFailed(email);
    throw new UnauthenticatedError('The email or password is wrong.');
  }
  if (isDisabled(user)) throw new UnauthenticatedError('This account is disabled; ask an administrator.');
  await deps.throttle.loginSucceeded(email);
  const session = sessionToken(deps, user.id);
  await commit(deps, { projectId: null }, (uow) => uow.insert('tokens', session.record));
  return { user: presentMe(user), token: session.token };
}


export async function logout(deps: ServiceDeps, actor: UserActor): Promise<void> {
  await commit(deps, { projectId: null }, (uow) => uow.remove('tokens', actor.tokenId)).catch((error: unknown) => {
    // Logging out twice with the same token is not an error worth reporting.
    if (!(error instanceof NotFoundError)) throw error;
  });
  await announceRevoked(deps, [actor.tokenId]);
}

async function currentUser(deps: ServiceDeps, actor: UserActor): Promise<User> {
  const user = await deps.store.users.get(actor.userId);
  if (!user) throw new UnauthenticatedError();
  return user;
}

/** The caller; for an embed visitor, the user it acts as (the host's verified user, or the token's guest). */
export async function getMe(deps: ServiceDeps, actor: RequestActor): Promise<MeView> {
  if (actor.kind === 'user') return presentMe(await currentUser(deps, actor));
  const user = actor.userId ? await deps.store.users.get(actor.userId) : null;
  if (!user) throw new UnauthenticatedError();
  return { ...presentMe(user), embed: { projectId: actor.projectId, role: actor.maxRole, identity: actor.verified ? 'verified' : 'anonymous' } };
}

export async function updateMe(
  deps: ServiceDeps,
  actor: UserActor,
  input: { name?: string | undefined; password?: string | undefined; notify?: NotifyPatch | undefined },
): Promise<MeView> {
  const user = await currentUser(deps, actor);
  const updated: User = {
    ...user,
    name: input.name?.trim() ?? user.name,
    passwordHash: input.password ? await hashPassword(input.password, deps.passwords) : user.passwordHash,
    notify: input.notify ? mergeNotifyPrefs(readNotifyPrefs(user.notify), input.notify) : user.notify,
    updatedAt: deps.now().toISOString(),
  };
  // A new password ends every other session: whoever knew the old one is logged out.
  const otherSessions = input.password
    ? (await deps.store.tokens.listByUser(user.id)).filter((t) => t.kind === 'session' && t.id !== actor.tokenId)
    : [];
  await commit(deps, { projectId: null }, (uow) => {
    uow.replace('users', updated, { updatedAt: user.updatedAt });
    otherSessions.forEach((t) => uow.remove('tokens', t.id));
  });
  await announceRevoked(deps, otherSessions.map((t) => t.id));
  // Reminders follow the new preferences at once; the reconciler would catch up anyway.
  if (input.notify) await deps.bus.publishControl({ type: 'notify.changed', userId: user.id }).catch((error: unknown) => deps.logger.warn({ err: error }, 'announcing new preferences failed'));
  return presentMe(updated);
}

export async function createApiToken(deps: ServiceDeps, actor: UserActor, input: { name: string }): Promise<{ id: string; name: string; token: string }> {
  const token = newToken('twa');
  const record: Token = {
    id: deps.newId(),
    userId: actor.userId,
    kind: 'api',
    name: input.name.trim(),
    tokenHash: hashToken(token),
    createdAt: deps.now().toISOString(),
    lastUsedAt: null,
    expiresAt: null,
  };
  await commit(deps, { projectId: null }, (uow) => uow.insert('tokens', record));
  return { id: record.id, name: record.name, token };
}

export async function listApiTokens(deps: ServiceDeps, actor: UserActor): Promise<TokenView[]> {
  return (await deps.store.tokens.listByUser(actor.userId)).filter((t) => t.kind === 'api').map(presentToken);
}

export async function deleteApiToken(deps: ServiceDeps, actor: UserActor, tokenId: string): Promise<void> {
  const token = await deps.store.tokens.get(tokenId);
  if (!token || token.userId !== actor.userId || token.kind !== 'api') throw new NotFoundError('Token not found.');
  await commit(deps, { projectId: null }, (uow) => uow.remove('tokens', token.id));
  await announceRevoked(deps, [token.id]);
}

/** An instance administrator, from the command line (no session is opened); the operator vouches for the address. */
export async function createAdmin(deps: ServiceDeps, input: { email: string; name: string; password: string }): Promise<MeView> {
  const email = normalizeEmail(input.email);
  if (await deps.store.users.getByEmail(email)) throw new ConflictError(`An account with the email ${email} already exists.`);
  const user = buildUser(deps, { email, name: input.name.trim(), passwordHash: await hashPassword(input.password, deps.passwords), isAdmin: true, verified: true });
  try {
    await commit(deps, { projectId: null }, (uow) => uow.insert('users', user));
  } catch (error) {
    if (error instanceof StoreDuplicateError) throw new ConflictError(`An account with the email ${email} already exists.`);
    throw error;
  }
  return presentMe(user);
}
