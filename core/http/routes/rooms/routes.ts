import { RoomMemberView, RoomView } from '../../../presenters/index.js';
import type { ServiceDeps } from '../../../services/deps.js';
import { roomIsKnownTo } from '../../../domain/policies.js';
import { projectAccess } from '../../../services/access.js';
import * as rooms from '../../../services/rooms.js';
import type { ListCache } from '../../list-cache.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { RoomCreate, RoomList, RoomMemberCreate, RoomMemberList, RoomMemberParams, RoomParams, RoomPatch } from './schema.js';

export function roomRoutes(deps: ServiceDeps, lists: ListCache): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/rooms', tag: 'rooms', summary: 'Rooms the caller may know: public ones, private ones it is in (all for project admins)', auth: 'required',
      params: ProjectParams, status: 200, response: RoomList, errors: [401, 404], conditional: true,
      handle: ({ actor, params, ctx }) =>
        lists.serve(ctx, {
          list: 'rooms', input: { params },
          scope: async () => {
            // As listRooms decides: public rooms for everyone, private ones to their members, all to project admins.
            // The key is the set of private rooms this caller may know, so two callers share a page only if they see the same rooms.
            const { subject } = await projectAccess(deps, actor, params.projectId, 'room.list');
            const all = await deps.store.rooms.listByProject(params.projectId);
            const mine = new Set(subject.userId ? await deps.store.roomMembers.listRoomIdsForUser(params.projectId, subject.userId) : []);
            const hidden = all.filter((room) => !roomIsKnownTo(subject, { room, roomRole: mine.has(room.id) ? 'member' : null })).map((room) => room.id);
            const privateKnown = all.filter((room) => room.private && !hidden.includes(room.id)).map((room) => room.id);
            return { projectId: params.projectId, visibility: hidden.length === 0 ? 'all' : `private:${privateKnown.sort().join(',')}|hidden:${hidden.sort().join(',')}` };
          },
          compute: () => rooms.listRooms(deps, actor, params.projectId),
        }),
    }),
    route({
      method: 'post', path: '/api/projects/:projectId/rooms', tag: 'rooms', summary: 'Create a room (members); the creator of a private room becomes its admin', auth: 'required',
      params: ProjectParams, body: RoomCreate, status: 201, response: RoomView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => rooms.createRoom(deps, actor, params.projectId, body),
    }),
    route({
      method: 'get', path: '/api/rooms/:roomId', tag: 'rooms', summary: 'A room', auth: 'required',
      params: RoomParams, status: 200, response: RoomView, errors: [401, 404],
      handle: ({ actor, params }) => rooms.getRoom(deps, actor, params.roomId),
    }),
    route({
      method: 'patch', path: '/api/rooms/:roomId', tag: 'rooms', summary: 'Rename a room or change its topic (room or project admins)', auth: 'required',
      params: RoomParams, body: RoomPatch, status: 200, response: RoomView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => rooms.updateRoom(deps, actor, params.roomId, body),
    }),
    route({
      method: 'delete', path: '/api/rooms/:roomId', tag: 'rooms', summary: 'Delete a room (project admins; never general)', auth: 'required',
      params: RoomParams, status: 204, response: null, errors: [401, 403, 404, 409],
      handle: ({ actor, params }) => rooms.deleteRoom(deps, actor, params.roomId),
    }),
    route({
      method: 'get', path: '/api/rooms/:roomId/members', tag: 'rooms', summary: 'Members of a room', auth: 'required',
      params: RoomParams, status: 200, response: RoomMemberList, errors: [401, 404],
      handle: ({ actor, params }) => rooms.listRoomMembers(deps, actor, params.roomId),
    }),
    route({
      method: 'post', path: '/api/rooms/:roomId/members', tag: 'rooms', summary: 'Add a project member to a room (room or project admins)', auth: 'required',
      params: RoomParams, body: RoomMemberCreate, status: 201, response: RoomMemberView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => rooms.addRoomMember(deps, actor, params.roomId, body),
    }),
    route({
      method: 'delete', path: '/api/rooms/:roomId/members/:userId', tag: 'rooms', summary: 'Remove someone from a room (room or project admins), or leave it', auth: 'required',
      params: RoomMemberParams, status: 204, response: null, errors: [401, 403, 404],
      handle: ({ actor, params }) => rooms.removeRoomMember(deps, actor, params.roomId, params.userId),
    }),
  ];
}
