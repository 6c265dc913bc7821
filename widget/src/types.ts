// The API's JSON shapes, as the widget sees them: the server's own view types
// (type-only imports, so nothing from core reaches the bundle).

import type {
  ChangeView,
  DeliveryView,
  MemberView,
  MeView,
  MessageView as CoreMessageView,
  MyProjectView,
  NotificationView,
  PluginView,
  ProjectPluginView,
  RoomView,
  TaskView,
} from '../../core/presenters/views.js';

export type { DeliveryView, MemberView, NotificationView, PluginView, ProjectPluginView, RoomView, TaskView };
/** A user's notification preferences (GET /api/me `notify`; PATCH /api/me {notify} takes any part of it). */
export type NotifyPrefs = MeView['notify'];
export type NotificationEvent = NotificationView['event'];
export type DeliveryChannel = DeliveryView['channel'];
export type Role = MyProjectView['role'];
export type ProjectView = MyProjectView;
/** `authorName` is recent; older servers leave it out. */
export type MessageView = Omit<CoreMessageView, 'authorName'> & { authorName?: string };
export type PresenceState = 'active' | 'idle' | 'inactive' | 'offline';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What the socket sends as `change`: the feed entry plus its project. */
export type Change = ChangeView & { projectId: string };

export interface PresenceEvent {
  projectId: string;
  userId: string;
  state: PresenceState;
}

export interface Me {
  id: string;
  name: string;
  email: string;
  isAdmin?: boolean;
  /** Absent on servers older than notifications. */
  notify?: NotifyPrefs;
  /** Set when this page uses an embed token: what the token allows. */
  embed?: { projectId: string; role: 'viewer' | 'member'; identity: 'anonymous' | 'verified' };
}

export const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
export const canWrite = (role: Role | null | undefined): boolean => !!role && ROLE_RANK[role] >= ROLE_RANK.member;
export const canAdmin = (role: Role | null | undefined): boolean => !!role && ROLE_RANK[role] >= ROLE_RANK.admin;
