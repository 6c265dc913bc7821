// Which private rooms a subject may read, loaded once per request or
// subscription and then applied to many changes or messages.

import type { Subject } from '../domain/policies.js';
import { canInRoom } from '../domain/policies.js';
import type { Change } from '../store/entities.js';
import type { ServiceDeps } from './deps.js';

export interface RoomVisibility {
  /** Whether the subject may read this room's messages. A deleted room's history is hidden from everyone: whether it was private is no longer known. */
  canRead(roomId: string): boolean;
  /** Whether the subject may see this change's data; otherwise it is delivered redacted. */
  canSeeChange(change: Pick<Change, 'type' | 'data' | 'audience'>): boolean;
}

export async function roomVisibility(deps: ServiceDeps, subject: Subject, projectId: string): Promise<RoomVisibility> {
  const rooms = await deps.store.rooms.listByProject(projectId);
  const mine = new Set(subject.userId ? await deps.store.roomMembers.listRoomIdsForUser(projectId, subject.userId) : []);
  const readable = new Set(
    rooms.filter((room) => canInRoom(subject, 'room.read', { room, roomRole: mine.has(room.id) ? 'member' : null })).map((room) => room.id),
  );
  const known = new Set(rooms.map((room) => room.id));
  const canRead = (roomId: string) => readable.has(roomId);
  return {
    canRead,
    canSeeChange(change) {
      // Embed tokens are administration: their names and origins are for admins only.
      // Embed tokens, chat links and webhooks are administration: their names, origins and URLs are for admins only.
      if (['embed.', 'link.', 'webhook.', 'hook.'].some((prefix) => change.type.startsWith(prefix))) return roleCanAdminister(subject);
      const roomId = change.type.startsWith('room.') ? change.data['id'] ?? change.data['roomId'] : change.data['roomId'];
      if (typeof roomId !== 'string') return true;
      // A private room's own creation and membership changes are visible to its administrators too.
      if (change.type.startsWith('room.') && roleCanAdminister(subject) && known.has(roomId)) return true;
      if (change.type === 'room.deleted') {
        if (!change.data['private']) return true;
        return roleCanAdminister(subject) || (subject.userId !== null && (change.audience ?? []).includes(subject.userId));
      }
      return canRead(roomId);
    },
  };
}

function roleCanAdminister(subject: Subject): boolean {
  return subject.role === 'admin' || subject.role === 'owner';
}
