// Chat rooms, their members and messages, and embed tokens.

import type { EmbedTokensRepo, MessagesRepo, RoomMembersRepo, RoomsRepo } from '../../ports.js';
import type { Raw } from '../models.js';
import { BY_CREATED, type Reads } from '../reads.js';

export function roomsRepo(reads: Reads): RoomsRepo {
  return {
    get: (id) => reads.one('rooms', { _id: id }),
    getByName: (projectId, name) => reads.one('rooms', { projectId, name }),
    listByProject: (projectId) => reads.many('rooms', { projectId }, BY_CREATED),
  };
}

export function roomMembersRepo(reads: Reads): RoomMembersRepo {
  return {
    get: (roomId, userId) => reads.one('roomMembers', { roomId, userId }),
    listByRoom: (roomId) => reads.many('roomMembers', { roomId }, BY_CREATED),
    listRoomIdsForUser: async (projectId, userId) => {
      const raws = await reads.models.entities.roomMembers.find({ projectId, userId }, { roomId: 1 }).sort({ roomId: 1 }).lean<Raw[]>();
      return raws.map((raw) => raw.roomId as string);
    },
  };
}

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

export function messagesRepo(reads: Reads): MessagesRepo {
  return {
    get: (id) => reads.one('messages', { _id: id }),
    listByRoom: async (roomId, { beforeId, limit }) => {
      // A limit of 0 would mean "no limit" to the server.
      if (limit < 1) return [];
      if (!beforeId) return reads.many('messages', { roomId }, NEWEST_FIRST, limit);
      const before = await reads.models.entities.messages.findOne({ _id: beforeId, roomId }, { createdAt: 1 }).lean<Raw>();
      if (!before) return [];
      const createdAt = before.createdAt as string;
      const older = { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: beforeId } }] };
      return reads.many('messages', { $and: [{ roomId }, older] }, NEWEST_FIRST, limit);
    },
    listOldestFirst: async (roomId, { afterId, limit }) => {
      if (limit < 1) return [];
      if (!afterId) return reads.many('messages', { roomId }, BY_CREATED, limit);
      const after = await reads.models.entities.messages.findOne({ _id: afterId, roomId }, { createdAt: 1 }).lean<Raw>();
      if (!after) return [];
      const createdAt = after.createdAt as string;
      const newer = { $or: [{ createdAt: { $gt: createdAt } }, { createdAt, _id: { $gt: afterId } }] };
      return reads.many('messages', { $and: [{ roomId }, newer] }, BY_CREATED, limit);
    },
  };
}

export function embedTokensRepo(reads: Reads): EmbedTokensRepo {
  return {
    get: (id) => reads.one('embedTokens', { _id: id }),
    getByHash: (tokenHash) => reads.one('embedTokens', { tokenHash }),
    listByProject: (projectId) => reads.many('embedTokens', { projectId }, BY_CREATED),
  };
}
