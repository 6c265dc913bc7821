import { expect } from 'chai';
import { forEachApi, registerUser, type ApiServer, type TestUser } from '../support/api.js';

interface Team {
  projectId: string;
  generalId: string;
  owner: TestUser;
  admin: TestUser;
  member: TestUser;
  other: TestUser;
  viewer: TestUser;
  outsider: TestUser;
}

async function team(api: ApiServer): Promise<Team> {
  const [owner, admin, member, other, viewer, outsider] = await Promise.all(['Owner', 'Admin', 'Member', 'Other', 'Viewer', 'Outsider'].map((n) => registerUser(api, n)));
  const projectId = (await owner!.client.post('/api/projects', { name: 'Rooms' })).body.id as string;
  for (const [user, role] of [[admin, 'admin'], [member, 'member'], [other, 'member'], [viewer, 'viewer']] as const) {
    expect((await owner!.client.post(`/api/projects/${projectId}/members`, { email: user!.email, role })).status).to.equal(201);
  }
  const rooms = (await owner!.client.get(`/api/projects/${projectId}/rooms`)).body.items as { id: string; name: string }[];
  return { projectId, generalId: rooms.find((r) => r.name === 'general')!.id, owner: owner!, admin: admin!, member: member!, other: other!, viewer: viewer!, outsider: outsider! };
}

async function lastSeq(t: Team): Promise<number> {
  return (await t.owner.client.get(`/api/projects/${t.projectId}/changes?since=0&limit=1`)).body.lastSeq;
}

/** The changes after `since` as `user` sees them. */
async function changesSince(t: Team, since: number, user: TestUser = t.owner): Promise<any[]> {
  const reply = await user.client.get(`/api/projects/${t.projectId}/changes?since=${since}`);
  expect(reply.status).to.equal(200);
  return reply.body.changes;
}

/** Runs one write and checks it appended exactly one change, of `type`; returns that change. */
async function oneChange(t: Team, type: string, write: () => Promise<unknown>): Promise<any> {
  const since = await lastSeq(t);
  await write();
  const changes = await changesSince(t, since);
  expect(changes.map((c) => c.type)).to.deep.equal([type]);
  return changes[0];
}

const names = (items: { name: string }[]) => items.map((r) => r.name);

