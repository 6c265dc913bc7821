// Deleting a project or a room: unreachable through every route at once, and
// its records purged from the store by a background job soon after, another
// project untouched. A deletion the bus never announced (a crash, a lost
// message) is found by the reconciler from what the store still holds.

import { expect } from 'chai';
import { pluginCursorId } from '../../core/services/plugins.js';
import type { Store } from '../../core/store/ports.js';
import { registerUser, STORE_KINDS, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Purges start at once and run in small batches (so several batches are needed); the reconciler runs every 300 ms. */
const TUNING = { ...TEST_TUNING, jobs: { ...TEST_TUNING.jobs, purge: { delayMs: 0, batch: 2, reconcileEveryMs: 300 } } };

interface Built {
  projectId: string;
  generalId: string;
  privateId: string;
  taskIds: string[];
  messageIds: string[];
  webhookId: string;
  linkId: string;
  hookUrl: string;
  hookId: string;
}

/** A project with something in every collection a purge clears (`small`: tasks, rooms and messages only). */
async function buildProject(api: ApiServer, owner: TestUser, member: TestUser, receiver: WebhookReceiver, name: string, small = false): Promise<Built> {
  const c = owner.client;
  const projectId = (await c.post('/api/projects', { name })).body.id as string;
  expect((await c.post(`/api/projects/${projectId}/members`, { email: member.email, role: 'member' })).status).to.equal(201);
  const generalId = (await c.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
  const privateId = (await c.post(`/api/projects/${projectId}/rooms`, { name: 'secret', private: true })).body.id as string;
  expect((await c.post(`/api/rooms/${privateId}/members`, { userId: member.id })).status).to.equal(201);
  const webhookId = small ? '' : ((await c.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['task.*'] })).body.id as string);
  const taskIds: string[] = [];
  for (const title of ['One', 'Two', 'Three']) {
    taskIds.push((await c.post(`/api/projects/${projectId}/tasks`, { title, assigneeId: member.id, labels: ['x'] })).body.id);
  }
  const messageIds: string[] = [];
  for (const [roomId, text] of [[generalId, 'hello'], [privateId, 'psst'], [generalId, 'again']] as const) {
    messageIds.push((await c.post(`/api/rooms/${roomId}/messages`, { text })).body.id);
  }
  if (small) return { projectId, generalId, privateId, taskIds, messageIds, webhookId, linkId: '', hookUrl: '', hookId: '' };
  const link = await c.post(`/api/projects/${projectId}/links`, { platform: 'slack', teamId: 'T0TEAM', channelId: `C0${name.toUpperCase()}`, roomId: generalId });
  expect(link.status, JSON.stringify(link.body)).to.equal(201);
  // A mirrored copy, as the Slack bridge records it.
  await api.server.store.write({ projectId: null }, (uow) =>
    uow.insert('messageCopies', { id: `copy-${messageIds[0]}`, messageId: messageIds[0]!, linkId: link.body.id, platform: 'slack', channelId: `C0${name.toUpperCase()}`, externalId: `ts-${name}`, direction: 'outbound', createdAt: new Date().toISOString() }),
  );
  const hook = await c.post(`/api/rooms/${generalId}/hooks`, { name: 'CI' });
  expect(hook.status).to.equal(201);
  expect((await c.post(`/api/projects/${projectId}/embed-tokens`, { name: 'site', origins: ['https://site.example'], role: 'viewer', identity: 'anonymous' })).status).to.equal(201);
  expect((await c.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: true })).status).to.equal(200);
  await c.post(`/api/projects/${projectId}/members`, { email: 'nobody-yet@example.test', role: 'viewer' });
  return { projectId, generalId, privateId, taskIds, messageIds, webhookId, linkId: link.body.id, hookUrl: new URL(hook.body.url).pathname, hookId: hook.body.id };
}

const count = async (read: () => Promise<unknown[]>): Promise<number> => (await read()).length;

