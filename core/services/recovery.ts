// Links that prove an address or recover an account: "verify your address"
// after sign-up (when mail reaches people), and password reset. Each link works
// once and expires; a reset ends every session, token and socket of the account.

import type { User } from '../domain/entities.js';
import { isDisabled } from '../presenters/index.js';
import { StoreNotFoundError } from '../store/errors.js';
import { announceRevoked } from './revocation.js';
import { normalizeEmail } from './users.js';
import { hashPassword } from './credentials.js';
import { commit } from './deps.js';
import { buildAuthToken, invalidLink, liveAuthToken } from './one-time.js';
import type { AccountDeps, AuthDeps } from './registration.js';

/** Mails a link that proves the address; without SMTP nobody could follow it, so an admin marks accounts verified instead. */
export async function sendVerification(deps: AccountDeps, user: User): Promise<void> {
  if (!deps.postman.delivers || user.email.endsWith('.invalid')) return;
  const { token, record } = buildAuthToken(deps, 'verify_email', user.id);
  await commit(deps, { projectId: null }, (uow) => uow.insert('authTokens', record));
  await deps.postman.send({
    key: `verify.${record.id}`,
    to: user.email,
    subject: 'Confirm your email address for Taskwire',
    name: user.name,
    lines: ['Confirm that this address is yours, so that project invites can reach you.', 'The link works once, for three days.'],
    action: { label: 'Confirm my address', url: `${deps.links.publicUrl()}/verify-email?token=${encodeURIComponent(token)}` },
  });
}

export async function verifyEmail(deps: AccountDeps, token: string): Promise<void> {
  const record = await liveAuthToken(deps, 'verify_email', token);
  const user = await deps.store.users.get(record.userId);
  if (!user) throw invalidLink();
  try {
    await commit(deps, { projectId: null }, (uow) => {
      uow.remove('authTokens', record.id);
      uow.replace('users', { ...user, verified: true, updatedAt: deps.now().toISOString() }, { updatedAt: user.updatedAt });
    });
  } catch (error) {
    if (error instanceof StoreNotFoundError) throw invalidLink();
    throw error;
  }
}

/** Mails a reset link to an account that can use one; the caller answers the same whatever happens here. */
export async function sendPasswordReset(deps: AccountDeps, user: User): Promise<void> {
  if (isDisabled(user) || user.email.endsWith('.invalid')) return;
  const { token, record } = buildAuthToken(deps, 'password_reset', user.id);
  await commit(deps, { projectId: null }, (uow) => uow.insert('authTokens', record));
  await deps.postman.send({
    key: `reset.${record.id}`,
    to: user.email,
    subject: 'Reset your Taskwire password',
    name: user.name,
    lines: [
      'Someone (we hope you) asked to reset the password of this Taskwire account.',
      'The link works once, for 30 minutes. If you did not ask, ignore this mail: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', url: `${deps.links.publicUrl()}/reset-password?token=${encodeURIComponent(token)}` },
  });
}

/**
 * POST /api/auth/password-reset: rate-limited, and the same 202 for every
 * address; the lookup and the mail happen after the answer, so its timing
 * does not tell whether the address has an account.
 */
export async function requestPasswordReset(deps: AuthDeps, emailInput: string, clientIp: string): Promise<void> {
  const email = normalizeEmail(emailInput);
  await deps.throttle.beforePasswordReset(clientIp, email);
  void (async () => {
    const user = await deps.store.users.getByEmail(email);
    if (user) await sendPasswordReset(deps, user);
  })().catch((error: unknown) => deps.logger.error({ err: error }, 'sending a password reset link failed'));
}

/** Sets the new password, proves the address, and ends every token (sessions, API tokens) and socket of the account. */
export async function confirmPasswordReset(deps: AccountDeps, token: string, password: string): Promise<void> {
  const record = await liveAuthToken(deps, 'password_reset', token);
  const user = await deps.store.users.get(record.userId);
  if (!user || isDisabled(user)) throw invalidLink();
  const passwordHash = await hashPassword(password, deps.passwords);
  const tokens = await deps.store.tokens.listByUser(user.id);
  const otherResets = (await deps.store.authTokens.listByUser(user.id)).filter((t) => t.kind === 'password_reset' && t.id !== record.id);
  try {
    await commit(deps, { projectId: null }, (uow) => {
      uow.remove('authTokens', record.id);
      otherResets.forEach((t) => uow.remove('authTokens', t.id));
      uow.replace('users', { ...user, passwordHash, verified: true, updatedAt: deps.now().toISOString() }, { updatedAt: user.updatedAt });
      tokens.forEach((t) => uow.remove('tokens', t.id));
    });
  } catch (error) {
    if (error instanceof StoreNotFoundError) throw invalidLink();
    throw error;
  }
  await announceRevoked(deps, tokens.map((t) => t.id));
}
