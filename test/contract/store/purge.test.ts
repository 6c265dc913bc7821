// The purge's part of the Store port: bulk deletes by key, the deleted projects
// and rooms still to purge (derived from what is stored), and dropping a feed.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { CollectionName, Entities, PurgeCollection, PurgeKeys, Store } from '../../../core/store/ports.js';
import { aMember, aMessage, aProject, aRoom, aRoomMember, aTask, anEmbedToken, anInvite, tick } from './fixtures.js';
import { forEachStore } from './harness.js';

const id = (): string => randomUUID();

async function insert<C extends CollectionName>(store: Store, collection: C, ...docs: Entities[C][]): Promise<void> {
  await store.write({ projectId: null }, (uow) => docs.forEach((doc) => uow.insert(collection, doc)));
}

/** Gives the value of a key field: the one under test gets the shared key, every other a fresh id. */
type Keyed = (field: string) => string;

/** One valid record per purged collection, its key fields filled by `k`. */
const RECORDS: { [C in PurgeCollection]: (k: Keyed) => Entities[C] } = {
  tasks: (k) => aTask(k('projectId')),
  rooms: (k) => aRoom(k('projectId')),
  roomMembers: (k) => aRoomMember(k('roomId'), k('projectId'), id()),
  messages: (k) => aMessage(k('roomId'), k('projectId')),
  messageCopies: (k) => ({ id: id(), messageId: k('messageId'), linkId: k('linkId'), platform: 'slack', channelId: 'C1', externalId: id(), direction: 'inbound', createdAt: tick() }),
  links: (k) => ({ id: id(), projectId: k('projectId'), platform: 'slack', teamId: 'T1', channelId: id(), roomId: k('roomId'), createdBy: 'u', createdAt: tick() }),
  linkCursors: () => ({ id: id(), seq: 0, lockedBy: null, lockedUntil: null, failedAt: null, updatedAt: tick() }),
  webhooks: (k) => ({
    id: id(), projectId: k('projectId'), url: 'https://example.com/h', events: ['task.*'], description: '', secretSealed: 's', createdBy: 'u',
    createdAt: tick(), updatedAt: tick(), enabled: true, disabledReason: null, failingSince: null,
  }),
  webhookDeliveries: (k) => ({
    id: id(), webhookId: k('webhookId'), projectId: k('projectId'), seq: 1, type: 'task.created', status: 'pending', attempts: 0, responseStatus: null,
    lastError: null, createdAt: tick(), updatedAt: tick(), deliveredAt: null,
  }),
  incomingHooks: (k) => ({ id: id(), roomId: k('roomId'), projectId: k('projectId'), name: 'CI', tokenHash: `h-${id()}`, createdBy: 'u', createdAt: tick() }),
  pluginStates: (k) => {
    const name = `p-${id()}`;
    return { id: `${name}|${k('projectId')}`, name, projectId: k('projectId'), enabled: true, settings: {}, failures: 0, lastError: null, failingSince: null, createdAt: tick(), updatedAt: tick() };
  },
  notifications: (k) => ({ id: id(), userId: 'u', event: 'assigned', projectId: k('projectId'), taskId: null, messageId: null, text: 'hi', createdAt: tick(), readAt: null }),
  deliveries: (k) => ({
    id: id(), notificationId: k('notificationId'), userId: 'u', channel: 'inapp', status: 'sent', attempts: 1, lastError: null, createdAt: tick(), updatedAt: tick(), sentAt: null,
  }),
  embedTokens: (k) => anEmbedToken(k('projectId')),
  invites: (k) => anInvite(k('projectId'), 'u'),
  members: (k) => aMember(k('projectId'), id()),
  feedCursors: (k) => ({ id: id(), consumer: 'notifier', projectId: k('projectId'), seq: 3, updatedAt: tick() }),
  taskMoves: (k) => ({ id: id(), projectId: k('projectId'), taskId: k('taskId'), from: 'todo', to: 'doing', at: tick() }),
};

