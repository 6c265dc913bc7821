// Pending invites become memberships when their email registers.

import { presentMember } from '../presenters/index.js';
import type { Member, User } from '../store/entities.js';
import { StoreDuplicateError, StoreNotFoundError } from '../store/errors.js';
import { commit, type ServiceDeps } from './deps.js';

export async function acceptInvites(deps: ServiceDeps, user: User): Promise<void> {
  for (const invite of await deps.store.invites.listByEmail(user.email)) {
    const now = deps.now().toISOString();
    const member: Member = { id: deps.newId(), projectId: invite.projectId, userId: user.id, role: invite.role, createdAt: now, updatedAt: now };
    try {
      await commit(deps, { projectId: invite.projectId }, (uow) => {
        uow.remove('invites', invite.id);
        uow.insert('members', member);
        uow.append({ type: 'member.added', actorId: invite.invitedBy, data: presentMember(member, user) });
      });
    } catch (error) {
      // Someone else turned this invite into a membership first; nothing is lost.
      if (!(error instanceof StoreDuplicateError || error instanceof StoreNotFoundError)) throw error;
    }
  }
}
