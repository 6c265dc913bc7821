// Moving a project between instances: exported from a SQLite-backed server,
// imported into a MongoDB-backed one. The same tasks in the same order per
// column, the same rooms, members and messages (people matched by email), a
// feed that starts with the import, and a bad document refused whole.

import { expect } from 'chai';
import { Client, markVerified, registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';

interface ExportDoc {
  format: string;
  version: number;
  project: { name: string; description: string; columns: { key: string; name: string }[] };
  members: { email: string; name: string; role: string }[];
  tasks: { number: number; title: string; status: string; position: string; assigneeEmail: string | null; createdByEmail: string | null; fields: Record<string, unknown> }[];
  rooms: {
    name: string;
    private: boolean;
    members: { email: string; role: string }[];
    messagesIncluded: boolean;
    messages: { authorEmail: string | null; authorName: string; text: string; editedAt: string | null; deletedAt: string | null }[];
  }[];
}

/** Signs up on `api` with a given address (the same person on another instance). */
async function registerAs(api: ApiServer, person: TestUser): Promise<TestUser> {
  const reply = await new Client(api.url).post('/api/auth/register', { email: person.email, name: person.name, password: 'correct horse battery' });
  if (reply.status !== 201) throw new Error(`register failed: ${JSON.stringify(reply.body)}`);
  await markVerified(api.server.store, reply.body.user.id);
  return { ...person, id: reply.body.user.id, token: reply.body.token, client: new Client(api.url, reply.body.token) };
}

async function ok<T = any>(reply: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const { status: got, body } = await reply;
  if (got !== status) throw new Error(`expected ${status}, got ${got}: ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function allTasks(client: Client, projectId: string): Promise<any[]> {
  return (await ok(client.get(`/api/projects/${projectId}/tasks?limit=200`))).items;
}

/** Messages oldest first. */
async function roomMessages(client: Client, roomId: string): Promise<any[]> {
  return (await ok(client.get(`/api/rooms/${roomId}/messages?limit=200`))).items.toReversed();
}

describe('Moving a project: export from SQLite, import into MongoDB', function () {
  this.timeout(60_000);
  let from: ApiServer;
  let to: ApiServer;
  const people = {} as Record<'olga' | 'ada' | 'mo' | 'una' | 'vi' | 'sam', TestUser>;
  let projectId: string;
  let secretId: string;
  let exported: { doc: ExportDoc; text: string; headers: Headers };

  before(async function () {
    this.timeout(600_000);
    [from, to] = await Promise.all([startApi('sqlite', this), startApi('mongo', this)]);
    for (const [key, name] of [['olga', 'Olga Owner'], ['ada', 'Ada Admin'], ['mo', 'Mo Member'], ['una', 'Una Unknown'], ['vi', 'Vi Viewer'], ['sam', 'Sam Stranger']] as const) {
      people[key] = await registerUser(from, name);
    }
    const { olga, ada, mo, una, vi } = people;
    const c = olga.client;
    projectId = (await ok(c.post('/api/projects', { name: 'Lancement été', description: 'Summer launch' }), 201)).id;
    await ok(c.patch(`/api/projects/${projectId}`, { columns: [{ key: 'todo', name: 'To do' }, { key: 'doing', name: 'Doing' }, { key: 'review', name: 'Review' }, { key: 'done', name: 'Done' }] }));
    for (const [person, role] of [[ada, 'admin'], [mo, 'member'], [una, 'member'], [vi, 'viewer']] as const) {
      await ok(c.post(`/api/projects/${projectId}/members`, { email: person.email, role }), 201);
    }
    await ok(c.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: true }));

    // More than 1 MB of tasks, so the import needs its own body limit.
    const ids: string[] = [];
    for (let i = 0; i < 56; i++) {
      const task = await ok(
        c.post(`/api/projects/${projectId}/tasks`, {
          title: `Task ${i}`,
          description: `${i} `.padEnd(19_000, 'lorem ipsum '),
          status: ['todo', 'doing', 'review'][i % 3],
          labels: i % 4 === 0 ? ['launch', `l${i}`] : [],
          assigneeId: i % 5 === 0 ? mo.id : i % 7 === 0 ? ada.id : null,
          dueAt: i % 6 === 0 ? `2031-0${1 + (i % 9)}-1${i % 10}T09:30:00.000Z` : null,
        }),
        201,
      );
      ids.push(task.id);
    }
    // Reorder: moves give in-between (fractional) positions; a move to done completes; a deletion leaves a hole in the numbers.
    const move = async (id: string, body: Record<string, unknown>) => {
      const current = await ok(c.get(`/api/tasks/${id}`));
      await ok(c.post(`/api/tasks/${id}/move`, { ...body, version: current.version }));
    };
    await move(ids[9]!, { status: 'todo', afterId: ids[0] });
    await move(ids[12]!, { status: 'todo', beforeId: ids[0] });
    await move(ids[4]!, { status: 'done' });
    await move(ids[1]!, { status: 'done' });
    await ok(c.delete(`/api/tasks/${ids[2]}`), 204);
    await ok(c.request('PUT', `/api/plugins/time-tracking/tasks/${ids[3]}/estimate`, { minutes: 90 }));

    const generalId = (await ok(c.get(`/api/projects/${projectId}/rooms`))).items[0].id;
    secretId = (await ok(c.post(`/api/projects/${projectId}/rooms`, { name: 'secret', topic: 'just us', private: true }), 201)).id;
    await ok(c.post(`/api/rooms/${secretId}/members`, { userId: mo.id }), 201);
    await ok(c.post(`/api/rooms/${secretId}/members`, { userId: una.id, role: 'admin' }), 201);
    await ok(c.post(`/api/rooms/${generalId}/messages`, { text: 'Welcome' }), 201);
    const edited = await ok(mo.client.post(`/api/rooms/${generalId}/messages`, { text: 'Hi all' }), 201);
    await ok(mo.client.patch(`/api/messages/${edited.id}`, { text: 'Hi all!' }));
    const gone = await ok(una.client.post(`/api/rooms/${generalId}/messages`, { text: 'oops' }), 201);
    await ok(una.client.delete(`/api/messages/${gone.id}`), 204);
    await ok(una.client.post(`/api/rooms/${generalId}/messages`, { text: 'From Una' }), 201);
    const hook = await ok(c.post(`/api/rooms/${generalId}/hooks`, { name: 'CI bot' }), 201);
    await ok(new Client(from.url).post(new URL(hook.url).pathname, { text: 'build green' }), 201);
    await ok(mo.client.post(`/api/rooms/${secretId}/messages`, { text: 'psst' }), 201);
    await ok(c.post(`/api/rooms/${secretId}/messages`, { text: 'shh' }), 201);

    const reply = await c.request('GET', `/api/projects/${projectId}/export`);
    expect(reply.status).to.equal(200);
    exported = { doc: reply.body as ExportDoc, text: JSON.stringify(reply.body), headers: reply.headers };
  });
  after(async () => Promise.all([from?.stop(), to?.stop()]));

  it('exports the whole project as one attached JSON document, to project admins only', async () => {
    expect(exported.headers.get('content-type')).to.match(/^application\/json/);
    // Streamed as it is read from the store, not built whole first.
    expect(exported.headers.get('transfer-encoding')).to.equal('chunked');
    expect(exported.headers.get('content-disposition')).to.equal('attachment; filename="Lancement-ete.taskwire.json"');
    const { doc } = exported;
    expect(doc.format).to.equal('taskwire.project');
    expect(doc.version).to.equal(1);
    expect(doc.project.columns.map((col) => col.key)).to.deep.equal(['todo', 'doing', 'review', 'done']);
    expect(doc.members.map((m) => [m.email, m.role])).to.deep.equal([
      [people.olga.email, 'owner'], [people.ada.email, 'admin'], [people.mo.email, 'member'], [people.una.email, 'member'], [people.vi.email, 'viewer'],
    ]);
    const columnOrder = doc.tasks.map((t) => doc.project.columns.findIndex((col) => col.key === t.status));
    expect(columnOrder).to.deep.equal(columnOrder.toSorted((a, b) => a - b));
    expect(doc.tasks.map((t) => t.title)).to.deep.equal((await allTasks(people.olga.client, projectId)).map((t) => t.title));
    expect(doc.tasks.find((t) => t.title === 'Task 3')!.fields).to.have.property('time-tracking');
    const general = doc.rooms[0]!;
    expect(general.messages.map((m) => [m.authorEmail, m.authorName, m.text])).to.deep.equal([
      [people.olga.email, 'Olga Owner', 'Welcome'],
      [people.mo.email, 'Mo Member', 'Hi all!'],
      [people.una.email, 'Una Unknown', ''],
      [people.una.email, 'Una Unknown', 'From Una'],
      [null, 'CI bot', 'build green'],
    ]);

    // An admin who is not in the private room exports it without its messages.
    const byAdmin = await ok<ExportDoc>(people.ada.client.get(`/api/projects/${projectId}/export`));
    expect(byAdmin.rooms.map((r) => [r.name, r.messagesIncluded, r.messages.length])).to.deep.equal([['general', true, 5], ['secret', false, 0]]);
    expect((await people.mo.client.get(`/api/projects/${projectId}/export`)).status).to.equal(403);
    expect((await people.vi.client.get(`/api/projects/${projectId}/export`)).status).to.equal(403);
    expect((await people.sam.client.get(`/api/projects/${projectId}/export`)).status).to.equal(404);
    expect((await new Client(from.url).get(`/api/projects/${projectId}/export`)).status).to.equal(401);
  });

  it('imports it on another store as a new project of the importer: same board order, rooms, members and messages, people matched by email', async () => {
    expect(exported.text.length, 'the document is over the usual 1 MB body limit').to.be.above(1024 * 1024);
    const olga = await registerAs(to, people.olga);
    const ada = await registerAs(to, people.ada);
    const mo = await registerAs(to, people.mo);
    const vi = await registerAs(to, people.vi);
    // Vi has an account there, but nobody proved its address: joining by address alone is refused, as for POST members.
    const viUser = (await to.server.store.users.get(vi.id))!;
    await to.server.store.write({ projectId: null }, (uow) => uow.replace('users', { ...viUser, verified: false }));

    const imported = await ok(olga.client.request('POST', '/api/projects/import', exported.text), 201);
    const { doc } = exported;
    expect(imported.project).to.include({ name: 'Lancement été', description: 'Summer launch', role: 'owner' });
    expect(imported.summary).to.deep.include({ tasks: 55, rooms: 2, messages: 7, members: 3 });
    expect(imported.summary.skipped).to.deep.equal([
      { kind: 'member', email: people.una.email, reason: 'no account with this address here' },
      { kind: 'member', email: people.vi.email, reason: "the account's address is not verified here" },
    ]);
    const id = imported.project.id as string;
    expect(id).to.not.equal(projectId);
    const c = olga.client;

    const members = (await ok(c.get(`/api/projects/${id}/members`))).items;
    expect(members.map((m: any) => [m.userId, m.role])).to.deep.equal([[olga.id, 'owner'], [ada.id, 'admin'], [mo.id, 'member']]);

    const userOf = new Map([[people.olga.email, olga.id], [people.ada.email, ada.id], [people.mo.email, mo.id]]);
    const tasks = await allTasks(c, id);
    const original = await allTasks(people.olga.client, projectId);
    expect(tasks.map((t) => [t.number, t.title, t.status, t.position, t.labels, t.dueAt, t.completedAt, t.description.length])).to.deep.equal(
      original.map((t) => [t.number, t.title, t.status, t.position, t.labels, t.dueAt, t.completedAt, t.description.length]),
    );
    const originalEmail = new Map([[people.mo.id, people.mo.email], [people.ada.id, people.ada.email]]);
    expect(tasks.map((t) => t.assigneeId)).to.deep.equal(original.map((t) => (t.assigneeId ? userOf.get(originalEmail.get(t.assigneeId)!) : null)));
    expect(tasks.find((t) => t.title === 'Task 3').fields).to.deep.equal(original.find((t) => t.title === 'Task 3').fields);
    expect(tasks.every((t) => t.createdBy === olga.id && t.version === 1)).to.equal(true);

    const rooms = (await ok(c.get(`/api/projects/${id}/rooms`))).items;
    expect(rooms.map((r: any) => [r.name, r.topic, r.private])).to.deep.equal([['general', '', false], ['secret', 'just us', true]]);
    // Una is no member here, so she is no member of the private room either.
    const secretMembers = (await ok(c.get(`/api/rooms/${rooms[1].id}/members`))).items;
    expect(secretMembers.map((m: any) => [m.userId, m.role])).to.have.deep.members([[olga.id, 'admin'], [mo.id, 'member']]);

    const general = await roomMessages(c, rooms[0].id);
    expect(general.map((m) => [m.authorName, m.text, m.editedAt !== null, m.deletedAt !== null])).to.deep.equal([
      ['Olga Owner', 'Welcome', false, false],
      ['Mo Member', 'Hi all!', true, false],
      ['Una Unknown', '', false, true],
      ['Una Unknown', 'From Una', false, false],
      ['CI bot', 'build green', false, false],
    ]);
    expect(general.map((m) => m.createdAt)).to.deep.equal(doc.rooms[0]!.messages.map((m: any) => m.createdAt));
    expect(general[0].authorId).to.equal(olga.id);
    expect(general[1].authorId).to.equal(mo.id);
    // Authors who are no members here keep their name and belong to nobody who could edit them.
    expect([general[3].authorId, general[4].authorId].some((a) => [olga.id, ada.id, mo.id, vi.id].includes(a))).to.equal(false);
    expect((await roomMessages(mo.client, rooms[1].id)).map((m) => [m.authorId, m.text])).to.deep.equal([[mo.id, 'psst'], [olga.id, 'shh']]);

    // The feed starts with the import; the next task number follows the highest imported one.
    const feed = await ok(c.get(`/api/projects/${id}/changes?since=0`));
    expect(feed.changes.map((ch: any) => [ch.seq, ch.type])).to.deep.equal([[1, 'project.imported']]);
    expect(feed.changes[0].data).to.deep.include({ id, name: 'Lancement été' });
    expect((await ok(c.post(`/api/projects/${id}/tasks`, { title: 'Next' }), 201)).number).to.equal(57);

    // Exported again from there, the tasks are the same document.
    const again = await ok<ExportDoc>(c.get(`/api/projects/${id}/export`));
    expect(again.tasks.filter((t) => t.title !== 'Next')).to.deep.equal(doc.tasks.map((t) => ({ ...t, createdByEmail: people.olga.email })));
  });

  it('refuses a bad document with 400 and every problem named, creating nothing', async () => {
    const sam = await registerAs(to, people.sam);
    const bad = structuredClone(exported.doc) as any;
    bad.tasks[0].status = 'nowhere';
    bad.tasks[1].number = bad.tasks[2].number;
    bad.rooms[1].name = 'general';
    bad.rooms[0].messages.reverse();
    bad.tasks[3].position = '';
    const reply = await sam.client.request('POST', '/api/projects/import', JSON.stringify(bad));
    expect(reply.status).to.equal(400);
    expect(reply.body.error.code).to.equal('validation_failed');
    expect(reply.body.error.details.map((d: { path: string }) => d.path)).to.have.members(['tasks.0.status', 'tasks.2.number', 'tasks.3.position', 'rooms.1.name', 'rooms.0.messages.1.createdAt']);
    for (const [what, change] of [
      ['a newer version', (d: any) => (d.version = 2)],
      ['an unknown field', (d: any) => (d.tasks[0].secret = true)],
      ['another format', (d: any) => (d.format = 'trello')],
    ] as const) {
      const doc = structuredClone(exported.doc) as any;
      change(doc);
      expect((await sam.client.request('POST', '/api/projects/import', JSON.stringify(doc))).status, what).to.equal(400);
    }
    expect((await ok(sam.client.get('/api/projects'))).items).to.deep.equal([]);
    expect(await to.server.store.purge.deletedProjects(10)).to.deep.equal([]);
  });

  it('reads a task said to be done before it was created as done when created, so no figure goes below zero', async () => {
    const rae = await registerAs(to, { ...people.sam, name: 'Rae', email: `rae.${Date.now()}@example.test` } as TestUser);
    const doc = structuredClone(exported.doc) as any;
    const done = doc.project.columns.at(-1).key as string;
    const task = doc.tasks[0];
    task.status = done;
    task.title = 'Done before it began';
    task.completedAt = new Date(Date.parse(task.createdAt) - 3 * 86_400_000).toISOString();
    const imported = await ok(rae.client.request('POST', '/api/projects/import', JSON.stringify(doc)), 201);
    const importedId = imported.project.id as string;
    const stored = (await allTasks(rae.client, importedId)).find((t) => t.title === 'Done before it began');
    expect(stored.completedAt).to.equal(new Date(task.createdAt).toISOString());
    const range = `?from=${day(Date.parse(task.createdAt) - 5 * 86_400_000)}&to=${day(Date.now())}&tz=UTC`;
    const figures = await ok(rae.client.get(`/api/projects/${importedId}/analytics${range}`));
    for (const { day: d, counts } of figures.cumulativeFlow) for (const n of Object.values(counts) as number[]) expect(n, d).to.be.at.least(0);
    expect(figures.leadTime.p50 ?? 0).to.be.at.least(0);
  });
});
