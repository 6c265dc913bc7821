import { MemberView } from '../../../presenters/index.js';
import * as invites from '../../../services/invites.js';
import type { AccountDeps } from '../../../services/registration.js';
import * as members from '../../../services/members.js';
import { projectAccess } from '../../../services/access.js';
import { tagOf, type ListCache } from '../../list-cache.js';
import { route, type RouteDef } from '../../routing.js';
import { PageQuery } from '../common.js';
import { ProjectParams } from '../projects/schema.js';
import { AcceptBody, InviteList, InviteParams, InviteView, MemberAdded, MemberCreate, MemberJoined, MemberList, MemberParams, MemberPatch } from './schema.js';

export function memberRoutes(deps: AccountDeps, lists: ListCache): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/members', tag: 'members', summary: 'Members of a project', auth: 'required',
      params: ProjectParams, query: PageQuery, status: 200, response: MemberList, errors: [400, 401, 404], conditional: true,
      handle: ({ actor, params, query, ctx }) =>
        lists.serve(ctx, {
          list: 'members', input: { params, query },
          scope: async () => {
            await projectAccess(deps, actor, params.projectId, 'member.list');
            return { projectId: params.projectId, visibility: '*' };
          },
          compute: () => members.listMembers(deps, actor, params.projectId, query),
          // Names and emails live on the accounts, whose changes are in no project's feed: read again every time.
          outside: {
            of: (page) => (page as { items: { userId: string }[] }).items.map((m) => m.userId),
            tag: async (ids) => {
              const users = new Map((await deps.store.users.getMany(ids)).map((u) => [u.id, u]));
              return tagOf(ids.flatMap((id) => [id, users.get(id)?.name ?? '', users.get(id)?.email ?? '']));
            },
          },
        }),
    }),
    route({
      method: 'post', path: '/api/projects/:projectId/members', tag: 'members', summary: 'Add an existing user, or invite an email (admins)', auth: 'required',
      params: ProjectParams, body: MemberCreate, status: 201, response: MemberAdded, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => members.addMember(deps, actor, params.projectId, body),
    }),
    route({
      method: 'patch', path: '/api/projects/:projectId/members/:userId', tag: 'members', summary: 'Change a member\'s role (admins; owners for owners)', auth: 'required',
      params: MemberParams, body: MemberPatch, status: 200, response: MemberView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => members.updateMember(deps, actor, params.projectId, params.userId, body),
    }),
    route({
      method: 'delete', path: '/api/projects/:projectId/members/:userId', tag: 'members', summary: 'Remove a member, or leave', auth: 'required',
      params: MemberParams, status: 204, response: null, errors: [401, 403, 404, 409],
      handle: ({ actor, params }) => members.removeMember(deps, actor, params.projectId, params.userId),
    }),
    route({
      method: 'get', path: '/api/projects/:projectId/invites', tag: 'members', summary: 'Pending invites of a project (admins)', auth: 'required',
      params: ProjectParams, status: 200, response: InviteList, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => invites.listInvites(deps, actor, params.projectId),
    }),
    route({
      method: 'post', path: '/api/projects/:projectId/invites/:inviteId/resend', tag: 'members', summary: 'Mail a new invite link (the old one stops working; admins)', auth: 'required',
      params: InviteParams, status: 200, response: InviteView, errors: [400, 401, 403, 404, 409],
      handle: ({ actor, params }) => invites.resendInvite(deps, actor, params.projectId, params.inviteId),
    }),
    route({
      method: 'delete', path: '/api/projects/:projectId/invites/:inviteId', tag: 'members', summary: 'Revoke a pending invite (admins)', auth: 'required',
      params: InviteParams, status: 204, response: null, errors: [400, 401, 403, 404],
      handle: ({ actor, params }) => invites.revokeInvite(deps, actor, params.projectId, params.inviteId),
    }),
    route({
      method: 'post', path: '/api/invites/accept', tag: 'members', summary: 'Join a project with the invite link mailed to your own address', auth: 'required',
      body: AcceptBody, status: 200, response: MemberJoined, errors: [400, 401, 403, 404, 409, 413],
      handle: async ({ actor, body }) => ({ member: await invites.acceptInvite(deps, actor, body.token) }),
    }),
  ];
}
