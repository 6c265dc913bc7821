import { expect } from 'chai';
import { forEachApi, registerUser, type TestUser } from '../support/api.js';

interface FeedChange {
  seq: number;
  type: string;
  at?: string;
  actorId?: string | null;
  data?: Record<string, unknown>;
}

async function feed(user: TestUser, projectId: string, since = 0): Promise<{ changes: FeedChange[]; lastSeq: number }> {
  const reply = await user.client.get(`/api/projects/${projectId}/changes?since=${since}&limit=1000`);
  expect(reply.status).to.equal(200);
  return reply.body;
}

forEachApi('Change feed over HTTP', (api) => {
  it('appends exactly one change of the right type for every kind of write, with no gaps', async () => {
    const [owner, bo] = [await registerUser(api), await registerUser(api)];
    const project = (await owner.client.post('/api/projects', { name: 'Feed' })).body;
    const p = project.id as string;
    let last = (await feed(owner, p)).lastSeq;
    const general = (await owner.client.get(`/api/projects/${p}/rooms`)).body.items[0];

    const steps: [string, () => Promise<{ status: number; body?: any }>][] = [
      ['project.updated', () => owner.client.patch(`/api/projects/${p}`, { description: 'new' })],
      ['member.added', () => owner.client.post(`/api/projects/${p}/members`, { email: bo.email, role: 'member' })],
      ['member.updated', () => owner.client.patch(`/api/projects/${p}/members/${bo.id}`, { role: 'admin' })],
      ['member.invited', () => owner.client.post(`/api/projects/${p}/members`, { email: 'later@example.test', role: 'viewer' })],
      ['task.created', () => owner.client.post(`/api/projects/${p}/tasks`, { title: 'One' })],
      ['room.created', () => owner.client.post(`/api/projects/${p}/rooms`, { name: 'side' })],
      ['message.created', () => owner.client.post(`/api/rooms/${general.id}/messages`, { text: 'hello' })],
    ];
    const results: Record<string, any> = {};
    for (const [type, step] of steps) {
      const reply = await step();
      expect(reply.status, `${type}: ${JSON.stringify(reply.body)}`).to.be.within(200, 204);
      results[type] = reply.body;
      const now = await feed(owner, p, last);
      expect(now.changes.map((c) => c.type), `after the write that should append ${type}`).to.deep.equal([type]);
      expect(now.changes[0]!.seq).to.equal(last + 1);
      last = now.lastSeq;
    }
    const task = results['task.created'];
    const message = results['message.created'];
    const room = results['room.created'];
    const more: [string, () => Promise<{ status: number; body?: any }>][] = [
      ['task.updated', () => owner.client.patch(`/api/tasks/${task.id}`, { title: 'One!', version: task.version })],
      ['task.moved', () => owner.client.post(`/api/tasks/${task.id}/move`, { status: 'doing', version: task.version + 1 })],
      ['task.deleted', () => owner.client.delete(`/api/tasks/${task.id}`)],
      ['message.updated', () => owner.client.patch(`/api/messages/${message.id}`, { text: 'hello!' })],
      ['message.deleted', () => owner.client.delete(`/api/messages/${message.id}`)],
      ['room.updated', () => owner.client.patch(`/api/rooms/${room.id}`, { topic: 'misc' })],
      ['room.deleted', () => owner.client.delete(`/api/rooms/${room.id}`)],
      ['member.removed', () => owner.client.delete(`/api/projects/${p}/members/${bo.id}`)],
    ];
    for (const [type, step] of more) {
      const reply = await step();
      expect(reply.status, `${type}: ${JSON.stringify(reply.body)}`).to.be.within(200, 204);
      const now = await feed(owner, p, last);
      expect(now.changes.map((c) => c.type), `after the write that should append ${type}`).to.deep.equal([type]);
      last = now.lastSeq;
    }
    const all = await feed(owner, p);
    expect(all.changes.map((c) => c.seq)).to.deep.equal(Array.from({ length: all.lastSeq }, (_, i) => i + 1));
    const taskCreated = all.changes.find((c) => c.type === 'task.created')!;
    expect(taskCreated.data).to.deep.include({ id: task.id, title: 'One', projectId: p });
    expect(taskCreated.actorId).to.equal(owner.id);
    expect(all.changes.find((c) => c.type === 'task.deleted')!.data).to.include({ id: task.id });
  });

  it('redacts a private room\'s changes for non-members, also after the room is deleted', async () => {
    const [owner, insider, outsider] = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const p = (await owner.client.post('/api/projects', { name: 'Secrets' })).body.id as string;
    await owner.client.post(`/api/projects/${p}/members`, { email: insider.email, role: 'member' });
    await owner.client.post(`/api/projects/${p}/members`, { email: outsider.email, role: 'member' });
    const room = (await insider.client.post(`/api/projects/${p}/rooms`, { name: 'hush', private: true })).body;
    const message = (await insider.client.post(`/api/rooms/${room.id}/messages`, { text: 'the secret plan' })).body;
    expect(message.id).to.be.a('string');

    const seen = await feed(insider, p);
    const hidden = await feed(outsider, p);
    expect(hidden.lastSeq).to.equal(seen.lastSeq);
    expect(hidden.changes.map((c) => c.seq)).to.deep.equal(seen.changes.map((c) => c.seq));
    const secretSeqs = seen.changes.filter((c) => c.type === 'message.created' || (c.type === 'room.created' && c.data?.['id'] === room.id)).map((c) => c.seq);
    expect(secretSeqs).to.have.length(2);
    for (const seq of secretSeqs) expect(hidden.changes.find((c) => c.seq === seq)).to.deep.equal({ seq, type: 'redacted' });
    expect(JSON.stringify(hidden)).to.not.include('the secret plan');

    expect((await owner.client.delete(`/api/rooms/${room.id}`)).status).to.equal(204);
    const afterOutsider = await feed(outsider, p);
    expect(JSON.stringify(afterOutsider)).to.not.include('the secret plan').and.not.include('hush');
    expect(afterOutsider.changes.at(-1)).to.deep.equal({ seq: afterOutsider.lastSeq, type: 'redacted' });
    const afterInsider = await feed(insider, p);
    expect(afterInsider.changes.at(-1)).to.deep.include({ type: 'room.deleted' });
  });

  it('pages the feed with since and limit and rejects bad values', async () => {
    const owner = await registerUser(api);
    const p = (await owner.client.post('/api/projects', { name: 'Paging' })).body.id as string;
    for (let i = 0; i < 5; i++) await owner.client.post(`/api/projects/${p}/tasks`, { title: `T${i}` });
    const page = await owner.client.get(`/api/projects/${p}/changes?since=2&limit=2`);
    expect(page.body.changes.map((c: FeedChange) => c.seq)).to.deep.equal([3, 4]);
    expect(page.body.lastSeq).to.equal(6);
    for (const bad of ['since=-1', 'since=abc', 'limit=0', 'limit=5000']) {
      const reply = await owner.client.get(`/api/projects/${p}/changes?${bad}`);
      expect(reply.status, bad).to.equal(400);
      expect(reply.body.error.code).to.equal('validation_failed');
    }
  });
});
