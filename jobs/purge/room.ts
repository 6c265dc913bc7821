// What a deleted room leaves behind: its messages (and their copies in linked
// channels), its links, incoming hooks and memberships. The messages go last:
// they are how a room still to purge is found (Store.purge.deletedRooms).
// Feed entries about the room stay: they belong to the project's feed.

import type { Store } from '../../core/store/ports.js';
import { sweeper, type PurgeCounts } from './sweep.js';

/** Purges `roomId` when it no longer exists; null when it does. */
export async function purgeRoom(store: Store, roomId: string, batch?: number): Promise<PurgeCounts | null> {
  if (await store.rooms.get(roomId)) return null;
  const s = sweeper(store, batch);
  await s.sweep('links', 'roomId', roomId, async (ids) => {
    await s.drop('linkCursors', 'id', ids);
    for (const linkId of ids) await s.sweep('messageCopies', 'linkId', linkId);
  });
  await s.sweep('incomingHooks', 'roomId', roomId);
  await s.sweep('roomMembers', 'roomId', roomId);
  await s.sweep('messages', 'roomId', roomId, (ids) => s.drop('messageCopies', 'messageId', ids));
  return s.counts;
}
