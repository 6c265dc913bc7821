// The Slack adapter end to end: a real Bolt App inside Taskwire, Slack's side
// played by the local double (test/support/slack.ts) over HTTP and Socket Mode.

import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServerTuning } from '../../core/server.js';
import { Client, registerUser, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { startSlackDouble, type SlackDouble, type SlackUserInput } from '../support/slack.js';
import { connectSocket } from '../support/socket.js';

const SECRET = 'f3a1c2d4e5b6a7980f1e2d3c4b5a6978';
const ANA = 'U0ANA0001';
const GUEST = 'U0GUEST01';
const CHANNEL = 'C0LAUNCH1';

interface World {
  api: ApiServer;
  slack: SlackDouble;
  owner: TestUser;
  projectId: string;
  roomId: string;
}

const events = (api: ApiServer) => `${api.url}/slack/events`;

async function command(w: World, user: string, text: string) {
  const delivered = await w.slack.deliver(events(w.api), SECRET, w.slack.slashCommand({ userId: user, channelId: CHANNEL, text }), { kind: 'command' });
  expect(delivered.status, delivered.body).to.equal(200);
  return w.slack.waitForResponse((r) => r.kind === 'command' && r.at >= Date.now() - 10_000 && !seen.has(r), 5_000).then((r) => {
    seen.add(r);
    return r.body as { response_type: string; text: string; blocks: { text?: { text: string }; elements?: { action_id: string; value: string }[] }[] };
  });
}
const seen = new Set<unknown>();

/** Connects Slack user `slackUser` to `user` the way people do: /task connect, then the URL while signed in. */
async function connect(w: World, slackUser: string, user: TestUser): Promise<void> {
  const reply = await command(w, slackUser, 'connect');
  expect(reply.response_type).to.equal('ephemeral');
  const code = /connect\?code=([\w-]+)/.exec(reply.text)![1]!;
  const confirmed = await user.client.post('/api/me/identities', { code });
  expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(201);
  expect(confirmed.body).to.include({ platform: 'slack', externalUserId: slackUser, teamId: w.slack.teamId });
}

async function roomTexts(w: World): Promise<string[]> {
  return (await w.owner.client.get(`/api/rooms/${w.roomId}/messages?limit=200`)).body.items.map((m: { text: string }) => m.text).toReversed();
}

/**
 * Before the suite: a Slack double with #launch and `people`, Taskwire on it (the Slack variables from `env`,
 * `tuning` for its jobs), and Olga's project "Launch" with its room. After it: both stopped.
 */
function useWorld(w: World, people: SlackUserInput[], env: (slack: SlackDouble) => Record<string, string>, tuning?: ServerTuning): void {
  before(async function () {
    w.slack = await startSlackDouble();
    for (const person of people) w.slack.addUser(person);
    w.slack.addChannel({ id: CHANNEL, name: 'launch' });
    w.api = await startApi('sqlite', this, tuning, env(w.slack));
    w.owner = await registerUser(w.api, 'Olga Owner');
    w.projectId = (await w.owner.client.post('/api/projects', { name: 'Launch' })).body.id;
    w.roomId = (await w.owner.client.get(`/api/projects/${w.projectId}/rooms`)).body.items[0].id;
  });
  after(async () => {
    await w.api?.stop();
    await w.slack?.stop();
  });
}

describe('Slack over HTTP: commands, account linking and mirroring', function () {
  this.timeout(60_000);
  const w = {} as World;

  useWorld(
    w,
    [{ id: ANA, name: 'ana', realName: 'Ana Lima' }, { id: GUEST, name: 'gus', realName: 'Gus Guest', displayName: 'Gus' }],
    (slack) => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PUBLIC_URL: 'http://taskwire.test' }),
  );

  it('refuses unsigned, mis-signed and stale or future requests with 401 and does nothing', async () => {
    const body = w.slack.slashCommand({ userId: ANA, channelId: CHANNEL, text: 'add Should never exist' });
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      await w.slack.deliver(events(w.api), 'deadbeefdeadbeefdeadbeefdeadbeef', body, { kind: 'command' }),
      await w.slack.deliver(events(w.api), SECRET, body, { kind: 'command', timestamp: now - 301 }),
      await w.slack.deliver(events(w.api), SECRET, body, { kind: 'command', timestamp: now + 301 }),
      { status: (await fetch(events(w.api), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() })).status },
    ];
    expect(cases.map((c) => c.status)).to.deep.equal([401, 401, 401, 401]);
    const inWindow = await w.slack.deliver(events(w.api), SECRET, w.slack.urlVerification('abc'), { kind: 'event', timestamp: now - 299 });
    expect(inWindow.status).to.equal(200);
    expect(JSON.parse(inWindow.body)).to.deep.equal({ challenge: 'abc' });
    expect((await w.owner.client.get(`/api/projects/${w.projectId}/tasks`)).body.items).to.deep.equal([]);
  });

  it('connects a Slack account with a one-time code that works once', async () => {
    await connect(w, ANA, w.owner);
    const reply = await command(w, GUEST, 'connect');
    const code = /connect\?code=([\w-]+)/.exec(reply.text)![1]!;
    const other = await registerUser(w.api, 'Someone Else');
    expect((await other.client.post('/api/me/identities', { code })).status).to.equal(201);
    expect((await other.client.post('/api/me/identities', { code })).status, 'used twice').to.equal(404);
    // A code older than 10 minutes no longer works.
    const late = /connect\?code=([\w-]+)/.exec((await command(w, GUEST, 'connect')).text)![1]!;
    const { createHash } = await import('node:crypto');
    const stored = (await w.api.server.store.connectCodes.getByHash(createHash('sha256').update(late).digest('hex')))!;
    await w.api.server.store.write({ projectId: null }, (uow) => uow.replace('connectCodes', { ...stored, expiresAt: new Date(Date.now() - 1_000).toISOString() }));
    expect((await other.client.post('/api/me/identities', { code: late })).status, 'expired').to.equal(404);
    const list = await other.client.get('/api/me/identities');
    const id = list.body.items[0].id as string;
    expect((await other.client.delete(`/api/me/identities/${id}`)).status).to.equal(204);
    expect((await other.client.get('/api/me/identities')).body.items).to.deep.equal([]);
  });

  it('links the channel with /task link, and runs the board grammar from Slack like the API', async () => {
    const linked = await command(w, ANA, `link Launch`);
    expect(linked.response_type).to.equal('in_channel');
    expect(linked.text).to.include('#general of Launch');
    const links = await w.owner.client.get(`/api/projects/${w.projectId}/links`);
    expect(links.body.items).to.have.length(1);
    expect(links.body.items[0]).to.include({ platform: 'slack', channelId: CHANNEL, roomId: w.roomId });

    const socket = await connectSocket(w.api.url, w.owner.token);
    expect((await socket.subscribe(w.projectId)).ok).to.equal(true);
    const added = await command(w, ANA, 'add "Fix <login> & co" @olga due:2026-12-24 #bug');
    expect(added.response_type).to.equal('in_channel');
    const task = (await w.owner.client.get(`/api/projects/${w.projectId}/tasks`)).body.items[0];
    expect(task).to.include({ title: 'Fix <login> & co', assigneeId: w.owner.id, createdBy: w.owner.id });
    expect(task.labels).to.deep.equal(['bug']);
    await eventually(async () => socket.changes.filter((c) => c.type === 'task.created').length, (n) => n === 1, 2_000, 'the socket sees the task');
    // Slack markup in titles is escaped: no forged link, no ping.
    expect(JSON.stringify(added.blocks)).to.include('Fix &lt;login&gt; &amp; co');
    const buttons = added.blocks.flatMap((b) => b.elements ?? []);
    expect(buttons.map((b) => b.action_id)).to.deep.equal(['taskwire_done', 'taskwire_assign_me']);

    const listed = await command(w, ANA, 'list');
    expect(listed.response_type).to.equal('ephemeral');
    expect(listed.text).to.include('Fix &lt;login&gt; &amp; co');
    for (const text of [`move ${task.number} doing`, `due ${task.number} 2026-12-31`, `assign ${task.number} me`, `done ${task.number}`]) {
      const reply = await command(w, ANA, text);
      expect(reply.response_type, text).to.equal('in_channel');
    }
    const after = (await w.owner.client.get(`/api/tasks/${task.id}`)).body;
    expect(after).to.include({ status: 'done', assigneeId: w.owner.id });
    expect(after.dueAt.slice(0, 10)).to.equal('2026-12-31');
    const help = await command(w, GUEST, 'help');
    expect(help.text).to.include('/task add').and.include('/task connect').and.include('/task link');
    socket.close();
  });

  it('lets anyone in the channel list, but only connected members write', async () => {
    const listed = await command(w, GUEST, 'list');
    expect(listed.response_type).to.equal('ephemeral');
    const refused = await command(w, GUEST, 'add Sneaky');
    expect(refused.response_type).to.equal('ephemeral');
    expect(refused.text).to.match(/connect/i);
    expect((await w.owner.client.get(`/api/projects/${w.projectId}/tasks?q=Sneaky`)).body.items).to.deep.equal([]);
  });

  it('runs plugins\' sub-commands from Slack through the same commands service, lists them in help, and keeps to roles', async () => {
    const task = (await w.owner.client.post(`/api/projects/${w.projectId}/tasks`, { title: 'Plan <the> launch' })).body;
    expect((await command(w, ANA, `time ${task.number} 30m`)).text).to.include('not enabled in this project');
    expect((await w.owner.client.request('PUT', `/api/projects/${w.projectId}/plugins/time-tracking`, { enabled: true })).status).to.equal(200);
    const help = await command(w, GUEST, 'help');
    expect(help.text).to.include('/task time &lt;number&gt; [duration] - log time on a task');
    const logged = await command(w, ANA, `time ${task.number} 30m`);
    expect(logged.response_type).to.equal('in_channel');
    expect(logged.text).to.equal(`Logged 30m on #${task.number} Plan &lt;the&gt; launch (you: 30m in all).`);
    // A guest may read the total, not log time.
    const refused = await command(w, GUEST, `time ${task.number} 1h`);
    expect(refused.response_type).to.equal('ephemeral');
    expect(refused.text).to.match(/connect/i);
    const total = await command(w, GUEST, `time ${task.number}`);
    expect(total.response_type).to.equal('ephemeral');
    expect(total.text).to.include('30m logged').and.include('Olga Owner: 30m');
    const entries = (await w.owner.client.get(`/api/tasks/${task.id}`)).body.fields['time-tracking'].entries;
    expect(entries.map((e: { userId: string; minutes: number }) => [e.userId, e.minutes])).to.deep.equal([[w.owner.id, 30]]);
    expect((await w.owner.client.request('PUT', `/api/projects/${w.projectId}/plugins/time-tracking`, { enabled: false })).status).to.equal(200);
  });

  it('mirrors a channel message, its edit and its deletion into the room once, also when Slack retries', async () => {
    const socket = await connectSocket(w.api.url, w.owner.token);
    await socket.subscribe(w.projectId);
    const posted = w.slack.postAsUser(CHANNEL, GUEST, 'Hello from <https://example.com|Slack> &amp; friends');
    const started = Date.now();
    expect((await w.slack.deliver(events(w.api), SECRET, posted, { kind: 'event' })).status).to.equal(200);
    await eventually(async () => socket.changes.filter((c) => c.type === 'message.created' && c.data?.source === 'slack').length, (n) => n === 1, 1_000, 'the socket sees it');
    expect(Date.now() - started).to.be.below(1_000);
    expect((await w.slack.deliver(events(w.api), SECRET, posted, { kind: 'event', retryNum: 1, retryReason: 'http_timeout' })).status).to.equal(200);
    await delay(300);
    const messages = (await w.owner.client.get(`/api/rooms/${w.roomId}/messages`)).body.items.filter((m: { source: string }) => m.source === 'slack');
    expect(messages).to.have.length(1);
    expect(messages[0]).to.include({ text: 'Hello from Slack (https://example.com) & friends', authorName: 'Gus (Slack)', externalId: posted.event.ts });

    await w.slack.deliver(events(w.api), SECRET, w.slack.editAsUser(CHANNEL, posted.event.ts, 'Hello, edited'), { kind: 'event' });
    await eventually(() => roomTexts(w), (t) => t.includes('Hello, edited'), 2_000, 'the edit');
    await w.slack.deliver(events(w.api), SECRET, w.slack.deleteAsUser(CHANNEL, posted.event.ts), { kind: 'event' });
    const deleted = await eventually(
      async () => (await w.owner.client.get(`/api/messages/${messages[0].id}`)).body,
      (m) => m.deletedAt !== null,
      2_000,
      'the tombstone',
    );
    expect(deleted.text).to.equal('');
    socket.close();
  });

  it('posts a room message to the channel once under its author\'s name, follows its edit and delete, and ignores the echo', async () => {
    const before = w.slack.callsOf('chat.postMessage').length;
    const sent = await w.owner.client.post(`/api/rooms/${w.roomId}/messages`, { text: 'Ship it <!channel> @here' });
    const call = await w.slack.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('Ship it'), 5_000);
    expect(call.args).to.include({ channel: CHANNEL, username: 'Olga Owner' });
    expect(call.args.text).to.equal('Ship it &lt;!channel&gt; @here');
    const echo = w.slack.botEcho(call);
    await w.slack.deliver(events(w.api), SECRET, echo, { kind: 'event' });
    await w.owner.client.patch(`/api/messages/${sent.body.id}`, { text: 'Ship it today' });
    const update = await w.slack.waitForCall('chat.update', () => true, 5_000);
    expect(update.args).to.include({ channel: CHANNEL, ts: call.result!.ts, text: 'Ship it today' });
    await w.owner.client.delete(`/api/messages/${sent.body.id}`);
    const removed = await w.slack.waitForCall('chat.delete', () => true, 5_000);
    expect(removed.args).to.include({ channel: CHANNEL, ts: call.result!.ts });
    await delay(500);
    expect(w.slack.callsOf('chat.postMessage').length - before, 'posted once, no echo loop').to.equal(1);
    // The echo of the bot's own post made no room message.
    const room = (await w.owner.client.get(`/api/rooms/${w.roomId}/messages?limit=200`)).body.items as { externalId: string | null }[];
    expect(room.filter((m) => m.externalId === call.result!.ts)).to.deep.equal([]);
  });

  it('holds posts while Slack answers 429 and delivers them afterwards, in order, none lost or doubled', async () => {
    w.slack.rateLimit('chat.postMessage', { retryAfterSeconds: 1, forMs: 3_000 });
    const texts = Array.from({ length: 6 }, (_, i) => `queued ${i}`);
    for (const text of texts) await w.owner.client.post(`/api/rooms/${w.roomId}/messages`, { text });
    const posted = await eventually(
      async () => w.slack.history(CHANNEL).filter((m) => m.text?.startsWith('queued')).map((m) => m.text),
      (list) => list.length >= 6,
      20_000,
      'every queued post',
    );
    await delay(1_000);
    expect(w.slack.history(CHANNEL).filter((m) => m.text?.startsWith('queued')).map((m) => m.text)).to.deep.equal(texts);
    expect(posted).to.deep.equal(texts);
    expect(w.slack.callsOf('chat.postMessage').some((c) => c.status === 429), 'Slack did rate-limit').to.equal(true);
  });

  it('runs the buttons and the "create task" shortcut as the connected user', async () => {
    const added = await command(w, ANA, 'add Button target');
    const call = await w.slack.waitForCall('chat.postMessage', (c) => String(c.args.text ?? '').includes('Button') || false, 200).catch(() => null);
    expect(call, 'command replies go to response_url, not chat.postMessage').to.equal(null);
    const task = (await w.owner.client.get(`/api/projects/${w.projectId}/tasks?q=Button`)).body.items[0];
    const doneButton = added.blocks.flatMap((b) => b.elements ?? []).find((b) => b.action_id === 'taskwire_done' && b.value === task.id);
    expect(doneButton?.value).to.equal(task.id);
    // The reply with the buttons, as a message in the channel (Slack shows the response_url reply there).
    const message = w.slack.postAsUser(CHANNEL, ANA, 'carrier', { blocks: added.blocks });
    const clicked = w.slack.blockAction({ userId: ANA, channelId: CHANNEL, messageTs: message.event.ts, actionId: 'taskwire_done', value: task.id });
    expect((await w.slack.deliver(events(w.api), SECRET, clicked, { kind: 'interactive' })).status).to.equal(200);
    await eventually(async () => (await w.owner.client.get(`/api/tasks/${task.id}`)).body.status, (s) => s === 'done', 3_000, 'done by button');

    const source = w.slack.postAsUser(CHANNEL, ANA, 'Customers cannot reset passwords');
    const shortcut = w.slack.messageShortcut({ userId: ANA, channelId: CHANNEL, messageTs: source.event.ts, callbackId: 'taskwire_create_task' });
    expect((await w.slack.deliver(events(w.api), SECRET, shortcut, { kind: 'interactive' })).status).to.equal(200);
    const created = await eventually(
      async () => (await w.owner.client.get(`/api/projects/${w.projectId}/tasks?q=reset%20passwords`)).body.items[0] as { description: string } | undefined,
      Boolean,
      3_000,
      'task from the shortcut',
    );
    expect(created!.description).to.include(`/archives/${CHANNEL}/p`);
  });

  it('delivers notifications as a Slack DM to the connected account, and skips those without one', async () => {
    expect((await w.owner.client.post('/api/me/notifications/test', { channel: 'slack' })).status).to.equal(202);
    const dm = await w.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && String(c.args.text).includes('test notification'), 5_000);
    const opened = w.slack.callsOf('conversations.open').at(-1)!;
    expect(opened.args.users).to.equal(ANA);
    expect(dm.status).to.equal(200);
    await eventually(
      async () => (await w.owner.client.get('/api/me/notifications')).body.items[0].deliveries.find((d: { channel: string }) => d.channel === 'slack')?.status,
      (s) => s === 'sent',
      5_000,
      'slack delivery sent',
    );
    const loner = await registerUser(w.api, 'Not Connected');
    await loner.client.post('/api/me/notifications/test', { channel: 'slack' });
    const [item] = (await loner.client.get('/api/me/notifications')).body.items;
    expect(item.deliveries.find((d: { channel: string }) => d.channel === 'slack')).to.include({ status: 'skipped', lastError: 'no connected slack account' });
  });

  it('serves the app manifest to instance admins only', async () => {
    const manifest = await w.owner.client.get('/api/integrations/slack/manifest');
    expect(manifest.status).to.equal(200);
    expect(manifest.body.settings.event_subscriptions.request_url).to.equal('http://taskwire.test/slack/events');
    expect(manifest.body.features.slash_commands[0]).to.include({ command: '/task', url: 'http://taskwire.test/slack/events' });
    const plain = await registerUser(w.api, 'Plain');
    expect((await plain.client.get('/api/integrations/slack/manifest')).status).to.equal(403);
    expect((await new Client(w.api.url).get('/api/integrations/slack/manifest')).status).to.equal(401);
  });
});

