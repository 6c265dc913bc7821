// Links bind an external channel (Slack, Discord) to a room, so messages are
// mirrored both ways. Project admins make them, over the API or with
// `/task link` from the channel itself; a channel links to one room, a room to
// any number of channels. A new link mirrors from now on, not the history.

import type { Actor } from '../domain/actor.js';
import type { ChannelLink, ChatPlatform, LinkCursor } from '../domain/entities.js';
import { ConflictError, NotFoundError, UnknownReferenceError } from '../errors.js';
import { presentLink, type LinkView } from '../presenters/index.js';
import { StoreDuplicateError } from '../store/errors.js';
import { projectAccess, requireUser } from './access.js';
import { commit, type ServiceDeps } from './deps.js';

export interface LinkInput {
  platform: ChatPlatform;
  teamId: string;
  channelId: string;
  roomId: string;
}

export async function createLink(deps: ServiceDeps, actor: Actor, projectId: string, input: LinkInput): Promise<LinkView> {
  await projectAccess(deps, actor, projectId, 'link.manage');
  const userId = requireUser(actor);
  const room = await deps.store.rooms.get(input.roomId);
  if (!room || room.projectId !== projectId) throw new UnknownReferenceError('roomId', 'must be a room of this project', 'Room not found.');
  const now = deps.now().toISOString();
  const link: ChannelLink = { id: deps.newId(), projectId, ...input, createdBy: userId, createdAt: now };
  // The mirror starts after the feed's current end: a new link does not replay the room's history into the channel.
  const cursor: LinkCursor = { id: link.id, seq: await deps.store.changes.lastSeq(projectId), lockedBy: null, lockedUntil: null, failedAt: null, updatedAt: now };
  const view = presentLink(link, cursor);
  try {
    await commit(deps, { projectId }, (uow) => {
      uow.insert('links', link);
      uow.insert('linkCursors', cursor);
      uow.append({ type: 'link.created', actorId: userId, data: view });
    });
  } catch (error) {
    if (error instanceof StoreDuplicateError && error.collection === 'links') throw new ConflictError('This channel is already linked to a room; unlink it first.');
    throw error;
  }
  return view;
}

export async function listLinks(deps: ServiceDeps, actor: Actor, projectId: string): Promise<{ items: LinkView[]; nextCursor: null }> {
  await projectAccess(deps, actor, projectId, 'link.manage');
  const links = await deps.store.links.listByProject(projectId);
  const cursors = await Promise.all(links.map((link) => deps.store.linkCursors.get(link.id)));
  return { items: links.map((link, i) => presentLink(link, cursors[i]!)), nextCursor: null };
}

export async function deleteLink(deps: ServiceDeps, actor: Actor, linkId: string): Promise<void> {
  const link = await deps.store.links.get(linkId);
  if (!link) throw new NotFoundError('Link not found.');
  try {
    await projectAccess(deps, actor, link.projectId, 'link.manage');
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError('Link not found.');
    throw error;
  }
  const userId = requireUser(actor);
  const cursor = await deps.store.linkCursors.get(link.id);
  await commit(deps, { projectId: link.projectId }, (uow) => {
    uow.remove('links', link.id);
    if (cursor) uow.remove('linkCursors', cursor.id);
    uow.append({ type: 'link.deleted', actorId: userId, data: { id: link.id, projectId: link.projectId, roomId: link.roomId } });
  });
}
