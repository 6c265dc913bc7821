// Messages in rooms: list newest first, post, edit (author only), delete to a
// tombstone. A message starting with `/task` is also run as a command by its
// author, and the outcome is posted back by the instance's system user.

import type { Actor } from '../domain/actor.js';
import { canInRoom } from '../domain/policies.js';
import { isTaskCommand } from '../domain/commands.js';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError, UnknownReferenceError } from '../errors.js';
import { presentMessage, type MessageView } from '../presenters/index.js';
import type { Message, MessageSource, Room, User } from '../store/entities.js';
import type { Page, UnitOfWork } from '../store/ports.js';
import { requireUser } from './access.js';
import { runCommandText, type CommandResult } from './commands.js';
import { commit, type ServiceDeps } from './deps.js';
import { buildUser, insertExternalUser } from './users.js';
import { roomAccess } from './rooms.js';

export const MAX_MESSAGE_LENGTH = 4000;

/** The author of command replies; it cannot log in (no password) and belongs to no project. */
export const SYSTEM_USER = { email: 'taskwire-bot@system.invalid', name: 'Taskwire', externalRef: 'system:taskwire-bot' } as const;

async function loadMessage(deps: ServiceDeps, messageId: string): Promise<Message> {
  const message = await deps.store.messages.get(messageId);
  if (!message) throw new NotFoundError('Message not found.');
  return message;
}

export async function listMessages(deps: ServiceDeps, actor: Actor, roomId: string, query: { before?: string | undefined; limit: number }): Promise<Page<MessageView>> {
  await roomAccess(deps, actor, roomId, 'room.read');
  if (query.before) {
    const before = await deps.store.messages.get(query.before);
    if (before?.roomId !== roomId) throw new UnknownReferenceError('before', 'must be the id of a message in this room', 'Message not found.');
  }
  // One more than asked tells whether another page exists without a second query.
  const found = await deps.store.messages.listByRoom(roomId, { beforeId: query.before ?? null, limit: query.limit + 1 });
  const items = found.slice(0, query.limit).map(presentMessage);
  return { items, nextCursor: found.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function getMessage(deps: ServiceDeps, actor: Actor, messageId: string): Promise<MessageView> {
  const message = await loadMessage(deps, messageId);
  await roomAccess(deps, actor, message.roomId, 'room.read').catch(notFoundIfUnreadable);
  return presentMessage(message);
}

/** A message in a room one cannot read does not exist for them, even for an admin who administers the room. */
function notFoundIfUnreadable(error: unknown): never {
  if (error instanceof ForbiddenError) throw new NotFoundError('Message not found.');
  throw error;
}

/**
 * Messages sort by (createdAt, id) and ids are random, so two messages in the
 * same millisecond would list in either order; each new one is placed at least
 * a millisecond after the room's newest (a command's reply always follows it).
 */
async function nextMessageTime(deps: ServiceDeps, roomId: string): Promise<string> {
  const now = deps.now().getTime();
  const [newest] = await deps.store.messages.listByRoom(roomId, { limit: 1 });
  const after = newest ? Date.parse(newest.createdAt) + 1 : now;
  return new Date(Math.max(now, after)).toISOString();
}

export interface InsertOptions {
  /** A given id makes the insert idempotent for its caller (a plugin hook retried): a second one is a duplicate. */
  id?: string;
  /** The name shown when it differs from the account's (a bridged guest). */
  authorName?: string;
  /** The platform message it came from. */
  externalId?: string | null;
  /** More records to write in the same unit (a bridged message's copy). */
  alsoWrite?: (uow: UnitOfWork, message: Message) => void;
}

export async function insertMessage(deps: ServiceDeps, room: Room, authorId: string, text: string, source: MessageSource, options: InsertOptions = {}): Promise<MessageView> {
  const author = await deps.store.users.get(authorId);
  const message: Message = {
    id: options.id ?? deps.newId(),
    roomId: room.id,
    projectId: room.projectId,
    authorId,
    authorName: options.authorName ?? author?.name ?? '',
    text,
    source,
    externalId: options.externalId ?? null,
    createdAt: await nextMessageTime(deps, room.id),
    editedAt: null,
    deletedAt: null,
  };
  const view = presentMessage(message);
  await commit(deps, { projectId: room.projectId }, (uow) => {
    uow.insert('messages', message);
    options.alsoWrite?.(uow, message);
    uow.append({ type: 'message.created', actorId: authorId, data: view });
  });
  return view;
}

export function checkText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_MESSAGE_LENGTH) {
    throw new ValidationError([{ path: 'text', message: `must have 1 to ${MAX_MESSAGE_LENGTH} non-blank characters` }]);
  }
  return trimmed;
}

/** A reply only its author sees (help, lists, refusals): returned with the post, never stored or sent to anyone else. */
export interface CommandReply {
  ok: boolean;
  text: string;
}

