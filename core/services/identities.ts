// Chat accounts linked to Taskwire users. `/task connect` in Slack or Discord
// hands its author a one-time URL with a code; the person opens it while signed
// in to Taskwire and confirms, which proves both sides. Nobody is linked by a
// guess (a display name or an email that merely matches).

import type { Actor } from '../domain/actor.js';
import type { ChatPlatform, ConnectCode, Identity } from '../domain/entities.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { presentIdentity, type IdentityView } from '../presenters/index.js';
import { StoreDuplicateError, StoreNotFoundError } from '../store/errors.js';
import { hashToken } from './credentials.js';
import { commit, type ServiceDeps } from './deps.js';
import { invalidLink, newLinkToken } from './one-time.js';

export const CONNECT_CODE_LIFETIME_MS = 10 * 60_000;

export interface ExternalUser {
  platform: ChatPlatform;
  teamId: string;
  externalUserId: string;
  externalName: string;
}

/** A one-time code for `/task connect`; the caller builds the URL `{PUBLIC_URL}/connect?code=…`. */
export async function createConnectCode(deps: ServiceDeps, who: ExternalUser): Promise<{ code: string; expiresAt: string }> {
  const { token, tokenHash } = newLinkToken();
  const now = deps.now();
  const record: ConnectCode = {
    id: deps.newId(),
    codeHash: tokenHash,
    ...who,
    expiresAt: new Date(now.getTime() + CONNECT_CODE_LIFETIME_MS).toISOString(),
    createdAt: now.toISOString(),
  };
  await commit(deps, { projectId: null }, (uow) => uow.insert('connectCodes', record));
  return { code: token, expiresAt: record.expiresAt };
}

/** POST /api/me/identities {code}: the signed-in person claims the chat account that asked for the code. */
export async function confirmIdentity(deps: ServiceDeps, actor: Actor, code: string): Promise<IdentityView> {
  if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
  const record = await deps.store.connectCodes.getByHash(hashToken(code));
  if (!record || Date.parse(record.expiresAt) <= deps.now().getTime()) throw invalidLink('code');
  const existing = await deps.store.identities.getByExternal(record.platform, record.teamId, record.externalUserId);
  if (existing && existing.userId !== actor.userId) throw new ConflictError('That chat account is connected to another Taskwire account; disconnect it there first.');
  const identity: Identity = existing ?? {
    id: deps.newId(),
    userId: actor.userId,
    platform: record.platform,
    teamId: record.teamId,
    externalUserId: record.externalUserId,
    externalName: record.externalName,
    createdAt: deps.now().toISOString(),
  };
  try {
    await commit(deps, { projectId: null }, (uow) => {
      uow.remove('connectCodes', record.id);
      if (!existing) uow.insert('identities', identity);
    });
  } catch (error) {
    if (error instanceof StoreNotFoundError) throw invalidLink('code');
    if (error instanceof StoreDuplicateError) throw new ConflictError('That chat account was just connected to another Taskwire account.');
    throw error;
  }
  return presentIdentity(identity);
}

export async function listIdentities(deps: ServiceDeps, actor: Actor): Promise<{ items: IdentityView[]; nextCursor: null }> {
  if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
  return { items: (await deps.store.identities.listByUser(actor.userId)).map(presentIdentity), nextCursor: null };
}

export async function deleteIdentity(deps: ServiceDeps, actor: Actor, identityId: string): Promise<void> {
  if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
  const identity = await deps.store.identities.get(identityId);
  if (!identity || identity.userId !== actor.userId) throw new NotFoundError('Identity not found.');
  await commit(deps, { projectId: null }, (uow) => uow.remove('identities', identity.id));
}
