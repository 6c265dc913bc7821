import { expect } from 'chai';
import { StoreConflictError, StoreDuplicateError, StoreNotFoundError } from '../../../core/store/errors.js';
import { aProject, aTask, aUser } from './fixtures.js';
import { forEachStore } from './harness.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the unit of work to fail');
}

forEachStore('Store unit of work', (h) => {
  it('commits records and their changes together and returns the work result', async () => {
    const project = aProject('u');
    const task = aTask(project.id);
    const committed = await h.store.write({ projectId: project.id }, (uow) => {
      uow.insert('projects', project);
      uow.insert('tasks', task);
      uow.append({ type: 'task.created', actorId: 'u', data: { ...task } });
      return 'done';
    });
    expect(committed.result).to.equal('done');
    expect(committed.changes).to.have.length(1);
    expect(committed.changes[0]).to.include({ projectId: project.id, seq: 1, type: 'task.created', actorId: 'u' });
    expect(Date.parse(committed.changes[0]!.at)).to.be.closeTo(Date.now(), 60_000);
    expect(await h.store.tasks.get(task.id)).to.deep.equal(task);
    expect(await h.store.changes.list(project.id, 0, 10)).to.deep.equal(committed.changes);
  });

  it('applies nothing when the work function throws', async () => {
    const project = aProject('u');
    const task = aTask(project.id);
    const error = await failure(
      h.store.write({ projectId: project.id }, (uow) => {
        uow.insert('tasks', task);
        uow.append({ type: 'task.created', actorId: 'u', data: {} });
        throw new Error('boom');
      }),
    );
    expect((error as Error).message).to.equal('boom');
    expect(await h.store.tasks.get(task.id)).to.equal(null);
    expect(await h.store.changes.lastSeq(project.id)).to.equal(0);
  });

  it('leaves neither the records nor the change when a later write hits a unique key', async () => {
    const existing = aUser();
    await h.store.write({ projectId: null }, (uow) => uow.insert('users', existing));
    const project = aProject('u');
    const task = aTask(project.id);
    const before = aUser();
    const error = await failure(
      h.store.write({ projectId: project.id }, (uow) => {
        uow.insert('tasks', task);
        uow.insert('users', before);
        uow.replace('users', { ...existing, name: 'changed' });
        uow.append({ type: 'task.created', actorId: 'u', data: { id: task.id } });
        uow.insert('users', aUser({ email: existing.email }));
      }),
    );
    expect(error).to.be.instanceOf(StoreDuplicateError);
    expect(await h.store.tasks.get(task.id)).to.equal(null);
    expect(await h.store.users.get(before.id)).to.equal(null);
    expect(await h.store.users.get(existing.id)).to.deep.equal(existing);
    expect(await h.store.changes.lastSeq(project.id)).to.equal(0);
    expect(await h.store.changes.list(project.id, 0, 10)).to.deep.equal([]);

    // The feed continues at 1 afterwards: the failed unit consumed no seq.
    const ok = await h.store.write({ projectId: project.id }, (uow) => uow.append({ type: 'project.updated', actorId: 'u', data: {} }));
    expect(ok.changes[0]!.seq).to.equal(1);
  });

  it('checks expectations at commit: a stale version is a conflict carrying the current record', async () => {
    const project = aProject('u');
    const task = aTask(project.id, { version: 1 });
    await h.store.write({ projectId: project.id }, (uow) => uow.insert('tasks', task));
    await h.store.write({ projectId: project.id }, (uow) => uow.replace('tasks', { ...task, title: 'A', version: 2 }, { version: 1 }));
    const error = await failure(
      h.store.write({ projectId: project.id }, (uow) => {
        uow.replace('tasks', { ...task, title: 'B', version: 2 }, { version: 1 });
        uow.append({ type: 'task.updated', actorId: 'u', data: {} });
      }),
    );
    expect(error).to.be.instanceOf(StoreConflictError);
    expect((error as StoreConflictError).current).to.deep.include({ id: task.id, title: 'A', version: 2 });
    expect((await h.store.tasks.get(task.id))?.title).to.equal('A');
    expect(await h.store.changes.lastSeq(project.id)).to.equal(0);
  });

  it('exactly one of two concurrent writes based on the same version wins', async () => {
    const project = aProject('u');
    const task = aTask(project.id, { version: 1 });
    await h.store.write({ projectId: project.id }, (uow) => uow.insert('tasks', task));
    const attempt = (title: string) =>
      h.store.write({ projectId: project.id }, (uow) => {
        uow.replace('tasks', { ...task, title, version: 2 }, { version: 1 });
        uow.append({ type: 'task.updated', actorId: 'u', data: { title } });
      });
    const results = await Promise.allSettled([attempt('left'), attempt('right')]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).to.have.length(1);
    expect(rejected[0]!.reason).to.be.instanceOf(StoreConflictError);
    const stored = await h.store.tasks.get(task.id);
    const changes = await h.store.changes.list(project.id, 0, 10);
    expect(changes).to.have.length(1);
    expect(changes[0]!.data).to.deep.equal({ title: stored!.title });
  });

  it('refuses to replace or remove a record that does not exist', async () => {
    const task = aTask('p');
    expect(await failure(h.store.write({ projectId: 'p' }, (uow) => uow.replace('tasks', task)))).to.be.instanceOf(StoreNotFoundError);
    expect(await failure(h.store.write({ projectId: 'p' }, (uow) => uow.remove('tasks', task.id)))).to.be.instanceOf(StoreNotFoundError);
  });

  it('removes a record only while its expectation holds', async () => {
    const task = aTask('p', { version: 3 });
    await h.store.write({ projectId: 'p' }, (uow) => uow.insert('tasks', task));
    expect(await failure(h.store.write({ projectId: 'p' }, (uow) => uow.remove('tasks', task.id, { version: 2 })))).to.be.instanceOf(
      StoreConflictError,
    );
    expect(await h.store.tasks.get(task.id)).to.deep.equal(task);
    await h.store.write({ projectId: 'p' }, (uow) => uow.remove('tasks', task.id, { version: 3 }));
    expect(await h.store.tasks.get(task.id)).to.equal(null);
  });

  it('does not let a unit outside any project append to a feed', async () => {
    const error = await failure(h.store.write({ projectId: null }, (uow) => uow.append({ type: 'x', actorId: null, data: {} })));
    expect((error as Error).message).to.match(/project/);
  });

  it('keeps everything across close and reopen, and the feed continues where it stopped', async () => {
    const user = aUser({ externalRef: 'e:9' });
    const project = aProject(user.id);
    const task = aTask(project.id, { labels: ['a', 'b'], dueAt: '2026-02-02T00:00:00.000Z' });
    await h.store.write({ projectId: project.id }, (uow) => {
      uow.insert('users', user);
      uow.insert('projects', project);
      uow.insert('tasks', task);
      uow.append({ type: 'task.created', actorId: user.id, data: { task } , audience: [user.id] });
      uow.append({ type: 'project.updated', actorId: user.id, data: { name: project.name } });
    });
    const number = await h.store.projects.nextTaskNumber(project.id);
    const store = await h.reopen();
    expect(await store.users.get(user.id)).to.deep.equal(user);
    expect(await store.projects.get(project.id)).to.deep.equal(project);
    expect(await store.tasks.get(task.id)).to.deep.equal(task);
    const changes = await store.changes.list(project.id, 0, 10);
    expect(changes.map((c) => [c.seq, c.type])).to.deep.equal([
      [1, 'task.created'],
      [2, 'project.updated'],
    ]);
    expect(changes[0]!.audience).to.deep.equal([user.id]);
    expect(changes[1]!.audience).to.equal(null);
    expect(changes[0]!.data).to.deep.equal({ task });
    const next = await store.write({ projectId: project.id }, (uow) => uow.append({ type: 'task.updated', actorId: null, data: {} }));
    expect(next.changes[0]!.seq).to.equal(3);
    expect(await store.projects.nextTaskNumber(project.id)).to.equal(number + 1);
  });
});
