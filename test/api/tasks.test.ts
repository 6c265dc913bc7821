import { expect } from 'chai';
import type { Task } from '../../core/store/entities.js';
import { forEachApi, registerUser, type ApiServer, type TestUser } from '../support/api.js';

type View = Record<string, any> & { id: string; status: string; position: string; version: number; updatedAt: string };

interface Board {
  owner: TestUser;
  projectId: string;
  post(title: string, extra?: Record<string, unknown>): Promise<View>;
  list(query?: string): Promise<View[]>;
  seq(): Promise<number>;
  changesSince(seq: number): Promise<{ seq: number; type: string; actorId: string; data: any }[]>;
}

async function board(api: ApiServer): Promise<Board> {
  const owner = await registerUser(api);
  const projectId: string = (await owner.client.post('/api/projects', { name: 'Board' })).body.id;
  const c = owner.client;
  return {
    owner,
    projectId,
    post: async (title, extra = {}) => {
      const reply = await c.post(`/api/projects/${projectId}/tasks`, { title, ...extra });
      if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    },
    list: async (query = '') => {
      const items: View[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: View[]; nextCursor: string | null } } = await c.get(
          `/api/projects/${projectId}/tasks?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).to.equal(200);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    },
    seq: async () => (await c.get(`/api/projects/${projectId}/changes?since=0&limit=1`)).body.lastSeq,
    changesSince: async (seq) => {
      const changes = [];
      for (let since = seq; ; ) {
        const page = (await c.get(`/api/projects/${projectId}/changes?since=${since}&limit=1000`)).body.changes;
        if (page.length === 0) return changes;
        changes.push(...page);
        since = page.at(-1).seq;
      }
    },
  };
}

/** Asserts `write` appends exactly one change, of `type`, by `actorId`, and returns its data. */
async function oneChange<T>(b: Board, type: string, write: () => Promise<T>): Promise<{ result: T; data: any }> {
  const before = await b.seq();
  const result = await write();
  const changes = await b.changesSince(before);
  expect(changes.map((c) => c.type)).to.deep.equal([type]);
  expect(changes[0]!.actorId).to.equal(b.owner.id);
  return { result, data: changes[0]!.data };
}

const ids = (tasks: View[]) => tasks.map((t) => t.id);
const stamp = (t: View) => ({ id: t.id, status: t.status, position: t.position, version: t.version, updatedAt: t.updatedAt });
const COLUMNS = ['todo', 'doing', 'done'];

/** Board order: column, then (position, id) strictly increasing; with `distinct`, no two keys equal. */
function expectBoardOrder(tasks: View[], distinct: boolean): void {
  for (let i = 1; i < tasks.length; i++) {
    const [a, b] = [tasks[i - 1]!, tasks[i]!];
    const column = COLUMNS.indexOf(a.status) - COLUMNS.indexOf(b.status);
    expect(column).to.be.at.most(0);
    if (column < 0) continue;
    const ordered = a.position < b.position || (!distinct && a.position === b.position && a.id < b.id);
    expect(ordered, `${a.position}/${a.id} before ${b.position}/${b.id}`).to.equal(true);
  }
}

forEachApi('Tasks', (api) => {
  it('creates tasks with defaults at the end of their column, and validates input', async () => {
    const b = await board(api);
    const { result: first, data } = await oneChange(b, 'task.created', () => b.post('  Write spec  '));
    expect(first).to.include({ title: 'Write spec', description: '', status: 'todo', assigneeId: null, dueAt: null, version: 1, createdBy: b.owner.id, completedAt: null });
    expect(data).to.deep.equal(first);
    const second = await b.post('Review', { description: '  keeps  spacing', labels: [' ui ', 'api'], dueAt: '2030-01-02T03:04:05+02:00' });
    expect(second).to.include({ number: first.number + 1, description: '  keeps  spacing', dueAt: '2030-01-02T01:04:05.000Z' });
    expect(second.labels).to.deep.equal(['ui', 'api']);
    expect(second.position > first.position).to.equal(true);
    const done = await b.post('Shipped', { status: 'done' });
    expect(done.completedAt).to.be.a('string');
    const c = b.owner.client;
    const bad = async (body: unknown, path: string) => {
      const reply = await c.post(`/api/projects/${b.projectId}/tasks`, body);
      expect(reply.status, JSON.stringify(body)).to.equal(400);
      expect(reply.body.error.code).to.equal('validation_failed');
      expect(reply.body.error.details.map((d: { path: string }) => d.path)).to.include(path);
    };
    await bad({ title: '   ' }, 'title');
    await bad({ title: 'x'.repeat(201) }, 'title');
    await bad({ title: 'ok', description: 'x'.repeat(20_001) }, 'description');
    // A column the board does not have is well-formed input naming nothing: 404, with the field.
    const noColumn = await c.post(`/api/projects/${b.projectId}/tasks`, { title: 'ok', status: 'nope' });
    expect([noColumn.status, noColumn.body.error.code, noColumn.body.error.details[0].path]).to.deep.equal([404, 'not_found', 'status']);
    await bad({ title: 'ok', labels: ['a', ' a'] }, 'labels');
    await bad({ title: 'ok', labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, 'labels');
    await bad({ title: 'ok', labels: ['x'.repeat(51)] }, 'labels.0');
    await bad({ title: 'ok', dueAt: 'tomorrow' }, 'dueAt');
    await bad({ title: 'ok', version: 7 }, 'version');
    await bad({ title: 'ok', position: 'a0' }, 'position');
    expect(await b.list()).to.have.length(3);
  });

  it('lists by column then position, filters, pages and reads one task', async () => {
    const b = await board(api);
    const mate = await registerUser(api);
    await b.owner.client.post(`/api/projects/${b.projectId}/members`, { email: mate.email, role: 'member' });
    const d1 = await b.post('Deploy', { status: 'done' });
    const t1 = await b.post('Alpha BUG', { labels: ['bug'], assigneeId: mate.id, dueAt: '2030-01-01T00:00:00Z' });
    const g1 = await b.post('Gamma', { status: 'doing', description: 'has a bug inside' });
    const t2 = await b.post('Beta', { dueAt: '2031-01-01T00:00:00Z' });
    expect(ids(await b.list())).to.deep.equal([t1.id, t2.id, g1.id, d1.id]);
    expect(ids(await b.list('&status=doing'))).to.deep.equal([g1.id]);
    expect(ids(await b.list(`&assigneeId=${mate.id}`))).to.deep.equal([t1.id]);
    expect(ids(await b.list('&label=bug'))).to.deep.equal([t1.id]);
    expect(ids(await b.list('&q=bUg'))).to.deep.equal([t1.id, g1.id]);
    expect(ids(await b.list('&dueBefore=2030-06-01T00:00:00Z'))).to.deep.equal([t1.id]);
    expect((await b.owner.client.get(`/api/projects/${b.projectId}/tasks?status=nope`)).status).to.equal(404);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: View[]; nextCursor: string | null } } = await b.owner.client.get(
        `/api/projects/${b.projectId}/tasks?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      paged.push(...ids(page.body.items));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).to.deep.equal([t1.id, t2.id, g1.id, d1.id]);
    const got = await b.owner.client.get(`/api/tasks/${t1.id}`);
    expect(got.status).to.equal(200);
    expect(got.body).to.deep.equal(t1);
    expect(got.headers.get('etag')).to.equal('"1"');
    expect((await b.owner.client.get('/api/tasks/nope')).status).to.equal(404);
  });

  it('patches with the base version (body or If-Match), 409 with the current task when stale', async () => {
    const b = await board(api);
    const task = await b.post('Draft');
    const c = b.owner.client;
    const { result: v2, data } = await oneChange(b, 'task.updated', () => c.patch(`/api/tasks/${task.id}`, { title: 'Edited', version: 1 }));
    expect(v2.status).to.equal(200);
    expect(v2.body).to.include({ title: 'Edited', version: 2, position: task.position });
    expect(data).to.deep.equal(v2.body);
    const v3 = await c.patch(`/api/tasks/${task.id}`, { labels: ['x'] }, { 'If-Match': '"2"' });
    expect(v3.body.version).to.equal(3);
    expect(v3.headers.get('etag')).to.equal('"3"');
    const stale = await c.patch(`/api/tasks/${task.id}`, { title: 'Lost', version: 2 });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('conflict');
    expect(stale.body.error.details).to.deep.equal([{ current: v3.body }]);
    expect((await c.patch(`/api/tasks/${task.id}`, { title: 'x' })).status).to.equal(400);
    expect((await c.patch(`/api/tasks/${task.id}`, { title: 'x', version: 3 }, { 'If-Match': '"2"' })).status).to.equal(400);
    expect((await c.patch(`/api/tasks/${task.id}`, { title: 'x', version: 3, createdBy: 'me' })).status).to.equal(400);

    const racing = await Promise.all([c.patch(`/api/tasks/${task.id}`, { title: 'A', version: 3 }), c.patch(`/api/tasks/${task.id}`, { title: 'B', version: 3 })]);
    expect(racing.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const [won, lost] = racing[0]!.status === 200 ? racing : [racing[1]!, racing[0]!];
    expect(lost.body.error.details).to.deep.equal([{ current: won.body }]);
    expect((await c.get(`/api/tasks/${task.id}`)).body).to.deep.equal(won.body);

    const other = await b.post('Other', { status: 'done' });
    const toDone = await c.patch(`/api/tasks/${task.id}`, { status: 'done', version: 4 });
    expect(toDone.body.completedAt).to.be.a('string');
    expect(toDone.body.position > other.position).to.equal(true);
    const back = await c.patch(`/api/tasks/${task.id}`, { status: 'todo', version: 5 });
    expect(back.body).to.include({ completedAt: null, version: 6 });
  });

  it('accepts only project members as assignees', async () => {
    const b = await board(api);
    const [mate, stranger] = [await registerUser(api), await registerUser(api)];
    await b.owner.client.post(`/api/projects/${b.projectId}/members`, { email: mate.email, role: 'viewer' });
    const refused = await b.owner.client.post(`/api/projects/${b.projectId}/tasks`, { title: 'x', assigneeId: stranger.id });
    expect(refused.status).to.equal(404);
    expect(refused.body.error.details).to.deep.equal([{ path: 'assigneeId', message: 'must be a member of the project' }]);
    const task = await b.post('x', { assigneeId: mate.id });
    expect(task.assigneeId).to.equal(mate.id);
    expect((await b.owner.client.patch(`/api/tasks/${task.id}`, { assigneeId: stranger.id, version: 1 })).status).to.equal(404);
    expect((await b.owner.client.patch(`/api/tasks/${task.id}`, { assigneeId: null, version: 1 })).body.assigneeId).to.equal(null);
  });

  it('lets viewers read but not write (403), and hides tasks from outsiders (404)', async () => {
    const b = await board(api);
    const [viewer, outsider] = [await registerUser(api), await registerUser(api)];
    await b.owner.client.post(`/api/projects/${b.projectId}/members`, { email: viewer.email, role: 'viewer' });
    const task = await b.post('Secret');
    const writes = (who: TestUser) => [
      who.client.post(`/api/projects/${b.projectId}/tasks`, { title: 'x' }),
      who.client.patch(`/api/tasks/${task.id}`, { title: 'x', version: 1 }),
      who.client.post(`/api/tasks/${task.id}/move`, { status: 'doing', version: 1 }),
      who.client.delete(`/api/tasks/${task.id}`),
    ];
    expect((await Promise.all(writes(viewer))).map((r) => r.status)).to.deep.equal([403, 403, 403, 403]);
    expect((await viewer.client.get(`/api/tasks/${task.id}`)).status).to.equal(200);
    expect((await viewer.client.get(`/api/projects/${b.projectId}/tasks`)).body.items).to.have.length(1);
    const outside = [...writes(outsider), outsider.client.get(`/api/tasks/${task.id}`), outsider.client.get(`/api/projects/${b.projectId}/tasks`)];
    expect((await Promise.all(outside)).map((r) => r.status)).to.deep.equal([404, 404, 404, 404, 404, 404]);
    expect((await b.owner.client.as(null).get(`/api/tasks/${task.id}`)).status).to.equal(401);
    expect((await b.owner.client.get(`/api/tasks/${task.id}`)).body.version).to.equal(1);
  });

  it('deletes with one task.deleted change, optionally checking If-Match', async () => {
    const b = await board(api);
    const task = await b.post('Bye');
    const c = b.owner.client;
    expect((await c.request('DELETE', `/api/tasks/${task.id}`, undefined, { 'If-Match': '"9"' })).status).to.equal(409);
    const { result, data } = await oneChange(b, 'task.deleted', () => c.delete(`/api/tasks/${task.id}`));
    expect(result.status).to.equal(204);
    expect(data).to.deep.equal({ id: task.id, projectId: b.projectId, status: 'todo' });
    expect((await c.get(`/api/tasks/${task.id}`)).status).to.equal(404);
    expect((await c.delete(`/api/tasks/${task.id}`)).status).to.equal(404);
  });

  it('moves between neighbours, writing only the moved task and one task.moved change', async () => {
    const b = await board(api);
    const [a, x, y, z] = [await b.post('a'), await b.post('x'), await b.post('y', { status: 'doing' }), await b.post('z', { status: 'doing' })];
    const c = b.owner.client;
    const move = async (task: View, body: Record<string, unknown>) => {
      const current = (await c.get(`/api/tasks/${task.id}`)).body;
      const others = (await b.list()).filter((t) => t.id !== task.id).map(stamp);
      const { result, data } = await oneChange(b, 'task.moved', () => c.post(`/api/tasks/${task.id}/move`, { version: current.version, ...body }));
      expect(result.status, JSON.stringify(result.body)).to.equal(200);
      expect(data).to.deep.equal(result.body);
      expect(result.body.version).to.equal(current.version + 1);
      expect((await b.list()).filter((t) => t.id !== task.id).map(stamp)).to.deep.equal(others);
      return result.body as View;
    };
    await move(a, { status: 'doing', afterId: y.id });
    expect(ids(await b.list('&status=doing'))).to.deep.equal([y.id, a.id, z.id]);
    await move(x, { status: 'doing', beforeId: y.id });
    expect(ids(await b.list('&status=doing'))).to.deep.equal([x.id, y.id, a.id, z.id]);
    await move(z, { status: 'doing', afterId: x.id, beforeId: y.id });
    await move(y, { status: 'doing' });
    expect(ids(await b.list('&status=doing'))).to.deep.equal([x.id, z.id, a.id, y.id]);
    expect((await move(a, { status: 'done' })).completedAt).to.be.a('string');

    const fresh = (await c.get(`/api/tasks/${x.id}`)).body;
    const reject = async (body: Record<string, unknown>, status: number) =>
      expect((await c.post(`/api/tasks/${x.id}/move`, { version: fresh.version, ...body })).status, JSON.stringify(body)).to.equal(status);
    // Neighbours that are not in that column, and columns the board lacks, name nothing there: 404.
    await reject({ status: 'todo', afterId: y.id }, 404);
    await reject({ status: 'doing', beforeId: x.id }, 404);
    await reject({ status: 'doing', afterId: 'nope' }, 404);
    await reject({ status: 'nowhere' }, 404);
    await reject({ status: 'doing', position: 'a0' }, 400);
    await reject({ status: 'doing', afterId: y.id, beforeId: z.id }, 409);
    const stale = await c.post(`/api/tasks/${x.id}/move`, { status: 'todo', version: fresh.version - 1 });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.details).to.deep.equal([{ current: fresh }]);
  });

  it('rebalances a column atomically when neighbour keys tie, keeping the order', async () => {
    const b = await board(api);
    const tasks: View[] = [];
    for (let i = 0; i < 5; i++) tasks.push(await b.post(`t${i}`, { status: 'doing' }));
    const mover = await b.post('mover');
    // Two concurrent moves into one gap can leave equal keys; set that state up directly.
    const store = api.server.store;
    const [t1, t2] = [(await store.tasks.get(tasks[1]!.id))!, (await store.tasks.get(tasks[2]!.id))!];
    await store.write({ projectId: b.projectId }, (uow) => uow.replace('tasks', { ...t2, position: t1.position } satisfies Task));
    const order = ids(await b.list('&status=doing'));
    const before = await b.seq();
    const moved = await b.owner.client.post(`/api/tasks/${mover.id}/move`, { status: 'doing', afterId: order[1], version: 1 });
    expect(moved.status).to.equal(200);
    const column = await b.list('&status=doing');
    expect(ids(column)).to.deep.equal([...order.slice(0, 2), mover.id, ...order.slice(2)]);
    expectBoardOrder(column, true);
    const changes = await b.changesSince(before);
    expect(changes.every((ch) => ch.type === 'task.moved')).to.equal(true);
    expect(changes.at(-1)!.data).to.deep.equal(moved.body);
    // Every task whose key changed got a new version and a change of its own.
    const rewritten = column.filter((t) => t.id !== mover.id && t.version > 1);
    expect(changes.map((ch) => ch.data.id).sort()).to.deep.equal([...ids(rewritten), mover.id].sort());
  });

  it('keeps one order when moves race into the same gap (equal keys are broken by id), and a later move there still lands right', async () => {
    const b = await board(api);
    const [left, right] = [await b.post('left', { status: 'doing' }), await b.post('right', { status: 'doing' })];
    const racers: View[] = [];
    for (let i = 0; i < 6; i++) racers.push(await b.post(`racer ${i}`));
    const c = b.owner.client;
    const replies = await Promise.all(racers.map((t) => c.post(`/api/tasks/${t.id}/move`, { status: 'doing', afterId: left.id, version: 1 })));
    expect(replies.map((r) => r.status)).to.deep.equal(racers.map(() => 200));
    const column = await b.list('&status=doing');
    expectBoardOrder(column, false);
    expect([column[0]!.id, column.at(-1)!.id]).to.deep.equal([left.id, right.id]);
    const late = await b.post('late');
    const after = column[1]!.id;
    expect((await c.post(`/api/tasks/${late.id}/move`, { status: 'doing', afterId: after, version: 1 })).status).to.equal(200);
    const final = await b.list('&status=doing');
    expectBoardOrder(final, false);
    expect(ids(final)).to.deep.equal([left.id, after, late.id, ...ids(column).slice(2)]);
  });

  it('acceptance: random moves on a 50-task board keep one strict order per column and touch only the moved task', async function () {
    this.timeout(480_000);
    // Over HTTP a move costs ~5 ms on SQLite and ~100 ms on FerretDB, so FerretDB runs 300 (test/properties/ordering.test.ts
    // covers the algorithm over thousands of sequences); TASKS_MONGO_MOVES=2000 runs the full count there too.
    const moves = api.server.store.kind === 'sqlite' ? 2000 : Number(process.env.TASKS_MONGO_MOVES ?? 300);
    const b = await board(api);
    const model = new Map<string, View>();
    const columns = new Map<string, string[]>(COLUMNS.map((k) => [k, []]));
    for (let i = 0; i < 50; i++) {
      const task = await b.post(`task ${i}`, { status: COLUMNS[i % 3] });
      model.set(task.id, task);
      columns.get(task.status)!.push(task.id);
    }
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const start = await b.seq();
    const movedIds: string[] = [];
    let maxKey = 0;
    const started = Date.now();
    for (let i = 0; i < moves; i++) {
      const task = model.get([...model.keys()][rand(50)]!)!;
      const status = COLUMNS[rand(3)]!;
      columns.set(task.status, columns.get(task.status)!.filter((id) => id !== task.id));
      const target = columns.get(status)!;
      const at = rand(target.length + 1);
      const style = rand(3);
      const body: Record<string, unknown> = { status, version: task.version };
      // Neighbours as a client would send them: the task to follow, the task to precede, both, or neither at the end.
      if (at === target.length && style === 1) delete body.afterId;
      else if (at > 0 && (style === 0 || at === target.length)) body.afterId = target[at - 1];
      else if (at < target.length) body.beforeId = target[at];
      if (style === 2 && at > 0 && at < target.length) body.afterId = target[at - 1];
      const reply = await b.owner.client.post(`/api/tasks/${task.id}/move`, body);
      expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
      target.splice(at, 0, task.id);
      model.set(task.id, reply.body);
      movedIds.push(task.id);
      maxKey = Math.max(maxKey, reply.body.position.length);
      if (i % 100 === 99 || i === moves - 1) {
        const listed = await b.list();
        expectBoardOrder(listed, true);
        expect(ids(listed)).to.deep.equal(COLUMNS.flatMap((k) => columns.get(k)!));
        // Nothing but the moved tasks ever changed: every task is exactly as its last own write left it.
        expect(listed.map(stamp)).to.deep.equal(ids(listed).map((id) => stamp(model.get(id)!)));
      }
    }
    const elapsed = Date.now() - started;
    const changes = await b.changesSince(start);
    expect(changes.map((ch) => ch.type)).to.deep.equal(movedIds.map(() => 'task.moved'), 'one change per move, so no rebalance');
    expect(changes.map((ch) => ch.data.id)).to.deep.equal(movedIds);
    expect(maxKey).to.be.below(16);
    console.log(`      ${moves} moves on ${api.server.store.kind}: ${elapsed} ms (${(elapsed / moves).toFixed(1)} ms/move), longest key ${maxKey}`);
  });
});
