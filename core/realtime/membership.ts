// The per-user side of membership changes: being added to a project, having
// one's role changed or being removed is a change in that project's feed, but
// the person it concerns may not be subscribed to that project (they were
// not in it yet, or look at another one). Every node gets every change from
// the bus, so each tells the user's own sockets on it, and their open pages
// (the app's project list) follow without a reload.

import type { Change } from '../domain/entities.js';
import type { Role } from '../store/entities.js';

/** The `membership` socket event: `role` is the new role, null once removed. */
export interface MembershipEvent {
  projectId: string;
  action: 'added' | 'role_changed' | 'removed';
  role: Role | null;
}

const ACTIONS: Record<string, MembershipEvent['action']> = {
  'member.added': 'added',
  'member.updated': 'role_changed',
  'member.removed': 'removed',
};

/** Who a change must reach on their own sockets, and what to tell them; null for every other change. */
export function membershipEvent(change: Change): { userId: string; event: MembershipEvent } | null {
  const action = ACTIONS[change.type];
  const data = change.data;
  if (!action || typeof data.userId !== 'string') return null;
  return { userId: data.userId, event: { projectId: change.projectId, action, role: action === 'removed' ? null : (data.role as Role) } };
}
