import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import type { ServerTuning } from '../../core/server.js';
import { Client, registerUser, STORE_KINDS, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { connectSocket } from '../support/socket.js';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

for (const kind of STORE_KINDS) {
  describe(`Outgoing webhooks and incoming hooks [${kind}]`, function () {
    this.timeout(60_000);
    let api: ApiServer;
    let receiver: WebhookReceiver;
    let owner: TestUser;
    let member: TestUser;
    let projectId: string;
    let roomId: string;

    before(async function () {
      this.timeout(600_000);
      api = await startApi(kind, this, undefined, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    });
    beforeEach(async () => {
      receiver = await startReceiver();
      owner = await registerUser(api, 'Olga Owner');
      member = await registerUser(api, 'Mo Member');
      projectId = (await owner.client.post('/api/projects', { name: 'Hooks' })).body.id;
      await owner.client.post(`/api/projects/${projectId}/members`, { email: member.email, role: 'admin' });
      roomId = (await owner.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    });
    afterEach(async () => receiver?.stop());
    after(async () => api?.stop());

    it('signs each delivery (Standard Webhooks), sends only subscribed types, in feed order', async () => {
      const created = await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['task.*'], description: 'CI' });
      expect(created.status).to.equal(201);
      expect(created.body.secret).to.match(/^whsec_/);
      const listed = await owner.client.get(`/api/projects/${projectId}/webhooks`);
      expect(JSON.stringify(listed.body)).to.not.include(created.body.secret);
      const t = (await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'One' })).body;
      await owner.client.post(`/api/rooms/${roomId}/messages`, { text: 'not subscribed' });
      await owner.client.patch(`/api/tasks/${t.id}`, { title: 'One, renamed', version: t.version });
      await owner.client.post(`/api/tasks/${t.id}/move`, { status: 'done', version: t.version + 1 });
      const got = await eventually(async () => receiver.accepted(), (list) => list.length >= 3, 10_000, 'three deliveries');
      await delay(300);
      expect(receiver.accepted().map((d) => d.type)).to.deep.equal(['task.created', 'task.updated', 'task.moved']);
      const seqs = got.map((d) => d.seq);
      expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
      const verifier = new Webhook(created.body.secret);
      for (const delivery of got) {
        const payload = verifier.verify(delivery.body, delivery.headers as Record<string, string>) as { type: string; timestamp: string; data: { seq: number; data: { id: string } } };
        expect(payload.timestamp).to.match(/^\d{4}-\d\d-\d\dT/);
        expect(payload.data.data.id).to.equal(t.id);
      }
      expect(() => verifier.verify(`${got[0]!.body} `, got[0]!.headers as Record<string, string>)).to.throw();
      const log = await owner.client.get(`/api/webhooks/${created.body.id}/deliveries`);
      expect(log.body.items.map((d: { status: string }) => d.status)).to.deep.equal(['delivered', 'delivered', 'delivered']);
    });

    it('retries a failing delivery with the same id, records the attempts, and lets nothing overtake it', async () => {
      const hook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['message.created'] })).body;
      receiver.failNext(3, 503);
      for (const text of ['first', 'second', 'third']) await owner.client.post(`/api/rooms/${roomId}/messages`, { text });
      const accepted = await eventually(async () => receiver.accepted(), (list) => list.length >= 3, 20_000, 'all three, after the failures');
      const texts = accepted.map((d) => (JSON.parse(d.body) as { data: { data: { text: string } } }).data.data.text);
      expect(texts).to.deep.equal(['first', 'second', 'third']);
      const attemptsOfFirst = receiver.received.filter((r) => r.headers['webhook-id'] === accepted[0]!.id);
      expect(attemptsOfFirst.map((r) => r.status)).to.deep.equal([503, 503, 503, 204]);
      // Nothing of the later ones was sent while the first was failing.
      const firstSuccess = attemptsOfFirst.at(-1)!.at;
      expect(receiver.received.filter((r) => r.headers['webhook-id'] !== accepted[0]!.id).every((r) => r.at >= firstSuccess)).to.equal(true);
      const log = (await owner.client.get(`/api/webhooks/${hook.id}/deliveries`)).body.items;
      const first = log.find((d: { id: string }) => d.id === accepted[0]!.id);
      expect(first).to.include({ status: 'delivered', attempts: 4, responseStatus: 204, lastError: null });
    });

    it('sends a private room\'s messages only to webhooks whose creator can read that room', async () => {
      const secret = (await owner.client.post(`/api/projects/${projectId}/rooms`, { name: 'secret', private: true })).body;
      const other = await startReceiver();
      try {
        const ownersHook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['message.*'] })).body;
        const membersHook = (await member.client.post(`/api/projects/${projectId}/webhooks`, { url: other.url, events: ['message.*'] })).body;
        expect(ownersHook.id && membersHook.id).to.be.a('string');
        await owner.client.post(`/api/rooms/${secret.id}/messages`, { text: 'for room members only' });
        await owner.client.post(`/api/rooms/${roomId}/messages`, { text: 'for everyone' });
        await eventually(async () => receiver.accepted().length, (n) => n >= 2, 10_000, 'the owner\'s webhook gets both');
        await eventually(async () => other.accepted().length, (n) => n >= 1, 10_000, 'the member\'s webhook gets the public one');
        await delay(500);
        expect(other.received.map((r) => r.body).join()).to.not.include('for room members only');
        expect(other.accepted()).to.have.length(1);
      } finally {
        await other.stop();
      }
    });

    it('disables a webhook whose creator leaves the project, and tells nobody else', async () => {
      const hook = (await member.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['task.*'] })).body;
      await owner.client.delete(`/api/projects/${projectId}/members/${member.id}`);
      await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'After they left' });
      const listed = await eventually(
        async () => (await owner.client.get(`/api/projects/${projectId}/webhooks`)).body.items.find((w: { id: string }) => w.id === hook.id),
        (w) => w.enabled === false,
        10_000,
        'disabled',
      );
      expect(listed.disabledReason).to.match(/no longer a member/);
      expect(receiver.received).to.deep.equal([]);
    });

    it('does not follow redirects, and a retry of one delivery sends it again with the same id', async () => {
      const hook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['task.created'] })).body;
      receiver.redirectTo('http://169.254.169.254/latest/meta-data');
      await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Redirected' });
      const log = await eventually(async () => (await owner.client.get(`/api/webhooks/${hook.id}/deliveries`)).body.items, (items) => items[0]?.attempts >= 1, 10_000, 'an attempt');
      expect(log[0]).to.include({ status: 'pending', responseStatus: 302 });
      expect(log[0].lastError).to.match(/redirect/);
      receiver.redirectTo(null);
      expect((await owner.client.post(`/api/webhooks/${hook.id}/deliveries/${log[0].id}/retry`)).status).to.equal(202);
      await eventually(async () => receiver.accepted().length, (n) => n >= 1, 10_000, 'accepted after the retry');
      expect(receiver.accepted()[0]!.id).to.equal(log[0].id);
    });

    it('sends a signed test event on request and reports how the receiver answered', async () => {
      const hook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['task.*'] })).body;
      const ok = await owner.client.post(`/api/webhooks/${hook.id}/test`);
      expect(ok.body).to.deep.equal({ delivered: true, responseStatus: 204, error: null });
      const [test] = receiver.accepted();
      expect(test!.type).to.equal('webhook.test');
      expect(() => new Webhook(hook.secret).verify(test!.body, test!.headers as Record<string, string>)).to.not.throw();
      receiver.failNext(1, 500);
      expect((await owner.client.post(`/api/webhooks/${hook.id}/test`)).body).to.include({ delivered: false, responseStatus: 500 });
      expect((await owner.client.get(`/api/webhooks/${hook.id}/deliveries`)).body.items, 'tests stay out of the log').to.deep.equal([]);
      expect((await member.client.post(`/api/webhooks/${hook.id}/test`)).status, 'project admins may').to.equal(200);
      const viewer = await registerUser(api, 'Vi Viewer');
      await owner.client.post(`/api/projects/${projectId}/members`, { email: viewer.email, role: 'viewer' });
      expect((await viewer.client.post(`/api/webhooks/${hook.id}/test`)).status).to.equal(403);
    });

    it('posts through an incoming hook into the room, live, until the hook is deleted', async () => {
      const socket = await connectSocket(api.url, owner.token);
      await socket.subscribe(projectId);
      const created = await owner.client.post(`/api/rooms/${roomId}/hooks`, { name: 'CI bot' });
      expect(created.status).to.equal(201);
      const path = new URL(created.body.url).pathname;
      const anon = new Client(api.url);
      const posted = await anon.post(path, { text: 'Build #42 passed' });
      expect(posted.status).to.equal(201);
      expect(posted.body).to.include({ text: 'Build #42 passed', authorName: 'CI bot', source: 'api' });
      await eventually(async () => socket.changes.filter((c) => c.type === 'message.created' && c.data?.authorName === 'CI bot').length, (n) => n === 1, 2_000, 'live');
      expect((await anon.post(path, { text: '' })).status).to.equal(400);
      expect((await anon.post(path, { text: 'x', extra: 1 })).status).to.equal(400);
      expect((await owner.client.delete(`/api/hooks/${created.body.id}`)).status).to.equal(204);
      expect((await anon.post(path, { text: 'after deletion' })).status).to.equal(404);
      expect((await anon.post('/api/hooks/incoming/twh_not-a-hook-token-at-all', { text: 'x' })).status).to.equal(404);
      socket.close();
    });

    it('rate-limits an incoming hook', async () => {
      const path = new URL((await owner.client.post(`/api/rooms/${roomId}/hooks`, { name: 'Flood' })).body.url).pathname;
      const anon = new Client(api.url);
      const statuses: number[] = [];
      for (let i = 0; i < 62; i++) statuses.push((await anon.post(path, { text: `n${i}` })).status);
      expect(statuses.filter((s) => s === 201)).to.have.length(60);
      expect(statuses.at(-1)).to.equal(429);
    });
  });
}

