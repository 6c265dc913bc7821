// Incoming hooks: a secret URL per room that posts messages under the hook's
// name, for CI systems and scripts that hold no Taskwire account. The URL
// carries a random token of which only the hash is stored; deleting the hook
// makes it answer 404.

import type { Actor } from '../domain/actor.js';
import type { IncomingHook } from '../domain/entities.js';
import { NotFoundError } from '../errors.js';
import { presentIncomingHook, type CreatedIncomingHookView, type IncomingHookView, type MessageView } from '../presenters/index.js';
import { hashToken, newToken } from './credentials.js';
import { commit, type ServiceDeps } from './deps.js';
import { checkText, insertMessage } from './messages.js';
import { roomAccess } from './rooms.js';
import { buildUser, insertExternalUser } from './users.js';
import { requireUser } from './access.js';

export async function createIncomingHook(deps: ServiceDeps, actor: Actor, roomId: string, input: { name: string }, publicUrl: string): Promise<CreatedIncomingHookView> {
  const { room } = await roomAccess(deps, actor, roomId, 'room.members.manage');
  const userId = requireUser(actor);
  const token = newToken('twh');
  const hook: IncomingHook = {
    id: deps.newId(),
    roomId: room.id,
    projectId: room.projectId,
    name: input.name.trim(),
    tokenHash: hashToken(token),
    createdBy: userId,
    createdAt: deps.now().toISOString(),
  };
  await commit(deps, { projectId: room.projectId }, (uow) => {
    uow.insert('incomingHooks', hook);
    uow.append({ type: 'hook.created', actorId: userId, data: presentIncomingHook(hook) });
  });
  return { ...presentIncomingHook(hook), url: `${publicUrl}/api/hooks/incoming/${token}` };
}

export async function listIncomingHooks(deps: ServiceDeps, actor: Actor, roomId: string): Promise<{ items: IncomingHookView[]; nextCursor: null }> {
  await roomAccess(deps, actor, roomId, 'room.members.manage');
  return { items: (await deps.store.incomingHooks.listByRoom(roomId)).map(presentIncomingHook), nextCursor: null };
}

export async function deleteIncomingHook(deps: ServiceDeps, actor: Actor, hookId: string): Promise<void> {
  const hook = await deps.store.incomingHooks.get(hookId);
  if (!hook) throw new NotFoundError('Hook not found.');
  await roomAccess(deps, actor, hook.roomId, 'room.members.manage').catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError('Hook not found.') : error;
  });
  const userId = requireUser(actor);
  await commit(deps, { projectId: hook.projectId }, (uow) => {
    uow.remove('incomingHooks', hook.id);
    uow.append({ type: 'hook.deleted', actorId: userId, data: { id: hook.id, roomId: hook.roomId, projectId: hook.projectId } });
  });
}

/** The hook behind a URL's token, or 404 (unknown or deleted). */
export async function hookByToken(deps: ServiceDeps, token: string): Promise<IncomingHook> {
  const hook = token.length >= 16 && token.length <= 200 ? await deps.store.incomingHooks.getByTokenHash(hashToken(token)) : null;
  if (!hook) throw new NotFoundError('Hook not found.');
  return hook;
}

/** Posts `text` into the hook's room under the hook's name (source `api`). */
export async function postThroughHook(deps: ServiceDeps, hook: IncomingHook, input: { text: string }): Promise<MessageView> {
  const room = await deps.store.rooms.get(hook.roomId);
  // A deleted project's hooks live on until its purge; they must not write into it meanwhile.
  if (!room || !(await deps.store.projects.get(room.projectId))) throw new NotFoundError('Hook not found.');
  const externalRef = `hook:${hook.id}`;
  const author =
    (await deps.store.users.getByExternalRef(externalRef)) ??
    (await insertExternalUser(deps, { ...buildUser(deps, { email: `hook-${hook.id}@hooks.invalid`, name: hook.name, passwordHash: null, externalRef }), externalRef }));
  return insertMessage(deps, room, author.id, checkText(input.text), 'api', { authorName: hook.name });
}