describe('Slack over Socket Mode: the same handlers', function () {
  this.timeout(60_000);
  const w = {} as World;

  useWorld(
    w,
    [{ id: ANA, name: 'ana', realName: 'Ana Lima' }, { id: GUEST, name: 'gus', realName: 'Gus Guest' }],
    (slack) => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken, SLACK_API_URL: slack.apiUrl }),
  );
  before(() => w.slack.socketConnected(10_000));

  async function socketCommand(user: string, text: string) {
    const ack = await w.slack.sendEnvelope('slash_commands', w.slack.slashCommand({ userId: user, channelId: CHANNEL, text }));
    expect(ack.envelope_id).to.be.a('string');
    const response = await w.slack.waitForResponse((r) => r.kind === 'command' && !seen.has(r), 5_000);
    seen.add(response);
    return response.body as { response_type: string; text: string };
  }

  it('connects, links and runs commands over the socket', async () => {
    const reply = await socketCommand(ANA, 'connect');
    const code = /connect\?code=([\w-]+)/.exec(reply.text)![1]!;
    expect((await w.owner.client.post('/api/me/identities', { code })).status).to.equal(201);
    expect((await socketCommand(ANA, 'link Launch')).response_type).to.equal('in_channel');
    expect((await socketCommand(ANA, 'add From the socket')).response_type).to.equal('in_channel');
    expect((await w.owner.client.get(`/api/projects/${w.projectId}/tasks?q=socket`)).body.items).to.have.length(1);
  });

  it('mirrors channel messages both ways, once, also when an envelope is redelivered', async () => {
    const posted = w.slack.postAsUser(CHANNEL, GUEST, 'over the socket');
    await w.slack.sendEnvelope('events_api', posted);
    await w.slack.sendEnvelope('events_api', posted, { retryAttempt: 1, retryReason: 'timeout' });
    await eventually(() => roomTexts(w), (t) => t.includes('over the socket'), 2_000, 'mirrored in');
    await delay(300);
    expect((await roomTexts(w)).filter((t) => t === 'over the socket')).to.have.length(1);
    await w.owner.client.post(`/api/rooms/${w.roomId}/messages`, { text: 'back to Slack' });
    await w.slack.waitForCall('chat.postMessage', (c) => c.args.text === 'back to Slack', 5_000);
  });

  it('reconnects when Slack asks, and fetches what the channel got while it was away, in order, once', async () => {
    const before = w.slack.socketConnections;
    await w.slack.down();
    w.slack.postAsUser(CHANNEL, GUEST, 'missed one');
    w.slack.postAsUser(CHANNEL, ANA, 'missed two');
    await w.slack.up();
    await eventually(async () => w.slack.socketConnections, (n) => n > before, 20_000, 'a new socket');
    const texts = await eventually(() => roomTexts(w), (t) => t.includes('missed two'), 10_000, 'the missed messages');
    expect(texts.filter((t) => t.startsWith('missed'))).to.deep.equal(['missed one', 'missed two']);
    const refresh = await w.slack.disconnectSocket('refresh_requested');
    expect(refresh.obeyed + refresh.cut).to.be.at.least(1);
    await w.slack.socketConnected(20_000);
    await delay(500);
    expect((await roomTexts(w)).filter((t) => t.startsWith('missed'))).to.deep.equal(['missed one', 'missed two']);
  });
});

