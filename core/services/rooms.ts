// Chat rooms of a project and their members. Public rooms are open to every
// project member; a private room exists only for its members (and for the
// project admins who administer it). Every write appends exactly one change,
// carrying the room id so the feed can redact it for those outside.

import type { Actor } from '../domain/actor.js';
import { canInRoom, roomIsKnownTo, type RoomAction, type Subject } from '../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError, UnknownReferenceError } from '../errors.js';
import { presentRoom, presentRoomMember, type RoomMemberView, type RoomView } from '../presenters/index.js';
import type { Room, RoomMember, RoomRole } from '../store/entities.js';
import { StoreDuplicateError } from '../store/errors.js';
import type { Page } from '../store/ports.js';
import { projectAccess, requireUser, subjectIn } from './access.js';
import { commit, type ServiceDeps } from './deps.js';

/** Every project has it from the start; bridges and clients rely on it, so it is neither renamed nor deleted. */
export const GENERAL_ROOM = 'general';

export interface RoomAccess {
  room: Room;
  subject: Subject;
  roomRole: RoomRole | null;
}

const ROOM_NOT_FOUND = 'Room not found.';

const FORBIDDEN: Record<RoomAction, string> = {
  'room.read': 'Only members of this private room can read it; add yourself as a member first.',
  'room.update': 'Only room admins and project admins can change this room.',
  'room.delete': 'Only project admins can delete rooms.',
  'room.members.manage': 'Only room admins and project admins can manage room members.',
  'message.post': 'Your role does not allow posting messages here.',
  'message.moderate': 'Only room admins and project admins can moderate messages.',
};

/** Loads a room and the facts about the actor in it; 404 if the actor may not know the room, 403 if it may not do `action`. */
export async function roomAccess(deps: ServiceDeps, actor: Actor, roomId: string, action: RoomAction): Promise<RoomAccess> {
  const room = await deps.store.rooms.get(roomId);
  // A deleted project's rooms stay until its purge: without the project they are unreachable.
  const project = room ? await deps.store.projects.get(room.projectId) : null;
  if (!room || !project) throw new NotFoundError(ROOM_NOT_FOUND);
  const subject = await subjectIn(deps, actor, room.projectId);
  const membership = subject.userId ? await deps.store.roomMembers.get(roomId, subject.userId) : null;
  const facts = { room, roomRole: membership?.role ?? null };
  if (!roomIsKnownTo(subject, facts)) throw new NotFoundError(ROOM_NOT_FOUND);
  if (!canInRoom(subject, action, facts)) throw new ForbiddenError(FORBIDDEN[action]);
  return { room, subject, roomRole: facts.roomRole };
}

export async function listRooms(deps: ServiceDeps, actor: Actor, projectId: string): Promise<Page<RoomView>> {
  const { subject } = await projectAccess(deps, actor, projectId, 'room.list');
  const rooms = await deps.store.rooms.listByProject(projectId);
  const mine = new Set(subject.userId ? await deps.store.roomMembers.listRoomIdsForUser(projectId, subject.userId) : []);
  const known = rooms.filter((room) => roomIsKnownTo(subject, { room, roomRole: mine.has(room.id) ? 'member' : null }));
  return { items: known.map(presentRoom), nextCursor: null };
}

export async function getRoom(deps: ServiceDeps, actor: Actor, roomId: string): Promise<RoomView> {
  const { room } = await roomAccess(deps, actor, roomId, 'room.read').catch(async (error: unknown) => {
    // Project admins administer private rooms they are not in, so they may see the room itself, not its messages.
    if (error instanceof ForbiddenError) return roomAccess(deps, actor, roomId, 'room.members.manage');
    throw error;
  });
  return presentRoom(room);
}

function duplicateName(name: string): ConflictError {
  return new ConflictError(`A room named "${name}" already exists in this project.`, [{ path: 'name', message: 'is taken' }]);
}

async function checkNameFree(deps: ServiceDeps, projectId: string, name: string): Promise<void> {
  if (await deps.store.rooms.getByName(projectId, name)) throw duplicateName(name);
}

/** The unique index is the last word when two requests take the same name at once. */
async function commitRoom<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof StoreDuplicateError && error.collection === 'rooms') throw duplicateName(name);
    throw error;
  }
}

export interface RoomInput {
  name: string;
  topic?: string | undefined;
  private?: boolean | undefined;
}

export async function createRoom(deps: ServiceDeps, actor: Actor, projectId: string, input: RoomInput): Promise<RoomView> {
  const { subject } = await projectAccess(deps, actor, projectId, 'room.create');
  const userId = requireUser(actor);
  await checkNameFree(deps, projectId, input.name);
  const now = deps.now().toISOString();
  const room: Room = {
    id: deps.newId(),
    projectId,
    name: input.name,
    topic: input.topic?.trim() ?? '',
    private: input.private ?? false,
    createdBy: userId,
    createdAt: now,
    updatedAt: now,
  };
  // Without its creator as admin a private room would be invisible to the member who just made it.
  const creator: RoomMember | null = room.private ? { id: deps.newId(), roomId: room.id, projectId, userId, role: 'admin', createdAt: now } : null;
  const view = presentRoom(room);
  await commitRoom(room.name, () =>
    commit(deps, { projectId }, (uow) => {
      uow.insert('rooms', room);
      if (creator) uow.insert('roomMembers', creator);
      uow.append({ type: 'room.created', actorId: subject.userId, data: view });
    }),
  );
  return view;
}

