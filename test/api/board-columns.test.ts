// What a big board reads instead of every task: the columns with their counts
// (filtered on the server), and each column a page at a time from either end.

import { expect } from 'chai';
import { forEachApi, registerUser, type ApiServer, type TestUser } from '../support/api.js';

interface View {
  id: string;
  title: string;
  status: string;
  version: number;
}

interface Column {
  key: string;
  name: string;
  count: number;
}

async function seedBoard(api: ApiServer): Promise<{ owner: TestUser; projectId: string; tasks: View[] }> {
  const owner = await registerUser(api);
  const projectId: string = (await owner.client.post('/api/projects', { name: 'Counts' })).body.id;
  const tasks: View[] = [];
  const plan: [string, Record<string, unknown>][] = [
    ['Alpha bug', { labels: ['bug'] }],
    ['Beta', { assigneeId: owner.id }],
    ['Gamma bug', { status: 'doing', labels: ['bug'] }],
    ['Delta', { status: 'done' }],
    ['Epsilon', { status: 'done', description: 'has a needle inside' }],
    ['Zeta', { status: 'done' }],
  ];
  for (const [title, extra] of plan) {
    const reply = await owner.client.post(`/api/projects/${projectId}/tasks`, { title, ...extra });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    tasks.push(reply.body);
  }
  return { owner, projectId, tasks };
}

const countsOf = (columns: Column[]) => Object.fromEntries(columns.map((c) => [c.key, c.count]));

forEachApi('Board columns and paging', (api) => {
  it('GET /columns: every column in board order with its count, filtered by q, label and assigneeId', async () => {
    const { owner, projectId } = await seedBoard(api);
    const all = await owner.client.get(`/api/projects/${projectId}/columns`);
    expect(all.status).to.equal(200);
    expect(all.body.items.map((c: Column) => c.key)).to.deep.equal(['todo', 'doing', 'done']);
    expect(all.body.items[0].name).to.be.a('string');
    expect(countsOf(all.body.items)).to.deep.equal({ todo: 2, doing: 1, done: 3 });
    expect(countsOf((await owner.client.get(`/api/projects/${projectId}/columns?label=bug`)).body.items)).to.deep.equal({ todo: 1, doing: 1, done: 0 });
    expect(countsOf((await owner.client.get(`/api/projects/${projectId}/columns?q=NEEDLE`)).body.items)).to.deep.equal({ todo: 0, doing: 0, done: 1 });
    expect(countsOf((await owner.client.get(`/api/projects/${projectId}/columns?assigneeId=${owner.id}`)).body.items)).to.deep.equal({ todo: 1, doing: 0, done: 0 });
    expect((await owner.client.get(`/api/projects/${projectId}/columns?q=%20`)).status).to.equal(400);
    const outsider = await registerUser(api);
    expect((await outsider.client.get(`/api/projects/${projectId}/columns`)).status).to.equal(404);
  });

  it('order=reverse pages a column from its end (Done: newest first), and the whole board last column first', async () => {
    const { owner, projectId } = await seedBoard(api);
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: View[]; nextCursor: string | null } } = await owner.client.get(
        `/api/projects/${projectId}/tasks?status=done&order=reverse&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).to.equal(200);
      titles.push(...page.body.items.map((t) => t.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(titles).to.deep.equal(['Zeta', 'Epsilon', 'Delta']);
    const whole = (await owner.client.get(`/api/projects/${projectId}/tasks?order=reverse&limit=200`)).body.items.map((t: View) => t.title);
    expect(whole).to.deep.equal(['Zeta', 'Epsilon', 'Delta', 'Gamma bug', 'Beta', 'Alpha bug']);
    const forward = (await owner.client.get(`/api/projects/${projectId}/tasks?limit=200`)).body.items.map((t: View) => t.title);
    expect(forward).to.deep.equal(whole.toReversed());
    expect((await owner.client.get(`/api/projects/${projectId}/tasks?order=sideways`)).status).to.equal(400);
  });

  it('counts stay exact under concurrent moves', async function () {
    this.timeout(60_000);
    const { owner, projectId, tasks } = await seedBoard(api);
    const extra: View[] = [];
    for (let i = 0; i < 12; i++) extra.push((await owner.client.post(`/api/projects/${projectId}/tasks`, { title: `Mover ${i}` })).body);
    const targets = ['doing', 'done', 'todo'];
    // Every mover moves twice, all at once: some moves lose a version race (409), which must not skew a count.
    const moveAll = (round: number) =>
      Promise.all(
        extra.map(async (task, i) => {
          const current = (await owner.client.get(`/api/tasks/${task.id}`)).body as View;
          return owner.client.post(`/api/tasks/${task.id}/move`, { status: targets[(i + round) % 3], version: current.version });
        }),
      );
    await Promise.all([moveAll(0), moveAll(1)]);
    const listed: View[] = (await owner.client.get(`/api/projects/${projectId}/tasks?limit=200`)).body.items;
    const expected: Record<string, number> = { todo: 0, doing: 0, done: 0 };
    for (const task of listed) expected[task.status]!++;
    expect(listed).to.have.length(tasks.length + extra.length);
    expect(countsOf((await owner.client.get(`/api/projects/${projectId}/columns`)).body.items)).to.deep.equal(expected);
  });
});
