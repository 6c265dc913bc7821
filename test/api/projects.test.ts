import { expect } from 'chai';
import { Client, forEachApi, registerUser, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';

async function lastSeq(owner: TestUser, projectId: string): Promise<number> {
  return (await owner.client.get(`/api/projects/${projectId}/changes?since=0&limit=1`)).body.lastSeq;
}

forEachApi('Projects and members', (api) => {
  it('creates a project with default columns, the caller as owner and a general room, and lists it', async () => {
    const ana = await registerUser(api);
    const created = await ana.client.post('/api/projects', { name: ' Launch ', description: 'Q3' });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ name: 'Launch', description: 'Q3', role: 'owner', createdBy: ana.id });
    expect(created.body.columns).to.deep.equal([
      { key: 'todo', name: 'To do' },
      { key: 'doing', name: 'Doing' },
      { key: 'done', name: 'Done' },
    ]);
    const list = await ana.client.get('/api/projects');
    expect(list.body.items.map((p: { id: string }) => p.id)).to.include(created.body.id);
    const members = await ana.client.get(`/api/projects/${created.body.id}/members`);
    expect(members.body.items).to.have.length(1);
    expect(members.body.items[0]).to.include({ userId: ana.id, role: 'owner', name: ana.name });
    const feed = await ana.client.get(`/api/projects/${created.body.id}/changes`);
    expect(feed.body.changes.map((c: { type: string }) => c.type)).to.deep.equal(['project.created']);
  });

  it('pages the project list with a cursor', async () => {
    const ana = await registerUser(api);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await ana.client.post('/api/projects', { name: `P${i}` })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await ana.client.get(
        `/api/projects?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.body.items.map((p) => p.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal(ids);
    expect((await ana.client.get('/api/projects?limit=0')).status).to.equal(400);
    expect((await ana.client.get('/api/projects?cursor=garbage')).status).to.equal(400);
  });

  it('lets admins rename and change columns, refuses removing a column that has tasks, and appends project.updated', async () => {
    const ana = await registerUser(api);
    const project = (await ana.client.post('/api/projects', { name: 'Board' })).body;
    const before = await lastSeq(ana, project.id);
    const columns = [
      { key: 'todo', name: 'Backlog' },
      { key: 'review', name: 'Review' },
      { key: 'done', name: 'Shipped' },
    ];
    const patched = await ana.client.patch(`/api/projects/${project.id}`, { name: 'Board 2', columns });
    expect(patched.status).to.equal(200);
    expect(patched.body.columns).to.deep.equal(columns);
    expect(await lastSeq(ana, project.id)).to.equal(before + 1);
    const dup = await ana.client.patch(`/api/projects/${project.id}`, { columns: [{ key: 'a', name: 'A' }, { key: 'a', name: 'B' }] });
    expect(dup.status).to.equal(400);
  });

  it('adds existing users, invites unknown emails that join only through the mailed link, and changes roles', async () => {
    const [ana, bo] = [await registerUser(api), await registerUser(api)];
    const project = (await ana.client.post('/api/projects', { name: 'Team' })).body;
    const added = await ana.client.post(`/api/projects/${project.id}/members`, { email: bo.email, role: 'viewer' });
    expect(added.status).to.equal(201);
    expect(added.body.member).to.include({ userId: bo.id, role: 'viewer' });
    expect((await ana.client.post(`/api/projects/${project.id}/members`, { email: bo.email, role: 'member' })).status).to.equal(409);
    const invited = await ana.client.post(`/api/projects/${project.id}/members`, { email: 'Cy.New@example.test', role: 'member' });
    expect(invited.status).to.equal(201);
    expect(invited.body.invite).to.include({ email: 'cy.new@example.test', role: 'member' });
    const register = async (inviteToken?: string) =>
      new Client(api.url).post('/api/auth/register', { email: 'cy.new@example.test', name: 'Cy', password: 'correct horse battery', ...(inviteToken ? { inviteToken } : {}) });
    // The address alone joins nothing: this instance is open, so Cy gets an account but no project.
    const unproven = await register();
    expect(unproven.status).to.equal(201);
    expect((await ana.client.get(`/api/projects/${project.id}/members`)).body.items.map((m: { userId: string }) => m.userId)).to.not.include(unproven.body.user.id);
    const mail = await eventually(async () => (await api.server.store.outbox.list({ limit: 50 })).items.find((m) => m.to === 'cy.new@example.test'), Boolean, 5_000, 'invite mail');
    const token = /invite\?token=([\w-]+)/.exec(mail!.text)![1]!;
    const accepted = await new Client(api.url, unproven.body.token).post('/api/invites/accept', { token });
    expect(accepted.status).to.equal(200);
    const cy = unproven.body as { user: { id: string }; token: string };
    expect((await new Client(api.url, cy.token).post('/api/invites/accept', { token })).status, 'a used link').to.equal(404);
    const members = await ana.client.get(`/api/projects/${project.id}/members`);
    expect(members.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role])).to.deep.include.members([
      [cy.user.id, 'member'],
      [bo.id, 'viewer'],
    ]);
    const promoted = await ana.client.patch(`/api/projects/${project.id}/members/${bo.id}`, { role: 'admin' });
    expect(promoted.body.role).to.equal('admin');
    // An admin cannot make an owner; only owners touch ownership.
    expect((await bo.client.patch(`/api/projects/${project.id}/members/${cy.user.id}`, { role: 'owner' })).status).to.equal(403);
    expect((await bo.client.patch(`/api/projects/${project.id}/members/${ana.id}`, { role: 'member' })).status).to.equal(403);
  });

  it('always keeps an owner, also when two owners demote each other at once', async () => {
    const [ana, bo] = [await registerUser(api), await registerUser(api)];
    const project = (await ana.client.post('/api/projects', { name: 'Owned' })).body;
    expect((await ana.client.delete(`/api/projects/${project.id}/members/${ana.id}`)).status).to.equal(409);
    expect((await ana.client.patch(`/api/projects/${project.id}/members/${ana.id}`, { role: 'admin' })).status).to.equal(409);
    await ana.client.post(`/api/projects/${project.id}/members`, { email: bo.email, role: 'owner' });
    const [a, b] = await Promise.all([
      ana.client.patch(`/api/projects/${project.id}/members/${bo.id}`, { role: 'member' }),
      bo.client.patch(`/api/projects/${project.id}/members/${ana.id}`, { role: 'member' }),
    ]);
    // Whichever commits second is refused: 409 if it raced the first to the store, 403 if it ran after (no longer an owner).
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).to.equal(200);
    expect(statuses[1]).to.be.oneOf([403, 409]);
    const members = (await ana.client.get(`/api/projects/${project.id}/members`)).body.items as { role: string }[];
    expect(members.filter((m) => m.role === 'owner')).to.have.length(1);
  });

  it('lets a member leave, hides the project from non-members as 404, and deletes it for its owner only', async () => {
    const [ana, bo, eve] = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const project = (await ana.client.post('/api/projects', { name: 'Temp' })).body;
    await ana.client.post(`/api/projects/${project.id}/members`, { email: bo.email, role: 'admin' });
    expect((await eve.client.get(`/api/projects/${project.id}`)).status).to.equal(404);
    expect((await eve.client.delete(`/api/projects/${project.id}`)).status).to.equal(404);
    expect((await bo.client.delete(`/api/projects/${project.id}`)).status).to.equal(403);
    expect((await bo.client.delete(`/api/projects/${project.id}/members/${bo.id}`)).status).to.equal(204);
    expect((await bo.client.get(`/api/projects/${project.id}`)).status).to.equal(404);
    expect((await ana.client.delete(`/api/projects/${project.id}`)).status).to.equal(204);
    expect((await ana.client.get(`/api/projects/${project.id}`)).status).to.equal(404);
    expect((await ana.client.get('/api/projects')).body.items.map((p: { id: string }) => p.id)).to.not.include(project.id);
  });
});