/** Everything of the project the store still holds, by collection (empty once purged). */
async function leftovers(store: Store, b: Built, memberId: string): Promise<Record<string, number>> {
  const notifications = (await store.notifications.listByUser(memberId, { unreadOnly: false }, { limit: 200 })).items.filter((n) => n.projectId === b.projectId);
  const found: Record<string, number> = {
    tasks: (await Promise.all(b.taskIds.map((id) => store.tasks.get(id)))).filter(Boolean).length,
    taskList: (await store.tasks.list(b.projectId, { statusOrder: ['todo', 'doing', 'done'] }, { limit: 50 })).items.length,
    rooms: await count(() => store.rooms.listByProject(b.projectId)),
    roomMembers: await count(() => store.roomMembers.listByRoom(b.privateId)),
    messages: (await Promise.all(b.messageIds.map((id) => store.messages.get(id)))).filter(Boolean).length,
    messageCopies: await count(() => store.messageCopies.listByMessage(b.messageIds[0]!)),
    links: await count(() => store.links.listByProject(b.projectId)),
    linkCursors: (await Promise.all([b.linkId, b.webhookId, pluginCursorId('time-tracking', b.projectId)].map((id) => store.linkCursors.get(id)))).filter(Boolean).length,
    webhooks: await count(() => store.webhooks.listByProject(b.projectId)),
    webhookDeliveries: (await store.webhookDeliveries.listByWebhook(b.webhookId, { limit: 50 })).items.length,
    incomingHooks: await count(() => store.incomingHooks.listByRoom(b.generalId)),
    pluginStates: await count(() => store.pluginStates.listByProject(b.projectId)),
    notifications: notifications.length,
    deliveries: await count(() => store.deliveries.listByNotifications(notifications.map((n) => n.id))),
    embedTokens: await count(() => store.embedTokens.listByProject(b.projectId)),
    members: (await store.members.listByProject(b.projectId, { limit: 50 })).items.length,
    invites: await count(() => store.invites.listByProject(b.projectId)),
    feedCursors: (await store.feedCursors.get(`notifier.${b.projectId}`)) ? 1 : 0,
    changes: await count(() => store.changes.list(b.projectId, 0, 1000)),
    lastSeq: await store.changes.lastSeq(b.projectId),
  };
  return Object.fromEntries(Object.entries(found).filter(([, n]) => n > 0));
}