const FIELDS: { [C in PurgeCollection]: readonly PurgeKeys[C][] } = {
  tasks: ['projectId'],
  rooms: ['projectId'],
  roomMembers: ['projectId', 'roomId'],
  messages: ['projectId', 'roomId'],
  messageCopies: ['messageId', 'linkId'],
  links: ['projectId', 'roomId'],
  linkCursors: [],
  webhooks: ['projectId'],
  webhookDeliveries: ['projectId', 'webhookId'],
  incomingHooks: ['projectId', 'roomId'],
  pluginStates: ['projectId'],
  notifications: ['projectId'],
  deliveries: ['notificationId'],
  embedTokens: ['projectId'],
  invites: ['projectId'],
  members: ['projectId'],
  feedCursors: ['projectId'],
  taskMoves: ['projectId', 'taskId'],
};

forEachStore('Store purge', (h) => {
  it('finds a batch of records by each key and deletes them, leaving records with another key alone', async () => {
    const purge = h.store.purge;
    for (const collection of Object.keys(RECORDS) as PurgeCollection[]) {
      const make = RECORDS[collection] as (k: Keyed) => Entities[typeof collection];
      for (const field of [...FIELDS[collection], 'id'] as (PurgeKeys[typeof collection] | 'id')[]) {
        const label = `${collection}.${field}`;
        const [gone, kept] = [id(), id()];
        const keyed = (value: string): Keyed => (f) => (f === field ? value : id());
        const doomed = [make(keyed(gone)), make(keyed(gone)), make(keyed(gone))];
        const other = make(keyed(kept));
        await insert(h.store, collection, ...doomed, other);
        const [first, ...rest] = doomed;
        expect(await purge.deleteWhere(collection, 'id', [first!.id, 'missing']), label).to.equal(1);
        expect(await purge.deleteWhere(collection, 'id', []), label).to.equal(0);
        if (field === 'id') {
          expect(await purge.deleteWhere(collection, 'id', [...rest, other].map((d) => d.id)), label).to.equal(3);
          continue;
        }
        expect(await purge.ids(collection, field, gone, 1), label).to.have.length(1);
        expect((await purge.ids(collection, field, gone, 10)).toSorted(), label).to.deep.equal(rest.map((d) => d.id).toSorted());
        expect(await purge.ids(collection, field, 'nothing', 10), label).to.deep.equal([]);
        expect(await purge.deleteWhere(collection, field, [gone, 'nothing']), label).to.equal(rest.length);
        expect(await purge.ids(collection, field, gone, 10), label).to.deep.equal([]);
        expect(await purge.ids(collection, field, kept, 10), label).to.deep.equal([other.id]);
        await purge.deleteWhere(collection, 'id', [other.id]);
      }
    }
  });

  it('lists a deleted project while its feed is stored, and drops the feed (changes and head) once, idempotently', async () => {
    const [deleted, live] = [aProject('u'), aProject('u')];
    for (const project of [deleted, live]) {
      await h.store.write({ projectId: project.id }, (uow) => {
        uow.insert('projects', project);
        uow.append({ type: 'project.created', actorId: 'u', data: {} });
      });
    }
    await h.store.write({ projectId: deleted.id }, (uow) => {
      uow.remove('projects', deleted.id);
      uow.append({ type: 'project.deleted', actorId: 'u', data: { id: deleted.id } });
    });
    // A counter alone (an import still staging its records) is no deleted project.
    await h.store.projects.raiseTaskCounter('staging', 5);
    expect(await h.store.purge.deletedProjects(10)).to.deep.equal([deleted.id]);
    expect(await h.store.purge.deletedProjects(0)).to.deep.equal([]);

    expect(await h.store.purge.dropFeed(deleted.id)).to.equal(true);
    expect(await h.store.changes.list(deleted.id, 0, 10)).to.deep.equal([]);
    expect(await h.store.changes.lastSeq(deleted.id)).to.equal(0);
    expect(await h.store.purge.deletedProjects(10)).to.deep.equal([]);
    expect(await h.store.purge.dropFeed(deleted.id)).to.equal(true);
    expect(await h.store.changes.lastSeq(live.id)).to.equal(1);
    expect(await h.store.changes.list(live.id, 0, 10)).to.have.length(1);
    // A late write to the dropped project brings its head back, so the purge finds it again.
    await h.store.write({ projectId: deleted.id }, (uow) => uow.append({ type: 'task.created', actorId: 'u', data: {} }));
    expect(await h.store.purge.deletedProjects(10)).to.deep.equal([deleted.id]);
  });

  it('pages the deleted projects up to the limit', async () => {
    for (let i = 0; i < 3; i++) await h.store.write({ projectId: id() }, (uow) => uow.append({ type: 'project.deleted', actorId: 'u', data: {} }));
    expect(await h.store.purge.deletedProjects(2)).to.have.length(2);
    expect(await h.store.purge.deletedProjects(5)).to.have.length(3);
  });

  it('lists rooms that are gone while their messages remain', async () => {
    const [gone, live] = [aRoom('p'), aRoom('p')];
    await insert(h.store, 'rooms', gone, live);
    await insert(h.store, 'messages', aMessage(gone.id, 'p'), aMessage(gone.id, 'p'), aMessage(live.id, 'p'));
    expect(await h.store.purge.deletedRooms(10)).to.deep.equal([]);
    await h.store.write({ projectId: null }, (uow) => uow.remove('rooms', gone.id));
    expect(await h.store.purge.deletedRooms(10)).to.deep.equal([gone.id]);
    expect(await h.store.purge.deletedRooms(0)).to.deep.equal([]);
    await h.store.purge.deleteWhere('messages', 'roomId', [gone.id]);
    expect(await h.store.purge.deletedRooms(10)).to.deep.equal([]);
  });
});

