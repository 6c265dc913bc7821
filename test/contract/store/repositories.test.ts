import { expect } from 'chai';
import { InvalidCursorError, StoreDuplicateError } from '../../../core/store/errors.js';
import type { CollectionName, Entities, Page, PageRequest, Store } from '../../../core/store/ports.js';
import { aMember, aMessage, aProject, aRoom, aRoomMember, aTask, aToken, aUser, anEmbedToken, anInvite } from './fixtures.js';
import { forEachStore } from './harness.js';

async function insert<C extends CollectionName>(store: Store, collection: C, ...docs: Entities[C][]): Promise<void> {
  await store.write({ projectId: null }, (uow) => docs.forEach((doc) => uow.insert(collection, doc)));
}

async function collectPages<T>(fetch: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<T> = await fetch({ limit, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
    expect(pages, 'paging must end').to.be.below(100);
  } while (cursor);
  return { items, pages };
}

async function expectDuplicate(promise: Promise<unknown>): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a StoreDuplicateError').to.be.instanceOf(StoreDuplicateError);
}

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
const pluginState = (name: string, projectId: string, n: number, settings: Record<string, unknown> = {}) => ({
  id: `${name}|${projectId}`, name, projectId, enabled: true, settings, failures: 0, lastError: null, failingSince: null, createdAt: at(n), updatedAt: at(n),
});