for (const kind of STORE_KINDS) {
  describe(`Purging deleted projects and rooms [${kind}]`, function () {
    this.timeout(60_000);
    let api: ApiServer;
    let receiver: WebhookReceiver;
    let owner: TestUser;
    let member: TestUser;

    before(async function () {
      this.timeout(600_000);
      api = await startApi(kind, this, TUNING, { WEBHOOK_ALLOW_PRIVATE: 'true' });
      receiver = await startReceiver();
      owner = await registerUser(api, 'Olga Owner');
      member = await registerUser(api, 'Mo Member');
    });
    after(async () => {
      await receiver?.stop();
      await api?.stop();
    });

    it('answers 404 on every route at once, then purges every record and the feed, leaving another project as it was', async () => {
      const doomed = await buildProject(api, owner, member, receiver, 'doomed');
      const kept = await buildProject(api, owner, member, receiver, 'kept', true);
      const store = api.server.store;
      // Wait for the jobs that write per project (webhook deliveries, the notifier's cursor and notices) to have run.
      const built = await eventually(() => leftovers(store, doomed, member.id), (l) => (l.webhookDeliveries ?? 0) >= 3 && l.feedCursors === 1 && (l.deliveries ?? 0) >= 3, 15_000, 'the jobs of a new project');
      for (const key of ['tasks', 'rooms', 'roomMembers', 'messages', 'messageCopies', 'links', 'linkCursors', 'webhooks', 'incomingHooks', 'pluginStates', 'notifications', 'embedTokens', 'members', 'invites', 'changes']) {
        expect(built[key], `${key} in a fresh project`).to.be.above(0);
      }
      const before = await leftovers(store, kept, member.id);

      expect((await owner.client.delete(`/api/projects/${doomed.projectId}`)).status).to.equal(204);
      const p = `/api/projects/${doomed.projectId}`;
      const reads = [
        p, `${p}/tasks`, `${p}/rooms`, `${p}/members`, `${p}/changes?since=0`, `${p}/links`, `${p}/webhooks`, `${p}/embed-tokens`, `${p}/plugins`, `${p}/invites`,
        `/api/tasks/${doomed.taskIds[0]}`, `/api/rooms/${doomed.generalId}`, `/api/rooms/${doomed.generalId}/messages`, `/api/rooms/${doomed.privateId}/members`,
        `/api/rooms/${doomed.generalId}/hooks`, `/api/messages/${doomed.messageIds[0]}`, `/api/webhooks/${doomed.webhookId}/deliveries`,
        `/api/plugins/time-tracking/projects/${doomed.projectId}/report?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z`,
      ];
      const answers = await Promise.all([...reads.map((path) => owner.client.get(path)), ...reads.slice(0, 4).map((path) => member.client.get(path))]);
      answers.forEach((answer, i) => expect(answer.status, `GET ${reads[i % reads.length]}`).to.equal(404));
      expect((await owner.client.post(`/api/rooms/${doomed.generalId}/messages`, { text: 'late' })).status).to.equal(404);
      expect((await owner.client.patch(`/api/tasks/${doomed.taskIds[0]}`, { title: 'late', version: 1 })).status).to.equal(404);
      expect((await owner.client.post(doomed.hookUrl, { text: 'late' })).status).to.equal(404);
      expect((await owner.client.get('/api/projects')).body.items.map((x: { id: string }) => x.id)).to.not.include(doomed.projectId);

      await eventually(() => leftovers(store, doomed, member.id), (l) => Object.keys(l).length === 0, 20_000, 'the purge of the deleted project');
      expect(await store.purge.deletedProjects(100)).to.not.include(doomed.projectId);
      const after = await leftovers(store, kept, member.id);
      // The kept project only grows (its webhook and notifier may still be catching up), never loses a record.
      for (const [key, n] of Object.entries(before)) expect(after[key] ?? 0, key).to.be.at.least(n);
      expect((await owner.client.get(`/api/projects/${kept.projectId}/tasks`)).body.items).to.have.length(3);
      expect((await owner.client.get(`/api/rooms/${kept.generalId}/messages`)).body.items).to.have.length(2);
    });

    it('purges a deleted room\'s messages, links and hooks, and nothing of the other rooms', async () => {
      const c = owner.client;
      const projectId = (await c.post('/api/projects', { name: 'Rooms' })).body.id as string;
      const generalId = (await c.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
      const roomId = (await c.post(`/api/projects/${projectId}/rooms`, { name: 'temp' })).body.id as string;
      const texts = ['a', 'b', 'c', 'd', 'e'];
      const ids: string[] = [];
      for (const text of texts) ids.push((await c.post(`/api/rooms/${roomId}/messages`, { text })).body.id);
      await c.post(`/api/rooms/${generalId}/messages`, { text: 'stays' });
      await c.post(`/api/rooms/${roomId}/hooks`, { name: 'CI' });
      await c.post(`/api/projects/${projectId}/links`, { platform: 'slack', teamId: 'T0TEAM', channelId: 'C0TEMP', roomId });
      expect((await c.delete(`/api/rooms/${roomId}`)).status).to.equal(204);
      expect((await c.get(`/api/rooms/${roomId}/messages`)).status).to.equal(404);
      expect((await c.get(`/api/messages/${ids[0]}`)).status).to.equal(404);

      const store = api.server.store;
      await eventually(
        async () => ({
          messages: (await Promise.all(ids.map((id) => store.messages.get(id)))).filter(Boolean).length,
          hooks: (await store.incomingHooks.listByRoom(roomId)).length,
          links: (await store.links.listByRoom(roomId)).length,
        }),
        (left) => left.messages + left.hooks + left.links === 0,
        15_000,
        'the purge of the deleted room',
      );
      expect((await c.get(`/api/rooms/${generalId}/messages`)).body.items.map((m: { text: string }) => m.text)).to.deep.equal(['stays']);
      expect((await c.get(`/api/projects/${projectId}/changes?since=0`)).body.changes.map((ch: { type: string }) => ch.type)).to.include('room.deleted');
    });

    it('finds and finishes a purge nobody queued, from what the store still holds', async () => {
      const c = owner.client;
      const projectId = (await c.post('/api/projects', { name: 'Orphan' })).body.id as string;
      const taskIds: string[] = [];
      for (const title of ['a', 'b', 'c']) taskIds.push((await c.post(`/api/projects/${projectId}/tasks`, { title })).body.id);
      const store = api.server.store;
      const project = (await store.projects.get(projectId))!;
      const members = (await store.members.listByProject(projectId, { limit: 10 })).items;
      // As a deletion whose announcement was lost (a crash right after the commit): no bus message, so no purge queued.
      await store.write({ projectId }, (uow) => {
        uow.remove('projects', project.id);
        members.forEach((m) => uow.remove('members', m.id));
        uow.append({ type: 'project.deleted', actorId: owner.id, data: { id: projectId } });
      });
      // And a purge cut off half-way: some tasks already gone.
      await store.purge.deleteWhere('tasks', 'id', [taskIds[0]!]);
      await eventually(
        async () => ({ tasks: (await Promise.all(taskIds.map((id) => store.tasks.get(id)))).filter(Boolean).length, lastSeq: await store.changes.lastSeq(projectId) }),
        (left) => left.tasks === 0 && left.lastSeq === 0,
        15_000,
        'the reconciled purge',
      );
      expect((await store.rooms.listByProject(projectId)).length).to.equal(0);
    });
  });
}
