import { z } from 'zod';
import { InviteView, MemberView, RoleEnum } from '../../../presenters/index.js';
import { Email, Id, LinkToken, listOf } from '../common.js';

export const MemberParams = z.object({ projectId: Id, userId: Id });
export const MemberCreate = z.object({ email: Email, role: RoleEnum }).strict();
export const MemberPatch = z.object({ role: RoleEnum }).strict();
export const MemberList = listOf(MemberView);
export const MemberAdded = z.union([z.object({ member: MemberView }), z.object({ invite: InviteView })]);
export const InviteParams = z.object({ projectId: Id, inviteId: Id });
export const InviteList = z.object({ items: z.array(InviteView), nextCursor: z.null() });
export const AcceptBody = z.object({ token: LinkToken }).strict();
export const MemberJoined = z.object({ member: MemberView });
export { InviteView };
