import { RoomMemberView, RoomView } from '../../../presenters/index.js';
import type { ServiceDeps } from '../../../services/deps.js';
import * as rooms from '../../../services/rooms.js';
import { route, type RouteDef } from '../../routing.js';
import { ProjectParams } from '../projects/schema.js';
import { RoomCreate, RoomList, RoomMemberCreate, RoomMemberList, RoomMemberParams, RoomParams, RoomPatch } from './schema.js';

export function roomRoutes(deps: ServiceDeps): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/projects/:projectId/rooms', tag: 'rooms', summary: 'Rooms the caller may know: public ones, private ones it is in (all for project admins)', auth: 'required',
      params: ProjectParams, status: 200, response: RoomList, errors: [401, 404],
      handle: ({ actor, params }) => rooms.listRooms(deps, actor, params.projectId),
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
