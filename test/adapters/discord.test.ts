// The Discord adapter end to end: a real discord.js Client inside Taskwire,
// Discord's REST and gateway played by the local double, and Slack's double
// beside it, so a message written in Slack, Discord or the widget shows up in
// the other two once, with its edits and deletes.

import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, registerUser, startApi, type ApiServer, type TestUser } from '../support/api.js';
import { startDiscordDouble, type DiscordDouble, type DiscordInteractionResponse } from '../support/discord.js';
import { eventually } from '../support/eventually.js';
import { startSlackDouble, type SlackDouble } from '../support/slack.js';
import { connectSocket } from '../support/socket.js';

const TOKEN = 'discord-bot-token.for-tests_0123456789';
const SLACK_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ANA = { id: '400000000000000001', username: 'ana', global_name: 'Ana Lima' };
const GUS = { id: '400000000000000002', username: 'gus', global_name: 'Gus' };
const SLACK_CHANNEL = 'C0BRIDGE1';
const SLACK_USER = 'U0SLACKER';
const INTENTS = 1 | 512 | 4096 | 32768;

describe('Discord: commands, interactions, mirroring and bridging with Slack', function () {
  this.timeout(90_000);
  let discord: DiscordDouble;
  let slack: SlackDouble;
  let api: ApiServer;
  let owner: TestUser;
  let projectId: string;
  let roomId: string;
  let channelId: string;
  const answered = new Set<DiscordInteractionResponse>();

  /** Runs `/task <subcommand>` as `user` over the gateway and resolves with the reply's content and privacy. */
  async function gatewayCommand(user: typeof ANA, subcommand: string, options: Record<string, string | number> = {}) {
    const payload = discord.slashCommand({ user, channelId, subcommand, options });
    discord.sendInteraction(payload);
    const response = await discord.waitForInteractionResponse((r) => r.interactionId === payload.id && !answered.has(r) && (r.type === 4 || r.kind === 'edit-original'), 5_000);
    answered.add(response);
    return { content: String(response.data?.content ?? ''), ephemeral: response.ephemeral, response };
  }

  async function roomTexts(): Promise<string[]> {
    return (await owner.client.get(`/api/rooms/${roomId}/messages?limit=200`)).body.items.map((m: { text: string }) => m.text).toReversed();
  }

  before(async function () {
    discord = await startDiscordDouble({ botToken: TOKEN });
    channelId = discord.addChannel({ name: 'launch' }).id;
    slack = await startSlackDouble();
    slack.addUser({ id: SLACK_USER, name: 'sam', realName: 'Sam Slack' });
    slack.addChannel({ id: SLACK_CHANNEL, name: 'bridge' });
    api = await startApi('sqlite', this, undefined, {
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_PUBLIC_KEY: discord.publicKeyHex,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PUBLIC_URL: 'http://taskwire.test',
    });
    await discord.connected(20_000);
    owner = await registerUser(api, 'Olga Owner');
    projectId = (await owner.client.post('/api/projects', { name: 'Launch' })).body.id;
    roomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
  });
  after(async () => {
    await api?.stop();
    await discord?.stop();
    await slack?.stop();
  });

  it('identifies with Guilds, GuildMessages, MessageContent and DirectMessages and registers /task in one bulk overwrite', async () => {
    expect(discord.identifies[0]).to.include({ intents: INTENTS, token: TOKEN });
    const commands = await eventually(async () => discord.commands(), (list) => list.length > 0, 10_000, 'registered commands');
    expect(commands.map((c) => c.name)).to.deep.equal(['task']);
    const subs = (commands[0]!.options as { name: string }[]).map((o) => o.name);
    expect(subs).to.include.members(['add', 'list', 'done', 'assign', 'move', 'due', 'connect', 'link', 'help']);
    // The plugins' sub-commands come after the grammar's, each taking its words as one text option.
    const time = (commands[0]!.options as { name: string; options?: { name: string; type: number }[] }[]).find((o) => o.name === 'time');
    expect(time?.options).to.deep.include({ name: 'args', type: 3, description: '/task time <number> [duration]', required: false });
    expect(discord.callsTo('PUT', '/applications/:applicationId/commands').length).to.equal(1);
  });

  it('answers PING and refuses unsigned, tampered, stale and header-less interactions with 401', async () => {
    const url = `${api.url}/discord/interactions`;
    expect((await discord.postInteraction(url, discord.ping())).body).to.deep.equal({ type: 1 });
    const add = discord.slashCommand({ user: ANA, channelId, subcommand: 'add', options: { title: 'Never' } });
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await discord.postInteraction(url, add, { tamper: 'body' }),
      await discord.postInteraction(url, add, { tamper: 'signature' }),
      await discord.postInteraction(url, add, { timestamp: now - 301 }),
      await discord.postInteraction(url, add, { timestamp: now + 301 }),
      { status: (await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(add) })).status },
    ];
    expect(refused.map((r) => r.status)).to.deep.equal([401, 401, 401, 401, 401]);
    expect((await owner.client.get(`/api/projects/${projectId}/tasks`)).body.items).to.deep.equal([]);
  });

  it('connects an account, links the channel, and runs commands over the gateway and over HTTP', async () => {
    const connect = await gatewayCommand(ANA, 'connect');
    expect(connect.ephemeral).to.equal(true);
    const code = /connect\?code=([\w-]+)/.exec(connect.content)![1]!;
    expect((await owner.client.post('/api/me/identities', { code })).status).to.equal(201);
    const link = await gatewayCommand(ANA, 'link', { project: 'Launch' });
    expect(link.ephemeral).to.equal(false);
    expect((await owner.client.get(`/api/projects/${projectId}/links`)).body.items[0]).to.include({ platform: 'discord', channelId, teamId: discord.guildId });

    const added = await gatewayCommand(ANA, 'add', { title: 'Ship "it" @everyone', person: 'me', date: '2026-12-24', labels: 'bug ops' });
    expect(added.ephemeral).to.equal(false);
    expect(added.response.data?.allowed_mentions).to.deep.equal({ parse: [] });
    const task = (await owner.client.get(`/api/projects/${projectId}/tasks`)).body.items[0];
    expect(task).to.include({ title: "Ship 'it' @everyone", assigneeId: owner.id });
    expect(task.labels).to.deep.equal(['bug', 'ops']);

    const overHttp = await discord.postInteraction(`${api.url}/discord/interactions`, discord.slashCommand({ user: ANA, channelId, subcommand: 'done', options: { number: task.number } }));
    expect(overHttp.status).to.equal(200);
    expect((overHttp.body as { type: number }).type).to.equal(4);
    expect((await owner.client.get(`/api/tasks/${task.id}`)).body.status).to.equal('done');

    const listed = await gatewayCommand(GUS, 'list');
    expect(listed.ephemeral).to.equal(true);
    const refused = await gatewayCommand(GUS, 'add', { title: 'Sneaky' });
    expect(refused.ephemeral).to.equal(true);
    expect(refused.content).to.match(/connect/i);
    expect((await owner.client.get(`/api/projects/${projectId}/tasks?q=Sneaky`)).body.items).to.deep.equal([]);
  });

  it('runs a plugin\'s sub-command with its words, for connected members only when it writes', async () => {
    const task = (await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Rehearse' })).body;
    expect((await owner.client.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: true })).status).to.equal(200);
    const logged = await gatewayCommand(ANA, 'time', { args: `${task.number} 1h30m` });
    expect(logged.ephemeral).to.equal(false);
    expect(logged.content).to.equal(`Logged 1h30m on #${task.number} Rehearse (you: 1h30m in all).`);
    const refused = await gatewayCommand(GUS, 'time', { args: `${task.number} 2h` });
    expect(refused.ephemeral).to.equal(true);
    expect(refused.content).to.match(/connect/i);
    expect((await gatewayCommand(GUS, 'help')).content).to.include('/task time <number> [duration]');
    const entries = (await owner.client.get(`/api/tasks/${task.id}`)).body.fields['time-tracking'].entries;
    expect(entries.map((e: { minutes: number }) => e.minutes)).to.deep.equal([90]);
    expect((await owner.client.request('PUT', `/api/projects/${projectId}/plugins/time-tracking`, { enabled: false })).status).to.equal(200);
  });

  it('mirrors a channel message, its edit and its deletion into the room once, mentions as names', async () => {
    const socket = await connectSocket(api.url, owner.token);
    await socket.subscribe(projectId);
    const started = Date.now();
    const said = discord.userSays(channelId, GUS, `Hello <@${ANA.id}>, ship it`);
    await eventually(async () => socket.changes.filter((c) => c.type === 'message.created' && c.data?.source === 'discord').length, (n) => n === 1, 1_000, 'live in the room');
    expect(Date.now() - started).to.be.below(1_000);
    const message = (await owner.client.get(`/api/rooms/${roomId}/messages`)).body.items.find((m: { externalId: string }) => m.externalId === said.id);
    expect(message).to.include({ text: 'Hello @Ana Lima, ship it', authorName: 'Gus (Discord)', source: 'discord' });
    discord.userEdits(channelId, said.id, 'Hello, edited');
    await eventually(() => roomTexts(), (t) => t.includes('Hello, edited'), 2_000, 'the edit');
    discord.userDeletes(channelId, said.id);
    await eventually(async () => (await owner.client.get(`/api/messages/${message.id}`)).body.deletedAt, Boolean, 2_000, 'the tombstone');
    expect((await roomTexts()).filter((t) => t.startsWith('Hello'))).to.deep.equal([]);
    socket.close();
  });

  it('posts room messages through a channel webhook under the author\'s name, follows edits and deletes, never pings, never echoes', async () => {
    const sent = await owner.client.post(`/api/rooms/${roomId}/messages`, { text: 'Release at five @everyone' });
    const post = await discord.waitForCall('POST', '/webhooks/:webhookId/:webhookToken', (c) => JSON.stringify(c.body).includes('Release at five'), 5_000);
    expect(post.body).to.deep.include({ username: 'Olga Owner', allowed_mentions: { parse: [] } });
    const posted = post.response as { id: string };
    await owner.client.patch(`/api/messages/${sent.body.id}`, { text: 'Release at six' });
    await discord.waitForCall('PATCH', '/webhooks/:webhookId/:webhookToken/messages/:messageId', (c) => c.path.endsWith(posted.id), 5_000);
    await owner.client.delete(`/api/messages/${sent.body.id}`);
    await discord.waitForCall('DELETE', '/webhooks/:webhookId/:webhookToken/messages/:messageId', (c) => c.path.endsWith(posted.id), 5_000);
    await delay(500);
    // Discord echoes the webhook's own post as MESSAGE_CREATE: it made no room message.
    const room = (await owner.client.get(`/api/rooms/${roomId}/messages?limit=200`)).body.items as { externalId: string | null }[];
    expect(room.filter((m) => m.externalId === posted.id)).to.deep.equal([]);
    expect(discord.callsTo('POST', '/webhooks/:webhookId/:webhookToken').filter((c) => JSON.stringify(c.body).includes('Release at'))).to.have.length(1);
  });

  it('bridges a Slack channel and the Discord channel through the room: each message once, with edits and deletes', async () => {
    expect((await owner.client.post(`/api/projects/${projectId}/links`, { platform: 'slack', teamId: slack.teamId, channelId: SLACK_CHANNEL, roomId })).status).to.equal(201);
    // Slack → Discord
    const fromSlack = slack.postAsUser(SLACK_CHANNEL, SLACK_USER, 'from Slack with love');
    await slack.deliver(`${api.url}/slack/events`, SLACK_SECRET, fromSlack, { kind: 'event' });
    const toDiscord = await discord.waitForCall('POST', '/webhooks/:webhookId/:webhookToken', (c) => JSON.stringify(c.body).includes('from Slack with love'), 5_000);
    expect(toDiscord.body).to.deep.include({ username: 'Sam Slack (Slack)' });
    await slack.deliver(`${api.url}/slack/events`, SLACK_SECRET, slack.editAsUser(SLACK_CHANNEL, fromSlack.event.ts, 'from Slack, edited'), { kind: 'event' });
    await discord.waitForCall('PATCH', '/webhooks/:webhookId/:webhookToken/messages/:messageId', (c) => JSON.stringify(c.body).includes('from Slack, edited'), 5_000);
    // Discord → Slack
    const fromDiscord = discord.userSays(channelId, GUS, 'from Discord with love');
    const toSlack = await slack.waitForCall('chat.postMessage', (c) => c.args.text === 'from Discord with love', 5_000);
    expect(toSlack.args.username).to.equal('Gus (Discord)');
    discord.userDeletes(channelId, fromDiscord.id);
    await slack.waitForCall('chat.delete', (c) => c.args.ts === toSlack.result!.ts, 5_000);
    await delay(800);
    expect(discord.callsTo('POST', '/webhooks/:webhookId/:webhookToken').filter((c) => JSON.stringify(c.body).includes('from Slack with love'))).to.have.length(1);
    expect(slack.callsOf('chat.postMessage').filter((c) => c.args.text === 'from Discord with love')).to.have.length(1);
    // Neither platform got back its own message.
    expect(slack.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes('from Slack with love'))).to.deep.equal([]);
    expect(discord.callsTo('POST', '/webhooks/:webhookId/:webhookToken').filter((c) => JSON.stringify(c.body).includes('from Discord with love'))).to.deep.equal([]);
  });

  it('fetches what was said while the gateway session was lost, once and in order', async () => {
    const before = discord.identifies.length;
    await discord.dropGateway({ resumable: false });
    discord.userSays(channelId, GUS, 'while away one');
    discord.userSays(channelId, ANA, 'while away two');
    await eventually(async () => discord.identifies.length, (n) => n > before, 20_000, 'a new session');
    const texts = await eventually(() => roomTexts(), (t) => t.includes('while away two'), 10_000, 'the missed messages');
    await delay(500);
    expect((await roomTexts()).filter((t) => t.startsWith('while away'))).to.deep.equal(['while away one', 'while away two']);
    expect(texts.filter((t) => t.startsWith('while away'))).to.deep.equal(['while away one', 'while away two']);
  });

  it('holds posts while Discord answers 429 and delivers them afterwards, in order, none lost or doubled', async () => {
    discord.rateLimit('/webhooks/:webhookId/:webhookToken', { retryAfterSeconds: 1, forMs: 3_000 });
    const texts = Array.from({ length: 5 }, (_, i) => `queued ${i}`);
    for (const text of texts) await owner.client.post(`/api/rooms/${roomId}/messages`, { text });
    const posted = await eventually(
      async () => discord.messages(channelId).filter((m) => m.content.startsWith('queued')).map((m) => m.content),
      (list) => list.length >= 5,
      20_000,
      'every queued post',
    );
    await delay(1_000);
    expect(discord.messages(channelId).filter((m) => m.content.startsWith('queued')).map((m) => m.content)).to.deep.equal(texts);
    expect(posted).to.deep.equal(texts);
    expect(discord.calls.some((c) => c.status === 429), 'Discord did rate-limit').to.equal(true);
  });

  it('delivers notifications as a Discord DM to the connected account', async () => {
    expect((await owner.client.post('/api/me/notifications/test', { channel: 'discord' })).status).to.equal(202);
    await discord.waitForCall('POST', '/users/@me/channels', (c) => (c.body as { recipient_id?: string }).recipient_id === ANA.id, 5_000);
    await eventually(
      async () => (await owner.client.get('/api/me/notifications')).body.items[0].deliveries.find((d: { channel: string }) => d.channel === 'discord')?.status,
      (s) => s === 'sent',
      5_000,
      'discord delivery sent',
    );
  });

  it('refuses interactions for another command politely and keeps the endpoint to POST', async () => {
    const other = discord.slashCommand({ user: ANA, channelId, name: 'other' });
    const reply = await discord.postInteraction(`${api.url}/discord/interactions`, other);
    expect((reply.body as { type: number; data: { flags: number } }).data.flags).to.equal(64);
    expect((await new Client(api.url).get('/discord/interactions')).status).to.equal(405);
  });
});
