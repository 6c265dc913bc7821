// S10's project: a year of work on one SQLite file, written in bulk with
// better-sqlite3 (one transaction, prepared statements) in the shapes the
// store keeps, so the product reads it as if its services had written it:
// tasks with their moves (created, moved on, completed, reopened, moved back,
// reassigned), chat in three rooms (one private), and the change feed with an
// entry for each. Deterministic: the same seed gives the same project.

import Database from 'better-sqlite3';
import { NOTIFY_DEFAULTS } from '../../../core/domain/notify.js';
import type { Message, Project, Task, TaskMove, User } from '../../../core/store/entities.js';

export interface SeedPlan {
  tasks: number;
  /** Feed entries in all: task changes first, messages make up the rest. */
  changes: number;
  days: number;
  people: number;
}

export interface Seeded {
  projectId: string;
  /** The owner, who reads analytics; a member of every room. */
  ownerId: string;
  counts: { tasks: number; moves: number; messages: number; changes: number; deletedTasks: number };
  /** The range's first and last instants (ISO), for the bare query. */
  from: string;
  to: string;
}

const COLUMNS = ['todo', 'doing', 'review', 'done'];
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

/** mulberry32: small, fast, good enough to spread a workload. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedAnalyticsProject(path: string, plan: SeedPlan, now: number): Seeded {
  const rnd = random(10);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  let serial = 0;
  const newId = (kind: string) => `${kind}-${(++serial).toString(36).padStart(8, '0')}`;
  const start = now - plan.days * 24 * HOUR;

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insertDoc = (table: string) => {
    const statement = db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?)`);
    return (doc: { id: string }) => statement.run(doc.id, JSON.stringify(doc));
  };
  const users = insertDoc('users');
  const projects = insertDoc('projects');
  const members = insertDoc('members');
  const rooms = insertDoc('rooms');
  const roomMembers = insertDoc('room_members');
  const tasks = insertDoc('tasks');
  const moves = insertDoc('task_moves');
  const messages = insertDoc('messages');
  const change = db.prepare('INSERT INTO changes (project_id, seq, type, at, actor_id, data, audience) VALUES (?, ?, ?, ?, ?, ?, NULL)');

  const projectId = newId('project');
  const people: User[] = Array.from({ length: plan.people }, (_, i) => ({
    id: newId('user'), email: `p${i}@bench.test`, name: `Person ${String(i).padStart(2, '0')}`, passwordHash: null, isAdmin: false, disabled: false,
    verified: true, notify: { ...NOTIFY_DEFAULTS, channels: { ...NOTIFY_DEFAULTS.channels } }, externalRef: null, createdAt: iso(start), updatedAt: iso(start),
  }));
  const owner = people[0]!;
  const project: Project = { id: projectId, name: 'S10', description: '', columns: COLUMNS.map((key) => ({ key, name: key })), createdBy: owner.id, createdAt: iso(start), updatedAt: iso(start) };
  const roomIds = ['general', 'dev', 'leads'].map(() => newId('room'));

  /** Feed entries: [at, type, actor, data], sorted by time before they get their seq. */
  const feed: [number, string, string, unknown][] = [];
  let moveCount = 0;
  let deletedTasks = 0;
  const write = db.transaction(() => {
    people.forEach((u) => users(u));
    projects(project);
    people.forEach((u, i) => members({ id: newId('member'), projectId, userId: u.id, role: i === 0 ? 'owner' : 'member', createdAt: iso(start), updatedAt: iso(start) } as { id: string }));
    roomIds.forEach((id, i) => rooms({ id, projectId, name: ['general', 'dev', 'leads'][i]!, topic: '', private: i === 2, createdBy: owner.id, createdAt: iso(start), updatedAt: iso(start) } as { id: string }));
    // The private room has the owner and two others.
    for (const user of people.slice(0, 3)) roomMembers({ id: newId('rm'), roomId: roomIds[2]!, projectId, userId: user.id, role: 'member', createdAt: iso(start) } as { id: string });

    for (let n = 1; n <= plan.tasks; n++) {
      const id = newId('task');
      const createdAt = start + rnd() * (now - start - HOUR);
      const creator = pick(people).id;
      let at = createdAt;
      let status = rnd() < 0.1 ? 'doing' : 'todo';
      let startedAt: number | null = status === 'todo' ? null : at;
      let completedAt: number | null = null;
      let assigneeId: string | null = rnd() < 0.8 ? pick(people).id : null;
      const history: TaskMove[] = [{ id: newId('move'), projectId, taskId: id, from: null, to: status, at: iso(at) }];
      const step = (to: string) => {
        const next = at + rnd() * 72 * HOUR;
        if (next >= now) return false;
        at = next;
        history.push({ id: newId('move'), projectId, taskId: id, from: status, to, at: iso(at) });
        if (to !== 'todo') startedAt ??= at;
        completedAt = to === 'done' ? at : null;
        status = to;
        feed.push([at, 'task.moved', creator, { id, status }]);
        return true;
      };
      feed.push([createdAt, 'task.created', creator, { id, status }]);
      // Most tasks go through; some stop on the way, some are reopened or sent back.
      const route = rnd() < 0.85 ? ['doing', 'review', 'done'] : rnd() < 0.5 ? ['doing'] : ['doing', 'review'];
      for (const to of route) if (status !== to && !step(to)) break;
      if (status === 'done' && rnd() < 0.1) {
        for (const to of ['doing', 'review', 'done']) if (!step(to)) break;
      } else if (status === 'review' && rnd() < 0.2) {
        step('todo');
      }
      if (rnd() < 0.3) {
        assigneeId = pick(people).id;
        feed.push([Math.min(at + HOUR, now - 1), 'task.updated', creator, { id, assigneeId }]);
      }
      if (rnd() < 0.02) {
        // Deleted: its record and moves are gone, its feed entries stay.
        feed.push([Math.min(at + HOUR, now - 1), 'task.deleted', creator, { id, status }]);
        deletedTasks++;
        continue;
      }
      const due = rnd() < 0.3 ? iso(createdAt + rnd() * 30 * 24 * HOUR) : null;
      const task: Task = {
        id, projectId, number: n, title: `Task ${n}`, description: '', status, assigneeId, assignedAt: assigneeId ? iso(createdAt) : null, dueAt: due, labels: [],
        position: `a${n.toString(36)}`, version: history.length, createdBy: creator, createdAt: iso(createdAt), updatedAt: iso(at), completedAt: completedAt === null ? null : iso(completedAt),
        startedAt: startedAt === null ? null : iso(startedAt), fromChat: rnd() < 0.05, fields: {},
      };
      tasks(task);
      history.forEach((m) => moves(m));
      moveCount += history.length;
    }
    const messageCount = Math.max(plan.changes - feed.length, 0);
    // Chat arrives in order, as it does live.
    const times = Array.from({ length: messageCount }, () => start + rnd() * (now - start)).sort((x, y) => x - y);
    for (let i = 0; i < messageCount; i++) {
      const createdAt = times[i]!;
      const roomId = rnd() < 0.1 ? roomIds[2]! : rnd() < 0.6 ? roomIds[0]! : roomIds[1]!;
      const author = roomId === roomIds[2] ? pick(people.slice(0, 3)) : pick(people);
      const message: Message = {
        id: newId('msg'), roomId, projectId, authorId: author.id, authorName: author.name, text: `message ${i}`, source: rnd() < 0.1 ? 'slack' : 'web',
        externalId: null, createdAt: iso(createdAt), editedAt: null, deletedAt: rnd() < 0.01 ? iso(createdAt + HOUR) : null,
      };
      messages(message);
      feed.push([createdAt, 'message.created', author.id, { id: message.id, roomId }]);
    }
    feed.sort((a, b) => a[0] - b[0]);
    feed.forEach(([at, type, actor, data], i) => change.run(projectId, i + 1, type, iso(at), actor, JSON.stringify(data)));
    db.prepare('INSERT INTO feeds (scope, last_seq, task_counter) VALUES (?, ?, ?)').run(projectId, feed.length, plan.tasks);
    return messageCount;
  });
  const messageCount = write();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    projectId,
    ownerId: owner.id,
    counts: { tasks: plan.tasks - deletedTasks, moves: moveCount, messages: messageCount, changes: feed.length, deletedTasks },
    from: iso(start),
    to: iso(now),
  };
}