export async function postMessage(deps: ServiceDeps, actor: Actor, roomId: string, input: { text: string }): Promise<MessageView & { commandReply?: CommandReply }> {
  const { room } = await roomAccess(deps, actor, roomId, 'message.post');
  const authorId = requireUser(actor);
  const source: MessageSource = actor.kind === 'user' && actor.tokenKind === 'api' ? 'api' : 'web';
  const view = await insertMessage(deps, room, authorId, checkText(input.text), source);
  const commandReply = isTaskCommand(view.text) ? await replyToCommand(deps, actor, room, view.text) : null;
  return commandReply ? { ...view, commandReply } : view;
}

/**
 * The message is already stored, so a failing command must not turn the post
 * into an error: whatever happens, the author gets a reply. One that changed
 * what the room shares is posted in the room by the system user; any other
 * concerns the author alone and comes back to them only (as Slack's ephemeral
 * replies do), so a room is not filled with everyone's `/task help`.
 */
async function replyToCommand(deps: ServiceDeps, actor: Actor, room: Room, text: string): Promise<CommandReply | null> {
  let result: CommandResult;
  try {
    result = await runCommandText(deps, actor, room.projectId, text);
  } catch (error) {
    if (!(error instanceof AppError)) deps.logger.error({ err: error, roomId: room.id }, 'a chat command failed');
    result = { ok: false, text: error instanceof AppError && error.status < 500 ? error.message : 'That command failed on our side; try again.' };
  }
  if (!result.public) return { ok: result.ok, text: truncate(result.text) };
  try {
    const bot = await systemUser(deps);
    await insertMessage(deps, room, bot.id, truncate(result.text), 'api');
  } catch (error) {
    deps.logger.error({ err: error, roomId: room.id }, 'posting a command reply failed');
  }
  return null;
}

function truncate(text: string): string {
  return text.length <= MAX_MESSAGE_LENGTH ? text : `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}\u2026`;
}

/**
 * Found by its external ref, which no sign-up can take (unlike the email); made
 * on first use, and a concurrent first use simply finds the winner's record.
 */
export async function systemUser(deps: ServiceDeps): Promise<User> {
  const existing = await deps.store.users.getByExternalRef(SYSTEM_USER.externalRef);
  if (existing) return existing;
  const squatted = await deps.store.users.getByEmail(SYSTEM_USER.email);
  const user = buildUser(deps, {
    // Should someone have registered the bot's address, the bot takes another one rather than their account.
    email: squatted ? `taskwire-bot+${deps.newId()}@system.invalid` : SYSTEM_USER.email,
    name: SYSTEM_USER.name,
    passwordHash: null,
    externalRef: SYSTEM_USER.externalRef,
  });
  return insertExternalUser(deps, { ...user, externalRef: SYSTEM_USER.externalRef });
}

/**
 * Every visitor of an anonymous embed acts as the token's one guest user, so
 * "the author" would be any of them: guests may post but not edit or delete.
 */
function isSharedGuest(actor: Actor): boolean {
  return actor.kind === 'embed' && !actor.verified;
}

export async function editMessage(deps: ServiceDeps, actor: Actor, messageId: string, input: { text: string }): Promise<MessageView> {
  const message = await loadMessage(deps, messageId);
  const { subject, room, roomRole } = await roomAccess(deps, actor, message.roomId, 'room.read').catch(notFoundIfUnreadable);
  if (subject.userId !== message.authorId || isSharedGuest(actor)) throw new ForbiddenError('Only the author can edit a message.');
  if (!canInRoom(subject, 'message.post', { room, roomRole })) throw new ForbiddenError('Your role does not allow writing messages here.');
  if (message.deletedAt) throw new ConflictError('This message was deleted; it cannot be edited.');
  const edited: Message = { ...message, text: checkText(input.text), editedAt: deps.now().toISOString() };
  const view = presentMessage(edited);
  await commit(deps, { projectId: message.projectId }, (uow) => {
    uow.replace('messages', edited, { editedAt: message.editedAt, deletedAt: null });
    uow.append({ type: 'message.updated', actorId: subject.userId, data: view });
  });
  return view;
}

/** Deleting leaves a tombstone so replies and bridged copies keep their place; deleting it again changes nothing. */
export async function deleteMessage(deps: ServiceDeps, actor: Actor, messageId: string): Promise<void> {
  const message = await loadMessage(deps, messageId);
  const { subject, room, roomRole } = await roomAccess(deps, actor, message.roomId, 'room.read').catch(notFoundIfUnreadable);
  const own = subject.userId !== null && subject.userId === message.authorId && !isSharedGuest(actor);
  if (!own && !canInRoom(subject, 'message.moderate', { room, roomRole })) {
    throw new ForbiddenError('Only the author, a room admin or a project admin can delete this message.');
  }
  if (message.deletedAt) return;
  const tombstone: Message = { ...message, text: '', deletedAt: deps.now().toISOString() };
  await commit(deps, { projectId: message.projectId }, (uow) => {
    uow.replace('messages', tombstone, { deletedAt: null });
    uow.append({ type: 'message.deleted', actorId: subject.userId, data: presentMessage(tombstone) });
  });
}