export async function updateRoom(deps: ServiceDeps, actor: Actor, roomId: string, patch: { name?: string | undefined; topic?: string | undefined }): Promise<RoomView> {
  const { room, subject } = await roomAccess(deps, actor, roomId, 'room.update');
  const name = patch.name ?? room.name;
  if (name !== room.name) {
    if (room.name === GENERAL_ROOM) throw new ConflictError('The general room keeps its name.');
    await checkNameFree(deps, room.projectId, name);
  }
  const updated: Room = { ...room, name, topic: patch.topic?.trim() ?? room.topic, updatedAt: deps.now().toISOString() };
  const view = presentRoom(updated);
  await commitRoom(name, () =>
    commit(deps, { projectId: room.projectId }, (uow) => {
      uow.replace('rooms', updated, { updatedAt: room.updatedAt });
      uow.append({ type: 'room.updated', actorId: subject.userId, data: view });
    }),
  );
  return view;
}

export async function deleteRoom(deps: ServiceDeps, actor: Actor, roomId: string): Promise<void> {
  const { room, subject } = await roomAccess(deps, actor, roomId, 'room.delete');
  if (room.name === GENERAL_ROOM) throw new ConflictError('The general room cannot be deleted.');
  const members = await deps.store.roomMembers.listByRoom(roomId);
  // Its messages, links and hooks stay until the purge (jobs/purge), unreachable without the room.
  await commit(deps, { projectId: room.projectId }, (uow) => {
    uow.remove('rooms', room.id, { updatedAt: room.updatedAt });
    members.forEach((m) => uow.remove('roomMembers', m.id));
    // Once the room is gone nobody can look up who was in it, so the change carries its own audience when it was private.
    uow.append({
      type: 'room.deleted',
      actorId: subject.userId,
      data: { id: room.id, projectId: room.projectId, private: room.private },
      audience: room.private ? members.map((m) => m.userId) : null,
    });
  });
}

export async function listRoomMembers(deps: ServiceDeps, actor: Actor, roomId: string): Promise<Page<RoomMemberView>> {
  await getRoom(deps, actor, roomId);
  const members = await deps.store.roomMembers.listByRoom(roomId);
  return { items: members.map(presentRoomMember), nextCursor: null };
}

const alreadyInRoom = () => new ConflictError('This user is already a member of the room.');

export async function addRoomMember(deps: ServiceDeps, actor: Actor, roomId: string, input: { userId: string; role?: RoomRole | undefined }): Promise<RoomMemberView> {
  const { room, subject } = await roomAccess(deps, actor, roomId, 'room.members.manage');
  if (!(await deps.store.members.get(room.projectId, input.userId))) {
    throw new UnknownReferenceError('userId', 'must be a member of the project', 'Only project members can join its rooms.');
  }
  if (await deps.store.roomMembers.get(roomId, input.userId)) throw alreadyInRoom();
  const member: RoomMember = {
    id: deps.newId(),
    roomId,
    projectId: room.projectId,
    userId: input.userId,
    role: input.role ?? 'member',
    createdAt: deps.now().toISOString(),
  };
  const view = presentRoomMember(member);
  try {
    await commit(deps, { projectId: room.projectId }, (uow) => {
      uow.insert('roomMembers', member);
      uow.append({ type: 'room.member_added', actorId: subject.userId, data: { ...view, projectId: room.projectId } });
    });
  } catch (error) {
    if (error instanceof StoreDuplicateError) throw alreadyInRoom();
    throw error;
  }
  return view;
}

export async function removeRoomMember(deps: ServiceDeps, actor: Actor, roomId: string, userId: string): Promise<void> {
  const leaving = actor.kind === 'user' && actor.userId === userId;
  // Anyone may leave a room they are in; removing someone else takes a room or project admin.
  const { room, subject } = await roomAccess(deps, actor, roomId, leaving ? 'room.read' : 'room.members.manage').catch(async (error: unknown) => {
    if (leaving && error instanceof ForbiddenError) return roomAccess(deps, actor, roomId, 'room.members.manage');
    throw error;
  });
  const member = await deps.store.roomMembers.get(roomId, userId);
  if (!member) throw new NotFoundError('This user is not a member of the room.');
  await commit(deps, { projectId: room.projectId }, (uow) => {
    uow.remove('roomMembers', member.id);
    uow.append({ type: 'room.member_removed', actorId: subject.userId, data: { roomId, projectId: room.projectId, userId } });
  });
}
