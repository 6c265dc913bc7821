// The analytics reads of the Store port (AnalyticsRepo, TaskMovesRepo): the
// same grouped counts from both stores, for records written directly.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { CollectionName, Entities, Message, Store, TaskMove } from '../../../core/store/ports.js';
import { aMessage, aProject, aRoom, aTask } from './fixtures.js';
import { forEachStore } from './harness.js';

async function insert<C extends CollectionName>(store: Store, collection: C, ...docs: Entities[C][]): Promise<void> {
  await store.write({ projectId: null }, (uow) => docs.forEach((doc) => uow.insert(collection, doc)));
}

/** mulberry32, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The reply-delay median of live messages, straight from the definition. */
function modelMedian(live: readonly Message[], from: string, to: string): { count: number; medianMs: number | null } {
  const delays: number[] = [];
  for (const roomId of new Set(live.map((m) => m.roomId))) {
    const lines = live.filter((m) => m.roomId === roomId).sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
    lines.forEach((m, i) => {
      if (i > 0 && lines[i - 1]!.authorId === m.authorId) return;
      if (m.createdAt < from || m.createdAt >= to) return;
      const answer = lines.slice(i + 1).find((n) => n.authorId !== m.authorId);
      if (answer) delays.push(Date.parse(answer.createdAt) - Date.parse(m.createdAt));
    });
  }
  delays.sort((a, b) => a - b);
  return { count: delays.length, medianMs: delays.length === 0 ? null : delays[Math.ceil(delays.length / 2) - 1]! };
}

const at = (dayAndTime: string) => `2025-03-${dayAndTime}:00.000Z`;
const move = (projectId: string, taskId: string, from: string | null, to: string, time: string): TaskMove => ({ id: randomUUID(), projectId, taskId, from, to, at: at(time) });
/** Days 10 to 13 of March: three periods. */
const BOUNDS = [at('10T00:00'), at('11T00:00'), at('12T00:00'), at('13T00:00')];

