// GET .../presence: every member's presence state.

import type { Actor } from '../domain/actor.js';
import type { PresenceState } from '../domain/presence.js';
import { projectAccess } from './access.js';
import type { ServiceDeps } from './deps.js';
import { allMembers } from './roster.js';

export interface PresenceReader {
  states(userIds: readonly string[]): Promise<Map<string, PresenceState>>;
}

export interface PresenceEntry {
  userId: string;
  state: PresenceState;
}


export async function listPresence(deps: ServiceDeps, presence: PresenceReader, actor: Actor, projectId: string): Promise<PresenceEntry[]> {
  await projectAccess(deps, actor, projectId, 'project.read');
  const members = await allMembers(deps, projectId);
  const states = await presence.states(members.map((m) => m.userId));
  return members.map((m) => ({ userId: m.userId, state: states.get(m.userId) ?? 'offline' }));
}
