// Everything a deleted project leaves behind, outbound parts first (webhooks,
// links, plugin cursors stop having anything to send), its feed last: the feed
// head is how a purge still to do is found (Store.purge.deletedProjects), so it
// only goes once the rest is gone.

import { pluginCursorId } from '../../core/services/plugins.js';
import type { Store } from '../../core/store/ports.js';
import { sweeper, type PurgeCounts } from './sweep.js';

/** Undoing a dead writer's unit (see dropFeed) can put records back; past this many rounds, the queue retries later. */
const ROUNDS = 3;

/** Purges `projectId` when it no longer exists; null when it does (never deleted, or an import that finished). */
export async function purgeProject(store: Store, projectId: string, batch?: number): Promise<PurgeCounts | null> {
  if (await store.projects.get(projectId)) return null;
  const s = sweeper(store, batch);
  for (let round = 1; round <= ROUNDS; round++) {
    await s.sweep('webhookDeliveries', 'projectId', projectId);
    await s.sweep('webhooks', 'projectId', projectId, async (ids) => {
      await s.drop('linkCursors', 'id', ids);
      await s.drop('webhookDeliveries', 'webhookId', ids);
    });
    await s.sweep('messages', 'projectId', projectId, (ids) => s.drop('messageCopies', 'messageId', ids));
    await s.sweep('links', 'projectId', projectId, async (ids) => {
      await s.drop('linkCursors', 'id', ids);
      for (const linkId of ids) await s.sweep('messageCopies', 'linkId', linkId);
    });
    const states = await store.pluginStates.listByProject(projectId);
    await s.drop('linkCursors', 'id', states.map((state) => pluginCursorId(state.name, projectId)));
    await s.drop('pluginStates', 'id', states.map((state) => state.id));
    await s.sweep('incomingHooks', 'projectId', projectId);
    await s.sweep('embedTokens', 'projectId', projectId);
    await s.sweep('notifications', 'projectId', projectId, (ids) => s.drop('deliveries', 'notificationId', ids));
    await s.sweep('roomMembers', 'projectId', projectId);
    await s.sweep('rooms', 'projectId', projectId);
    await s.sweep('taskMoves', 'projectId', projectId);
    await s.sweep('tasks', 'projectId', projectId);
    await s.sweep('invites', 'projectId', projectId);
    await s.sweep('members', 'projectId', projectId);
    await s.sweep('feedCursors', 'projectId', projectId);
    if (await store.purge.dropFeed(projectId)) return s.counts;
  }
  throw new Error(`the purge of project ${projectId} kept finding records put back by undone writes`);
}
