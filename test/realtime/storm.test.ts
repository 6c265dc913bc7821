// A reconnect storm: many sockets of the same people resubscribe from the same
// seq at once. They share feed reads, encodings, token checks and access checks
// (core/realtime), and each must still get exactly its own replay: every missed
// change once, in order, redacted as it may see it, then live changes.

import { expect } from 'chai';
import type { Change } from '../../core/domain/entities.js';
import { REPLAY_PAGE } from '../../core/realtime/feed-reader.js';
import { forEachApi, registerUser, type TestUser } from '../support/api.js';
import { TestSocket, connectSocket, waitFor, type ChangeEvent } from '../support/socket.js';

const PER_USER = 100;

forEachApi('Reconnect storms', (api) => {
  const sockets: TestSocket[] = [];
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));

  const open = async (user: TestUser) => {
    const socket = await connectSocket(api.url, user.token);
    sockets.push(socket);
    return socket;
  };

  it(`resubscribes ${2 * PER_USER} sockets from one seq at once: each gets exactly its gap-free, redacted replay, read from the feed once`, async function () {
    this.timeout(300_000);
    const [owner, bo] = [await registerUser(api), await registerUser(api)];
    const projectId = (await owner.client.post('/api/projects', { name: 'Storm' })).body.id as string;
    await owner.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'member' });
    const secret = (await owner.client.post(`/api/projects/${projectId}/rooms`, { name: 'owners', private: true })).body as { id: string };

    const first = await Promise.all([...Array.from({ length: PER_USER }, () => open(owner)), ...Array.from({ length: PER_USER }, () => open(bo))]);
    const acks = await Promise.all(first.map((s) => s.subscribe(projectId)));
    expect(acks.every((a) => a.ok)).to.equal(true);
    const since = acks[0]!.lastSeq!;
    expect(acks.every((a) => a.lastSeq === since)).to.equal(true);
    first.forEach((s) => s.close());

    // Missed while away: tasks, messages in the private room (redacted for bo), a public room and its message.
    for (let i = 0; i < 6; i++) {
      await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `missed ${i}` });
      await owner.client.post(`/api/rooms/${secret.id}/messages`, { text: `hidden ${i}` });
    }
    const open2 = (await owner.client.post(`/api/projects/${projectId}/rooms`, { name: 'everyone' })).body as { id: string };
    await owner.client.post(`/api/rooms/${open2.id}/messages`, { text: 'hello all' });

    const reads: number[] = [];
    const changes = api.server.store.changes;
    const list = changes.list;
    changes.list = (pid: string, after: number, limit: number): Promise<Change[]> => {
      // The storm's replay pages (the notifier and the polling endpoint below read the feed too).
      if (pid === projectId && limit === REPLAY_PAGE) reads.push(after);
      return list(pid, after, limit);
    };
    try {
      const storm = [...Array.from({ length: PER_USER }, () => new TestSocket(api.url, owner.token)), ...Array.from({ length: PER_USER }, () => new TestSocket(api.url, bo.token))];
      sockets.push(...storm);
      const resubscribed = await Promise.all(
        storm.map(async (s) => {
          await s.connected(20_000);
          return s.request('subscribe', { projectId, since }, 20_000);
        }),
      );
      expect(resubscribed.every((a) => a.ok)).to.equal(true);
      const latest = resubscribed[0]!.lastSeq!;
      expect(latest - since).to.equal(14);
      await waitFor(() => storm.every((s) => s.changes.length >= latest - since), 30_000, 'every socket to catch up');
      const replayReads = [...reads];

      const polled = async (user: TestUser) =>
        ((await user.client.get(`/api/projects/${projectId}/changes?since=${since}`)).body as { changes: Omit<ChangeEvent, 'projectId'>[] }).changes;
      const [ownerView, boView] = [await polled(owner), await polled(bo)];
      expect(boView.filter((c) => c.type === 'redacted')).to.have.length(6);
      expect(ownerView.filter((c) => c.type === 'redacted')).to.have.length(0);
      storm.forEach((socket, i) => {
        const expected = i < PER_USER ? ownerView : boView;
        expect(socket.seqs(projectId), `socket ${i}`).to.deep.equal(Array.from({ length: latest - since }, (_, k) => since + k + 1));
        expect(socket.changes.map(({ projectId: _p, ...rest }) => rest), `socket ${i}`).to.deep.equal(expected);
        if (i >= PER_USER) expect(JSON.stringify(socket.changes)).to.not.include('hidden');
      });
      // One page read for the whole storm (a few if some sockets came late), not one per socket.
      expect(replayReads.length, `replay pages read from: ${replayReads.join(', ')}`).to.be.at.most(2);

      // Then live: the next change reaches every socket once.
      await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'live after the storm' });
      await waitFor(() => storm.every((s) => s.changes.length === latest - since + 1), 10_000, 'the live change everywhere');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(storm.every((s) => s.changes.length === latest - since + 1 && s.changes.at(-1)!.seq === latest + 1)).to.equal(true);
    } finally {
      changes.list = list;
    }
  });

  it('refuses a revoked token at the next handshake, and a removed member at the next subscribe, however recently they were checked', async () => {
    const [owner, bo] = [await registerUser(api), await registerUser(api)];
    const projectId = (await owner.client.post('/api/projects', { name: 'Cut' })).body.id as string;
    await owner.client.post(`/api/projects/${projectId}/members`, { email: bo.email, role: 'member' });

    // Checked just now (token and access), then removed from the project: the next subscribe is refused.
    const before = await open(bo);
    expect((await before.subscribe(projectId)).ok).to.equal(true);
    const again = await open(bo);
    expect((await again.subscribe(projectId)).ok).to.equal(true);
    await owner.client.delete(`/api/projects/${projectId}/members/${bo.id}`);
    const after = await open(bo);
    expect(await after.subscribe(projectId)).to.deep.include({ ok: false });

    // Handshakes with the owner's session token succeed, then it is logged out: the next handshake is refused.
    await open(owner);
    await owner.client.post('/api/auth/logout');
    const refused = new TestSocket(api.url, owner.token);
    sockets.push(refused);
    let message = '';
    await refused.connected().catch((error: Error) => (message = error.message));
    expect(message).to.equal('unauthenticated');
  });
});
