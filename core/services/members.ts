// Project membership: list, add (an existing user, or a pending invite for an
// unknown email), change role, remove. A project always keeps an owner.

import type { Actor } from '../domain/actor.js';
import { canManageMember } from '../domain/policies.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { isVerified, presentInvite, presentMember, type InviteView, type MemberView } from '../presenters/index.js';
import { buildInvite, mailInvite } from './invites.js';
import type { AccountDeps } from './registration.js';
import type { Member, Role } from '../store/entities.js';
import { StoreDuplicateError } from '../store/errors.js';
import type { Page, PageRequest, UnitOfWork } from '../store/ports.js';
import { projectAccess } from './access.js';
import { normalizeEmail } from './users.js';
import { commit, type ServiceDeps } from './deps.js';
import { allMembers } from './roster.js';

export async function listMembers(deps: ServiceDeps, actor: Actor, projectId: string, page: PageRequest): Promise<Page<MemberView>> {
  await projectAccess(deps, actor, projectId, 'member.list');
  const members = await deps.store.members.listByProject(projectId, page);
  const users = new Map((await deps.store.users.getMany(members.items.map((m) => m.userId))).map((u) => [u.id, u]));
  return {
    items: members.items.map((m) => presentMember(m, users.get(m.userId) ?? { name: '(deleted user)', email: '' })),
    nextCursor: members.nextCursor,
  };
}

export type AddMemberResult = { member: MemberView } | { invite: InviteView };

/**
 * A verified account joins at once; any other address (no account, or one whose address was never proven) gets a
 * pending invite and a one-time link by mail, so typing someone's address never hands their project to whoever
 * registered it.
 */
export async function addMember(deps: AccountDeps, actor: Actor, projectId: string, input: { email: string; role: Role }): Promise<AddMemberResult> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'member.manage');
  if (!canManageMember(subject, null, input.role)) throw new ForbiddenError('Only an owner can add another owner.');
  const email = normalizeEmail(input.email);
  const now = deps.now().toISOString();
  const user = await deps.store.users.getByEmail(email);
  try {
    if (user && isVerified(user)) {
      const member: Member = { id: deps.newId(), projectId, userId: user.id, role: input.role, createdAt: now, updatedAt: now };
      const view = presentMember(member, user);
      await commit(deps, { projectId }, (uow) => {
        uow.insert('members', member);
        uow.append({ type: 'member.added', actorId: subject.userId, data: view });
      });
      return { member: view };
    }
    if (user && (await deps.store.members.get(projectId, user.id))) throw new ConflictError(`${email} is already a member.`);
    const { invite, token } = buildInvite(deps, projectId, email, input.role, subject.userId!);
    const view = presentInvite(invite, deps.now().getTime());
    await commit(deps, { projectId }, (uow) => {
      uow.insert('invites', invite);
      uow.append({ type: 'member.invited', actorId: subject.userId, data: view });
    });
    await mailInvite(deps, invite, token, project);
    return { invite: view };
  } catch (error) {
    if (error instanceof StoreDuplicateError) throw new ConflictError(await alreadyThere(deps, projectId, email, user?.id ?? null));
    throw error;
  }
}

/** Why an address cannot be added twice, in one sentence that says what to do instead. */
async function alreadyThere(deps: ServiceDeps, projectId: string, email: string, userId: string | null): Promise<string> {
  if (userId && (await deps.store.members.get(projectId, userId))) return `${email} is already a member of this project.`;
  if (await deps.store.invites.getByEmail(projectId, email)) return `${email} is already invited; use Resend under Pending invites to mail a new link.`;
  return `${email} is already a member or invited.`;
}

/**
 * The other owners are re-asserted in the same unit (replaced with themselves,
 * expecting role owner), so two owners demoting each other at once cannot both
 * succeed and leave the project without one.
 */
function keepAnOwner(uow: UnitOfWork, others: Member[]): void {
  if (others.length === 0) throw new ConflictError('A project always keeps at least one owner; make someone else owner first.');
  others.forEach((owner) => uow.replace('members', owner, { role: 'owner' }));
}

async function otherOwners(deps: ServiceDeps, projectId: string, exceptUserId: string): Promise<Member[]> {
  return (await allMembers(deps, projectId)).filter((m) => m.role === 'owner' && m.userId !== exceptUserId);
}

async function targetMember(deps: ServiceDeps, projectId: string, userId: string): Promise<Member> {
  const member = await deps.store.members.get(projectId, userId);
  if (!member) throw new NotFoundError('Member not found.');
  return member;
}

export async function updateMember(deps: ServiceDeps, actor: Actor, projectId: string, userId: string, input: { role: Role }): Promise<MemberView> {
  const { subject } = await projectAccess(deps, actor, projectId, 'member.list');
  const member = await targetMember(deps, projectId, userId);
  if (!canManageMember(subject, member.role, input.role)) throw new ForbiddenError('Your role does not allow this change of role.');
  const user = await deps.store.users.get(userId);
  const updated: Member = { ...member, role: input.role, updatedAt: deps.now().toISOString() };
  const view = presentMember(updated, user ?? { name: '(deleted user)', email: '' });
  const others = member.role === 'owner' && input.role !== 'owner' ? await otherOwners(deps, projectId, userId) : null;
  await commit(deps, { projectId }, (uow) => {
    if (others) keepAnOwner(uow, others);
    uow.replace('members', updated, { role: member.role });
    uow.append({ type: 'member.updated', actorId: subject.userId, data: view });
  });
  return view;
}

export async function removeMember(deps: ServiceDeps, actor: Actor, projectId: string, userId: string): Promise<void> {
  const { subject } = await projectAccess(deps, actor, projectId, 'member.list');
  const member = await targetMember(deps, projectId, userId);
  const leaving = subject.userId === userId && actor.kind === 'user';
  if (!leaving && !canManageMember(subject, member.role, null)) throw new ForbiddenError('Your role does not allow removing this member.');
  const others = member.role === 'owner' ? await otherOwners(deps, projectId, userId) : null;
  const roomIds = await deps.store.roomMembers.listRoomIdsForUser(projectId, userId);
  const roomMemberships = (await Promise.all(roomIds.map((roomId) => deps.store.roomMembers.get(roomId, userId)))).filter((m) => m !== null);
  await commit(deps, { projectId }, (uow) => {
    if (others) keepAnOwner(uow, others);
    uow.remove('members', member.id, { role: member.role });
    roomMemberships.forEach((m) => uow.remove('roomMembers', m.id));
    uow.append({ type: 'member.removed', actorId: subject.userId, data: { projectId, userId } });
  });
}
