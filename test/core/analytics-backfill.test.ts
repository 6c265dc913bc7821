// Records stored before analytics existed get their history when a store
// opens: moves replayed from the feed, a last move where the feed does not end
// in the task's column, startedAt, fromChat, and (SQLite) the plain tables
// the counts read. Both stores, from records written as the older code wrote them.

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import mongoose from 'mongoose';
import { createMongoStore } from '../../core/store/mongo/index.js';
import { MIGRATIONS, migrate } from '../../core/store/sqlite/migrations.js';
import { createSqliteStore } from '../../core/store/sqlite/index.js';
import type { Store } from '../../core/store/ports.js';
import { useService } from '../support/services.js';
import { makeTempDir } from '../support/tmp.js';

const at = (hour: number) => new Date(Date.UTC(2025, 2, 10, hour)).toISOString();
const P = 'project-old';
const COLUMNS = [{ key: 'todo', name: 'To do' }, { key: 'doing', name: 'Doing' }, { key: 'done', name: 'Done' }];

/** A task as stored before analytics: no startedAt, no fromChat. */
const oldTask = (id: string, status: string, createdAt: string, updatedAt: string, completedAt: string | null = null) => ({
  id, projectId: P, number: Number(id.slice(-1)), title: id, description: '', status, assigneeId: null, assignedAt: null, dueAt: null, labels: [],
  position: 'a0', version: 1, createdBy: 'u', createdAt, updatedAt, completedAt, fields: {},
});
const TASKS = [
  oldTask('task-1', 'done', at(1), at(3), at(3)),
  oldTask('task-2', 'doing', at(4), at(4)),
  // Its feed says it stayed in todo: one move at its last update puts it where it is.
  oldTask('task-4', 'doing', at(5), at(8)),
];
const change = (seq: number, type: string, hour: number, data: Record<string, unknown>) => ({ seq, type, at: at(hour), data });
const FEED = [
  change(1, 'task.created', 1, { id: 'task-1', status: 'todo', createdAt: at(1) }),
  change(2, 'task.moved', 2, { id: 'task-1', status: 'doing' }),
  change(3, 'task.updated', 2, { id: 'task-1', status: 'doing' }),
  change(4, 'task.moved', 3, { id: 'task-1', status: 'done' }),
  change(5, 'task.created', 4, { id: 'task-2', status: 'doing', createdAt: at(4) }),
  change(6, 'task.created', 4, { id: 'task-3', status: 'todo', createdAt: at(4) }),
  change(7, 'task.deleted', 5, { id: 'task-3', status: 'todo' }),
  change(8, 'task.created', 5, { id: 'task-4', status: 'todo', createdAt: at(5) }),
];
const message = (id: string, authorId: string, hour: number, deletedAt: string | null = null) => ({
  id, roomId: 'room-old', projectId: P, authorId, authorName: authorId, text: id, source: 'web', externalId: null, createdAt: at(hour), editedAt: null, deletedAt,
});
const MESSAGES = [message('m1', 'ana', 1), message('m2', 'ana', 2, at(3)), message('m3', 'bo', 4)];
const PROJECT = { id: P, name: 'Old', description: '', columns: COLUMNS, createdBy: 'u', createdAt: at(0), updatedAt: at(0) };

/** A record as a MongoDB document: its id as `_id`. */
function raw<T extends { id: string }>(doc: T): Record<string, unknown> {
  const { id, ...fields } = doc;
  return { _id: id, ...fields };
}

async function expectBackfilled(store: Store): Promise<void> {
  const tasks = await Promise.all(TASKS.map((t) => store.tasks.get(t.id)));
  expect(tasks.map((t) => [t!.startedAt, t!.fromChat])).to.deep.equal([[at(2), false], [at(4), false], [at(8), false]]);
  expect((await store.taskMoves.listByTask('task-1')).map((m) => [m.from, m.to, m.at])).to.deep.equal([[null, 'todo', at(1)], ['todo', 'doing', at(2)], ['doing', 'done', at(3)]]);
  expect((await store.taskMoves.listByTask('task-4')).map((m) => [m.from, m.to, m.at])).to.deep.equal([[null, 'todo', at(5)], ['todo', 'doing', at(8)]]);
  expect(await store.taskMoves.listByTask('task-3')).to.deep.equal([]);
  expect(await store.analytics.tasksByStatusAt(P, [at(1), at(2), at(5), at(9)])).to.deep.equal([{}, { todo: 1 }, { done: 1, doing: 1 }, { done: 1, doing: 2 }]);
  const { byAssignee, ...completions } = await store.analytics.completions(P, 'done', [at(0), at(12)]);
  expect(completions).to.deep.equal({ perPeriod: [1], cycle: { count: 1, p50: 3_600_000, p85: 3_600_000, p95: 3_600_000 }, lead: { count: 1, p50: 7_200_000, p85: 7_200_000, p95: 7_200_000 } });
  expect(byAssignee).to.deep.equal([{ assigneeId: null, count: 1, cycleP50: 3_600_000 }]);
  // m2 is deleted: ana's m1 waited for bo's m3.
  expect(await store.analytics.medianReplyDelay(['room-old'], at(0), at(12))).to.deep.equal({ count: 1, medianMs: 3 * 3_600_000 });
  expect(await store.analytics.messagesPerPeriod(['room-old'], [at(0), at(3), at(12)])).to.deep.equal([1, 1]);
}

describe('Analytics backfill of records stored before it', function () {
  it('on SQLite: migration 10 replays the feed and fills the plain tables', async () => {
    const path = join(makeTempDir('tw-backfill'), 'taskwire.sqlite');
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version < 10));
    const insert = (table: string, doc: { id: string }) => db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?)`).run(doc.id, JSON.stringify(doc));
    insert('projects', PROJECT);
    TASKS.forEach((t) => insert('tasks', t));
    MESSAGES.forEach((m) => insert('messages', m));
    for (const c of FEED) db.prepare('INSERT INTO changes (project_id, seq, type, at, actor_id, data, audience) VALUES (?, ?, ?, ?, ?, ?, NULL)').run(P, c.seq, c.type, c.at, 'u', JSON.stringify(c.data));
    db.close();
    const store = createSqliteStore({ path });
    try {
      await expectBackfilled(store);
    } finally {
      await store.close();
    }
  });

  it('on MongoDB: the store fills in what is missing when it opens, once', async function () {
    const mongo = await useService(this, 'mongo', 'the MongoDB backfill');
    const uri = mongo.uri(`tw_backfill_${randomUUID().replaceAll('-', '').slice(0, 16)}`);
    const connection = await mongoose.createConnection(uri).asPromise();
    try {
      await connection.collection('projects').insertOne(raw(PROJECT) as never);
      await connection.collection('tasks').insertMany(TASKS.map(raw) as never[]);
      await connection.collection('messages').insertMany(MESSAGES.map(raw) as never[]);
      await connection.collection('changes').insertMany(FEED.map((c) => ({ _id: `${P}:${c.seq}`, projectId: P, seq: c.seq, type: c.type, at: c.at, actorId: 'u', data: JSON.stringify(c.data), audience: null })) as never[]);
    } finally {
      await connection.close();
    }
    for (let open = 1; open <= 2; open++) {
      const store = await createMongoStore({ uri });
      try {
        await expectBackfilled(store);
      } finally {
        await store.close();
      }
    }
  });
});
