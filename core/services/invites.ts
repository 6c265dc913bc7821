// Invites that prove the address: inviting an email without a (verified)
// account stores a pending invite and mails a one-time link; only that link
// (signing up through it, or accepting it signed in as that address) makes a
// membership. An email match alone never does.

import type { Actor } from '../domain/actor.js';
import type { Invite, Member, Project, Role, User } from '../domain/entities.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { presentInvite, presentMember, type InviteView, type MemberView } from '../presenters/index.js';
import { StoreConflictError, StoreDuplicateError, StoreNotFoundError } from '../store/errors.js';
import { projectAccess, requireUser } from './access.js';
import { hashToken } from './credentials.js';
import { commit, type ServiceDeps } from './deps.js';
import { invalidLink, LINK_LIFETIME_MS, newLinkToken } from './one-time.js';
import type { AccountDeps } from './registration.js';

/** A pending invite with a fresh link; the caller stores it and then mails `token`. */
export function buildInvite(deps: ServiceDeps, projectId: string, email: string, role: Role, invitedBy: string): { invite: Invite; token: string } {
  const { token, tokenHash } = newLinkToken();
  const now = deps.now();
  return {
    token,
    invite: {
      id: deps.newId(),
      projectId,
      email,
      role,
      invitedBy,
      createdAt: now.toISOString(),
      tokenHash,
      expiresAt: new Date(now.getTime() + LINK_LIFETIME_MS.invite).toISOString(),
      sentAt: now.toISOString(),
    },
  };
}

export async function mailInvite(deps: AccountDeps, invite: Invite, token: string, project: Project): Promise<void> {
  const inviter = await deps.store.users.get(invite.invitedBy);
  const url = `${deps.links.publicUrl()}/invite?token=${encodeURIComponent(token)}`;
  await deps.postman.send({
    key: `invite.${invite.id}.${invite.tokenHash}`,
    to: invite.email,
    subject: `${inviter?.name ?? 'Someone'} invited you to ${project.name} on Taskwire`,
    name: invite.email,
    lines: [
      `${inviter?.name ?? 'Someone'} invited you to the project ${project.name} as ${invite.role}.`,
      `The link works once, for this address, until ${new Date(invite.expiresAt!).toUTCString()}.`,
    ],
    action: { label: 'Join the project', url },
  });
}

async function inviteOf(deps: ServiceDeps, projectId: string, inviteId: string): Promise<Invite> {
  const invite = await deps.store.invites.get(inviteId);
  if (!invite || invite.projectId !== projectId) throw new NotFoundError('Invite not found.');
  return invite;
}

export async function listInvites(deps: ServiceDeps, actor: Actor, projectId: string): Promise<{ items: InviteView[]; nextCursor: null }> {
  await projectAccess(deps, actor, projectId, 'member.manage');
  const now = deps.now().getTime();
  return { items: (await deps.store.invites.listByProject(projectId)).map((i) => presentInvite(i, now)), nextCursor: null };
}

/** A new link (the old one stops working) and a new mail, valid for another 7 days. */
export async function resendInvite(deps: AccountDeps, actor: Actor, projectId: string, inviteId: string): Promise<InviteView> {
  const { project, subject } = await projectAccess(deps, actor, projectId, 'member.manage');
  const invite = await inviteOf(deps, projectId, inviteId);
  const fresh = buildInvite(deps, projectId, invite.email, invite.role, subject.userId ?? invite.invitedBy);
  const renewed: Invite = { ...invite, tokenHash: fresh.invite.tokenHash, expiresAt: fresh.invite.expiresAt, sentAt: fresh.invite.sentAt };
  const view = presentInvite(renewed, deps.now().getTime());
  await commit(deps, { projectId }, (uow) => {
    uow.replace('invites', renewed, { tokenHash: invite.tokenHash ?? null });
    uow.append({ type: 'member.invited', actorId: subject.userId, data: view });
  });
  await mailInvite(deps, renewed, fresh.token, project);
  return view;
}

export async function revokeInvite(deps: ServiceDeps, actor: Actor, projectId: string, inviteId: string): Promise<void> {
  const { subject } = await projectAccess(deps, actor, projectId, 'member.manage');
  const invite = await inviteOf(deps, projectId, inviteId);
  await commit(deps, { projectId }, (uow) => {
    uow.remove('invites', invite.id);
    uow.append({ type: 'member.invite_revoked', actorId: subject.userId, data: { id: invite.id, projectId } });
  });
}

/** The pending invite behind a link, or the 404 every unusable link gets (unknown, used, expired, revoked, resent). */
export async function liveInvite(deps: ServiceDeps, token: string): Promise<Invite> {
  const invite = await deps.store.invites.getByTokenHash(hashToken(token));
  if (!invite?.expiresAt || Date.parse(invite.expiresAt) <= deps.now().getTime()) throw invalidLink();
  return invite;
}

export function requireInvitedAddress(invite: Invite, email: string): void {
  if (invite.email !== email) throw new ForbiddenError(`This invite was sent to ${invite.email}; use that address.`);
}

/** Turns the invite into a membership and marks the address proven; the invite is used up in the same unit. */
export async function joinByInvite(deps: ServiceDeps, invite: Invite, user: User): Promise<MemberView> {
  const now = deps.now().toISOString();
  const member: Member = { id: deps.newId(), projectId: invite.projectId, userId: user.id, role: invite.role, createdAt: now, updatedAt: now };
  const view = presentMember(member, user);
  try {
    await commit(deps, { projectId: invite.projectId }, (uow) => {
      uow.remove('invites', invite.id, { tokenHash: invite.tokenHash ?? null });
      uow.insert('members', member);
      uow.append({ type: 'member.added', actorId: invite.invitedBy, data: view });
    });
  } catch (error) {
    // Used or resent meanwhile: that link is spent.
    if (error instanceof StoreNotFoundError || error instanceof StoreConflictError) throw invalidLink();
    if (error instanceof StoreDuplicateError) throw new ConflictError('You are already a member of this project.');
    throw error;
  }
  if (user.verified === false) {
    await commit(deps, { projectId: null }, (uow) => uow.replace('users', { ...user, verified: true, updatedAt: now }, { updatedAt: user.updatedAt })).catch(
      (error: unknown) => deps.logger.warn({ err: error }, 'marking an invited address verified failed'),
    );
  }
  return view;
}

/** POST /api/invites/accept: a signed-in person joins with the link mailed to their own address. */
export async function acceptInvite(deps: ServiceDeps, actor: Actor, token: string): Promise<MemberView> {
  if (actor.kind !== 'user') throw new ForbiddenError('This needs a user token.');
  const userId = requireUser(actor);
  const invite = await liveInvite(deps, token);
  const user = await deps.store.users.get(userId);
  if (!user) throw new NotFoundError('User not found.');
  requireInvitedAddress(invite, user.email);
  return joinByInvite(deps, invite, user);
}
