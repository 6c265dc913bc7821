// Every authorization decision in one place: can(subject, action, resource).
// Pure: callers load the facts (the subject's project role, room membership)
// and this module decides. Services turn "no" into 404 when the subject may not
// even know the resource exists, and 403 when it can see it but not do this.

import type { Room, Role, RoomRole } from './entities.js';
import { roleAtLeast } from './roles.js';

/** What a service knows about the subject in one project. */
export interface Subject {
  userId: string | null;
  /** The subject's effective project role (capped for embeds), or null when not a member. */
  role: Role | null;
}

export type ProjectAction =
  | 'project.read'
  | 'project.update'
  | 'project.delete'
  | 'project.export'
  | 'member.list'
  | 'member.manage'
  | 'task.read'
  | 'task.write'
  | 'room.list'
  | 'room.create'
  | 'feed.read'
  | 'embed.manage'
  | 'link.manage'
  | 'plugin.manage';

const MINIMUM_ROLE: Record<ProjectAction, Role> = {
  'project.read': 'viewer',
  'project.update': 'admin',
  'project.delete': 'owner',
  'project.export': 'admin',
  'member.list': 'viewer',
  'member.manage': 'admin',
  'task.read': 'viewer',
  'task.write': 'member',
  'room.list': 'viewer',
  'room.create': 'member',
  'feed.read': 'viewer',
  'embed.manage': 'admin',
  'link.manage': 'admin',
  'plugin.manage': 'admin',
};

/** Each action as a refusal names it to a person. */
const ACTION_WORDS: Record<ProjectAction, string> = {
  'project.read': 'seeing this project',
  'project.update': 'changing the project\'s settings',
  'project.delete': 'deleting the project',
  'project.export': 'exporting the project',
  'member.list': 'seeing the members',
  'member.manage': 'managing members',
  'task.read': 'seeing tasks',
  'task.write': 'adding or changing tasks',
  'room.list': 'seeing the rooms',
  'room.create': 'creating rooms',
  'feed.read': 'following the project\'s changes',
  'embed.manage': 'managing embed tokens',
  'link.manage': 'linking chat channels',
  'plugin.manage': 'managing plugins',
};

/** Why `role` may not do `action`, and who can change that, in a sentence for the person refused (a 403, a chat reply). */
export function refusalOf(action: ProjectAction, role: Role | null): string {
  const needed = MINIMUM_ROLE[action];
  const takes = needed === 'owner' ? 'the owner role, which an owner' : `the ${needed} role or above, which a project admin`;
  return `Your role (${role ?? 'none'}) does not allow ${ACTION_WORDS[action]}; that takes ${takes} can give you.`;
}

export function canInProject(subject: Subject, action: ProjectAction): boolean {
  return roleAtLeast(subject.role, MINIMUM_ROLE[action]);
}

/** Who may change whose membership: admins manage members; only owners grant, change or remove an owner. */
export function canManageMember(subject: Subject, targetCurrentRole: Role | null, targetNewRole: Role | null): boolean {
  if (!roleAtLeast(subject.role, 'admin')) return false;
  const touchesOwner = targetCurrentRole === 'owner' || targetNewRole === 'owner';
  return !touchesOwner || subject.role === 'owner';
}

export interface RoomFacts {
  room: Pick<Room, 'private' | 'createdBy'>;
  /** The subject's membership role in the room, or null. */
  roomRole: RoomRole | null;
}

export type RoomAction = 'room.read' | 'room.update' | 'room.delete' | 'room.members.manage' | 'message.post' | 'message.moderate';

/**
 * Public rooms are open to every project member; a private room only to its members.
 * Project admins administer every room (so a private room can never be orphaned),
 * but they read a private room's messages only as its members.
 */
export function canInRoom(subject: Subject, action: RoomAction, facts: RoomFacts): boolean {
  if (!roleAtLeast(subject.role, 'viewer')) return false;
  const inRoom = facts.roomRole !== null;
  const projectAdmin = roleAtLeast(subject.role, 'admin');
  const roomAdmin = facts.roomRole === 'admin';
  const visible = !facts.room.private || inRoom;
  switch (action) {
    case 'room.read':
      return visible;
    case 'message.post':
      return visible && roleAtLeast(subject.role, 'member');
    case 'message.moderate':
      return visible && (projectAdmin || roomAdmin);
    case 'room.update':
    case 'room.members.manage':
      return (visible || projectAdmin) && (projectAdmin || roomAdmin);
    case 'room.delete':
      return projectAdmin;
  }
}

/** Whether the subject may know the room exists (it may administer without reading). */
export function roomIsKnownTo(subject: Subject, facts: RoomFacts): boolean {
  return canInRoom(subject, 'room.read', facts) || canInRoom(subject, 'room.members.manage', facts);
}