forEachStore('Store analytics reads', (h) => {
  it('lists a task\'s moves oldest first', async () => {
    const moves = [move('p', 't', 'todo', 'doing', '10T12:00'), move('p', 't', null, 'todo', '10T09:00'), move('p', 'other', null, 'todo', '10T08:00')];
    await insert(h.store, 'taskMoves', ...moves);
    expect(await h.store.taskMoves.listByTask('t')).to.deep.equal([moves[1], moves[0]]);
    expect(await h.store.taskMoves.listByTask('none')).to.deep.equal([]);
  });

  it('counts tasks by column now, and open tasks by assignee with the overdue ones', async () => {
    const p = aProject('u');
    await insert(
      h.store,
      'tasks',
      aTask(p.id, { status: 'todo', assigneeId: 'ana', dueAt: at('01T00:00') }),
      aTask(p.id, { status: 'doing', assigneeId: 'ana', dueAt: at('20T00:00') }),
      aTask(p.id, { status: 'doing', assigneeId: null, dueAt: at('01T00:00') }),
      aTask(p.id, { status: 'done', assigneeId: 'ana', dueAt: at('01T00:00') }),
      aTask(p.id, { status: 'todo', assigneeId: 'bo' }),
      aTask(aProject('u').id, { status: 'todo', assigneeId: 'ana' }),
    );
    const byStatus = await h.store.analytics.tasksByStatus(p.id);
    expect(byStatus).to.have.deep.members([{ key: 'todo', count: 2 }, { key: 'doing', count: 2 }, { key: 'done', count: 1 }]);
    const open = await h.store.analytics.openByAssignee(p.id, 'done', at('10T00:00'));
    expect(open).to.have.deep.members([
      { assigneeId: 'ana', open: 2, overdue: 1 },
      { assigneeId: null, open: 1, overdue: 1 },
      { assigneeId: 'bo', open: 1, overdue: 0 },
    ]);
  });

  it('counts tasks created per period, the done and the chat ones among them', async () => {
    const p = aProject('u');
    await insert(
      h.store,
      'tasks',
      aTask(p.id, { createdAt: at('09T23:59'), status: 'done' }),
      aTask(p.id, { createdAt: at('10T00:00'), status: 'done', fromChat: true }),
      aTask(p.id, { createdAt: at('10T23:00'), status: 'todo', fromChat: true }),
      aTask(p.id, { createdAt: at('12T10:00'), status: 'doing' }),
      aTask(p.id, { createdAt: at('13T00:00'), status: 'done' }),
      aTask(aProject('u').id, { createdAt: at('10T12:00') }),
    );
    expect(await h.store.analytics.createdPerPeriod(p.id, 'done', BOUNDS)).to.deep.equal([
      { created: 2, completed: 1, fromChat: 2 },
      { created: 0, completed: 0, fromChat: 0 },
      { created: 1, completed: 0, fromChat: 0 },
    ]);
  });

  it('counts and measures the tasks completed in each period that are in the done column now', async () => {
    const p = aProject('u');
    const done = (assigneeId: string | null, created: string, started: string | null, completed: string) =>
      aTask(p.id, { status: 'done', assigneeId, createdAt: at(created), startedAt: started && at(started), completedAt: at(completed) });
    await insert(
      h.store,
      'tasks',
      done('ana', '01T00:00', '05T00:00', '10T00:00'),
      done('ana', '09T00:00', '09T12:00', '10T12:00'),
      // Never left the first column (a one-column board): its cycle starts at its creation.
      done('bo', '11T00:00', null, '11T06:00'),
      done(null, '05T00:00', '06T00:00', '12T23:59'),
      done('ana', '08T00:00', '08T01:00', '12T01:00'),
      done('ana', '01T00:00', '01T00:00', '13T00:00'),
      done('ana', '01T00:00', '01T00:00', '09T23:59'),
      // Completed once, then moved on: not completed now.
      aTask(p.id, { status: 'doing', createdAt: at('10T00:00'), completedAt: at('11T00:00') }),
      aTask(aProject('u').id, { status: 'done', createdAt: at('10T00:00'), completedAt: at('10T01:00') }),
    );
    const H = 3_600_000;
    const M = 60_000;
    // Cycle: 6 h, 24 h, 96 h, 120 h, 6 d 23:59. Lead: 6 h, 36 h, 97 h, 7 d 23:59, 216 h.
    const { byAssignee, ...overall } = await h.store.analytics.completions(p.id, 'done', BOUNDS);
    expect(overall).to.deep.equal({
      perPeriod: [2, 1, 2],
      cycle: { count: 5, p50: 96 * H, p85: 10_079 * M, p95: 10_079 * M },
      lead: { count: 5, p50: 97 * H, p85: 216 * H, p95: 216 * H },
    });
    expect(byAssignee).to.have.deep.members([
      { assigneeId: 'ana', count: 3, cycleP50: 96 * H },
      { assigneeId: 'bo', count: 1, cycleP50: 6 * H },
      { assigneeId: null, count: 1, cycleP50: 10_079 * M },
    ]);
    const none = await h.store.analytics.completions(p.id, 'done', [at('20T00:00'), at('21T00:00')]);
    expect(none).to.deep.equal({ perPeriod: [0], cycle: { count: 0, p50: null, p85: null, p95: null }, lead: { count: 0, p50: null, p85: null, p95: null }, byAssignee: [] });
  });

  it('counts the tasks in each column at each instant from the moves, a move at an instant counting after it', async () => {
    const p = aProject('u');
    await insert(
      h.store,
      'taskMoves',
      move(p.id, 'a', null, 'todo', '01T00:00'),
      move(p.id, 'a', 'todo', 'doing', '10T00:00'),
      move(p.id, 'a', 'doing', 'done', '11T12:00'),
      move(p.id, 'b', null, 'doing', '10T05:00'),
      move(p.id, 'b', 'doing', 'todo', '12T05:00'),
      move('other', 'c', null, 'todo', '10T05:00'),
    );
    expect(await h.store.analytics.tasksByStatusAt(p.id, BOUNDS)).to.deep.equal([
      { todo: 1 },
      { doing: 2 },
      { doing: 1, done: 1 },
      { todo: 1, done: 1 },
    ]);
    expect(await h.store.analytics.tasksByStatusAt(p.id, [])).to.deep.equal([]);
  });

  it('counts the messages of some rooms per period, deleted ones left out', async () => {
    const p = aProject('u');
    const [general, other, hidden] = [aRoom(p.id), aRoom(p.id), aRoom(p.id)];
    await insert(
      h.store,
      'messages',
      aMessage(general.id, p.id, { createdAt: at('10T00:00') }),
      aMessage(general.id, p.id, { createdAt: at('10T10:00') }),
      aMessage(general.id, p.id, { createdAt: at('10T11:00'), deletedAt: at('10T12:00') }),
      aMessage(other.id, p.id, { createdAt: at('12T23:59') }),
      aMessage(hidden.id, p.id, { createdAt: at('11T10:00') }),
      aMessage(general.id, p.id, { createdAt: at('13T00:00') }),
    );
    expect(await h.store.analytics.messagesPerPeriod([general.id, other.id], BOUNDS)).to.deep.equal([2, 0, 1]);
    expect(await h.store.analytics.messagesPerPeriod([], BOUNDS)).to.deep.equal([0, 0, 0]);
  });

  it('measures how long each turn started inside a range waited for someone else', async () => {
    const p = aProject('u');
    const [room, other] = [aRoom(p.id), aRoom(p.id)];
    const say = (roomId: string, authorId: string, time: string, over: { deletedAt?: string } = {}) => aMessage(roomId, p.id, { authorId, createdAt: at(time), ...over });
    await insert(
      h.store,
      'messages',
      // Before the range: ana's turn continues into it, so her 10T01:00 message starts nothing.
      say(room.id, 'ana', '09T23:00'),
      say(room.id, 'ana', '10T01:00'),
      say(room.id, 'bo', '10T02:00'),
      say(room.id, 'ana', '10T02:30', { deletedAt: at('10T03:00') }),
      say(room.id, 'bo', '10T02:40'),
      say(room.id, 'ana', '10T04:00'),
      // The last turn inside is answered after the range.
      say(room.id, 'bo', '12T23:00'),
      say(room.id, 'cy', '14T01:00'),
      say(other.id, 'cy', '11T00:00'),
      say(other.id, 'dee', '11T00:10'),
      // Never answered.
      say(other.id, 'cy', '11T00:20'),
    );
    // bo 10T02:00 → ana 10T04:00 (120 min); ana 10T04:00 → bo 12T23:00 (4020); bo 12T23:00 → cy 14T01:00 (1560); cy → dee, dee → cy (10, 10).
    expect(await h.store.analytics.medianReplyDelay([room.id, other.id], BOUNDS[0]!, BOUNDS[3]!)).to.deep.equal({ count: 5, medianMs: 120 * 60_000 });
    expect(await h.store.analytics.medianReplyDelay([room.id], BOUNDS[0]!, BOUNDS[3]!)).to.deep.equal({ count: 3, medianMs: 1560 * 60_000 });
    expect(await h.store.analytics.medianReplyDelay([room.id], BOUNDS[1]!, BOUNDS[2]!)).to.deep.equal({ count: 0, medianMs: null });
    expect(await h.store.analytics.medianReplyDelay([], BOUNDS[0]!, BOUNDS[3]!)).to.deep.equal({ count: 0, medianMs: null });
  });

  it('keeps turns and counts right whatever order messages arrive in, and as they are deleted', async () => {
    const p = aProject('u');
    const rooms = [aRoom(p.id), aRoom(p.id)];
    const next = seeded(7);
    // Whole minutes over three days, three authors, some at the same minute.
    const all = Array.from({ length: 120 }, () =>
      aMessage(rooms[Math.floor(next() * 2)]!.id, p.id, { authorId: ['ana', 'bo', 'cy'][Math.floor(next() * 3)]!, createdAt: new Date(Date.parse(BOUNDS[0]!) + Math.floor(next() * 3 * 1440 - 300) * 60_000).toISOString() }),
    );
    const shuffled = all.map((m) => [next(), m] as const).sort((a, b) => a[0] - b[0]).map(([, m]) => m);
    for (let i = 0; i < shuffled.length; i += 30) await insert(h.store, 'messages', ...shuffled.slice(i, i + 30));
    const gone = new Set<string>();
    for (const m of shuffled.slice(0, 25)) {
      gone.add(m.id);
      await h.store.write({ projectId: null }, (uow) => (next() < 0.5 ? uow.remove('messages', m.id) : uow.replace('messages', { ...m, deletedAt: BOUNDS[3]! })));
    }
    const live = all.filter((m) => !gone.has(m.id));
    const roomIds = rooms.map((r) => r.id);
    expect(await h.store.analytics.medianReplyDelay(roomIds, BOUNDS[0]!, BOUNDS[3]!)).to.deep.equal(modelMedian(live, BOUNDS[0]!, BOUNDS[3]!));
    expect(await h.store.analytics.medianReplyDelay([roomIds[0]!], BOUNDS[1]!, BOUNDS[2]!)).to.deep.equal(modelMedian(live.filter((m) => m.roomId === roomIds[0]), BOUNDS[1]!, BOUNDS[2]!));
    const inPeriod = (i: number) => live.filter((m) => m.createdAt >= BOUNDS[i]! && m.createdAt < BOUNDS[i + 1]!).length;
    expect(await h.store.analytics.messagesPerPeriod(roomIds, BOUNDS)).to.deep.equal([0, 1, 2].map(inPeriod));
    // Bounds off the hour (a zone 45 minutes off) count the same messages.
    const shifted = BOUNDS.map((b) => new Date(Date.parse(b) + 45 * 60_000).toISOString());
    const inShifted = (i: number) => live.filter((m) => m.createdAt >= shifted[i]! && m.createdAt < shifted[i + 1]!).length;
    expect(await h.store.analytics.messagesPerPeriod(roomIds, shifted)).to.deep.equal([0, 1, 2].map(inShifted));
  });
});