forEachStore('Store reads for moving a project', (h) => {
  it('raises the task counter so the next number follows the highest kept one', async () => {
    const [p, q] = [aProject('u'), aProject('u')];
    await h.store.projects.raiseTaskCounter(p.id, 41);
    expect(await h.store.projects.nextTaskNumber(p.id)).to.equal(42);
    await h.store.projects.raiseTaskCounter(p.id, 10);
    expect(await h.store.projects.nextTaskNumber(p.id)).to.equal(43);
    expect(await h.store.projects.nextTaskNumber(q.id)).to.equal(1);
  });

  it('lists a room oldest first, after a given message, and nothing after an unknown one', async () => {
    const room = aRoom('p');
    const oldest = aMessage(room.id, 'p');
    const at = tick();
    // Two in the same millisecond keep their (createdAt, id) order.
    const messages = [oldest, aMessage(room.id, 'p', { id: `a-${id()}`, createdAt: at }), aMessage(room.id, 'p', { id: `b-${id()}`, createdAt: at }), aMessage(room.id, 'p')];
    await insert(h.store, 'messages', ...messages.toReversed(), aMessage('other', 'p'));
    const first = await h.store.messages.listOldestFirst(room.id, { limit: 3 });
    expect(first.map((m) => m.id)).to.deep.equal(messages.slice(0, 3).map((m) => m.id));
    const rest = await h.store.messages.listOldestFirst(room.id, { afterId: first[2]!.id, limit: 10 });
    expect(rest.map((m) => m.id)).to.deep.equal([messages[3]!.id]);
    expect(await h.store.messages.listOldestFirst(room.id, { afterId: first[1]!.id, limit: 1 })).to.deep.equal([messages[2]]);
    expect(await h.store.messages.listOldestFirst(room.id, { afterId: 'missing', limit: 10 })).to.deep.equal([]);
    expect(await h.store.messages.listOldestFirst(room.id, { limit: 0 })).to.deep.equal([]);
  });
});