forEachApi('Rooms', (api) => {
  let t: Team;
  beforeEach(async () => {
    t = await team(api);
  });

  it('creates rooms by members, with a valid and unique name, one room.created each', async () => {
    let room: any;
    const change = await oneChange(t, 'room.created', async () => {
      const reply = await t.member.client.post(`/api/projects/${t.projectId}/rooms`, { name: 'design-2', topic: '  Pixels  ' });
      expect(reply.status).to.equal(201);
      room = reply.body;
    });
    expect(room).to.include({ projectId: t.projectId, name: 'design-2', topic: 'Pixels', private: false, createdBy: t.member.id });
    expect(change.data).to.deep.equal(room);
    expect(names((await t.viewer.client.get(`/api/projects/${t.projectId}/rooms`)).body.items)).to.deep.equal(['general', 'design-2']);
    expect((await t.viewer.client.get(`/api/rooms/${room.id}`)).body).to.deep.equal(room);

    const post = (body: unknown, user = t.member) => user.client.post(`/api/projects/${t.projectId}/rooms`, body);
    expect((await post({ name: 'design-2' })).status).to.equal(409);
    expect((await post({ name: 'general' })).status).to.equal(409);
    for (const name of ['Design', 'my room', '-dash', '', 'x'.repeat(81), 'caf\u00e9']) {
      const reply = await post({ name });
      expect(reply.status, name).to.equal(400);
      expect(reply.body.error.details[0].path).to.equal('name');
    }
    expect((await post({ name: 'x'.repeat(80) })).status).to.equal(201);
    expect((await post({ name: 'nope' }, t.viewer)).status).to.equal(403);
    expect((await post({ name: 'nope' }, t.outsider)).status).to.equal(404);
  });

  it('lets room and project admins rename and re-topic, and project admins delete; general stays', async () => {
    const room = (await t.member.client.post(`/api/projects/${t.projectId}/rooms`, { name: 'ops' })).body;
    expect((await t.other.client.patch(`/api/rooms/${room.id}`, { topic: 'mine now' })).status).to.equal(403);
    // Creating a public room does not make one its admin: public rooms belong to the project.
    expect((await t.member.client.patch(`/api/rooms/${room.id}`, { topic: 'x' })).status).to.equal(403);
    const change = await oneChange(t, 'room.updated', async () => {
      const reply = await t.admin.client.patch(`/api/rooms/${room.id}`, { name: 'ops-team', topic: 'On call' });
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({ id: room.id, name: 'ops-team', topic: 'On call' });
    });
    expect(change.data).to.include({ id: room.id, name: 'ops-team' });
    expect((await t.admin.client.patch(`/api/rooms/${room.id}`, {})).status).to.equal(400);
    expect((await t.admin.client.patch(`/api/rooms/${room.id}`, { name: 'general' })).status).to.equal(409);
    expect((await t.owner.client.patch(`/api/rooms/${t.generalId}`, { name: 'lobby' })).status).to.equal(409);
    expect((await t.owner.client.patch(`/api/rooms/${t.generalId}`, { topic: 'Everything' })).status).to.equal(200);

    expect((await t.member.client.delete(`/api/rooms/${room.id}`)).status).to.equal(403);
    expect((await t.owner.client.delete(`/api/rooms/${t.generalId}`)).status).to.equal(409);
    const deleted = await oneChange(t, 'room.deleted', async () => expect((await t.admin.client.delete(`/api/rooms/${room.id}`)).status).to.equal(204));
    expect(deleted.data).to.deep.equal({ id: room.id, projectId: t.projectId, private: false });
    expect((await t.member.client.get(`/api/rooms/${room.id}`)).status).to.equal(404);
    expect((await t.member.client.post(`/api/rooms/${room.id}/messages`, { text: 'hello?' })).status).to.equal(404);
    expect(names((await t.member.client.get(`/api/projects/${t.projectId}/rooms`)).body.items)).to.deep.equal(['general']);
  });

  it('keeps a private room, its messages and its changes from those outside it', async () => {
    const since = await lastSeq(t);
    const room = (await t.member.client.post(`/api/projects/${t.projectId}/rooms`, { name: 'secret', private: true })).body;
    expect((await t.member.client.get(`/api/rooms/${room.id}/members`)).body.items).to.deep.equal([
      { roomId: room.id, userId: t.member.id, role: 'admin', createdAt: room.createdAt },
    ]);
    const message = (await t.member.client.post(`/api/rooms/${room.id}/messages`, { text: 'just us' })).body;
    expect(message.text).to.equal('just us');

    // Another member: as if the room did not exist.
    for (const path of [`/api/rooms/${room.id}`, `/api/rooms/${room.id}/messages`, `/api/rooms/${room.id}/members`, `/api/messages/${message.id}`]) {
      expect((await t.other.client.get(path)).status, path).to.equal(404);
    }
    expect((await t.other.client.post(`/api/rooms/${room.id}/messages`, { text: 'knock' })).status).to.equal(404);
    expect((await t.other.client.patch(`/api/messages/${message.id}`, { text: 'x' })).status).to.equal(404);
    expect((await t.other.client.delete(`/api/messages/${message.id}`)).status).to.equal(404);
    expect(names((await t.other.client.get(`/api/projects/${t.projectId}/rooms`)).body.items)).to.deep.equal(['general']);
    expect(await changesSince(t, since, t.other)).to.deep.equal([
      { seq: since + 1, type: 'redacted' },
      { seq: since + 2, type: 'redacted' },
    ]);
    // Its members see everything.
    const seen = await changesSince(t, since, t.member);
    expect(seen.map((c) => c.type)).to.deep.equal(['room.created', 'message.created']);
    expect(seen[1].data).to.deep.equal(message);

    // A project admin administers the room (sees it, manages members) but reads its messages only as a member.
    expect(names((await t.owner.client.get(`/api/projects/${t.projectId}/rooms`)).body.items)).to.include('secret');
    expect((await t.owner.client.get(`/api/rooms/${room.id}`)).status).to.equal(200);
    expect((await t.owner.client.get(`/api/rooms/${room.id}/messages`)).status).to.equal(403);
    expect((await t.owner.client.get(`/api/messages/${message.id}`)).status).to.equal(404);
    expect((await changesSince(t, since, t.owner)).map((c) => c.type)).to.deep.equal(['room.created', 'redacted']);

    // Added, the other member sees the room and its history; removed, it is gone again.
    const added = await oneChange(t, 'room.member_added', async () =>
      expect((await t.member.client.post(`/api/rooms/${room.id}/members`, { userId: t.other.id })).status).to.equal(201),
    );
    expect(added.data).to.include({ roomId: room.id, userId: t.other.id, role: 'member' });
    expect((await t.other.client.get(`/api/rooms/${room.id}/messages`)).body.items.map((m: any) => m.id)).to.deep.equal([message.id]);
    expect((await changesSince(t, since, t.other)).map((c) => c.type)).to.deep.equal(['room.created', 'message.created', 'room.member_added']);
    // A plain room member cannot manage members; the room admin can.
    expect((await t.other.client.post(`/api/rooms/${room.id}/members`, { userId: t.admin.id })).status).to.equal(403);
    const removed = await oneChange(t, 'room.member_removed', async () =>
      expect((await t.member.client.delete(`/api/rooms/${room.id}/members/${t.other.id}`)).status).to.equal(204),
    );
    expect(removed.data).to.deep.equal({ roomId: room.id, projectId: t.projectId, userId: t.other.id });
    expect((await t.other.client.get(`/api/rooms/${room.id}`)).status).to.equal(404);
  });

  it('manages room members: project members only, no duplicates, leaving allowed', async () => {
    const room = (await t.admin.client.post(`/api/projects/${t.projectId}/rooms`, { name: 'crew', private: true })).body;
    const add = (userId: string, role?: string) => t.admin.client.post(`/api/rooms/${room.id}/members`, role ? { userId, role } : { userId });
    const notMember = await add(t.outsider.id);
    expect(notMember.status).to.equal(404);
    expect(notMember.body.error.details).to.deep.equal([{ path: 'userId', message: 'must be a member of the project' }]);
    expect((await add(t.member.id, 'admin')).body).to.include({ role: 'admin' });
    expect((await add(t.member.id)).status).to.equal(409);
    expect((await add(t.viewer.id)).status).to.equal(201);
    expect((await t.admin.client.post(`/api/rooms/${room.id}/members`, { userId: t.other.id, role: 'owner' })).status).to.equal(400);
    // A room admin who is a plain project member manages members too.
    expect((await t.member.client.post(`/api/rooms/${room.id}/members`, { userId: t.other.id })).status).to.equal(201);
    const list = (await t.viewer.client.get(`/api/rooms/${room.id}/members`)).body.items as { userId: string }[];
    expect(list.map((m) => m.userId)).to.have.members([t.admin.id, t.member.id, t.viewer.id, t.other.id]);
    // A viewer reads a private room it is in, and may leave it; it may not remove others.
    expect((await t.viewer.client.get(`/api/rooms/${room.id}/messages`)).status).to.equal(200);
    expect((await t.viewer.client.delete(`/api/rooms/${room.id}/members/${t.other.id}`)).status).to.equal(403);
    await oneChange(t, 'room.member_removed', async () => expect((await t.viewer.client.delete(`/api/rooms/${room.id}/members/${t.viewer.id}`)).status).to.equal(204));
    expect((await t.viewer.client.get(`/api/rooms/${room.id}`)).status).to.equal(404);
    expect((await t.admin.client.delete(`/api/rooms/${room.id}/members/${t.viewer.id}`)).status).to.equal(404);
    // Leaving the project leaves its rooms too.
    expect((await t.owner.client.delete(`/api/projects/${t.projectId}/members/${t.other.id}`)).status).to.equal(204);
    expect((await t.admin.client.get(`/api/rooms/${room.id}/members`)).body.items.map((m: any) => m.userId)).to.not.include(t.other.id);
  });
});
