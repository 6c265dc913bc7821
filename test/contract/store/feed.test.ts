import { expect } from 'chai';
import type { Change } from '../../../core/store/ports.js';
import { aProject, aTask } from './fixtures.js';
import { forEachStore } from './harness.js';

const WRITERS = 8;
const WRITES_EACH = 200;

forEachStore('Store change feed', (h) => {
  it('numbers changes per project from 1 without gaps, several per unit in order, and pages with since/limit', async () => {
    const [p, q] = [aProject('u'), aProject('u')];
    for (let i = 0; i < 3; i++) {
      await h.store.write({ projectId: p.id }, (uow) => {
        uow.append({ type: 'a', actorId: 'u', data: { i, part: 1 } });
        uow.append({ type: 'b', actorId: 'u', data: { i, part: 2 } });
      });
    }
    await h.store.write({ projectId: q.id }, (uow) => uow.append({ type: 'a', actorId: null, data: {} }));
    const all = await h.store.changes.list(p.id, 0, 100);
    expect(all.map((c) => c.seq)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(all.map((c) => c.type)).to.deep.equal(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(all[3]!.data).to.deep.equal({ i: 1, part: 2 });
    expect((await h.store.changes.list(p.id, 2, 3)).map((c) => c.seq)).to.deep.equal([3, 4, 5]);
    expect(await h.store.changes.list(p.id, 6, 10)).to.deep.equal([]);
    expect(await h.store.changes.lastSeq(p.id)).to.equal(6);
    expect(await h.store.changes.lastSeq(q.id)).to.equal(1);
    expect(await h.store.changes.lastSeq('never-written')).to.equal(0);
  });

  it(`stays contiguous and in commit order under ${WRITERS} concurrent writers x ${WRITES_EACH} writes while a reader polls`, async function () {
    this.timeout(300_000);
    const project = aProject('u');
    const total = WRITERS * WRITES_EACH;
    const progress = { writing: true };
    const seen: Change[] = [];
    const violations: string[] = [];

    // The reader checks, on every poll, that what it gets starts right after what it has and has no hole.
    const reader = (async () => {
      while (progress.writing || seen.length < total) {
        const since = seen.length;
        const batch = await h.store.changes.list(project.id, since, 500);
        batch.forEach((change, i) => {
          if (change.seq !== since + i + 1) violations.push(`after seq ${since + i} the reader got ${change.seq}`);
        });
        seen.push(...batch);
        if (violations.length > 0 || (!progress.writing && batch.length === 0)) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const writer = async (w: number) => {
      for (let i = 0; i < WRITES_EACH; i++) {
        const task = aTask(project.id, { title: `w${w}-${i}` });
        const { changes } = await h.store.write({ projectId: project.id }, (uow) => {
          uow.insert('tasks', task);
          uow.append({ type: 'task.created', actorId: `writer-${w}`, data: { id: task.id, w, i } });
        });
        expect(changes).to.have.length(1);
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    progress.writing = false;
    await reader;

    expect(violations).to.deep.equal([]);
    expect(seen.map((c) => c.seq)).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
    // Each writer's own changes appear in the order it committed them.
    for (let w = 0; w < WRITERS; w++) {
      const mine = seen.filter((c) => c.actorId === `writer-${w}`).map((c) => c.data['i']);
      expect(mine).to.deep.equal(Array.from({ length: WRITES_EACH }, (_, i) => i));
    }
    // Every change's record committed with it.
    const sample = seen.filter((_, i) => i % 97 === 0);
    for (const change of sample) expect(await h.store.tasks.get(change.data['id'] as string)).to.not.equal(null);
    expect(await h.store.changes.lastSeq(project.id)).to.equal(total);
  });
});