describe('Webhook targets without WEBHOOK_ALLOW_PRIVATE', function () {
  let api: ApiServer;

  before(async function () {
    api = await startApi('sqlite', this);
  });
  after(async () => api?.stop());

  it('refuses loopback, private, link-local and metadata targets with 400, and bad input in the error shape', async () => {
    const owner = await registerUser(api, 'Olga');
    const projectId = (await owner.client.post('/api/projects', { name: 'Guarded' })).body.id;
    for (const url of ['http://127.0.0.1/x', 'http://localhost:8080/x', 'http://10.0.0.1/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://[::ffff:127.0.0.1]/x', 'http://192.168.1.20/']) {
      const reply = await owner.client.post(`/api/projects/${projectId}/webhooks`, { url, events: ['task.*'] });
      expect(reply.status, url).to.equal(400);
      expect(reply.body.error.details[0].path).to.equal('url');
    }
    const bad: unknown[] = [
      { url: 'ftp://example.com/x', events: ['task.*'] },
      { url: 'https://example.com/x', events: [] },
      { url: 'https://example.com/x', events: ['nonsense.*'] },
      { url: 'https://example.com/x', events: ['task.created'], secret: 'mine' },
      { url: `https://example.com/${'x'.repeat(2100)}`, events: ['task.*'] },
    ];
    for (const body of bad) {
      const reply = await owner.client.post(`/api/projects/${projectId}/webhooks`, body);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
      expect(reply.body.error.code).to.equal('validation_failed');
    }
    expect((await owner.client.get(`/api/projects/${projectId}/webhooks`)).body.items).to.deep.equal([]);
  });
});

