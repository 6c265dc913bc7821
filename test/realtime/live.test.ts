import { expect } from 'chai';
import { forEachApi, registerUser, type TestUser } from '../support/api.js';
import { TestSocket, connectSocket, waitFor, type ChangeEvent } from '../support/socket.js';

async function projectWith(owner: TestUser, ...members: TestUser[]): Promise<string> {
  const id = (await owner.client.post('/api/projects', { name: 'Live' })).body.id as string;
  for (const m of members) await owner.client.post(`/api/projects/${id}/members`, { email: m.email, role: 'member' });
  return id;
}

forEachApi('Live updates over socket.io', (api) => {
  const sockets: TestSocket[] = [];
  const open = async (user: TestUser | null, token?: string) => {
    const socket = await connectSocket(api.url, token ?? user?.token ?? null);
    sockets.push(socket);
    return socket;
  };
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));

  it('refuses a connection without a valid token with connect_error "unauthenticated"', async () => {
    for (const token of [null, 'tws_not-a-real-token-000000000000']) {
      const socket = new TestSocket(api.url, token);
      sockets.push(socket);
      let message = '';
      await socket.connected().catch((error: Error) => (message = error.message));
      expect(message).to.equal('unauthenticated');
    }
  });

  it('delivers a REST change to every allowed subscriber within 200 ms, and refuses non-members at subscribe', async () => {
    const [owner, bo, eve] = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const projectId = await projectWith(owner, bo);
    const [a, b, e] = [await open(owner), await open(bo), await open(eve)];
    const ackA = await a.subscribe(projectId);
    expect(ackA).to.deep.include({ ok: true });
    expect((await b.subscribe(projectId)).ok).to.equal(true);
    const refused = await e.subscribe(projectId);
    expect(refused).to.deep.equal({ ok: false, error: { code: 'not_found', message: 'Project not found.', details: [] } });

    const sent = Date.now();
    const created = (await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Live one' })).body;
    await waitFor(() => a.changes.length > 0 && b.changes.length > 0, 2000, 'both sockets got the change');
    const elapsed = Date.now() - sent;
    expect(elapsed, `REST call to last socket took ${elapsed} ms`).to.be.below(200);
    for (const socket of [a, b]) {
      expect(socket.changes[0]).to.deep.include({ projectId, type: 'task.created', seq: ackA.lastSeq! + 1 });
      expect(socket.changes[0]!.data).to.deep.include({ id: created.id, title: 'Live one' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(e.changes).to.deep.equal([]);
  });

  it('after missing 500 changes, a resubscribe with the last seq gets exactly those 500 in order, then live ones', async function () {
    this.timeout(240_000);
    const owner = await registerUser(api);
    const projectId = await projectWith(owner);
    const socket = await open(owner);
    const ack = await socket.subscribe(projectId);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'before' });
    await waitFor(() => socket.changes.length === 1);
    const lastSeen = socket.changes[0]!.seq;
    socket.close();

    for (let i = 0; i < 500; i++) await owner.client.post(`/api/rooms/${await generalRoom(owner, projectId)}/messages`, { text: `missed ${i}` });
    const back = await open(owner);
    const resumed = await back.subscribe(projectId, lastSeen);
    expect(resumed.ok).to.equal(true);
    expect(resumed.lastSeq).to.equal(lastSeen + 500);
    await waitFor(() => back.changes.length >= 500, 30_000, 'the replay');
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'live again' });
    await waitFor(() => back.changes.length >= 501, 5000, 'the live change after the replay');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(back.seqs()).to.deep.equal(Array.from({ length: 501 }, (_, i) => lastSeen + 1 + i));
    expect(back.changes.at(-1)!.type).to.equal('task.created');
    void ack;
  });

  it('sends the same sequence on the socket as the polling endpoint, with the same redactions', async () => {
    const [owner, bo] = [await registerUser(api), await registerUser(api)];
    const projectId = await projectWith(owner, bo);
    const socket = await open(bo);
    await socket.subscribe(projectId, 0);
    const secret = (await owner.client.post(`/api/projects/${projectId}/rooms`, { name: 'owners', private: true })).body;
    await owner.client.post(`/api/rooms/${secret.id}/messages`, { text: 'hidden' });
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'visible' });
    const polled = (await bo.client.get(`/api/projects/${projectId}/changes?since=0`)).body as { changes: Omit<ChangeEvent, 'projectId'>[]; lastSeq: number };
    await waitFor(() => socket.changes.length === polled.lastSeq, 5000, 'the socket to catch up');
    expect(socket.changes.map(({ projectId: _p, ...rest }) => rest)).to.deep.equal(polled.changes);
    expect(polled.changes.filter((c) => c.type === 'redacted')).to.have.length(2);
    expect(JSON.stringify(socket.changes)).to.not.include('hidden');
  });

  it('cuts sockets within 1 s when their token is logged out or deleted, and unsubscribes a removed member', async () => {
    const [owner, bo] = [await registerUser(api), await registerUser(api)];
    const projectId = await projectWith(owner, bo);
    const session = await open(owner);
    const apiToken = (await owner.client.post('/api/tokens', { name: 'script' })).body;
    const scripted = await open(null, apiToken.token);
    const member = await open(bo);
    await member.subscribe(projectId);

    const sessionGone = gone(session);
    await owner.client.post('/api/auth/logout');
    expect(await sessionGone).to.be.below(1000);

    const fresh = (await owner.client.as(null).post('/api/auth/login', { email: owner.email, password: 'correct horse battery' })).body.token as string;
    const scriptGone = gone(scripted);
    await owner.client.as(fresh).delete(`/api/tokens/${apiToken.id}`);
    expect(await scriptGone).to.be.below(1000);

    const removedAt = Date.now();
    await owner.client.as(fresh).delete(`/api/projects/${projectId}/members/${bo.id}`);
    await waitFor(() => member.events.some((e) => e.name === 'unsubscribed'), 1000, 'the removed member to be unsubscribed');
    expect(Date.now() - removedAt).to.be.below(1000);
    await owner.client.as(fresh).post(`/api/projects/${projectId}/tasks`, { title: 'after removal' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(member.changes.map((c) => c.type)).to.deep.equal(['member.removed']);
  });

  it('answers malformed payloads with error acks and a flood with a disconnect, and keeps serving others', async () => {
    const owner = await registerUser(api);
    const projectId = await projectWith(owner);
    const bad = await open(owner);
    for (const payload of [null, 'x', 42, [], { projectId: 5 }, { projectId: projectId, since: -1 }, { projectId, since: 'a' }, { projectId, role: 'owner' }, { projectId, since: 1e12 }]) {
      const ack = await bad.request('subscribe', payload);
      expect(ack.ok, JSON.stringify(payload)).to.equal(false);
      expect(ack.error!.code).to.equal('validation_failed');
    }
    expect((await bad.request('unsubscribe', { nope: 1 })).error!.code).to.equal('validation_failed');
    bad.socket.emit('subscribe', { projectId });
    bad.socket.emit('no-such-event', { x: 1 });
    expect(bad.socket.connected).to.equal(true);

    const good = await open(owner);
    await good.subscribe(projectId);
    const flooder = await open(owner);
    const disconnected = new Promise<void>((resolve) => flooder.socket.once('disconnect', () => resolve()));
    for (let i = 0; i < 500; i++) flooder.socket.emit('activity', {});
    await disconnected;
    const huge = await open(owner);
    const hugeGone = new Promise<void>((resolve) => huge.socket.once('disconnect', () => resolve()));
    huge.socket.emit('subscribe', { projectId, padding: 'x'.repeat(200_000) });
    await hugeGone;

    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'still served' });
    await waitFor(() => good.changes.some((c) => c.type === 'task.created'), 2000, 'the well-behaved socket to be served');
  });
});

function gone(s: TestSocket): Promise<number> {
  const t = Date.now();
  return new Promise<number>((resolve) => s.socket.once('disconnect', () => resolve(Date.now() - t)));
}

async function generalRoom(owner: TestUser, projectId: string): Promise<string> {
  const cached = generalRooms.get(projectId);
  if (cached) return cached;
  const id = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items.find((r: { name: string }) => r.name === 'general').id as string;
  generalRooms.set(projectId, id);
  return id;
}
const generalRooms = new Map<string, string>();
