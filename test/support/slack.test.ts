// The Slack double is only worth its tests if the real Slack clients accept it, so this suite
// speaks to it with them: @slack/web-api's WebClient, @slack/socket-mode's SocketModeClient and a
// Bolt App, over HTTP and over Socket Mode. Nothing here is mocked.

// Slack's chat.postMessage is not window.postMessage, which this rule is about.
/* oxlint-disable unicorn/require-post-message-target-origin */

import { App, LogLevel, SocketModeReceiver, verifySlackRequest, type Logger } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebClientOptions } from '@slack/web-api';
import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from './eventually.js';
import { freePort } from './redis.js';
import { startSlackDouble, type SlackDouble } from './slack.js';

const SIGNING_SECRET = 'signing-secret-of-the-test-app';

async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}

describe('the Slack double, spoken to by the real Slack clients', function () {
  this.timeout(30_000);
  let double: SlackDouble;
  let general: string;

  const webClient = (token: string | undefined, options: WebClientOptions = {}): WebClient =>
    new WebClient(token, { slackApiUrl: double.apiUrl, logLevel: LogLevel.ERROR, ...options });

  beforeEach(async () => {
    double = await startSlackDouble();
    general = double.generalChannelId;
    double.addUser({ id: 'U0ANA', name: 'ana', realName: 'Ana Lima', image: 'https://example.test/ana.png', email: 'ana@example.com' });
    double.addUser({ id: 'U0BEN', name: 'ben', realName: 'Ben Okafor', displayName: 'benny' });
  });

  afterEach(() => double.stop());

  describe('the Web API, through a WebClient', () => {
    it('posts, updates and deletes with the answers Slack gives, and records each call as sent', async () => {
      const web = webClient(double.botToken);
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
      const posted = await web.chat.postMessage({ channel: general, text: 'hello', blocks });
      expect(posted.ok).to.equal(true);
      expect(posted.channel).to.equal(general);
      expect(posted.ts).to.match(/^\d{10}\.\d{6}$/);
      expect(posted.message?.user).to.equal(double.botUserId);
      expect(posted.message?.bot_id).to.equal(double.botId);
      const second = await web.chat.postMessage({ channel: general, text: 'again' });
      // Same width, so string order is time order.
      expect(second.ts! > posted.ts!).to.equal(true);

      const call = double.callsOf('chat.postMessage')[0]!;
      expect(call.token).to.equal(double.botToken);
      expect(call.args.text).to.equal('hello');
      expect(call.args.blocks).to.deep.equal(blocks);
      expect(call.status).to.equal(200);

      const updated = await web.chat.update({ channel: general, ts: posted.ts!, text: 'hello, edited' });
      expect(updated.ts).to.equal(posted.ts);
      expect(updated.text).to.equal('hello, edited');
      await web.chat.delete({ channel: general, ts: second.ts! });
      const stored = double.history(general);
      expect(stored.map((m) => [m.ts, m.text])).to.deep.equal([[posted.ts, 'hello, edited']]);
      // Slack keeps the blocks an update does not replace, and marks the edit.
      expect(stored[0]!.blocks).to.deep.equal(blocks);
      expect(stored[0]!.edited?.user).to.equal(double.botUserId);

      const gone = await rejection<WebAPIPlatformError>(web.chat.update({ channel: general, ts: second.ts!, text: 'x' }));
      expect(gone.code).to.equal(ErrorCode.PlatformError);
      expect(gone.data.error).to.equal('message_not_found');
      const nowhere = await rejection<WebAPIPlatformError>(web.chat.postMessage({ channel: 'C0NOWHERE', text: 'x' }));
      expect(nowhere.data.error).to.equal('channel_not_found');
      const users = double.postAsUser(general, 'U0ANA', 'mine');
      const notOurs = await rejection<WebAPIPlatformError>(web.chat.delete({ channel: general, ts: users.event.ts }));
      expect(notOurs.data.error).to.equal('cant_delete_message');
    });

    it('reads history newest first, pages it with cursors and leaves thread replies to conversations.replies', async () => {
      const web = webClient(double.botToken);
      const one = double.postAsUser(general, 'U0ANA', 'one').event.ts;
      double.postAsUser(general, 'U0BEN', 'two');
      double.postAsUser(general, 'U0BEN', 'a reply', { threadTs: one });
      double.postAsUser(general, 'U0ANA', 'three');

      const first = await web.conversations.history({ channel: general, limit: 2 });
      expect(first.messages?.map((m) => m.text)).to.deep.equal(['three', 'two']);
      expect(first.has_more).to.equal(true);
      const cursor = first.response_metadata?.next_cursor;
      expect(cursor).to.be.a('string').and.not.equal('');
      const rest = await web.conversations.history({ channel: general, limit: 2, cursor: cursor! });
      expect(rest.messages?.map((m) => m.text)).to.deep.equal(['one']);
      expect(rest.has_more).to.equal(false);
      expect(rest.messages?.[0]?.reply_count).to.equal(1);

      const paged: string[] = [];
      for await (const page of web.paginate('conversations.history', { channel: general, limit: 1 })) {
        paged.push(...((page as { messages?: { text: string }[] }).messages ?? []).map((m) => m.text));
      }
      expect(paged).to.deep.equal(['three', 'two', 'one']);

      // oldest is exclusive unless inclusive is set.
      const after = await web.conversations.history({ channel: general, oldest: one });
      expect(after.messages?.map((m) => m.text)).to.deep.equal(['three', 'two']);
      const from = await web.conversations.history({ channel: general, oldest: one, inclusive: true });
      expect(from.messages?.map((m) => m.text)).to.deep.equal(['three', 'two', 'one']);
      // With oldest and no latest, a short page holds the messages closest to oldest (still newest first).
      const near = await web.conversations.history({ channel: general, oldest: one, limit: 1 });
      expect([near.messages?.map((m) => m.text), near.has_more]).to.deep.equal([['two'], true]);
      const nearer = await web.conversations.history({ channel: general, oldest: one, limit: 1, cursor: near.response_metadata!.next_cursor! });
      expect([nearer.messages?.map((m) => m.text), nearer.has_more]).to.deep.equal([['three'], false]);
      const bounded = await web.conversations.history({ channel: general, oldest: one, latest: String(Number(one) + 3600), limit: 1 });
      expect(bounded.messages?.map((m) => m.text)).to.deep.equal(['three']);

      const thread = await web.conversations.replies({ channel: general, ts: one });
      expect(thread.messages?.map((m) => m.text)).to.deep.equal(['one', 'a reply']);
    });

    it('refuses a wrong token with invalid_auth, none with not_authed, and an app token with not_allowed_token_type', async () => {
      const wrong = await rejection<WebAPIPlatformError>(webClient('xoxb-not-the-token').chat.postMessage({ channel: general, text: 'sneaky' }));
      expect(wrong.code).to.equal(ErrorCode.PlatformError);
      expect(wrong.data.error).to.equal('invalid_auth');
      expect(double.callsOf('chat.postMessage')[0]!.token).to.equal('xoxb-not-the-token');
      expect(double.history(general)).to.deep.equal([]);

      const none = await rejection<WebAPIPlatformError>(webClient(undefined).auth.test());
      expect(none.data.error).to.equal('not_authed');
      const appToken = await rejection<WebAPIPlatformError>(webClient(double.appToken).auth.test());
      expect(appToken.data.error).to.equal('not_allowed_token_type');
      const botOnSocket = await rejection<WebAPIPlatformError>(webClient(double.botToken).apps.connections.open());
      expect(botOnSocket.data.error).to.equal('not_allowed_token_type');
    });

    it('answers the reads a bridge bot makes: auth.test, users.info, conversations.open and .info, chat.postEphemeral', async () => {
      const web = webClient(double.botToken);
      const auth = await web.auth.test();
      expect([auth.team_id, auth.user_id, auth.bot_id]).to.deep.equal([double.teamId, double.botUserId, double.botId]);
      // WebClient reads the token's scopes from X-OAuth-Scopes.
      expect(auth.response_metadata?.scopes).to.include('chat:write');

      const { user } = await web.users.info({ user: 'U0ANA' });
      expect(user?.name).to.equal('ana');
      expect(user?.real_name).to.equal('Ana Lima');
      expect(user?.profile?.image_48).to.equal('https://example.test/ana.png');
      expect(user?.profile?.email).to.equal('ana@example.com');
      // A display name nobody set is '', as on Slack.
      expect(user?.profile?.display_name).to.equal('');
      expect((await web.users.info({ user: 'U0BEN' })).user?.profile?.display_name).to.equal('benny');
      expect((await rejection<WebAPIPlatformError>(web.users.info({ user: 'U0NOBODY' }))).data.error).to.equal('user_not_found');

      const opened = await web.conversations.open({ users: 'U0ANA' });
      expect(opened.channel?.id).to.match(/^D/);
      const reopened = await web.conversations.open({ users: 'U0ANA' });
      expect(reopened.channel?.id).to.equal(opened.channel?.id);
      expect(reopened.already_open).to.equal(true);
      const dm = await web.chat.postMessage({ channel: opened.channel!.id!, text: 'your task is due' });
      expect(dm.channel).to.equal(opened.channel?.id);

      const info = await web.conversations.info({ channel: general });
      expect(info.channel?.name).to.equal('general');
      expect(info.channel?.is_general).to.equal(true);
      const im = (await web.conversations.info({ channel: opened.channel!.id! })).channel as { is_im?: boolean; user?: string };
      expect([im.is_im, im.user]).to.deep.equal([true, 'U0ANA']);

      const ephemeral = await web.chat.postEphemeral({ channel: general, user: 'U0BEN', text: 'only you' });
      expect(ephemeral.message_ts).to.match(/^\d{10}\.\d{6}$/);
      expect(double.ephemerals.map((e) => [e.user, e.text])).to.deep.equal([['U0BEN', 'only you']]);
      expect(double.history(general)).to.deep.equal([]);
    });

    it('rate limits like Slack: rejectRateLimitedCalls gets retryAfter, a default client waits Retry-After and succeeds', async () => {
      double.rateLimit('chat.postMessage', { retryAfterSeconds: 1, forMs: 400 });
      const rejecting = webClient(double.botToken, { rejectRateLimitedCalls: true });
      const limited = await rejection<WebAPIRateLimitedError>(rejecting.chat.postMessage({ channel: general, text: 'now' }));
      expect(limited.code).to.equal(ErrorCode.RateLimitedError);
      expect(limited.retryAfter).to.equal(1);
      // Other methods are not limited.
      expect((await rejecting.auth.test()).ok).to.equal(true);

      const started = Date.now();
      const posted = await webClient(double.botToken).chat.postMessage({ channel: general, text: 'patient' });
      expect(posted.ok).to.equal(true);
      expect(Date.now() - started).to.be.at.least(1_000);
      expect(double.callsOf('chat.postMessage').map((c) => c.status)).to.deep.equal([429, 429, 200]);
      expect(double.history(general).map((m) => m.text)).to.deep.equal(['patient']);
    });

    it('fails on purpose: a 503 reaches the client as an HTTP error once; down() refuses connections and up() serves the same URL', async () => {
      const web = webClient(double.botToken, { retryConfig: { retries: 0 } });
      double.failWith('auth.test', { status: 503, times: 1 });
      const failed = await rejection<WebAPIHTTPError>(web.auth.test());
      expect(failed.code).to.equal(ErrorCode.HTTPError);
      expect(failed.statusCode).to.equal(503);
      expect((await web.auth.test()).ok).to.equal(true);

      await double.down();
      const refused = await rejection<WebAPIHTTPError>(web.auth.test());
      expect(refused.code).to.equal(ErrorCode.RequestError);
      await double.up();
      expect((await web.auth.test()).ok).to.equal(true);
    });
  });

  describe('Socket Mode, through a SocketModeClient', () => {
    it('connects through apps.connections.open, acknowledges envelopes, and reconnects after a disconnect', async () => {
      // clientPingTimeout also sets the reconnect delay (1 s here instead of 5).
      const client = new SocketModeClient({ appToken: double.appToken, clientOptions: { slackApiUrl: double.apiUrl }, logLevel: LogLevel.ERROR, clientPingTimeout: 1_000 });
      const texts: string[] = [];
      const envelopes: unknown[][] = [];
      client.on('slack_event', ({ type, accepts_response_payload, retry_num }: { type: string; accepts_response_payload: boolean; retry_num?: number }) => {
        envelopes.push([type, accepts_response_payload, retry_num]);
      });
      client.on('message', async ({ ack, event }: { ack: () => Promise<void>; event: { text: string } }) => {
        texts.push(event.text);
        await ack();
      });
      client.on('slash_commands', async ({ ack, body }: { ack: (response: object) => Promise<void>; body: { text: string } }) => {
        await ack({ text: `on it: ${body.text}` });
      });
      try {
        await client.start();
        await double.socketConnected();
        expect(double.callsOf('apps.connections.open').map((c) => c.token)).to.deep.equal([double.appToken]);

        const ack = await double.sendEnvelope('events_api', double.postAsUser(general, 'U0ANA', 'over the socket'));
        expect(texts).to.deep.equal(['over the socket']);
        expect(ack.envelope_id).to.be.a('string');
        expect(ack.payload).to.deep.equal({});
        const answered = await double.sendEnvelope('slash_commands', double.slashCommand({ userId: 'U0ANA', channelId: general, text: 'buy milk' }));
        expect(answered.payload).to.deep.equal({ text: 'on it: buy milk' });
        expect(envelopes).to.deep.equal([
          ['events_api', false, 0],
          ['slash_commands', true, undefined],
        ]);
        // Nobody acknowledges block actions here, so Slack's 3-second wait (shortened) runs out.
        const button = double.blockAction({ userId: 'U0ANA', channelId: general, messageTs: (await postButton(double)).ts, actionId: 'done' });
        expect((await rejection(double.sendEnvelope('interactive', button, { timeoutMs: 300 }))).message).to.match(/did not acknowledge/);

        // The client leaves on Slack's message, not because the double cuts it off.
        expect(await double.disconnectSocket('refresh_requested')).to.deep.equal({ obeyed: 1, cut: 0 });
        expect(double.openSockets).to.equal(0);
        await double.socketConnected(10_000);
        expect(double.socketConnections).to.equal(2);
        expect(double.callsOf('apps.connections.open')).to.have.length(2);
        await double.sendEnvelope('events_api', double.postAsUser(general, 'U0BEN', 'after the refresh'));
        expect(texts).to.deep.equal(['over the socket', 'after the refresh']);
      } finally {
        await client.disconnect();
      }
    });
    it('loses the connection on down() like on an outage, and the client comes back through apps.connections.open after up()', async () => {
      // The client logs the cut connection as an error, which is the point here.
      const client = new SocketModeClient({ appToken: double.appToken, clientOptions: { slackApiUrl: double.apiUrl }, logger: silentLogger(), clientPingTimeout: 1_000 });
      client.on('message', async ({ ack }: { ack: () => Promise<void> }) => ack());
      try {
        await client.start();
        await double.socketConnected();
        await double.down();
        expect(double.openSockets).to.equal(0);
        // Long enough for the client's first reconnect to meet a refused connection.
        await delay(1_500);
        await double.up();
        await double.socketConnected(15_000);
        expect(double.socketConnections).to.equal(2);
        const ack = await double.sendEnvelope('events_api', double.postAsUser(general, 'U0ANA', 'back again'));
        expect(ack.envelope_id).to.be.a('string');
      } finally {
        await client.disconnect();
      }
    });
  });

  describe('requests to the app', () => {
    it('signs as Slack does: Bolt verifies the signature, and refuses a tampered body, another secret or a stale timestamp', () => {
      const body = JSON.stringify(double.postAsUser(general, 'U0ANA', 'hello'));
      const verify = (signed: Record<string, string>, rawBody: string, secret = SIGNING_SECRET): void =>
        verifySlackRequest({
          signingSecret: secret,
          body: rawBody,
          headers: { 'x-slack-signature': signed['X-Slack-Signature']!, 'x-slack-request-timestamp': Number(signed['X-Slack-Request-Timestamp']) },
        });
      const headers = double.signRequest(SIGNING_SECRET, body);
      expect(() => verify(headers, body)).not.to.throw();
      expect(() => verify(headers, body.replace('hello', 'hellO'))).to.throw(/signature mismatch/);
      expect(() => verify(headers, body, 'another-secret')).to.throw(/signature mismatch/);
      const stale = double.signRequest(SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 600 });
      expect(() => verify(stale, body)).to.throw(/stale/);
    });

    it("drives a real Bolt App over HTTP: messages, its own echo ignored, a command answered on response_url, a button, a shortcut", async () => {
      const port = await freePort();
      const app = new App({ token: double.botToken, signingSecret: SIGNING_SECRET, clientOptions: { slackApiUrl: double.apiUrl }, logLevel: LogLevel.ERROR });
      const seen: { text: string | undefined; retryNum: number | undefined }[] = [];
      const clicked: string[] = [];
      const shortcuts: string[] = [];
      app.message(async ({ message, context }) => {
        seen.push({ text: 'text' in message ? message.text : undefined, retryNum: context.retryNum });
      });
      app.command('/task', async ({ command, ack, respond }) => {
        await ack();
        await respond({ response_type: 'ephemeral', text: `added ${command.text}` });
      });
      app.action('done', async ({ ack, body, action }) => {
        await ack();
        clicked.push(`${'value' in action ? action.value : ''}@${body.type}`);
      });
      app.shortcut('make_task', async ({ ack, shortcut }) => {
        await ack();
        shortcuts.push(shortcut.type === 'message_action' ? String(shortcut.message.text) : '');
      });
      await app.start(port);
      const url = `http://127.0.0.1:${port}/slack/events`;
      try {
        const first = await double.deliver(url, SIGNING_SECRET, double.postAsUser(general, 'U0ANA', 'from slack'), { kind: 'event' });
        expect(first.status).to.equal(200);
        await eventually(async () => seen, (s) => s.length === 1, 5_000, 'the first message');
        expect(seen[0]).to.deep.equal({ text: 'from slack', retryNum: undefined });

        // The bot's own posts come back as events; Bolt's ignoreSelf must recognise both shapes.
        const plain = await app.client.chat.postMessage({ channel: general, text: 'bridged, plain' });
        const customized = await app.client.chat.postMessage({ channel: general, text: 'bridged, as Ana', username: 'Ana Lima', icon_url: 'https://example.test/ana.png' });
        const [plainCall, customCall] = double.callsOf('chat.postMessage');
        expect(double.botEcho(plainCall!).event).to.include({ user: double.botUserId, bot_id: double.botId, ts: plain.ts });
        expect(double.botEcho(customCall!).event).to.include({ subtype: 'bot_message', username: 'Ana Lima', bot_id: double.botId, ts: customized.ts });
        expect(double.botEcho(customCall!).event).not.to.have.property('user');
        for (const call of [plainCall!, customCall!]) {
          expect((await double.deliver(url, SIGNING_SECRET, double.botEcho(call), { kind: 'event' })).status).to.equal(200);
        }
        const redelivered = double.postAsUser(general, 'U0BEN', 'second try');
        await double.deliver(url, SIGNING_SECRET, redelivered, { kind: 'event', retryNum: 1, retryReason: 'http_timeout' });
        await eventually(async () => seen, (s) => s.length >= 2, 5_000, 'the redelivered message');
        await delay(100);
        expect(seen).to.deep.equal([
          { text: 'from slack', retryNum: undefined },
          { text: 'second try', retryNum: 1 },
        ]);

        const command = double.slashCommand({ userId: 'U0ANA', channelId: general, text: 'buy milk' });
        expect((await double.deliver(url, SIGNING_SECRET, command, { kind: 'command' })).status).to.equal(200);
        const response = await double.waitForResponse((r) => r.url === command.response_url, 5_000);
        expect(response.body).to.deep.include({ response_type: 'ephemeral', text: 'added buy milk' });

        const button = await postButton(double);
        const action = double.blockAction({ userId: 'U0BEN', channelId: general, messageTs: button.ts, actionId: 'done' });
        expect((await double.deliver(url, SIGNING_SECRET, action, { kind: 'interactive' })).status).to.equal(200);
        const userMessage = double.postAsUser(general, 'U0ANA', 'make this a task').event.ts;
        const shortcut = double.messageShortcut({ userId: 'U0BEN', channelId: general, messageTs: userMessage, callbackId: 'make_task' });
        expect((await double.deliver(url, SIGNING_SECRET, shortcut, { kind: 'interactive' })).status).to.equal(200);
        await eventually(async () => [clicked, shortcuts], ([c, s]) => c!.length === 1 && s!.length === 1, 5_000, 'the button and the shortcut');
        expect(clicked).to.deep.equal(['task-1@block_actions']);
        expect(shortcuts).to.deep.equal(['make this a task']);

        const forged = await double.deliver(url, 'not-the-secret', double.postAsUser(general, 'U0ANA', 'forged'), { kind: 'event' });
        expect(forged.status).to.equal(401);
      } finally {
        await app.stop();
      }
    });

    it('drives a real Bolt App over Socket Mode: a command acknowledged with a response payload', async () => {
      // Bolt hands the Socket Mode client installerOptions.clientOptions, not the App's clientOptions.
      const receiver = new SocketModeReceiver({ appToken: double.appToken, installerOptions: { clientOptions: { slackApiUrl: double.apiUrl } }, logLevel: LogLevel.ERROR });
      const app = new App({ token: double.botToken, receiver, clientOptions: { slackApiUrl: double.apiUrl }, logLevel: LogLevel.ERROR });
      app.command('/task', async ({ command, ack }) => {
        await ack({ response_type: 'ephemeral', text: `added ${command.text}` });
      });
      await app.start();
      try {
        await double.socketConnected();
        const ack = await double.sendEnvelope('slash_commands', double.slashCommand({ userId: 'U0BEN', channelId: general, text: 'call the plumber' }));
        expect(ack.payload).to.deep.equal({ response_type: 'ephemeral', text: 'added call the plumber' });
      } finally {
        await app.stop();
      }
    });
  });
});

const quiet = (): void => {};

function silentLogger(): Logger {
  let level = LogLevel.ERROR;
  return { debug: quiet, info: quiet, warn: quiet, error: quiet, setName: quiet, setLevel: (l) => (level = l), getLevel: () => level };
}

/** A bot message with a `done` button, as the adapter would post one. */
async function postButton(double: SlackDouble): Promise<{ ts: string }> {
  const web = new WebClient(double.botToken, { slackApiUrl: double.apiUrl, logLevel: LogLevel.ERROR });
  const posted = await web.chat.postMessage({
    channel: double.generalChannelId,
    text: 'Task: water the plants',
    blocks: [
      { type: 'section', block_id: 'task', text: { type: 'mrkdwn', text: '*water the plants*' } },
      { type: 'actions', block_id: 'task-actions', elements: [{ type: 'button', action_id: 'done', text: { type: 'plain_text', text: 'Done' }, value: 'task-1' }] },
    ],
  });
  return { ts: posted.ts! };
}
