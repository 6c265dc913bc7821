// The store reads a big board needs: a column listed from its end (reverse
// board order, paged backwards) and the count of each column under the list's
// filters, the same on every store.

import { expect } from 'chai';
import type { Task } from '../../../core/store/entities.js';
import type { Page, PageRequest, Store } from '../../../core/store/ports.js';
import { aProject, aTask } from './fixtures.js';
import { forEachStore } from './harness.js';

async function insertTasks(store: Store, tasks: Task[]): Promise<void> {
  await store.write({ projectId: null }, (uow) => tasks.forEach((task) => uow.insert('tasks', task)));
}

async function allPages(fetch: (page: PageRequest) => Promise<Page<Task>>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page<Task> = await fetch({ limit, cursor });
    ids.push(...page.items.map((t) => t.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('paging did not end');
}

forEachStore('Store contract: board columns', (h) => {
  const statusOrder = ['todo', 'doing', 'done'];

  it('lists in reverse board order (last column first, position then id descending), across pages', async () => {
    const p = aProject('u');
    const tasks = [
      aTask(p.id, { status: 'done', position: 'a0' }),
      aTask(p.id, { status: 'done', position: 'a2' }),
      aTask(p.id, { status: 'todo', position: 'a1' }),
      aTask(p.id, { status: 'todo', position: 'a0' }),
      aTask(p.id, { status: 'todo', position: 'a0' }),
      aTask(p.id, { status: 'doing', position: 'Zz' }),
      aTask(aProject('u').id, { status: 'done', position: 'a9' }),
    ];
    await insertTasks(h.store, tasks);
    const forward = await allPages((page) => h.store.tasks.list(p.id, { statusOrder }, page), 50);
    for (const limit of [1, 2, 3, 50]) {
      expect(await allPages((page) => h.store.tasks.list(p.id, { statusOrder, reverse: true }, page), limit), `limit ${limit}`).to.deep.equal(forward.toReversed());
    }
    const done = await allPages((page) => h.store.tasks.list(p.id, { statusOrder, status: 'done', reverse: true }, page), 1);
    expect(done).to.deep.equal([tasks[1]!.id, tasks[0]!.id]);
  });

  it('counts each column under the filters, zero for an empty one, in the order asked', async () => {
    const p = aProject('u');
    await insertTasks(h.store, [
      aTask(p.id, { labels: ['bug'], assigneeId: 'ana', title: 'Fix 100% CPU' }),
      aTask(p.id, { labels: ['bug'] }),
      aTask(p.id, { status: 'done', description: 'Login PAGE' }),
      aTask(p.id, { status: 'done', dueAt: '2026-01-15T00:00:00.000Z' }),
      aTask(aProject('u').id, { labels: ['bug'] }),
    ]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder })).to.deep.equal([2, 0, 2]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder: ['done', 'todo'] })).to.deep.equal([2, 2]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder, label: 'bug' })).to.deep.equal([2, 0, 0]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder, assigneeId: 'ana' })).to.deep.equal([1, 0, 0]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder, q: 'login page' })).to.deep.equal([0, 0, 1]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder, q: '100%' })).to.deep.equal([1, 0, 0]);
    expect(await h.store.tasks.countColumns(p.id, { statusOrder, dueBefore: '2026-02-01T00:00:00.000Z' })).to.deep.equal([0, 0, 1]);
    expect(await h.store.tasks.countColumns(aProject('u').id, { statusOrder })).to.deep.equal([0, 0, 0]);
  });
});
