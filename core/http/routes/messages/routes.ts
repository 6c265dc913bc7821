import { MessageView } from '../../../presenters/index.js';
import type { ServiceDeps } from '../../../services/deps.js';
import * as messages from '../../../services/messages.js';
import { roomAccess } from '../../../services/rooms.js';
import type { ListCache } from '../../list-cache.js';
import { route, type RouteDef } from '../../routing.js';
import { RoomParams } from '../rooms/schema.js';
import { MessageCreate, MessageList, MessageListQuery, MessageParams, MessagePatch, MessagePosted } from './schema.js';

export function messageRoutes(deps: ServiceDeps, lists: ListCache): RouteDef[] {
  return [
    route({
      method: 'get', path: '/api/rooms/:roomId/messages', tag: 'messages', summary: 'Messages of a room, newest first; page with ?before=<nextCursor>', auth: 'required',
      params: RoomParams, query: MessageListQuery, status: 200, response: MessageList, errors: [400, 401, 403, 404], conditional: true,
      handle: ({ actor, params, query, ctx }) =>
        lists.serve(ctx, {
          list: 'messages', input: { params, query },
          // Whoever may read the room reads the same messages (deleted ones are tombstones for everyone).
          scope: async () => ({ projectId: (await roomAccess(deps, actor, params.roomId, 'room.read')).room.projectId, visibility: '*' }),
          compute: () => messages.listMessages(deps, actor, params.roomId, query),
        }),
    }),
    route({
      method: 'post', path: '/api/rooms/:roomId/messages', tag: 'messages', summary: 'Post a message (members); one starting with /task also runs the command: a reply the room shares is posted in it, any other comes back as commandReply', auth: 'required',
      params: RoomParams, body: MessageCreate, status: 201, response: MessagePosted, errors: [400, 401, 403, 404, 413],
      handle: ({ actor, params, body }) => messages.postMessage(deps, actor, params.roomId, body),
    }),
    route({
      method: 'get', path: '/api/messages/:messageId', tag: 'messages', summary: 'A message', auth: 'required',
      params: MessageParams, status: 200, response: MessageView, errors: [401, 404],
      handle: ({ actor, params }) => messages.getMessage(deps, actor, params.messageId),
    }),
    route({
      method: 'patch', path: '/api/messages/:messageId', tag: 'messages', summary: 'Edit a message (its author only)', auth: 'required',
      params: MessageParams, body: MessagePatch, status: 200, response: MessageView, errors: [400, 401, 403, 404, 409, 413],
      handle: ({ actor, params, body }) => messages.editMessage(deps, actor, params.messageId, body),
    }),
    route({
      method: 'delete', path: '/api/messages/:messageId', tag: 'messages', summary: 'Delete a message to a tombstone (author, room or project admins)', auth: 'required',
      params: MessageParams, status: 204, response: null, errors: [401, 403, 404],
      handle: ({ actor, params }) => messages.deleteMessage(deps, actor, params.messageId),
    }),
  ];
}