/** Before the suite: Taskwire on SQLite (private targets allowed; `webhooks` tunes its senders) and a receiver. After it: both stopped. */
function useSite(webhooks?: NonNullable<ServerTuning['jobs']>['webhooks']): { api: ApiServer; receiver: WebhookReceiver } {
  const site = {} as { api: ApiServer; receiver: WebhookReceiver };
  before(async function () {
    site.api = await startApi('sqlite', this, webhooks ? { ...TEST_TUNING, jobs: { ...TEST_TUNING.jobs, webhooks } } : undefined, { WEBHOOK_ALLOW_PRIVATE: 'true' });
    site.receiver = await startReceiver();
  });
  after(async () => {
    await site.api?.stop();
    await site.receiver?.stop();
  });
  return site;
}

describe('A webhook failing for 3 days', function () {
  this.timeout(60_000);
  const site = useSite();

  it('is disabled, its delivery marked failed, and its creator notified', async () => {
    const owner = await registerUser(site.api, 'Olga');
    const projectId = (await owner.client.post('/api/projects', { name: 'Failing' })).body.id;
    const hook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: site.receiver.url, events: ['task.*'] })).body;
    const stored = (await site.api.server.store.webhooks.get(hook.id))!;
    // As if its deliveries had failed since three days and a minute ago.
    await site.api.server.store.write({ projectId: null }, (uow) => uow.replace('webhooks', { ...stored, failingSince: new Date(Date.now() - 3 * 24 * 3_600_000 - 60_000).toISOString() }));
    site.receiver.failNext(100, 500);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Never received' });
    const disabled = await eventually(
      async () => (await owner.client.get(`/api/projects/${projectId}/webhooks`)).body.items[0],
      (w) => w.enabled === false,
      10_000,
      'disabled',
    );
    expect(disabled.disabledReason).to.match(/3 days/);
    const log = (await owner.client.get(`/api/webhooks/${hook.id}/deliveries`)).body.items;
    expect(log[0]).to.include({ status: 'failed', responseStatus: 500 });
    const inbox = await eventually(async () => (await owner.client.get('/api/me/notifications')).body.items, (items) => items.length > 0, 5_000, 'the creator is told');
    expect(inbox[0]).to.include({ event: 'webhook_disabled' });
    expect(inbox[0].text).to.include(site.receiver.url);
    const before = site.receiver.received.length;
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'Also not sent' });
    await delay(800);
    expect(site.receiver.received.length, 'a disabled webhook sends nothing').to.equal(before);
    const enabled = await owner.client.patch(`/api/webhooks/${hook.id}`, { enabled: true });
    expect(enabled.body).to.include({ enabled: true, disabledReason: null, failingSince: null });
  });
});

