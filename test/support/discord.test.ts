// The Discord double is only worth its tests if the real Discord client accepts it, so this suite
// speaks to it with discord.js itself: a Client logging in through @discordjs/ws and calling the
// REST API through @discordjs/rest, with their own rate-limit queues, retries and resume logic.
// Where the wire itself is the point (HELLO, close codes, signatures) it speaks raw WebSocket
// and node:crypto. Nothing here is mocked.

import { expect } from 'chai';
import {
  ApplicationCommandOptionType,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  Partials,
  REST,
  Routes,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Message,
  type RateLimitData,
  type TextChannel,
} from 'discord.js';
import { createPublicKey, verify } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { startDiscordDouble, type DiscordDouble } from './discord.js';
import { eventually } from './eventually.js';

const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages];
const ana = { id: '284102390417145856', username: 'ana', global_name: 'Ana Lima' };
const ben = { id: '284102390417145857', username: 'ben' };
/** The DER header of an SPKI Ed25519 public key; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}

const TASK_COMMAND = {
  name: 'task',
  description: 'Work with tasks',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'add',
      description: 'Add a task',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'title', description: 'What to do', required: true },
        { type: ApplicationCommandOptionType.User, name: 'assignee', description: 'Who does it' },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'List the tasks' },
  ],
} as const;

describe('the Discord double, spoken to by the real discord.js client', function () {
  this.timeout(30_000);
  let double: DiscordDouble;
  let general: string;
  const clients: Client[] = [];

  const login = async (extra: Partial<ClientOptions> = {}): Promise<Client<true>> => {
    const client = new Client({ intents: INTENTS, rest: { api: double.apiUrl }, ...extra });
    clients.push(client);
    const ready = once(client, Events.ClientReady);
    await client.login(double.botToken);
    await ready;
    return client as Client<true>;
  };
  const textChannel = (client: Client, id = general): TextChannel => {
    const channel = client.channels.cache.get(id);
    if (!channel || channel.type !== ChannelType.GuildText) throw new Error(`no text channel ${id} in the client's cache`);
    return channel;
  };

  beforeEach(async () => {
    double = await startDiscordDouble();
    general = double.addChannel({ name: 'general' }).id;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.destroy()));
    await double.stop();
  });

  describe('the gateway', () => {
    it('logs a Client in as Discord does: GET /gateway/bot, HELLO, IDENTIFY with its intents, READY, GUILD_CREATE with the channels', async () => {
      const client = await login();
      expect(double.callsTo('GET', '/gateway/bot').map((c) => [c.status, c.auth])).to.deep.equal([[200, double.botToken]]);
      expect(double.connectionLog.map((c) => [c.path, c.v, c.encoding, c.compress])).to.deep.equal([['/gateway', '10', 'json', null]]);
      expect(double.identifies.map((i) => [i.token, i.intents])).to.deep.equal([[double.botToken, 1 + 512 + 4096 + 32768]]);
      expect(double.gatewayLog.filter((f) => f.op === 0).map((f) => [f.t, f.s])).to.deep.equal([
        ['READY', 1],
        ['GUILD_CREATE', 2],
      ]);

      expect(client.user.id).to.equal(double.botUserId);
      expect(client.user.bot).to.equal(true);
      expect(client.application.id).to.equal(double.applicationId);
      const guild = client.guilds.cache.get(double.guildId);
      expect(guild?.available).to.equal(true);
      expect(guild?.name).to.equal('Taskwire Test');
      expect(guild?.members.me?.id).to.equal(double.botUserId);
      expect(textChannel(client).name).to.equal('general');
      expect(textChannel(client).guildId).to.equal(double.guildId);

      // A channel made once the bot is connected arrives as CHANNEL_CREATE.
      const created = once(client, Events.ChannelCreate);
      const tasks = double.addChannel({ name: 'tasks' });
      const [channel] = (await created) as [TextChannel];
      expect([channel.id, channel.name]).to.deep.equal([tasks.id, 'tasks']);
      expect(textChannel(client, tasks.id).name).to.equal('tasks');
    });

    it('speaks the wire protocol: HELLO, heartbeat ACKs, sequence numbers, and the close codes for a bad token, a disallowed intent, a wrong version', async () => {
      const open = await rawGateway(`${double.gatewayUrl}?v=10&encoding=json`);
      const hello = await open.next();
      expect(hello).to.deep.include({ op: 10, s: null, t: null });
      expect((hello.d as { heartbeat_interval: number }).heartbeat_interval).to.equal(41_250);
      open.send({ op: 1, d: null });
      expect(await open.next()).to.deep.equal({ op: 11, d: null, s: null, t: null });
      open.send({ op: 2, d: { token: double.botToken, intents: 513, properties: { os: 'linux', browser: 'raw', device: 'raw' } } });
      const ready = await open.next();
      expect([ready.op, ready.t, ready.s]).to.deep.equal([0, 'READY', 1]);
      const d = ready.d as Record<string, unknown>;
      expect(d.v).to.equal(10);
      expect(d.session_id).to.match(/^[0-9a-f]{32}$/);
      expect(d.resume_gateway_url).to.equal(double.resumeGatewayUrl);
      expect(d.guilds).to.deep.equal([{ id: double.guildId, unavailable: true }]);
      expect((d.application as { id: string }).id).to.equal(double.applicationId);
      const guildCreate = await open.next();
      expect([guildCreate.t, guildCreate.s]).to.deep.equal(['GUILD_CREATE', 2]);
      expect(((guildCreate.d as { channels: { id: string }[] }).channels).map((c) => c.id)).to.deep.equal([general]);
      open.send({ op: 1, d: 2 });
      expect((await open.next()).op).to.equal(11);
      // With only GUILDS and GUILD_MESSAGES (513), a DM is not for this connection; a guild message is.
      double.userSays(double.dmChannelWith(ana), ana, 'private');
      double.userSays(general, ana, 'public');
      const message = await open.next();
      expect([message.t, message.s, (message.d as { content: string }).content]).to.deep.equal(['MESSAGE_CREATE', 3, '']);
      open.close();

      const badToken = await rawGateway(`${double.gatewayUrl}?v=10&encoding=json`);
      await badToken.next();
      badToken.send({ op: 2, d: { token: 'not-the-token', intents: 513, properties: {} } });
      expect(await badToken.closed).to.equal(4004);
      const oldVersion = await rawGateway(`${double.gatewayUrl}?v=6&encoding=json`);
      expect(await oldVersion.closed).to.equal(4012);
      const notAuthenticated = await rawGateway(`${double.gatewayUrl}?v=10&encoding=json`);
      await notAuthenticated.next();
      notAuthenticated.send({ op: 3, d: { since: null, activities: [], status: 'online', afk: false } });
      expect(await notAuthenticated.closed).to.equal(4003);

      const strict = await startDiscordDouble({ privilegedIntents: { messageContent: false } });
      try {
        const disallowed = await rawGateway(`${strict.gatewayUrl}?v=10&encoding=json`);
        await disallowed.next();
        disallowed.send({ op: 2, d: { token: strict.botToken, intents: 1 + 512 + 32768, properties: {} } });
        expect(await disallowed.closed).to.equal(4014);
      } finally {
        await strict.stop();
      }
    });

    it('delivers what people do: messageCreate, messageUpdate and messageDelete, with member, mentions and guild', async () => {
      const client = await login();
      double.addUser(ben);
      const seen = collect(client);
      const said = double.userSays(general, ana, `hello <@${double.botUserId}> and <@${ben.id}>`);
      await eventually(async () => seen, (s) => s.length === 1, 5_000, 'messageCreate');
      const message = seen[0]!;
      expect([message.id, message.content, message.channelId, message.guildId]).to.deep.equal([said.id, `hello <@${double.botUserId}> and <@${ben.id}>`, general, double.guildId]);
      expect([message.author.id, message.author.username, message.author.bot, message.author.globalName]).to.deep.equal([ana.id, 'ana', false, 'Ana Lima']);
      expect(message.member?.displayName).to.equal('Ana Lima');
      expect([...message.mentions.users.keys()]).to.deep.equal([double.botUserId, ben.id]);
      expect(message.mentions.has(client.user)).to.equal(true);
      expect(message.webhookId).to.equal(null);
      expect(Math.abs(message.createdTimestamp - Date.now())).to.be.below(5_000);

      const updated = once(client, Events.MessageUpdate);
      double.userEdits(general, said.id, 'hello again');
      const [before, after] = (await updated) as [Message, Message];
      expect([before.content, after.content]).to.deep.equal([`hello <@${double.botUserId}> and <@${ben.id}>`, 'hello again']);
      expect(after.editedTimestamp).to.be.a('number');

      const deleted = once(client, Events.MessageDelete);
      double.userDeletes(general, said.id);
      const [gone] = (await deleted) as [Message];
      expect(gone.id).to.equal(said.id);
      expect(double.messages(general)).to.deep.equal([]);
    });

    it('holds back message content from a client without the Message Content intent, unless the bot is mentioned', async () => {
      const client = await login({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
      const seen = collect(client);
      double.userSays(general, ana, 'a secret plan');
      double.userSays(general, ana, `<@${double.botUserId}> add a task`);
      await eventually(async () => seen, (s) => s.length === 2, 5_000, 'both messages');
      expect(seen.map((m) => m.content)).to.deep.equal(['', `<@${double.botUserId}> add a task`]);
      // The REST API still has it: the intent is switched on in the portal.
      const fetched = await textChannel(client).messages.fetch({ limit: 10 });
      expect([...fetched.values()].map((m) => m.content)).to.deep.equal([`<@${double.botUserId}> add a task`, 'a secret plan']);
    });

    it('delivers DMs to a client with the Channel partial, and the bot answers in the DM opened through POST /users/@me/channels', async () => {
      const client = await login({ partials: [Partials.Channel] });
      const seen = collect(client);
      const dm = double.dmChannelWith(ana);
      double.userSays(dm, ana, 'remind me at 5');
      await eventually(async () => seen, (s) => s.length === 1, 5_000, 'the DM');
      const message = seen[0]!;
      expect([message.channel.type, message.guildId, message.content]).to.deep.equal([ChannelType.DM, null, 'remind me at 5']);
      if (!message.channel.isSendable()) throw new Error('the DM is not sendable');
      await message.channel.send('Will do');
      const opened = await client.users.createDM(ana.id, { force: true });
      expect(opened.id).to.equal(dm);
      expect(double.callsTo('POST', '/users/@me/channels').map((c) => c.body)).to.deep.equal([{ recipient_id: ana.id }]);
      expect(double.messages(dm).map((m) => [m.author.id, m.content])).to.deep.equal([
        [ana.id, 'remind me at 5'],
        [double.botUserId, 'Will do'],
      ]);
    });
  });

  describe('REST, through the client', () => {
    it('sends, edits, deletes and reads messages, echoes the bot its own posts, and answers errors as Discord does', async () => {
      const client = await login();
      const channel = textChannel(client);
      const seen = collect(client);
      double.addUser(ana);
      const sent = await channel.send({ content: `for <@${ana.id}>`, allowedMentions: { parse: [] } });
      expect([sent.author.id, sent.channelId, sent.content]).to.deep.equal([double.botUserId, general, `for <@${ana.id}>`]);
      // allowed_mentions with parse: [] pings nobody.
      expect(sent.mentions.users.size).to.equal(0);
      const call = double.callsTo('POST', '/channels/:id/messages')[0]!;
      expect([call.status, call.auth, call.path]).to.deep.equal([200, double.botToken, `/channels/${general}/messages`]);
      expect(call.body).to.deep.include({ content: `for <@${ana.id}>`, allowed_mentions: { parse: [] } });
      await eventually(async () => seen.map((m) => m.id), (ids) => ids.includes(sent.id), 5_000, 'the echo of the bot’s own post');
      expect(seen.find((m) => m.id === sent.id)?.author.bot).to.equal(true);

      const edited = await sent.edit('edited');
      expect(edited.content).to.equal('edited');
      expect(edited.editedTimestamp).to.be.a('number');
      const second = await channel.send('second');
      const third = double.userSays(general, ana, 'third');
      const after = await channel.messages.fetch({ after: sent.id, limit: 10 });
      // Discord lists newest first.
      expect([...after.values()].map((m) => m.content)).to.deep.equal(['third', 'second']);
      const oldest = await channel.messages.fetch({ after: '0'.repeat(17) + '1', limit: 1 });
      expect([...oldest.values()].map((m) => m.content)).to.deep.equal(['edited']);
      const before = await channel.messages.fetch({ before: third.id, limit: 1 });
      expect([...before.values()].map((m) => m.content)).to.deep.equal(['second']);
      await second.delete();
      expect(double.messages(general).map((m) => m.content)).to.deep.equal(['edited', 'third']);

      const nowhere = await rejection<DiscordAPIError>(client.rest.post(Routes.channelMessages('1'.repeat(18)), { body: { content: 'x' } }));
      expect(nowhere).to.be.instanceOf(DiscordAPIError);
      expect([nowhere.status, nowhere.code, nowhere.message]).to.deep.equal([404, 10003, 'Unknown Channel']);
      const empty = await rejection<DiscordAPIError>(client.rest.post(Routes.channelMessages(general), { body: {} }));
      expect([empty.status, empty.code]).to.deep.equal([400, 50006]);
      const tooLong = await rejection<DiscordAPIError>(client.rest.post(Routes.channelMessages(general), { body: { content: 'x'.repeat(2001) } }));
      expect([tooLong.status, tooLong.code, tooLong.message]).to.deep.equal([400, 50035, 'Invalid Form Body\ncontent[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.']);
      const notOurs = await rejection<DiscordAPIError>(client.rest.patch(Routes.channelMessage(general, third.id), { body: { content: 'x' } }));
      expect([notOurs.status, notOurs.code]).to.deep.equal([403, 50005]);
      const stranger = await rejection<DiscordAPIError>(new REST({ api: double.apiUrl }).setToken('not-the-token').get(Routes.user('@me')));
      expect([stranger.status, stranger.code, stranger.message]).to.deep.equal([401, 0, '401: Unauthorized']);
      expect(await client.rest.get(Routes.user('@me'))).to.deep.include({ id: double.botUserId, bot: true });
    });

    it('creates a webhook and posts through it as someone else; edits and deletes its message; refuses a name with "discord"', async () => {
      const client = await login();
      const channel = textChannel(client);
      const seen = collect(client);
      double.addUser(ben);
      const hook = await channel.createWebhook({ name: 'Taskwire bridge' });
      expect(hook.token).to.be.a('string').with.length.above(20);
      expect([hook.channelId, hook.guildId, hook.applicationId, hook.owner?.id]).to.deep.equal([general, double.guildId, double.applicationId, double.botUserId]);

      const posted = await hook.send({ content: `from Ana to <@${ben.id}>`, username: 'Ana Lima', avatarURL: 'https://example.test/ana.png', allowedMentions: { parse: [] } });
      expect([posted.webhookId, posted.applicationId, posted.author.username, posted.author.bot, posted.content]).to.deep.equal([hook.id, double.applicationId, 'Ana Lima', true, `from Ana to <@${ben.id}>`]);
      expect(posted.mentions.users.size).to.equal(0);
      const call = double.callsTo('POST', '/webhooks/:id/:token')[0]!;
      expect([call.auth, call.query]).to.deep.equal([null, { wait: 'true' }]);
      expect(call.body).to.deep.include({ username: 'Ana Lima', avatar_url: 'https://example.test/ana.png', allowed_mentions: { parse: [] } });
      await eventually(async () => seen.map((m) => m.id), (ids) => ids.includes(posted.id), 5_000, 'the echo of the webhook post');
      expect(seen.find((m) => m.id === posted.id)?.webhookId).to.equal(hook.id);

      const edited = await hook.editMessage(posted, { content: 'from Ana, edited' });
      expect(edited.content).to.equal('from Ana, edited');
      expect(double.messages(general).map((m) => [m.content, m.webhook_id, m.author.username])).to.deep.equal([['from Ana, edited', hook.id, 'Ana Lima']]);
      await hook.deleteMessage(posted.id);
      expect(double.messages(general)).to.deep.equal([]);

      expect([...(await channel.fetchWebhooks()).keys()]).to.deep.equal([hook.id]);
      const refused = await rejection<DiscordAPIError>(channel.createWebhook({ name: 'Discord bridge' }));
      expect([refused.status, refused.code]).to.deep.equal([400, 50035]);
      const forged = await rejection<DiscordAPIError>(client.rest.post(Routes.webhook(hook.id, 'not-the-token'), { body: { content: 'x' }, auth: false }));
      expect([forged.status, forged.code]).to.deep.equal([401, 50027]);
    });

    it('waits out a route rate limit in @discordjs/rest’s queue, keeping messages in the order they were sent; and a global one', async () => {
      const client = await login();
      const channel = textChannel(client);
      const limited: RateLimitData[] = [];
      client.rest.on('rateLimited', (data) => limited.push(data));

      double.rateLimit('POST /channels/:id/messages', { retryAfterSeconds: 0.4, forMs: 2_000 });
      // What Discord answers, as the wire shows it.
      const raw = await fetch(`${double.apiUrl}/v10/channels/${general}/messages`, { method: 'POST', headers: { Authorization: `Bot ${double.botToken}`, 'Content-Type': 'application/json' }, body: '{"content":"raw"}' });
      expect(raw.status).to.equal(429);
      expect(await raw.json()).to.deep.equal({ message: 'You are being rate limited.', retry_after: 0.4, global: false });
      expect([raw.headers.get('retry-after'), raw.headers.get('x-ratelimit-remaining'), raw.headers.get('x-ratelimit-reset-after'), raw.headers.get('x-ratelimit-scope')]).to.deep.equal(['1', '0', '0.400', 'user']);

      const started = Date.now();
      const sent = await Promise.all(['one', 'two', 'three', 'four'].map((content) => channel.send(content)));
      expect(Date.now() - started).to.be.at.least(1_500);
      expect(sent.map((m) => m.content)).to.deep.equal(['one', 'two', 'three', 'four']);
      expect(double.messages(general).map((m) => m.content)).to.deep.equal(['one', 'two', 'three', 'four']);
      const statuses = double.callsTo('POST', '/channels/:id/messages').map((c) => c.status);
      expect(statuses.filter((s) => s === 429).length).to.be.at.least(3);
      expect(statuses.filter((s) => s === 200)).to.have.length(4);
      expect(limited.length).to.be.at.least(1);
      expect(limited.every((l) => !l.global && l.route === '/channels/:id/messages')).to.equal(true);

      double.rateLimit('*', { retryAfterSeconds: 1, forMs: 300, global: true });
      const globalStart = Date.now();
      const fetched = (await client.rest.get(Routes.channel(general))) as { id: string };
      expect(fetched.id).to.equal(general);
      expect(Date.now() - globalStart).to.be.at.least(1_000);
      expect(double.callsTo('GET', `/channels/${general}`).map((c) => c.status)).to.deep.equal([429, 200]);
      expect(limited.some((l) => l.global)).to.equal(true);
    });

    it('fails on purpose: 5xx answers are retried by @discordjs/rest, too many reject with HTTPError; down() refuses and up() serves again, the gateway included', async () => {
      const client = await login();
      double.failWith('GET /channels/:id', { status: 503, times: 2 });
      expect(((await client.rest.get(Routes.channel(general))) as { id: string }).id).to.equal(general);
      expect(double.callsTo('GET', '/channels/:id').map((c) => c.status)).to.deep.equal([503, 503, 200]);
      double.failWith('GET /channels/:id', { status: 500, times: 4 });
      const failed = await rejection<HTTPError>(client.rest.get(Routes.channel(general)));
      expect(failed).to.be.instanceOf(HTTPError);
      expect(failed.status).to.equal(500);

      const reconnecting = once(client, Events.ShardReconnecting);
      const readyAgain = once(client, Events.ShardReady);
      await double.down();
      await reconnecting;
      const refused = await rejection<Error>(client.rest.get(Routes.channel(general)));
      expect(`${refused.message} ${String((refused as { cause?: unknown }).cause)}`).to.match(/ECONNREFUSED|fetch failed/);
      // Long enough for the client's first reconnect to be refused, so it gives up resuming.
      await delay(1_000);
      await double.up();
      await readyAgain;
      expect(double.identifies).to.have.length(2);
      const seen = collect(client);
      double.userSays(general, ana, 'back again');
      await eventually(async () => seen.map((m) => m.content), (c) => c.includes('back again'), 5_000, 'a message after the outage');
    });
  });

  describe('interactions', () => {
    it('registers commands by bulk overwrite, delivers a slash command as interactionCreate, and records reply, deferReply, editReply and followUp', async () => {
      const client = await login();
      const commands = await client.application.commands.set([TASK_COMMAND]);
      const task = commands.first()!;
      expect(task.name).to.equal('task');
      expect(double.callsTo('PUT', '/applications/:id/commands').map((c) => [c.path, c.status])).to.deep.equal([[`/applications/${double.applicationId}/commands`, 200]]);
      expect(double.commands().map((c) => c.name)).to.deep.equal(['task']);
      // Overwriting again keeps the id of a command it keeps.
      expect((await client.application.commands.set([TASK_COMMAND])).first()?.id).to.equal(task.id);
      await client.application.commands.set([TASK_COMMAND], double.guildId);
      expect(double.commands(double.guildId).map((c) => [c.name, c.guild_id])).to.deep.equal([['task', double.guildId]]);
      await client.application.commands.set([], double.guildId);

      const seen: ChatInputCommandInteraction[] = [];
      client.on(Events.InteractionCreate, (interaction) => {
        if (interaction.isChatInputCommand()) seen.push(interaction);
      });
      double.addUser(ben);
      double.sendInteraction(double.slashCommand({ user: ana, channelId: general, subcommand: 'add', options: { title: 'water the plants', assignee: ben.id } }));
      await eventually(async () => seen, (s) => s.length === 1, 5_000, 'the first interaction');
      const add = seen[0]!;
      expect([add.commandName, add.commandId, add.options.getSubcommand(), add.options.getString('title'), add.options.getUser('assignee')?.username]).to.deep.equal(['task', task.id, 'add', 'water the plants', 'ben']);
      expect([add.user.id, add.channelId, add.guildId, add.applicationId]).to.deep.equal([ana.id, general, double.guildId, double.applicationId]);
      expect(add.member && 'displayName' in add.member ? add.member.displayName : null).to.equal('Ana Lima');
      await add.reply({ content: 'Added “water the plants”', flags: MessageFlags.Ephemeral });
      const reply = await double.waitForInteractionResponse((r) => r.interactionId === add.id);
      expect([reply.kind, reply.type, reply.ephemeral, reply.data?.content]).to.deep.equal(['callback', 4, true, 'Added “water the plants”']);
      // An ephemeral reply is nobody else's business.
      expect(double.messages(general)).to.deep.equal([]);

      double.sendInteraction(double.slashCommand({ user: ana, channelId: general, subcommand: 'list' }));
      await eventually(async () => seen, (s) => s.length === 2, 5_000, 'the second interaction');
      const list = seen[1]!;
      await list.deferReply();
      const edited = await list.editReply('1. water the plants');
      expect(edited.content).to.equal('1. water the plants');
      await list.followUp({ content: 'and nothing else' });
      expect(double.messages(general).map((m) => [m.content, m.type, m.flags, m.webhook_id])).to.deep.equal([
        ['1. water the plants', 20, 0, double.applicationId],
        ['and nothing else', 20, 0, double.applicationId],
      ]);
      expect(double.interactionResponses.filter((r) => r.interactionId === list.id).map((r) => [r.kind, r.type])).to.deep.equal([
        ['callback', 5],
        ['edit-original', null],
        ['followup', null],
      ]);
      const twice = await rejection<DiscordAPIError>(client.rest.post(Routes.interactionCallback(list.id, list.token), { body: { type: 4, data: { content: 'again' } }, auth: false }));
      expect([twice.status, twice.code]).to.deep.equal([400, 40060]);
    });

    it('refuses a first response after the 3-second window with Unknown interaction', async () => {
      const hasty = await startDiscordDouble({ interactionDeadlineMs: 200 });
      try {
        const channel = hasty.addChannel({ name: 'general' }).id;
        const rest = new REST({ api: hasty.apiUrl });
        const late = hasty.slashCommand({ user: ana, channelId: channel, subcommand: 'list' });
        hasty.sendInteraction(late);
        await delay(300);
        const refused = await rejection<DiscordAPIError>(rest.post(Routes.interactionCallback(String(late.id), String(late.token)), { body: { type: 4, data: { content: 'too late' } }, auth: false }));
        expect([refused.status, refused.code, refused.message]).to.deep.equal([404, 10062, 'Unknown interaction']);
        const timely = hasty.slashCommand({ user: ana, channelId: channel, subcommand: 'list' });
        hasty.sendInteraction(timely);
        await rest.post(Routes.interactionCallback(String(timely.id), String(timely.token)), { body: { type: 4, data: { content: 'in time' } }, auth: false });
        expect(hasty.messages(channel).map((m) => m.content)).to.deep.equal(['in time']);
      } finally {
        await hasty.stop();
      }
    });

    it('signs interactions as Discord does: node:crypto verifies them with the public key, not a tampered body; an HTTP endpoint gets them signed', async () => {
      const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(double.publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
      const check = (body: string, headers: Record<string, string>): boolean =>
        verify(null, Buffer.from(`${headers['X-Signature-Timestamp']}${body}`), key, Buffer.from(headers['X-Signature-Ed25519'] ?? '', 'hex'));
      expect(double.publicKeyHex).to.match(/^[0-9a-f]{64}$/);
      const body = JSON.stringify(double.slashCommand({ user: ana, channelId: general, subcommand: 'list' }));
      const headers = double.signInteraction(body);
      expect(headers['X-Signature-Ed25519']).to.match(/^[0-9a-f]{128}$/);
      expect(Number(headers['X-Signature-Timestamp'])).to.be.closeTo(Date.now() / 1000, 5);
      expect(check(body, headers)).to.equal(true);
      expect(check(body.replace('list', 'lisT'), headers)).to.equal(false);
      expect(check(body, { ...headers, 'X-Signature-Timestamp': String(Number(headers['X-Signature-Timestamp']) + 1) })).to.equal(false);
      // The portal's key is what GET /applications/@me calls verify_key.
      const app = (await new REST({ api: double.apiUrl }).setToken(double.botToken).get(Routes.currentApplication())) as { verify_key: string };
      expect(app.verify_key).to.equal(double.publicKeyHex);

      // A minimal interactions endpoint, verifying as the docs say.
      const endpoint = createServer((req, res) => {
        void (async () => {
          const raw = await readAll(req);
          const ok = check(raw, { 'X-Signature-Timestamp': String(req.headers['x-signature-timestamp']), 'X-Signature-Ed25519': String(req.headers['x-signature-ed25519']) });
          if (!ok) {
            res.writeHead(401).end('invalid request signature');
            return;
          }
          const interaction = JSON.parse(raw) as { type: number };
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(interaction.type === 1 ? { type: 1 } : { type: 4, data: { content: 'from the endpoint' } }));
        })();
      });
      await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/interactions`;
      try {
        expect(await double.postInteraction(url, double.ping())).to.deep.include({ status: 200, body: { type: 1 } });
        expect((await double.postInteraction(url, double.ping(), { tamper: true })).status).to.equal(401);
        expect((await double.postInteraction(url, double.ping(), { tamper: 'signature' })).status).to.equal(401);
        const command = double.slashCommand({ user: ana, channelId: general, subcommand: 'list' });
        const answered = await double.postInteraction(url, command);
        expect(answered.status).to.equal(200);
        expect(double.interactionResponses.filter((r) => r.interactionId === command.id).map((r) => [r.kind, r.type, r.data?.content])).to.deep.equal([['http', 4, 'from the endpoint']]);
        expect(double.messages(general).map((m) => [m.content, m.type])).to.deep.equal([['from the endpoint', 20]]);
      } finally {
        endpoint.close();
      }
    });
  });

  describe('outages of the gateway', () => {
    it('resumes after a resumable drop: RESUME on resume_gateway_url, the missed message replayed, no new READY; also after a cut without close frame and after RECONNECT', async () => {
      const client = await login();
      const seen = collect(client);
      const resumed = once(client, Events.ShardResume);
      await double.dropGateway({ resumable: true });
      const missed = double.userSays(general, ana, 'said during the drop');
      await resumed;
      await eventually(async () => seen.map((m) => m.id), (ids) => ids.includes(missed.id), 5_000, 'the replayed message');
      expect(double.identifies).to.have.length(1);
      expect(double.resumes.map((r) => [r.outcome, r.replayed, r.token])).to.deep.equal([['resumed', 1, double.botToken]]);
      expect(double.connectionLog.map((c) => c.path)).to.deep.equal(['/gateway', '/resume']);
      expect(double.gatewayLog.filter((f) => f.t === 'READY')).to.have.length(1);
      expect(double.gatewayLog.filter((f) => f.t === 'MESSAGE_CREATE').map((f) => f.replayed)).to.deep.equal([true]);

      const cutResume = once(client, Events.ShardResume);
      await double.dropGateway({ resumable: true, code: 1006 });
      await cutResume;
      const askedResume = once(client, Events.ShardResume);
      double.requestReconnect();
      await askedResume;
      expect(double.resumes.map((r) => r.outcome)).to.deep.equal(['resumed', 'resumed', 'resumed']);
      expect(double.identifies).to.have.length(1);
      double.userSays(general, ana, 'after three resumes');
      await eventually(async () => seen.map((m) => m.content), (c) => c.includes('after three resumes'), 5_000, 'a live message');
      expect(seen.map((m) => m.content)).to.deep.equal(['said during the drop', 'after three resumes']);
    });

    it('re-identifies after a non-resumable drop: INVALID_SESSION, a new READY; what was said meanwhile is not dispatched but is in GET /channels/:id/messages', async () => {
      const client = await login();
      const seen = collect(client);
      const firstSession = double.gatewayLog.find((f) => f.t === 'READY')!.sessionId;
      const readyAgain = once(client, Events.ShardReady);
      await double.dropGateway({ resumable: false });
      const away = double.userSays(general, ana, 'said while the bot was away');
      await double.waitForGateway((f) => f.t === 'READY' && f.sessionId !== firstSession, 15_000);
      await readyAgain;
      expect(double.resumes.map((r) => r.outcome)).to.deep.equal(['invalid']);
      expect(double.gatewayLog.some((f) => f.op === 9)).to.equal(true);
      expect(double.identifies).to.have.length(2);

      double.userSays(general, ana, 'said after the return');
      await eventually(async () => seen.map((m) => m.content), (c) => c.includes('said after the return'), 5_000, 'a live message');
      expect(seen.map((m) => m.content)).to.deep.equal(['said after the return']);
      const history = await textChannel(client).messages.fetch({ limit: 10 });
      expect([...history.values()].map((m) => [m.id, m.content]).toReversed()[0]).to.deep.equal([away.id, 'said while the bot was away']);
    });
  });
});

/** Every message the client emits messageCreate for, from now on. */
function collect(client: Client): Message[] {
  const seen: Message[] = [];
  client.on(Events.MessageCreate, (message) => seen.push(message));
  return seen;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface GatewayPayload {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** A bare WebSocket on the gateway: frames read one at a time, and the close code. */
async function rawGateway(url: string): Promise<{ next(): Promise<GatewayPayload>; send(payload: unknown): void; close(): void; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const queue: GatewayPayload[] = [];
  const wanting: ((payload: GatewayPayload) => void)[] = [];
  ws.on('message', (data) => {
    const payload = JSON.parse(String(data)) as GatewayPayload;
    const take = wanting.shift();
    if (take) take(payload);
    else queue.push(payload);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    next: () => {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<GatewayPayload>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no gateway frame within 5000 ms')), 5_000);
        wanting.push((payload) => {
          clearTimeout(timer);
          resolve(payload);
        });
      });
    },
    send: (payload) => ws.send(JSON.stringify(payload)),
    close: () => ws.close(1000),
    closed,
  };
}