describe('Slack failing: a channel\'s sender between its retries', function () {
  this.timeout(60_000);
  const w = {} as World;

  // Retries an hour apart and a reconciler every 200 ms: within the test only a nudge could try again.
  const hourly = { attempts: 5, backoff: { delayMs: 3_600_000, maxDelayMs: 3_600_000 } };
  useWorld(
    w,
    [],
    (slack) => ({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl }),
    { ...TEST_TUNING, jobs: { ...TEST_TUNING.jobs, bridge: { retry: hourly, reconcileEveryMs: 200 } } },
  );

  it('is tried again neither by new messages nor by the reconciler until its own retry is overdue, then posts all in order', async () => {
    const link = await w.owner.client.post(`/api/projects/${w.projectId}/links`, { platform: 'slack', teamId: w.slack.teamId, channelId: CHANNEL, roomId: w.roomId });
    expect(link.status, JSON.stringify(link.body)).to.equal(201);
    w.slack.failWith('chat.postMessage', { status: 503, times: 1 });
    await w.owner.client.post(`/api/rooms/${w.roomId}/messages`, { text: 'one' });
    const failedAt = await eventually(async () => (await w.api.server.store.linkCursors.get(link.body.id))?.failedAt, (at) => typeof at === 'string', 5_000, 'the sender noted its failure');
    for (const text of ['two', 'three']) await w.owner.client.post(`/api/rooms/${w.roomId}/messages`, { text });
    await delay(1_500);
    expect(w.slack.callsOf('chat.postMessage').map((c) => c.status), 'one attempt in seven reconciler rounds and two messages').to.deep.equal([503]);
    // As if the hour had passed and the queue had lost the retry.
    const cursor = (await w.api.server.store.linkCursors.get(link.body.id))!;
    expect(cursor.failedAt).to.equal(failedAt);
    await w.api.server.store.write({ projectId: null }, (uow) => uow.replace('linkCursors', { ...cursor, failedAt: new Date(Date.now() - 3_660_000).toISOString() }));
    const posted = await eventually(async () => w.slack.history(CHANNEL).map((m) => m.text), (texts) => texts.length >= 3, 5_000, 'the reconciler wakes the overdue sender');
    expect(posted).to.deep.equal(['one', 'two', 'three']);
    expect((await w.api.server.store.linkCursors.get(link.body.id))!.failedAt, 'cleared by the next success').to.equal(null);
  });
});