forEachStore('Store repositories', (h) => {
  describe('users', () => {
    it('stores and finds a user by id, email and external ref, returning the same plain record', async () => {
      const user = aUser({ externalRef: 'embed1:host-42' });
      await insert(h.store, 'users', user);
      expect(await h.store.users.get(user.id)).to.deep.equal(user);
      expect(await h.store.users.getByEmail(user.email)).to.deep.equal(user);
      expect(await h.store.users.getByExternalRef('embed1:host-42')).to.deep.equal(user);
      expect(await h.store.users.get('missing')).to.equal(null);
      expect(await h.store.users.getByEmail('nobody@example.test')).to.equal(null);
    });

    it('refuses a second user with the same email or id, and allows many without an external ref', async () => {
      const user = aUser();
      await insert(h.store, 'users', user, aUser(), aUser());
      await expectDuplicate(insert(h.store, 'users', aUser({ email: user.email })));
      await expectDuplicate(insert(h.store, 'users', aUser({ id: user.id })));
      const linked = aUser({ externalRef: 'e:1' });
      await insert(h.store, 'users', linked);
      await expectDuplicate(insert(h.store, 'users', aUser({ externalRef: 'e:1' })));
      expect((await h.store.users.list({ limit: 50 })).items).to.have.length(4);
    });

    it('replaces and removes users, and getMany returns only those that exist', async () => {
      const [a, b] = [aUser(), aUser()];
      await insert(h.store, 'users', a, b);
      await h.store.write({ projectId: null }, (uow) => uow.replace('users', { ...a, name: 'Ana Lima' }));
      expect((await h.store.users.get(a.id))?.name).to.equal('Ana Lima');
      await h.store.write({ projectId: null }, (uow) => uow.remove('users', b.id));
      expect(await h.store.users.get(b.id)).to.equal(null);
      const many = await h.store.users.getMany([a.id, b.id, 'missing']);
      expect(many.map((u) => u.id)).to.deep.equal([a.id]);
      expect(await h.store.users.getMany([])).to.deep.equal([]);
    });

    it('pages users in creation order with opaque cursors and rejects a forged cursor', async () => {
      const users = Array.from({ length: 7 }, () => aUser());
      await insert(h.store, 'users', ...users);
      const { items, pages } = await collectPages((page) => h.store.users.list(page), 3);
      expect(items.map((u) => u.id)).to.deep.equal(users.map((u) => u.id));
      expect(pages).to.equal(3);
      let error: unknown;
      try {
        await h.store.users.list({ limit: 3, cursor: 'not-a-cursor' });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(InvalidCursorError);
    });
  });

  describe('tokens', () => {
    it('finds tokens by hash, lists a user\'s tokens in order, records use, and keeps hashes unique', async () => {
      const user = aUser();
      const [t1, t2] = [aToken(user.id), aToken(user.id, { kind: 'api', name: 'ci' })];
      await insert(h.store, 'tokens', t1, t2, aToken('someone-else'));
      expect(await h.store.tokens.getByHash(t2.tokenHash)).to.deep.equal(t2);
      expect(await h.store.tokens.get(t1.id)).to.deep.equal(t1);
      expect((await h.store.tokens.listByUser(user.id)).map((t) => t.id)).to.deep.equal([t1.id, t2.id]);
      await h.store.tokens.touch(t1.id, '2026-05-05T10:00:00.000Z');
      expect((await h.store.tokens.get(t1.id))?.lastUsedAt).to.equal('2026-05-05T10:00:00.000Z');
      await expectDuplicate(insert(h.store, 'tokens', aToken(user.id, { tokenHash: t1.tokenHash })));
      await h.store.write({ projectId: null }, (uow) => uow.remove('tokens', t1.id));
      expect(await h.store.tokens.getByHash(t1.tokenHash)).to.equal(null);
    });
  });

  describe('projects and members', () => {
    it('lists the projects a user belongs to, in creation order, with paging', async () => {
      const [ana, bo] = [aUser(), aUser()];
      const projects = Array.from({ length: 5 }, () => aProject(ana.id));
      await insert(h.store, 'projects', ...projects);
      await insert(h.store, 'members', ...projects.map((p) => aMember(p.id, ana.id, { role: 'owner' })));
      await insert(h.store, 'members', aMember(projects[1]!.id, bo.id), aMember(projects[3]!.id, bo.id));
      const anas = await collectPages((page) => h.store.projects.listForUser(ana.id, page), 2);
      expect(anas.items.map((p) => p.id)).to.deep.equal(projects.map((p) => p.id));
      expect(anas.items[0]).to.deep.equal(projects[0]);
      const bos = await h.store.projects.listForUser(bo.id, { limit: 50 });
      expect(bos.items.map((p) => p.id)).to.deep.equal([projects[1]!.id, projects[3]!.id]);
      expect(bos.nextCursor).to.equal(null);
    });

    it('hands out task numbers 1, 2, 3... per project, also concurrently', async () => {
      const [p, q] = [aProject('u'), aProject('u')];
      const numbers = await Promise.all(Array.from({ length: 20 }, () => h.store.projects.nextTaskNumber(p.id)));
      expect([...numbers].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await h.store.projects.nextTaskNumber(q.id)).to.equal(1);
    });

    it('keeps one membership per user and project, lists, counts and updates roles', async () => {
      const project = aProject('u');
      const users = Array.from({ length: 5 }, () => aUser());
      const members = users.map((u, i) => aMember(project.id, u.id, { role: i === 0 ? 'owner' : 'member' }));
      await insert(h.store, 'members', ...members);
      await expectDuplicate(insert(h.store, 'members', aMember(project.id, users[0]!.id)));
      expect(await h.store.members.get(project.id, users[2]!.id)).to.deep.equal(members[2]);
      expect(await h.store.members.get(project.id, 'stranger')).to.equal(null);
      const listed = await collectPages((page) => h.store.members.listByProject(project.id, page), 2);
      expect(listed.items.map((m) => m.id)).to.deep.equal(members.map((m) => m.id));
      expect(await h.store.members.countByRole(project.id, 'owner')).to.equal(1);
      await h.store.write({ projectId: project.id }, (uow) => uow.replace('members', { ...members[1]!, role: 'owner' }, { role: 'member' }));
      expect(await h.store.members.countByRole(project.id, 'owner')).to.equal(2);
      expect((await h.store.members.listByUser(users[1]!.id)).map((m) => m.role)).to.deep.equal(['owner']);
    });

    it('keeps one invite per email and project, and finds invites by email', async () => {
      const [p, q] = [aProject('u'), aProject('u')];
      const invite = anInvite(p.id, 'u', { email: 'new@example.test' });
      const other = anInvite(q.id, 'u', { email: 'new@example.test' });
      await insert(h.store, 'invites', invite, other, anInvite(p.id, 'u'));
      await expectDuplicate(insert(h.store, 'invites', anInvite(p.id, 'u', { email: 'new@example.test' })));
      expect(await h.store.invites.getByEmail(p.id, 'new@example.test')).to.deep.equal(invite);
      expect(await h.store.invites.get(invite.id)).to.deep.equal(invite);
      expect((await h.store.invites.listByEmail('new@example.test')).map((i) => i.id)).to.deep.equal([invite.id, other.id]);
      expect(await h.store.invites.listByProject(p.id)).to.have.length(2);
    });
  });

  describe('tasks', () => {
    it('keeps task numbers unique per project and finds tasks by number', async () => {
      const [p, q] = [aProject('u'), aProject('u')];
      const task = aTask(p.id, { number: 7 });
      await insert(h.store, 'tasks', task, aTask(q.id, { number: 7 }));
      await expectDuplicate(insert(h.store, 'tasks', aTask(p.id, { number: 7 })));
      expect(await h.store.tasks.getByNumber(p.id, 7)).to.deep.equal(task);
      expect(await h.store.tasks.getByNumber(p.id, 8)).to.equal(null);
    });

    it('lists by column order, then position (byte-wise), then id, across pages', async () => {
      const p = aProject('u');
      const order = ['todo', 'doing', 'done'];
      const tasks = [
        aTask(p.id, { status: 'done', position: 'a0' }),
        aTask(p.id, { status: 'todo', position: 'a1' }),
        aTask(p.id, { status: 'todo', position: 'Zz' }),
        aTask(p.id, { status: 'doing', position: 'a0' }),
        aTask(p.id, { status: 'todo', position: 'a0V' }),
        aTask(p.id, { status: 'todo', position: 'a0' }),
        aTask(p.id, { status: 'todo', position: 'a0' }),
        aTask(aProject('u').id, { status: 'todo', position: 'a0' }),
      ];
      await insert(h.store, 'tasks', ...tasks);
      const expected = tasks
        .filter((t) => t.projectId === p.id)
        .sort((a, b) =>
          order.indexOf(a.status) - order.indexOf(b.status) || (a.position < b.position ? -1 : a.position > b.position ? 1 : a.id < b.id ? -1 : 1),
        )
        .map((t) => t.id);
      for (const limit of [1, 2, 3, 50]) {
        const { items } = await collectPages((page) => h.store.tasks.list(p.id, { statusOrder: order }, page), limit);
        expect(items.map((t) => t.id), `limit ${limit}`).to.deep.equal(expected);
      }
      const reordered = await h.store.tasks.list(p.id, { statusOrder: ['done', 'doing', 'todo'] }, { limit: 50 });
      expect(reordered.items[0]!.status).to.equal('done');
    });

    it('filters by status, assignee, label, text and due date', async () => {
      const p = aProject('u');
      const statusOrder = ['todo', 'doing', 'done'];
      const tasks = {
        bug: aTask(p.id, { labels: ['bug', 'ui'], assigneeId: 'ana', title: 'Fix 100% CPU (regex.*)' }),
        doing: aTask(p.id, { status: 'doing', assigneeId: 'bo', description: 'Login PAGE is slow', dueAt: '2026-03-01T00:00:00.000Z' }),
        late: aTask(p.id, { dueAt: '2026-01-15T00:00:00.000Z', title: 'Plan' }),
      };
      await insert(h.store, 'tasks', ...Object.values(tasks));
      const ids = async (query: Record<string, string>) =>
        (await h.store.tasks.list(p.id, { statusOrder, ...query }, { limit: 50 })).items.map((t) => t.id).sort();
      expect(await ids({ status: 'doing' })).to.deep.equal([tasks.doing.id]);
      expect(await ids({ assigneeId: 'ana' })).to.deep.equal([tasks.bug.id]);
      expect(await ids({ label: 'ui' })).to.deep.equal([tasks.bug.id]);
      expect(await ids({ label: 'u' })).to.deep.equal([]);
      expect(await ids({ q: 'login page' })).to.deep.equal([tasks.doing.id]);
      expect(await ids({ q: '100%' })).to.deep.equal([tasks.bug.id]);
      expect(await ids({ q: 'F.x' })).to.deep.equal([]);
      expect(await ids({ q: '(regex.*)' })).to.deep.equal([tasks.bug.id]);
      expect(await ids({ dueBefore: '2026-02-01T00:00:00.000Z' })).to.deep.equal([tasks.late.id]);
      expect(await ids({ dueBefore: '2027-01-01T00:00:00.000Z' })).to.deep.equal([tasks.doing.id, tasks.late.id].sort());
    });

    it('finds the neighbours of a position within a column', async () => {
      const p = aProject('u');
      const [a, b, c] = [aTask(p.id, { position: 'a0' }), aTask(p.id, { position: 'a1' }), aTask(p.id, { position: 'a2' })];
      await insert(h.store, 'tasks', c, a, b, aTask(p.id, { status: 'done', position: 'a1x' }));
      const near = (from: typeof a | null, direction: 'next' | 'prev') =>
        h.store.tasks.neighbor(p.id, 'todo', from && { position: from.position, id: from.id }, direction).then((t) => t?.id ?? null);
      expect(await near(null, 'next')).to.equal(a.id);
      expect(await near(null, 'prev')).to.equal(c.id);
      expect(await near(a, 'next')).to.equal(b.id);
      expect(await near(b, 'prev')).to.equal(a.id);
      expect(await near(c, 'next')).to.equal(null);
      expect(await near(a, 'prev')).to.equal(null);
      expect(await h.store.tasks.neighbor(p.id, 'doing', null, 'next')).to.equal(null);
    });
  });

  describe('rooms and messages', () => {
    it('keeps room names unique per project and lists rooms in creation order', async () => {
      const [p, q] = [aProject('u'), aProject('u')];
      const general = aRoom(p.id, { name: 'general' });
      const secret = aRoom(p.id, { name: 'secret', private: true });
      await insert(h.store, 'rooms', general, secret, aRoom(q.id, { name: 'general' }));
      await expectDuplicate(insert(h.store, 'rooms', aRoom(p.id, { name: 'general' })));
      expect(await h.store.rooms.getByName(p.id, 'general')).to.deep.equal(general);
      expect(await h.store.rooms.get(secret.id)).to.deep.equal(secret);
      expect((await h.store.rooms.listByProject(p.id)).map((r) => r.id)).to.deep.equal([general.id, secret.id]);
    });

    it('keeps room membership unique and lists a user\'s rooms in a project', async () => {
      const p = aProject('u');
      const [r1, r2] = [aRoom(p.id), aRoom(p.id)];
      const m1 = aRoomMember(r1.id, p.id, 'ana', { role: 'admin' });
      await insert(h.store, 'roomMembers', m1, aRoomMember(r1.id, p.id, 'bo'), aRoomMember(r2.id, p.id, 'ana'));
      await expectDuplicate(insert(h.store, 'roomMembers', aRoomMember(r1.id, p.id, 'ana')));
      expect(await h.store.roomMembers.get(r1.id, 'ana')).to.deep.equal(m1);
      expect((await h.store.roomMembers.listByRoom(r1.id)).map((m) => m.userId)).to.deep.equal(['ana', 'bo']);
      expect(await h.store.roomMembers.listRoomIdsForUser(p.id, 'ana')).to.have.members([r1.id, r2.id]);
      expect(await h.store.roomMembers.listRoomIdsForUser(p.id, 'cy')).to.deep.equal([]);
    });

    it('lists messages newest first and pages back from a message', async () => {
      const p = aProject('u');
      const room = aRoom(p.id);
      const messages = Array.from({ length: 6 }, (_, i) => aMessage(room.id, p.id, { text: `m${i}` }));
      const sameTime = messages[5]!.createdAt;
      const twin = aMessage(room.id, p.id, { createdAt: sameTime, text: 'twin' });
      await insert(h.store, 'messages', ...messages, twin, aMessage(aRoom(p.id).id, p.id));
      const all = [...messages, twin].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
      const first = await h.store.messages.listByRoom(room.id, { limit: 3 });
      expect(first.map((m) => m.id)).to.deep.equal(all.slice(0, 3).map((m) => m.id));
      const older = await h.store.messages.listByRoom(room.id, { beforeId: first[2]!.id, limit: 10 });
      expect(older.map((m) => m.id)).to.deep.equal(all.slice(3).map((m) => m.id));
      expect(await h.store.messages.listByRoom(room.id, { beforeId: 'missing', limit: 10 })).to.deep.equal([]);
      expect(await h.store.messages.get(twin.id)).to.deep.equal(twin);
    });
  });

  describe('embed tokens', () => {
    it('finds embed tokens by hash, keeps hashes unique and lists them per project', async () => {
      const p = aProject('u');
      const token = anEmbedToken(p.id, { origins: ['https://a.example', 'https://b.example'], identity: 'verified', secretSealed: 'sealed' });
      await insert(h.store, 'embedTokens', token, anEmbedToken(p.id), anEmbedToken('other'));
      await expectDuplicate(insert(h.store, 'embedTokens', anEmbedToken(p.id, { tokenHash: token.tokenHash })));
      expect(await h.store.embedTokens.getByHash(token.tokenHash)).to.deep.equal(token);
      expect(await h.store.embedTokens.get(token.id)).to.deep.equal(token);
      expect(await h.store.embedTokens.listByProject(p.id)).to.have.length(2);
    });
  });

  describe('plugin states', () => {
    it('keeps one state per (plugin, project), lists a project\'s by plugin name, pages all of them, and keeps settings whole', async () => {
      const timed = pluginState('time-tracking', 'p1', 1, { roundTimerTo: 15, nested: { list: [1, 'two'] } });
      await insert(h.store, 'pluginStates', pluginState('zeta', 'p1', 2), timed, pluginState('hello', 'p1', 3), pluginState('hello', 'p2', 4));
      await expectDuplicate(insert(h.store, 'pluginStates', pluginState('hello', 'p1', 5)));
      expect(await h.store.pluginStates.get('time-tracking|p1')).to.deep.equal(timed);
      expect((await h.store.pluginStates.listByProject('p1')).map((s) => s.name)).to.deep.equal(['hello', 'time-tracking', 'zeta']);
      const all = await collectPages((page) => h.store.pluginStates.list(page), 3);
      expect(all.items.map((s) => s.id)).to.deep.equal(['time-tracking|p1', 'zeta|p1', 'hello|p1', 'hello|p2']);
      expect(all.pages).to.equal(2);
      const failing = { ...timed, failures: 3, lastError: 'task.created #4: boom', failingSince: at(9), updatedAt: at(9) };
      await h.store.write({ projectId: null }, (uow) => uow.replace('pluginStates', failing, { updatedAt: timed.updatedAt }));
      expect(await h.store.pluginStates.get(timed.id)).to.deep.equal(failing);
    });
  });
});