describe('A manual retry of a webhook delivery', function () {
  this.timeout(60_000);
  // The sender's own retry waits ten minutes: only the manual retry can move things within the test.
  const site = useSite({ retry: { attempts: 5, backoff: { delayMs: 600_000, maxDelayMs: 600_000 } }, timeoutMs: 2_000 });

  it('that gets through wakes the deliveries queued behind it at once and clears the failing state', async () => {
    const owner = await registerUser(site.api, 'Olga');
    const projectId = (await owner.client.post('/api/projects', { name: 'Retry' })).body.id;
    const hook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: site.receiver.url, events: ['task.created'] })).body;
    site.receiver.failNext(1, 500);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'A' });
    const failed = await eventually(async () => (await owner.client.get(`/api/webhooks/${hook.id}/deliveries`)).body.items, (items) => items[0]?.attempts === 1, 5_000, 'A failed once');
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'B' });
    // The attempt is recorded before the webhook is marked failing (two writes): wait for the second.
    await eventually(async () => (await owner.client.get(`/api/projects/${projectId}/webhooks`)).body.items[0].failingSince, (since) => typeof since === 'string', 5_000, 'the webhook marked failing');
    expect((await owner.client.post(`/api/webhooks/${hook.id}/deliveries/${failed[0].id}/retry`)).status).to.equal(202);
    const accepted = await eventually(async () => site.receiver.accepted().map((d) => (JSON.parse(d.body) as { data: { data: { title: string } } }).data.data.title), (titles) => titles.length >= 2, 5_000, 'A, then B behind it');
    expect(accepted).to.deep.equal(['A', 'B']);
    expect((await owner.client.get(`/api/projects/${projectId}/webhooks`)).body.items[0].failingSince).to.equal(null);
  });
});

describe('A failing webhook between its retries', function () {
  this.timeout(60_000);
  // Retries an hour apart and a reconciler every 200 ms: within the test only a nudge could try again.
  const site = useSite({ retry: { attempts: 5, backoff: { delayMs: 3_600_000, maxDelayMs: 3_600_000 } }, timeoutMs: 2_000, reconcileEveryMs: 200 });

  it('is tried again neither by new changes nor by the reconciler until its own retry is overdue, then sends all in order', async () => {
    const owner = await registerUser(site.api, 'Olga');
    const projectId = (await owner.client.post('/api/projects', { name: 'Backoff' })).body.id;
    const hook = (await owner.client.post(`/api/projects/${projectId}/webhooks`, { url: site.receiver.url, events: ['task.created'] })).body;
    site.receiver.failNext(1, 503);
    await owner.client.post(`/api/projects/${projectId}/tasks`, { title: 'A' });
    await eventually(async () => (await site.api.server.store.linkCursors.get(hook.id))?.failedAt, (at) => typeof at === 'string', 5_000, 'the sender noted its failure');
    expect((await owner.client.get(`/api/projects/${projectId}/webhooks`)).body.items[0].failingSince).to.be.a('string');
    for (const title of ['B', 'C']) await owner.client.post(`/api/projects/${projectId}/tasks`, { title });
    await delay(1_500);
    expect(site.receiver.received.map((r) => r.status), 'one attempt in seven reconciler rounds and two changes').to.deep.equal([503]);
    // As if the hour had passed and the queue had lost the retry: the latest failure an hour and a minute ago.
    const cursor = (await site.api.server.store.linkCursors.get(hook.id))!;
    await site.api.server.store.write({ projectId: null }, (uow) => uow.replace('linkCursors', { ...cursor, failedAt: new Date(Date.now() - 3_660_000).toISOString() }));
    const titles = await eventually(
      async () => site.receiver.accepted().map((d) => (JSON.parse(d.body) as { data: { data: { title: string } } }).data.data.title),
      (list) => list.length >= 3,
      5_000,
      'the reconciler wakes the overdue sender',
    );
    expect(titles).to.deep.equal(['A', 'B', 'C']);
  });
});
