// Messages that come from a linked chat channel: who wrote them (the connected
// Taskwire user, or a guest named like "Ana (Slack)"), and their creation,
// edit and deletion in the room. Each platform message makes one room message:
// its copy record (platform, channel, external id) is unique and written in the
// same unit, so a retried event or a second node adds nothing.

import { createHash } from 'node:crypto';
import type { UserActor } from '../domain/actor.js';
import type { ChannelLink, ChatPlatform, Message, MessageCopy, User } from '../domain/entities.js';
import { isDisabled, presentMessage, type MessageView } from '../presenters/index.js';
import { StoreConflictError, StoreDuplicateError } from '../store/errors.js';
import { commit, type ServiceDeps } from './deps.js';
import { insertMessage, MAX_MESSAGE_LENGTH } from './messages.js';
import { buildUser, insertExternalUser } from './users.js';

const PLATFORM_NAMES: Record<ChatPlatform, string> = { slack: 'Slack', discord: 'Discord' };

export interface ExternalAuthor {
  externalUserId: string;
  /** The name the platform shows for them. */
  name: string;
}

/** The Taskwire user a chat account is connected to, as an actor for commands; null when not connected (or disabled). */
export async function chatActor(deps: ServiceDeps, platform: ChatPlatform, teamId: string, externalUserId: string): Promise<UserActor | null> {
  const identity = await deps.store.identities.getByExternal(platform, teamId, externalUserId);
  if (!identity) return null;
  const user = await deps.store.users.get(identity.userId);
  if (!user || isDisabled(user)) return null;
  // Chat commands carry no bearer token; the identity stands in for it (source `api`-like writes, never a logout).
  return { kind: 'user', userId: user.id, tokenId: `identity:${identity.id}`, tokenKind: 'api', isAdmin: user.isAdmin };
}

/** The author of a bridged message: the connected user, or a guest account for this chat account (no login, no inbox). */
export async function bridgedAuthor(deps: ServiceDeps, platform: ChatPlatform, teamId: string, author: ExternalAuthor): Promise<{ user: User; name: string }> {
  const identity = await deps.store.identities.getByExternal(platform, teamId, author.externalUserId);
  const connected = identity ? await deps.store.users.get(identity.userId) : null;
  if (connected) return { user: connected, name: connected.name };
  const externalRef = `${platform}:${teamId}:${author.externalUserId}`;
  const name = `${author.name || author.externalUserId} (${PLATFORM_NAMES[platform]})`;
  const existing = await deps.store.users.getByExternalRef(externalRef);
  if (existing) return { user: existing, name };
  const digest = createHash('sha256').update(externalRef).digest('hex').slice(0, 24);
  const guest = buildUser(deps, { email: `${platform}-${digest}@bridge.invalid`, name, passwordHash: null, externalRef });
  return { user: await insertExternalUser(deps, { ...guest, externalRef }), name };
}

/** Chat text as a room message: never empty, never longer than a room message may be. */
export function roomText(text: string, attachments: readonly { name: string; url: string }[] = []): string {
  const lines = [text.trim(), ...attachments.map((a) => `${a.name}: ${a.url}`)].filter((line) => line.length > 0);
  const joined = lines.join('\n') || '(empty message)';
  return joined.length <= MAX_MESSAGE_LENGTH ? joined : `${joined.slice(0, MAX_MESSAGE_LENGTH - 1)}\u2026`;
}

export interface Inbound {
  link: ChannelLink;
  externalId: string;
  author: ExternalAuthor;
  text: string;
}

/** Creates the room message for a platform message once; null when it was mirrored before (a retry, another node). */
export async function mirrorInbound(deps: ServiceDeps, inbound: Inbound): Promise<MessageView | null> {
  const { link } = inbound;
  if (await deps.store.messageCopies.getByExternal(link.platform, link.channelId, inbound.externalId)) return null;
  const room = await deps.store.rooms.get(link.roomId);
  // A deleted project's links live on until its purge; they must not write into it meanwhile.
  if (!room || !(await deps.store.projects.get(room.projectId))) return null;
  const { user, name } = await bridgedAuthor(deps, link.platform, link.teamId, inbound.author);
  try {
    return await insertMessage(deps, room, user.id, roomText(inbound.text), link.platform, {
      authorName: name,
      externalId: inbound.externalId,
      alsoWrite: (uow, message) => uow.insert('messageCopies', copyOf(deps, link, message, inbound.externalId, 'inbound')),
    });
  } catch (error) {
    if (error instanceof StoreDuplicateError) return null;
    throw error;
  }
}

export function copyOf(deps: ServiceDeps, link: ChannelLink, message: Pick<Message, 'id'>, externalId: string, direction: MessageCopy['direction']): MessageCopy {
  return {
    id: deps.newId(),
    messageId: message.id,
    linkId: link.id,
    platform: link.platform,
    channelId: link.channelId,
    externalId,
    direction,
    createdAt: deps.now().toISOString(),
  };
}

async function mirroredMessage(deps: ServiceDeps, link: ChannelLink, externalId: string): Promise<Message | null> {
  const copy = await deps.store.messageCopies.getByExternal(link.platform, link.channelId, externalId);
  return copy ? deps.store.messages.get(copy.messageId) : null;
}

/** An edit in the channel edits the room message (and so every other linked channel). */
export async function mirrorInboundEdit(deps: ServiceDeps, link: ChannelLink, externalId: string, text: string): Promise<MessageView | null> {
  const message = await mirroredMessage(deps, link, externalId);
  if (!message || message.deletedAt) return null;
  const newText = roomText(text);
  if (newText === message.text) return null;
  const edited: Message = { ...message, text: newText, editedAt: deps.now().toISOString() };
  const view = presentMessage(edited);
  try {
    await commit(deps, { projectId: message.projectId }, (uow) => {
      uow.replace('messages', edited, { editedAt: message.editedAt, deletedAt: null });
      uow.append({ type: 'message.updated', actorId: message.authorId, data: view });
    });
  } catch (error) {
    if (error instanceof StoreConflictError) return null;
    throw error;
  }
  return view;
}

/** A deletion in the channel leaves a tombstone in the room, as a deletion in Taskwire does. */
export async function mirrorInboundDelete(deps: ServiceDeps, link: ChannelLink, externalId: string): Promise<boolean> {
  const message = await mirroredMessage(deps, link, externalId);
  if (!message || message.deletedAt) return false;
  const tombstone: Message = { ...message, text: '', deletedAt: deps.now().toISOString() };
  try {
    await commit(deps, { projectId: message.projectId }, (uow) => {
      uow.replace('messages', tombstone, { deletedAt: null });
      uow.append({ type: 'message.deleted', actorId: message.authorId, data: presentMessage(tombstone) });
    });
  } catch (error) {
    if (error instanceof StoreConflictError) return false;
    throw error;
  }
  return true;
}

/** Marks an inbound platform event handled; false when it was seen before (a retry), so the caller does nothing. */
export async function firstSighting(deps: ServiceDeps, eventId: string): Promise<boolean> {
  try {
    await commit(deps, { projectId: null }, (uow) => uow.insert('seenEvents', { id: eventId, createdAt: deps.now().toISOString() }));
    return true;
  } catch (error) {
    if (error instanceof StoreDuplicateError) return false;
    throw error;
  }
}
