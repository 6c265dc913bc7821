// GET /api/projects/:projectId/analytics against a history with known answers.
// The history is written through the real services with a clock the test
// sets (ServiceDeps.now: tasks, moves and messages take their times from it),
// on the running server's own store, then read over HTTP. The range is two
// weeks in Europe/Berlin around the start of summer time (Sunday 2025-03-30
// lasts 23 hours there), and events sit where a wrong day boundary would show:
// just after Berlin midnight but before UTC midnight, or within the lost hour.

import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { UserActor } from '../../core/domain/actor.js';
import type { Role } from '../../core/domain/entities.js';
import { createLogger } from '../../core/logger.js';
import { runCommandText } from '../../core/services/commands.js';
import type { ServiceDeps } from '../../core/services/deps.js';
import { deleteMessage, postMessage } from '../../core/services/messages.js';
import { addRoomMember, createRoom } from '../../core/services/rooms.js';
import { createTask, deleteTask, moveTask, updateTask } from '../../core/services/tasks.js';
import { Client, forEachApi, registerUser, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';

const RANGE = '?from=2025-03-24&to=2025-04-06&tz=Europe/Berlin';

interface World {
  projectId: string;
  people: Record<'olga' | 'adam' | 'ana' | 'bo' | 'vic' | 'nora', TestUser>;
}

/** Services on the server's store, at the time `clock.at` says. */
function clockedDeps(api: ApiServer): { deps: ServiceDeps; clock: { at: string } } {
  const clock = { at: '2025-01-01T00:00:00.000Z' };
  const deps: ServiceDeps = {
    store: api.server.store,
    bus: api.server.bus,
    logger: createLogger('silent'),
    now: () => new Date(clock.at),
    newId: () => randomUUID(),
    passwords: TEST_TUNING.passwords!,
  };
  return { deps, clock };
}

const actorOf = (user: TestUser): UserActor => ({ kind: 'user', userId: user.id, tokenId: 'analytics-test', tokenKind: 'session', isAdmin: false });

async function makeWorld(api: ApiServer): Promise<World> {
  const people = {
    olga: await registerUser(api, 'Olga Owner'),
    adam: await registerUser(api, 'Adam Admin'),
    ana: await registerUser(api, 'Ana Member'),
    bo: await registerUser(api, 'Bo Member'),
    vic: await registerUser(api, 'Vic Viewer'),
    nora: await registerUser(api, 'Nora Outsider'),
  };
  const projectId: string = (await people.olga.client.post('/api/projects', { name: 'Flow' })).body.id;
  const roles: [TestUser, Role][] = [[people.adam, 'admin'], [people.ana, 'member'], [people.bo, 'member'], [people.vic, 'viewer']];
  for (const [user, role] of roles) {
    const added = await people.olga.client.post(`/api/projects/${projectId}/members`, { email: user.email, role });
    if (added.status !== 201) throw new Error(`adding ${user.name} failed: ${JSON.stringify(added.body)}`);
  }
  return { projectId, people };
}

/** The history of the figures below; times are UTC. */
async function writeHistory(api: ApiServer, w: World): Promise<void> {
  const { deps, clock } = clockedDeps(api);
  const { olga, ana, bo } = w.people;
  const as = actorOf(olga);
  const at = async <T>(time: string, work: () => Promise<T>): Promise<T> => {
    clock.at = time;
    return work();
  };
  const versions = new Map<string, number>();
  const track = (task: { id: string; version: number }) => {
    versions.set(task.id, task.version);
    return task.id;
  };
  const create = (time: string, title: string, extra: { status?: string; assigneeId?: string; dueAt?: string } = {}) =>
    at(time, async () => track(await createTask(deps, as, w.projectId, { title, ...extra })));
  const move = (time: string, id: string, status: string) => at(time, async () => track(await moveTask(deps, as, id, { status }, versions.get(id)!)));

  // Before the range: T7 is completed inside it, T8 before it.
  const t7 = await create('2025-03-10T10:00:00.000Z', 'T7 long haul');
  const t8 = await create('2025-03-10T11:00:00.000Z', 'T8 done early');
  await move('2025-03-11T11:00:00.000Z', t8, 'done');
  await move('2025-03-12T10:00:00.000Z', t7, 'doing');
  // T1: done the next day; assigned to Bo then, to Ana now.
  const t1 = await create('2025-03-24T08:00:00.000Z', 'T1 quick', { assigneeId: bo.id });
  await move('2025-03-24T10:00:00.000Z', t1, 'doing');
  await move('2025-03-25T10:00:00.000Z', t1, 'done');
  // T2: completed, reopened, completed again: counts once, in the week of the last completion.
  const t2 = await create('2025-03-24T09:00:00.000Z', 'T2 reopened', { assigneeId: bo.id });
  await move('2025-03-26T09:00:00.000Z', t2, 'doing');
  await move('2025-03-27T09:00:00.000Z', t2, 'done');
  await move('2025-03-28T09:00:00.000Z', t2, 'doing');
  await move('2025-03-31T09:00:00.000Z', t2, 'done');
  // T3: moved back to the first column and on again (its start stays the first one); done at 00:30 on Monday in Berlin.
  const t3 = await create('2025-03-25T12:00:00.000Z', 'T3 moved back', { assigneeId: ana.id });
  await move('2025-03-25T13:00:00.000Z', t3, 'doing');
  await move('2025-03-26T13:00:00.000Z', t3, 'todo');
  await move('2025-03-27T13:00:00.000Z', t3, 'doing');
  // T5: created and completed, then deleted: it counts nowhere.
  const t5 = await create('2025-03-26T08:00:00.000Z', 'T5 deleted');
  await move('2025-03-26T09:00:00.000Z', t5, 'done');
  await at('2025-03-27T08:00:00.000Z', () => deleteTask(deps, as, t5));
  // T6: from the chat, through the command the rooms, Slack and Discord run.
  const command = await at('2025-03-27T15:00:00.000Z', () => runCommandText(deps, as, w.projectId, '/task add T6 from chat @ana'));
  expect(command.ok, command.text).to.equal(true);
  // T4: created in the second column at 00:30 on Sunday in Berlin (still winter time), overdue.
  await create('2025-03-29T23:30:00.000Z', 'T4 started at once', { status: 'doing', assigneeId: bo.id, dueAt: '2025-03-20T00:00:00.000Z' });
  // T9: created at 00:15 on Monday in Berlin (summer time), overdue.
  await create('2025-03-30T22:15:00.000Z', 'T9 open', { assigneeId: ana.id, dueAt: '2025-04-03T00:00:00.000Z' });
  await move('2025-03-30T22:30:00.000Z', t3, 'done');
  await move('2025-04-02T10:00:00.000Z', t7, 'done');
  await at('2025-04-03T10:00:00.000Z', async () => track(await updateTask(deps, as, t1, { assigneeId: ana.id }, versions.get(t1)!)));
  // T10: after the range.
  await create('2025-04-10T10:00:00.000Z', 'T10 later');

  // Chat. In #general, m0 (before the range) makes m1 no turn start; m6 is deleted.
  const general = (await w.people.olga.client.get(`/api/projects/${w.projectId}/rooms`)).body.items.find((r: { name: string }) => r.name === 'general').id as string;
  const say = (time: string, who: TestUser, roomId: string, text: string) => at(time, () => postMessage(deps, actorOf(who), roomId, { text }));
  await say('2025-03-23T20:00:00.000Z', olga, general, 'm0');
  await say('2025-03-24T09:00:00.000Z', olga, general, 'm1');
  await say('2025-03-24T09:10:00.000Z', olga, general, 'm2');
  await say('2025-03-24T09:30:00.000Z', ana, general, 'm3');
  await say('2025-03-24T10:30:00.000Z', olga, general, 'm4');
  await say('2025-03-25T10:30:00.000Z', bo, general, 'm5');
  const m6 = await say('2025-03-25T10:40:00.000Z', ana, general, 'm6');
  await say('2025-03-25T13:50:00.000Z', olga, general, 'm7');
  await say('2025-03-30T22:10:00.000Z', ana, general, 'm8');
  await say('2025-04-01T22:10:00.000Z', bo, general, 'm9');
  await at('2025-03-26T12:00:00.000Z', () => deleteMessage(deps, actorOf(ana), m6.id));
  // A private room of Olga and Ana: Bo (and Adam, an admin but not in it) do not see it.
  const secret = await at('2025-03-20T00:00:00.000Z', () => createRoom(deps, as, w.projectId, { name: 'secret', private: true }));
  await at('2025-03-20T00:00:00.000Z', () => addRoomMember(deps, as, secret.id, { userId: ana.id }));
  await say('2025-03-26T10:00:00.000Z', olga, secret.id, 's1');
  await say('2025-03-26T10:05:00.000Z', ana, secret.id, 's2');
  await say('2025-03-26T10:06:00.000Z', olga, secret.id, 's3');
}

const DAYS = ['03-24', '03-25', '03-26', '03-27', '03-28', '03-29', '03-30', '03-31', '04-01', '04-02', '04-03', '04-04', '04-05', '04-06'].map((d) => `2025-${d}`);

/** todo, doing, done at the end of each day of DAYS, in Berlin. */
const FLOW: [number, number, number][] = [
  [1, 2, 1],
  [1, 2, 2],
  [1, 2, 2],
  [1, 2, 3],
  [1, 3, 2],
  // Saturday ends at 23:00 UTC: T4 (23:30) is Sunday's.
  [1, 3, 2],
  // Sunday ends at 22:00 UTC (summer time): T9 (22:15) and T3 done (22:30) are Monday's.
  [1, 4, 2],
  [2, 2, 4],
  [2, 2, 4],
  [2, 1, 5],
  [2, 1, 5],
  [2, 1, 5],
  [2, 1, 5],
  [2, 1, 5],
];

function messagesPerDay(counts: Record<string, number>): { day: string; count: number }[] {
  return DAYS.map((day) => ({ day, count: counts[day] ?? 0 }));
}

forEachApi('Analytics', (api) => {
  let w: World;

  before(async function () {
    this.timeout(120_000);
    w = await makeWorld(api);
    await writeHistory(api, w);
  });

  const read = (user: TestUser | Client, query = RANGE) => ('client' in user ? user.client : user).get(`/api/projects/${w.projectId}/analytics${query}`);

  it('answers every figure of the known history, days and weeks in Berlin across the change to summer time', async () => {
    const reply = await read(w.people.olga);
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    const { ana, bo, olga, adam, vic } = w.people;
    expect(reply.body).to.deep.equal({
      range: { from: '2025-03-24', to: '2025-04-06', tz: 'Europe/Berlin' },
      // Created: T1, T2, T3, T6, T4 (Sunday in Berlin) | T9 (Monday in Berlin). Completed: T1 | T2, T3 (Monday 00:30 in Berlin), T7.
      throughput: [
        { week: '2025-03-24', created: 5, completed: 1 },
        { week: '2025-03-31', created: 1, completed: 3 },
      ],
      // Hours from first leaving todo: T1 24, T2 120, T3 129.5 (not restarted by the move back), T7 504.
      cycleTime: { count: 4, p50: 120, p85: 504, p95: 504 },
      // From creation: T1 26, T3 130.5, T2 168, T7 552.
      leadTime: { count: 4, p50: 130.5, p85: 552, p95: 552 },
      wip: [
        { status: 'todo', count: 3 },
        { status: 'doing', count: 1 },
        { status: 'done', count: 5 },
      ],
      overdue: 2,
      // T1, T2 and T3 of the six created inside the range are done now.
      completionRate: 0.5,
      cumulativeFlow: DAYS.map((day, i) => ({ day, counts: { todo: FLOW[i]![0], doing: FLOW[i]![1], done: FLOW[i]![2] } })),
      members: [
        { userId: adam.id, name: 'Adam Admin', assigned: 0, completed: 0, overdue: 0, cycleTimeP50: null },
        // T6 and T9 open, T9 overdue; T1 (reassigned to her) and T3 completed: cycle times 24 and 129.5.
        { userId: ana.id, name: 'Ana Member', assigned: 2, completed: 2, overdue: 1, cycleTimeP50: 24 },
        { userId: bo.id, name: 'Bo Member', assigned: 1, completed: 1, overdue: 1, cycleTimeP50: 120 },
        { userId: olga.id, name: 'Olga Owner', assigned: 0, completed: 0, overdue: 0, cycleTimeP50: null },
        { userId: vic.id, name: 'Vic Viewer', assigned: 0, completed: 0, overdue: 0, cycleTimeP50: null },
      ],
      chat: {
        // m8 (22:10 UTC on Sunday) is Monday's in Berlin; m6 is deleted; s1-s3 are the private room's.
        messagesPerDay: messagesPerDay({ '2025-03-24': 4, '2025-03-25': 2, '2025-03-26': 3, '2025-03-31': 1, '2025-04-02': 1 }),
        tasksFromChat: 1,
        // Answered turns: m3 60, m4 1440, m5 200, m7 7700, m8 2880 (#general); s1 5, s2 1 (private): the 4th of 7.
        medianFirstReplyMinutes: 200,
      },
    });
  });

  it('counts a private room\'s messages only for its members', async () => {
    for (const user of [w.people.bo, w.people.adam]) {
      const { chat } = (await read(user)).body;
      expect(chat.messagesPerDay, user.name).to.deep.equal(messagesPerDay({ '2025-03-24': 4, '2025-03-25': 2, '2025-03-31': 1, '2025-04-02': 1 }));
      // m3 60, m5 200, m4 1440, m8 2880, m7 7700: the 3rd of 5.
      expect(chat.medianFirstReplyMinutes, user.name).to.equal(1440);
    }
    expect((await read(w.people.ana)).body.chat.medianFirstReplyMinutes).to.equal(200);
  });

  it('folds days into the zone asked for: in UTC, Sunday\'s late events stay on Sunday', async () => {
    const { body } = await read(w.people.olga, '?from=2025-03-24&to=2025-04-06&tz=UTC');
    expect(body.throughput).to.deep.equal([
      { week: '2025-03-24', created: 5 + 1, completed: 1 + 1 },
      { week: '2025-03-31', created: 0, completed: 2 },
    ]);
    expect(body.cumulativeFlow.find((d: { day: string }) => d.day === '2025-03-30').counts).to.deep.equal({ todo: 2, doing: 3, done: 3 });
    // A zone 5:45 ahead of UTC: T4 (23:30 UTC Saturday) is Sunday 05:15 there, T9 (22:15 UTC Sunday) Monday 04:00.
    const kathmandu = (await read(w.people.olga, '?from=2025-03-29&to=2025-03-30&tz=Asia/Kathmandu')).body;
    expect(kathmandu.throughput).to.deep.equal([{ week: '2025-03-24', created: 1, completed: 0 }]);
    expect(kathmandu.cumulativeFlow.map((d: { counts: unknown }) => d.counts)).to.deep.equal([
      { todo: 1, doing: 3, done: 2 },
      { todo: 1, doing: 4, done: 2 },
    ]);
  });

  it('starts from the caller\'s zone, today there and twelve weeks back when nothing is given', async () => {
    const { body } = await read(w.people.olga, '');
    expect(body.range.tz).to.equal('UTC');
    expect(body.range.to).to.equal(new Date().toISOString().slice(0, 10));
    expect(body.cumulativeFlow).to.have.length(84);
    expect(body.throughput[0].week <= body.range.from).to.equal(true);
    expect(body.cumulativeFlow.at(-1).counts).to.deep.equal({ todo: 3, doing: 1, done: 5 });
    const single = (await read(w.people.olga, '?from=2025-03-31&to=2025-03-31&tz=Europe/Berlin')).body;
    expect(single.throughput).to.deep.equal([{ week: '2025-03-31', created: 1, completed: 2 }]);
    expect(single.completionRate).to.equal(0);
    const empty = (await read(w.people.olga, '?from=2024-01-01&to=2024-01-07&tz=Europe/Berlin')).body;
    expect(empty).to.deep.include({ completionRate: null, cycleTime: { count: 0, p50: null, p85: null, p95: null } });
    expect(empty.chat.medianFirstReplyMinutes).to.equal(null);
    // `from` alone always names a range: up to today, but not before it nor past the longest range.
    const today = new Date().toISOString().slice(0, 10);
    expect((await read(w.people.olga, '?from=2024-01-01&tz=UTC')).body.range).to.deep.equal({ from: '2024-01-01', to: '2025-12-31', tz: 'UTC' });
    expect((await read(w.people.olga, `?from=${today}&tz=UTC`)).body.range.to).to.equal(today);
    expect((await read(w.people.olga, '?from=9000-01-01&tz=UTC')).body.range).to.deep.equal({ from: '9000-01-01', to: '9000-01-01', tz: 'UTC' });
  });

  it('lets project readers in: owner, admin, member and viewer; not outsiders, embedded widgets or anonymous callers', async () => {
    for (const user of [w.people.olga, w.people.adam, w.people.ana, w.people.vic]) expect((await read(user)).status, user.name).to.equal(200);
    const outsider = await read(w.people.nora);
    expect(outsider.status).to.equal(404);
    expect(outsider.body.error.code).to.equal('not_found');
    expect((await read(new Client(api.url))).status).to.equal(401);
    const origin = 'https://intranet.example';
    const embed = await w.people.olga.client.post(`/api/projects/${w.projectId}/embed-tokens`, { name: 'Wall', origins: [origin], role: 'viewer', identity: 'anonymous' });
    expect(embed.status).to.equal(201);
    const fromWidget = await new Client(api.url, embed.body.token).request('GET', `/api/projects/${w.projectId}/analytics${RANGE}`, undefined, { Origin: origin });
    expect(fromWidget.status).to.equal(403);
    expect(fromWidget.body.error.code).to.equal('forbidden');
  });

  it('refuses a bad range with 400 naming the parameter, and changes nothing', async () => {
    const before = (await w.people.olga.client.get(`/api/projects/${w.projectId}/changes?since=0&limit=1`)).body.lastSeq;
    const cases: [string, string][] = [
      ['?from=2025-02-30&to=2025-03-01', 'from'],
      ['?from=2025-3-1', 'from'],
      ['?from=1969-12-31&to=1970-01-02', 'from'],
      ['?to=tomorrow', 'to'],
      ['?tz=Mars/Olympus', 'tz'],
      ['?tz=', 'tz'],
      ['?from=2025-04-02&to=2025-04-01', 'from'],
      ['?from=2023-01-01&to=2025-01-01', 'from'],
    ];
    for (const [query, path] of cases) {
      const reply = await read(w.people.olga, query);
      expect(reply.status, query).to.equal(400);
      expect(reply.body.error.code, query).to.equal('validation_failed');
      expect(reply.body.error.details.map((d: { path: string }) => d.path), query).to.deep.equal([path]);
    }
    // 731 days, both ends included, is the longest range.
    expect((await read(w.people.olga, '?from=2023-01-01&to=2024-12-31')).status).to.equal(200);
    expect((await w.people.olga.client.get(`/api/projects/${w.projectId}/changes?since=0&limit=1`)).body.lastSeq).to.equal(before);
  });
});
