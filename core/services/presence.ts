// GET .../presence: every member's presence state.

import type { Actor } from '../domain/actor.js';
import type { PresenceState } from '../domain/presence.js';
import type { Member } from '../domain/entities.js';
import type { Page } from '../store/ports.js';
import { projectAccess } from './access.js';
import type { ServiceDeps } from './deps.js';

export interface PresenceReader {
  states(userIds: readonly string[]): Promise<Map<string, PresenceState>>;
}

export interface PresenceEntry {
  userId: string;
  state: PresenceState;
}

export async function allMembers(deps: ServiceDeps, projectId: string): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Member> = await deps.store.members.listByProject(projectId, { limit: 200, cursor });
    members.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return members;
}

export async function listPresence(deps: ServiceDeps, presence: PresenceReader, actor: Actor, projectId: string): Promise<PresenceEntry[]> {
  await projectAccess(deps, actor, projectId, 'project.read');
  const members = await allMembers(deps, projectId);
  const states = await presence.states(members.map((m) => m.userId));
  return members.map((m) => ({ userId: m.userId, state: states.get(m.userId) ?? 'offline' }));
}
