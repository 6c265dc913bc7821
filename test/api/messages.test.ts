import { expect } from 'chai';
import type { Actor } from '../../core/domain/actor.js';
import { createLogger } from '../../core/logger.js';
import { runCommandText } from '../../core/services/commands.js';
import { defaultClock, type ServiceDeps } from '../../core/services/deps.js';
import { forEachApi, registerUser, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';

interface Team {
  projectId: string;
  roomId: string;
  owner: TestUser;
  member: TestUser;
  other: TestUser;
  viewer: TestUser;
}

async function team(api: ApiServer): Promise<Team> {
  const [owner, member, other, viewer] = await Promise.all(['Owner', 'Ana Lima', 'Bo Other', 'Viewer'].map((n) => registerUser(api, n)));
  const projectId = (await owner!.client.post('/api/projects', { name: 'Chat' })).body.id as string;
  for (const [user, role] of [[member, 'member'], [other, 'member'], [viewer, 'viewer']] as const) {
    expect((await owner!.client.post(`/api/projects/${projectId}/members`, { email: user!.email, role })).status).to.equal(201);
  }
  const roomId = (await owner!.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id as string;
  return { projectId, roomId, owner: owner!, member: member!, other: other!, viewer: viewer! };
}

async function lastSeq(t: Team): Promise<number> {
  return (await t.owner.client.get(`/api/projects/${t.projectId}/changes?since=0&limit=1`)).body.lastSeq;
}

async function changesSince(t: Team, since: number): Promise<any[]> {
  return (await t.owner.client.get(`/api/projects/${t.projectId}/changes?since=${since}`)).body.changes;
}

async function oneChange(t: Team, type: string, write: () => Promise<unknown>): Promise<any> {
  const since = await lastSeq(t);
  await write();
  const changes = await changesSince(t, since);
  expect(changes.map((c) => c.type)).to.deep.equal([type]);
  return changes[0];
}

async function post(t: Team, user: TestUser, text: string): Promise<any> {
  const reply = await user.client.post(`/api/rooms/${t.roomId}/messages`, { text });
  expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
  return reply.body;
}

/** The room's last `count` messages, oldest first. */
async function latest(t: Team, count: number): Promise<any[]> {
  return (await t.member.client.get(`/api/rooms/${t.roomId}/messages?limit=${count}`)).body.items.toReversed();
}

forEachApi('Messages', (api) => {
  let t: Team;
  beforeEach(async () => {
    t = await team(api);
  });

  it('posts messages with one message.created each, and validates the text', async () => {
    let message: any;
    const change = await oneChange(t, 'message.created', async () => {
      message = await post(t, t.member, '  Hello there  ');
    });
    expect(message).to.include({ roomId: t.roomId, projectId: t.projectId, authorId: t.member.id, text: 'Hello there', source: 'web', editedAt: null, deletedAt: null });
    expect(change.data).to.deep.equal(message);
    expect(change.actorId).to.equal(t.member.id);

    const apiToken = (await t.member.client.post('/api/tokens', { name: 'script' })).body.token;
    expect((await t.member.client.as(apiToken).post(`/api/rooms/${t.roomId}/messages`, { text: 'from a script' })).body.source).to.equal('api');

    for (const text of ['', '   \n ', 'x'.repeat(4001)]) {
      const reply = await t.member.client.post(`/api/rooms/${t.roomId}/messages`, { text });
      expect(reply.status).to.equal(400);
      expect(reply.body.error.details[0].path).to.equal('text');
    }
    expect((await t.member.client.post(`/api/rooms/${t.roomId}/messages`, { text: 'x'.repeat(4000) })).status).to.equal(201);
    expect((await t.viewer.client.post(`/api/rooms/${t.roomId}/messages`, { text: 'may I?' })).status).to.equal(403);
  });

  it('lists newest first and pages back with before', async () => {
    const posted: string[] = [];
    for (let i = 1; i <= 7; i++) posted.push((await post(t, i % 2 ? t.member : t.other, `m${i}`)).id);
    const page = (query: string) => t.viewer.client.get(`/api/rooms/${t.roomId}/messages${query}`);
    const first = await page('?limit=3');
    expect(first.status).to.equal(200);
    expect(first.body.items.map((m: any) => m.text)).to.deep.equal(['m7', 'm6', 'm5']);
    expect(first.body.nextCursor).to.equal(posted[4]);
    const second = await page(`?limit=3&before=${first.body.nextCursor}`);
    expect(second.body.items.map((m: any) => m.text)).to.deep.equal(['m4', 'm3', 'm2']);
    const third = await page(`?limit=3&before=${second.body.nextCursor}`);
    expect(third.body).to.deep.equal({ items: [(await t.owner.client.get(`/api/messages/${posted[0]}`)).body], nextCursor: null });
    // An exact fit has no next page either.
    expect((await page(`?limit=6&before=${posted[6]}`)).body.nextCursor).to.equal(null);
    expect((await page('')).body.items).to.have.length(7);
    expect((await page('?before=nope')).status).to.equal(404);
    expect((await page('?limit=0')).status).to.equal(400);
    expect((await page('?limit=201')).status).to.equal(400);
    const elsewhere = (await t.owner.client.post(`/api/projects/${t.projectId}/rooms`, { name: 'elsewhere' })).body;
    const foreign = (await t.owner.client.post(`/api/rooms/${elsewhere.id}/messages`, { text: 'other room' })).body;
    expect((await page(`?before=${foreign.id}`)).status).to.equal(404);
  });

  it('lets only the author edit, never a deleted message', async () => {
    const message = await post(t, t.member, 'typo');
    expect((await t.other.client.patch(`/api/messages/${message.id}`, { text: 'hijack' })).status).to.equal(403);
    expect((await t.owner.client.patch(`/api/messages/${message.id}`, { text: 'hijack' })).status).to.equal(403);
    expect((await t.member.client.patch(`/api/messages/${message.id}`, { text: '  ' })).status).to.equal(400);
    const change = await oneChange(t, 'message.updated', async () => {
      const reply = await t.member.client.patch(`/api/messages/${message.id}`, { text: 'fixed' });
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({ id: message.id, text: 'fixed', createdAt: message.createdAt });
      expect(reply.body.editedAt).to.be.a('string');
    });
    expect(change.data).to.include({ id: message.id, text: 'fixed', roomId: t.roomId });
    expect((await t.member.client.delete(`/api/messages/${message.id}`)).status).to.equal(204);
    const late = await t.member.client.patch(`/api/messages/${message.id}`, { text: 'too late' });
    expect(late.status).to.equal(409);
    expect(late.body.error.code).to.equal('conflict');
    expect((await t.member.client.patch('/api/messages/missing', { text: 'x' })).status).to.equal(404);
  });

  it('deletes to a tombstone, by the author or an admin only', async () => {
    const own = await post(t, t.member, 'mine');
    expect((await t.other.client.delete(`/api/messages/${own.id}`)).status).to.equal(403);
    expect((await t.viewer.client.delete(`/api/messages/${own.id}`)).status).to.equal(403);
    const change = await oneChange(t, 'message.deleted', async () => expect((await t.member.client.delete(`/api/messages/${own.id}`)).status).to.equal(204));
    expect(change.data).to.include({ id: own.id, roomId: t.roomId, text: '' });
    expect(change.data.deletedAt).to.be.a('string');
    const listed = (await t.viewer.client.get(`/api/rooms/${t.roomId}/messages`)).body.items[0];
    expect(listed).to.deep.equal(change.data);
    // Deleting a tombstone again changes nothing.
    const since = await lastSeq(t);
    expect((await t.member.client.delete(`/api/messages/${own.id}`)).status).to.equal(204);
    expect(await lastSeq(t)).to.equal(since);

    const theirs = await post(t, t.other, 'moderate me');
    await oneChange(t, 'message.deleted', async () => expect((await t.owner.client.delete(`/api/messages/${theirs.id}`)).status).to.equal(204));
    expect((await t.owner.client.get(`/api/messages/${theirs.id}`)).body).to.include({ text: '', authorId: t.other.id });
    // The stored record is emptied too: the text is gone from every read path, the feed's old entry aside.
    const record = await api.server.store.messages.get(theirs.id);
    expect(record).to.include({ text: '' });
  });

  describe('/task in chat', () => {
    it('stores the command, runs it as its author and posts the reply as the system user', async () => {
      const since = await lastSeq(t);
      const command = await post(t, t.member, '/task add "Fix login" @bo due:2026-12-01 #bug');
      expect(command).to.include({ text: '/task add "Fix login" @bo due:2026-12-01 #bug', authorId: t.member.id, source: 'web' });
      const changes = await changesSince(t, since);
      expect(changes.map((c) => c.type)).to.deep.equal(['message.created', 'task.created', 'message.created']);
      const task = changes[1].data;
      expect(task).to.include({ title: 'Fix login', assigneeId: t.other.id, dueAt: '2026-12-01T00:00:00.000Z', createdBy: t.member.id, status: 'todo' });
      expect(task.labels).to.deep.equal(['bug']);
      expect(changes[1].actorId).to.equal(t.member.id);
      const [mine, reply] = await latest(t, 2);
      expect(mine.id).to.equal(command.id);
      expect(reply).to.deep.equal(changes[2].data);
      expect(reply).to.include({ source: 'api', text: `Created #${task.number} Fix login (assigned to Bo Other, due 2026-12-01).` });
      expect(reply.authorId).to.not.equal(t.member.id);

      // The same bot answers every time; its account cannot log in and joins no project.
      await post(t, t.other, '/task done 1');
      const [, second] = await latest(t, 2);
      expect(second.authorId).to.equal(reply.authorId);
      const bot = await api.server.store.users.get(reply.authorId);
      expect(bot).to.include({ email: 'taskwire-bot@system.invalid', name: 'Taskwire', passwordHash: null, isAdmin: false });
      expect(await api.server.store.members.get(t.projectId, reply.authorId)).to.equal(null);
    });

    it('answers help, lists and mistakes to their author only: nothing of the reply is stored or sent to the room', async () => {
      const since = await lastSeq(t);
      const help = await post(t, t.other, '/task help');
      expect(help.commandReply.ok).to.equal(true);
      expect(help.commandReply.text).to.include('/task add <title>');
      const wrong = await post(t, t.other, '/task lsit');
      expect(wrong.commandReply).to.include({ ok: false });
      expect(wrong.commandReply.text).to.match(/^There is no \/task command "lsit"/);
      // Only the two commands themselves are in the room and the feed.
      expect((await changesSince(t, since)).map((c) => c.data.text)).to.deep.equal(['/task help', '/task lsit']);
      expect((await latest(t, 2)).map((m) => m.text)).to.deep.equal(['/task help', '/task lsit']);
      // A command that changes the board is still answered in the room, for everyone.
      const add = await post(t, t.other, '/task add Shared work');
      expect(add).to.not.have.property('commandReply');
      expect((await latest(t, 1))[0].text).to.match(/^Created #\d+ Shared work\.$/);
    });

    it('runs done, assign, move, due and list, and answers mistakes to their author', async () => {
      await post(t, t.member, '/task add Water plants');
      const number = (await latest(t, 1))[0].text.match(/#(\d+)/)[1];
      // Writes are answered in the room; the rest comes back with the post.
      const say = async (text: string) => {
        const posted = await post(t, t.member, text);
        return (posted.commandReply?.text ?? (await latest(t, 1))[0].text) as string;
      };
      expect(await say(`/task assign ${number} me`)).to.equal(`Assigned #${number} Water plants to Ana Lima.`);
      expect(await say(`/task due ${number} 2027-01-02`)).to.equal(`#${number} Water plants is due 2027-01-02.`);
      expect(await say(`/task move ${number} doing`)).to.equal(`Moved #${number} Water plants to Doing.`);
      expect(await say('/task list mine')).to.equal(`Your open tasks:\n#${number} Water plants (Doing, @Ana Lima, due 2027-01-02)`);
      expect(await say(`/task done #${number}`)).to.equal(`Moved #${number} Water plants to Done.`);
      expect(await say('/task list')).to.equal('Open tasks: none.');
      expect(await say('/task list done')).to.match(new RegExp(`^Tasks in Done:\\n#${number} Water plants \\(Done`));
      expect(await say('/task move 999 doing')).to.equal('There is no task #999 in Chat.');
      expect(await say(`/task move ${number} review`)).to.equal('There is no column "review"; the columns are todo, doing, done.');
      expect(await say(`/task assign ${number} @nobody-here`)).to.equal('No project member matches @nobody-here.');
      expect(await say('/task lsit')).to.equal('There is no /task command "lsit". Did you mean "/task list"?\nUsage: ' + [
        '/task add <title> [@person] [due:<date>] [#label ...]', '/task list [mine|<status>]', '/task done <number>', '/task assign <number> @person|me|none',
        '/task move <number> <status>', '/task due <number> <date>|none', '/task help [command]',
      ].join('\n'));
      // Prose mentioning /task is just a message.
      const since = await lastSeq(t);
      await post(t, t.member, 'use /task help to learn more');
      expect((await changesSince(t, since)).map((c) => c.type)).to.deep.equal(['message.created']);
    });

    it('refuses writing commands to viewers with a reply, not an error', async () => {
      const deps: ServiceDeps = {
        store: api.server.store,
        bus: api.server.bus,
        logger: createLogger('silent'),
        ...defaultClock(),
        passwords: TEST_TUNING.passwords!,
      };
      const viewer: Actor = { kind: 'user', userId: t.viewer.id, tokenId: 'test', tokenKind: 'session', isAdmin: false };
      const since = await lastSeq(t);
      const refused = await runCommandText(deps, viewer, t.projectId, '/task add Sneaky');
      expect(refused).to.deep.equal({ ok: false, text: 'Your role (viewer) does not allow adding or changing tasks; that takes the member role or above, which a project admin can give you.' });
      expect(await lastSeq(t)).to.equal(since);
      expect(await runCommandText(deps, viewer, t.projectId, '/task list')).to.deep.include({ ok: true, text: 'Open tasks: none.' });
      const outsider: Actor = { ...viewer, userId: 'not-a-member' };
      expect(await runCommandText(deps, outsider, t.projectId, '/task list')).to.deep.equal({ ok: false, text: 'Project not found.' });
    });
  });
});
