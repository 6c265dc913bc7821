// The Integrations tab and chat accounts in a real Chromium against a real
// server, with a real webhook receiver on loopback (WEBHOOK_ALLOW_PRIVATE) and
// the Slack double: an admin creates a webhook (its secret shown once), sends a
// test event, watches deliveries arrive, fail (receiver.failNext) and succeed on
// Retry, edits, disables and deletes it; an incoming hook posts into the room
// until it is deleted; a chat channel is linked and unlinked; `/task connect`'s
// link connects a Slack account (signed in, and signed out through the sign-in
// card), is listed and disconnected in Settings, and a used or foreign code is
// refused with the server's words; a member sees no tab and gets 403; markup in
// a description or a hook's name stays text.

import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { registerUser, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, useBrowser } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { startSlackDouble, type SlackDouble } from '../support/slack.js';
import { startReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const VIEWPORT = { width: 1280, height: 900 };
const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ANA = 'U0ANA0001';
const CHANNEL = 'C0LAUNCH1';
const XSS = '<img src=x onerror="window.pwned=1">';
const USED = 'This link is not valid any more: it was used, it expired, or a newer one replaced it.';

const tab = (p: Page): Locator => p.locator('taskwire-app taskwire-integrations');
/** The first webhook of the tab, and one of its deliveries by feed seq. */
const webhookRow = (p: Page): Locator => tab(p).locator('.webhooks .webhook').first();
const delivery = (p: Page, seq: number): Locator => webhookRow(p).locator('tr[data-status]', { hasText: new RegExp(`#${seq}\\b`) });

describe('Integrations and chat accounts in Chromium [sqlite]', function () {
  this.timeout(90_000);
  let api: ApiServer;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let slack: SlackDouble;
  let ada: TestUser;
  let mo: TestUser;
  let projectId: string;
  let roomId: string;
  /** Ada's page on the Integrations tab, kept from test to test. */
  let page: Page;
  let errors: string[];
  const contexts: BrowserContext[] = [];

  /** The app page at `hash`, signed in as `user` (or signed out). */
  async function openApp(user: TestUser | null, path = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
    contexts.push(context);
    if (user) await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), user.token);
    const opened = await context.newPage();
    // Deleting and unlinking ask first: yes.
    opened.on('dialog', (dialog) => void dialog.accept());
    await opened.goto(`${api.url}${path}`);
    return opened;
  }

  /** `/task connect` from Ana in Slack: the private link it answers with. */
  async function connectLink(): Promise<string> {
    const since = Date.now();
    const delivered = await slack.deliver(`${api.url}/slack/events`, SECRET, slack.slashCommand({ userId: ANA, channelId: CHANNEL, text: 'connect' }), { kind: 'command' });
    expect(delivered.status, delivered.body).to.equal(200);
    const reply = await slack.waitForResponse((r) => r.kind === 'command' && r.at >= since, 5_000);
    const url = /https?:\/\/\S+\/connect\?code=[\w-]+/.exec((reply.body as { text: string }).text)?.[0];
    expect(url, JSON.stringify(reply.body)).to.be.a('string');
    return url!;
  }

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    receiver = await startReceiver();
    slack = await startSlackDouble();
    // `/task connect` names the account by the command's user_name.
    slack.addUser({ id: ANA, name: 'ana', realName: 'Ana Lima' });
    slack.addChannel({ id: CHANNEL, name: 'launch' });
    // The webhook sender's own retries wait 10 minutes here, so what resends a failed delivery is the Retry button.
    // A chat link's sender retries every second or two, so it posts soon after Slack is back.
    const bridge = { retry: { attempts: 100, backoff: { delayMs: 500, maxDelayMs: 2_000 } } };
    const tuning = { ...TEST_TUNING, jobs: { ...TEST_TUNING.jobs, bridge, webhooks: { timeoutMs: 2_000, retry: { attempts: 50, backoff: { delayMs: 600_000, maxDelayMs: 600_000 } } } } };
    api = await startApi('sqlite', this, tuning, { WEBHOOK_ALLOW_PRIVATE: 'true', SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl });
    ada = await registerUser(api, 'Ada Admin');
    mo = await registerUser(api, 'Mo Member');
    projectId = (await ada.client.post('/api/projects', { name: 'Launch' })).body.id;
    roomId = (await ada.client.get(`/api/projects/${projectId}/rooms`)).body.items[0].id;
    expect((await ada.client.post(`/api/projects/${projectId}/members`, { email: mo.email, role: 'member' })).status).to.equal(201);
  });

  after(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await api?.stop();
    await receiver?.stop();
    await slack?.stop();
  });

  it('creates a webhook with its secret shown once, sends a test event, and follows deliveries: delivered, failing with attempts and the error, then Retry', async () => {
    page = await openApp(ada, `/#/projects/${projectId}/board`);
    errors = collectErrors(page);
    await page.locator('taskwire-app .tab', { hasText: 'Integrations' }).click();
    const form = tab(page).locator('.webhooks form.webhook-form');
    await form.locator('input[name=url]').fill(receiver.url);
    await form.locator('input[name=description]').fill('Build dashboard');
    // Grouped by entity, with the patterns.
    expect(await form.locator('fieldset > div').count()).to.equal(5);
    expect(await form.locator('fieldset > div', { hasText: 'task.*' }).locator('input').evaluateAll((boxes) => boxes.map((b) => (b as unknown as { value: string }).value))).to.deep.equal([
      'task.*',
      'task.created',
      'task.updated',
      'task.moved',
      'task.deleted',
    ]);
    await form.locator('input[value="task.*"]').check();
    await form.locator('input[value="room.created"]').check();
    await form.locator('button.primary').click();

    const once = tab(page).locator('.webhooks .once');
    await once.waitFor();
    const secret = (await once.locator('code.value').textContent())!;
    expect(secret).to.match(/^whsec_/);
    expect(await once.textContent()).to.include('shown only this once');
    const row = webhookRow(page);
    await row.locator('.state', { hasText: 'enabled' }).waitFor();
    expect(await row.locator('code.url').textContent()).to.equal(receiver.url);
    expect(await row.locator('.description').textContent()).to.equal('Build dashboard');
    expect(await row.locator('p > .pill:not(.state)').allTextContents()).to.deep.equal(['task.*', 'room.created']);
    const [stored] = (await ada.client.get(`/api/projects/${projectId}/webhooks`)).body.items;
    expect(stored).to.not.have.property('secret');
    await once.locator('button', { hasText: 'I copied it' }).click();
    await once.waitFor({ state: 'detached' });

    // Not after a reload either.
    await page.reload();
    await webhookRow(page).locator('.state', { hasText: 'enabled' }).waitFor();
    expect(await tab(page).locator('.once').count()).to.equal(0);
    expect(await tab(page).locator('code', { hasText: 'whsec_' }).count()).to.equal(0);

    await webhookRow(page).locator('button.test').click();
    await webhookRow(page).locator('.outcome', { hasText: 'Test event delivered (204).' }).waitFor();
    expect(receiver.accepted().map((r) => r.type)).to.deep.equal(['webhook.test']);

    const first = (await ada.client.post(`/api/projects/${projectId}/tasks`, { title: 'Ship the beta' })).body;
    await eventually(async () => receiver.accepted().map((r) => r.type), (types) => types.includes('task.created'), 10_000, 'the receiver gets task.created');
    const seq = receiver.accepted().find((r) => r.type === 'task.created')!.seq;
    await webhookRow(page).locator('button.log').click();
    const ok = delivery(page, seq);
    await ok.waitFor();
    expect(await ok.getAttribute('data-status')).to.equal('delivered');
    expect(await ok.locator('.attempts').textContent()).to.equal('1');
    expect(await ok.locator('.response').textContent()).to.equal('204');
    expect(await ok.locator('button.retry').count(), 'no Retry on a delivered one').to.equal(0);

    // The receiver fails the next three requests: the open log shows the failure as it happens.
    receiver.failNext(3);
    await ada.client.patch(`/api/tasks/${first.id}`, { title: 'Ship the beta, now', version: first.version });
    await eventually(async () => receiver.received.filter((r) => r.status === 500).length, (n) => n >= 1, 10_000, 'a failed delivery');
    const failedSeq = (JSON.parse(receiver.received.find((r) => r.status === 500)!.body) as { data: { seq: number } }).data.seq;
    const failing = delivery(page, failedSeq);
    await failing.locator('.last-error', { hasText: 'answered 500' }).waitFor({ timeout: 10_000 });
    expect(await failing.getAttribute('data-status')).to.equal('pending');
    expect(await failing.locator('.response').textContent()).to.equal('500');
    expect(Number(await failing.locator('.attempts').textContent())).to.be.at.least(1);
    await webhookRow(page).locator('.state', { hasText: 'failing since' }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'webhooks');

    // Retry until the receiver accepts it: three failures, then the fourth attempt goes through.
    for (let i = 0; i < 6 && (await failing.getAttribute('data-status')) !== 'delivered'; i++) {
      const attempts = Number(await failing.locator('.attempts').textContent());
      await failing.locator('button.retry').click();
      await eventually(async () => [await failing.getAttribute('data-status'), Number(await failing.locator('.attempts').textContent())], ([status, n]) => status === 'delivered' || (n as number) > attempts, 10_000, 'the retry shows');
    }
    await failing.locator('.status', { hasText: 'delivered' }).waitFor();
    expect(await failing.locator('.attempts').textContent()).to.equal('4');
    expect(await failing.locator('.response').textContent()).to.equal('204');
    expect(await failing.locator('.last-error').textContent()).to.equal('');
    expect(receiver.accepted().filter((r) => r.seq === failedSeq).map((r) => r.type)).to.deep.equal(['task.updated']);

    // The next change goes through on its own, and the webhook is healthy again.
    await ada.client.post(`/api/projects/${projectId}/tasks`, { title: 'Write the notes' });
    await webhookRow(page).locator('tr[data-status="delivered"]', { hasText: 'task.created' }).nth(1).waitFor({ timeout: 10_000 });
    await webhookRow(page).locator('.state', { hasText: 'enabled' }).waitFor({ timeout: 10_000 });
    expect(errors).to.deep.equal([]);
  });

  it('edits, disables, enables and deletes a webhook, with the server\'s 400 shown for a bad URL', async () => {
    const row = webhookRow(page);
    await row.locator('button.edit').click();
    const form = row.locator('form.webhook-form');
    await form.locator('input[name=description]').fill('Dashboard and chat log');
    await form.locator('input[value="room.created"]').uncheck();
    await form.locator('input[value="message.created"]').check();
    await form.locator('button.primary').click();
    await row.locator('.description', { hasText: 'Dashboard and chat log' }).waitFor();
    expect(await row.locator('p > .pill:not(.state)').allTextContents()).to.deep.equal(['task.*', 'message.created']);

    await row.locator('button.toggle', { hasText: 'Disable' }).click();
    await row.locator('.state', { hasText: 'disabled: disabled by an admin' }).waitFor();
    expect((await ada.client.get(`/api/projects/${projectId}/webhooks`)).body.items[0].enabled).to.equal(false);
    await row.locator('button.toggle', { hasText: 'Enable' }).click();
    await row.locator('.state', { hasText: 'enabled' }).waitFor();

    // A URL the server refuses: its message by the form.
    const create = tab(page).locator('.webhooks > form.webhook-form');
    await create.locator('input[name=url]').fill('ftp://example.com/hook');
    await create.locator('input[value="task.created"]').check();
    await create.locator('button.primary').click();
    expect(await create.locator('input[name=url]').evaluate((input) => (input as unknown as { validity: { valid: boolean } }).validity.valid), 'the browser refuses a non-URL first').to.equal(true);
    await tab(page).locator('.webhooks .error', { hasText: 'url:' }).waitFor();

    await row.locator('button.drop').click();
    await tab(page).locator('.webhooks .webhook').waitFor({ state: 'detached' });
    expect((await ada.client.get(`/api/projects/${projectId}/webhooks`)).body.items).to.deep.equal([]);
  });

  it('creates an incoming hook whose URL (shown once, with curl) posts into the room until it is deleted', async () => {
    const hooks = tab(page).locator('.hooks');
    await hooks.locator('input[name=name]').fill('CI');
    await hooks.locator('select[name=roomId]').selectOption({ label: '#general' });
    await hooks.locator('button.primary').click();
    const url = (await hooks.locator('.once code.value').textContent())!;
    expect(url.startsWith(`${api.url}/api/hooks/incoming/`)).to.equal(true);
    expect(await hooks.locator('.once code.curl').textContent()).to.equal(`curl -X POST -H 'Content-Type: application/json' -d '{"text":"hello"}' ${url}`);
    const listed = hooks.locator('p[data-id]', { hasText: 'CI' });
    await listed.waitFor();
    expect(await listed.textContent()).to.include('#general');

    const posted = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Build #42 passed' }) });
    expect(posted.status).to.equal(201);
    await page.locator('taskwire-app .tab', { hasText: 'Chat' }).click();
    const message = page.locator('taskwire-chat .message', { hasText: 'Build #42 passed' });
    await message.waitFor({ timeout: 10_000 });
    expect(await message.locator('[part~="author"]').textContent()).to.include('CI');

    await page.locator('taskwire-app .tab', { hasText: 'Integrations' }).click();
    expect(await tab(page).locator('.hooks .once').count(), 'the URL is not shown again').to.equal(0);
    await tab(page).locator('.hooks p[data-id]', { hasText: 'CI' }).locator('button.drop').click();
    await tab(page).locator('.hooks p[data-id]').waitFor({ state: 'detached' });
    const gone = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Too late' }) });
    expect(gone.status).to.equal(404);
    expect((await ada.client.get(`/api/rooms/${roomId}/hooks`)).body.items).to.deep.equal([]);
  });

  it('links a channel to a room from the form (a channel linked twice gets the server\'s 409) and unlinks it', async () => {
    const links = tab(page).locator('.links');
    expect(await links.textContent()).to.include('/task link <project> [room]');
    const link = async () => {
      await links.locator('select[name=platform]').selectOption('discord');
      await links.locator('input[name=teamId]').fill('G0GUILD1');
      await links.locator('input[name=channelId]').fill('C0DISCORD1');
      await links.locator('button.primary').click();
    };
    await link();
    const row = links.locator('p[data-id]');
    await row.waitFor();
    expect(await row.textContent()).to.include('discord').and.include('G0GUILD1').and.include('C0DISCORD1').and.include('#general');
    await link();
    await links.locator('.error', { hasText: 'already linked' }).waitFor();
    expect(await row.count()).to.equal(1);
    await row.locator('button.drop', { hasText: 'Unlink' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await ada.client.get(`/api/projects/${projectId}/links`)).body.items).to.deep.equal([]);
  });

  it('shows a chat link whose posts are failing, with the time, until its retry gets through', async () => {
    const linked = await ada.client.post(`/api/projects/${projectId}/links`, { platform: 'slack', teamId: slack.teamId, channelId: CHANNEL, roomId });
    expect(linked.status, JSON.stringify(linked.body)).to.equal(201);
    expect(linked.body.lastFailureAt).to.equal(null);
    // Slack keeps failing (on its own port: a port freed by down() could be taken by another suite's server meanwhile).
    slack.failWith('chat.postMessage', { status: 503, times: 1_000 });
    try {
      await ada.client.post(`/api/rooms/${roomId}/messages`, { text: 'Held back by Slack' });
      const lastFailure = async () => (await ada.client.get(`/api/projects/${projectId}/links`)).body.items[0].lastFailureAt as string | null;
      await eventually(lastFailure, (at) => typeof at === 'string', 10_000, 'the link shows its failure');
      const admin = await openApp(ada, `/#/projects/${projectId}/board`);
      await admin.locator('taskwire-app .tab', { hasText: 'Integrations' }).click();
      await tab(admin).locator('.links p[data-id] .state', { hasText: /^posting failed at .+; retrying$/ }).waitFor({ timeout: 10_000 });
    } finally {
      slack.recover('chat.postMessage');
    }
    // Slack is back: the sender's own retry gets through, and the link is fine again.
    await eventually(async () => slack.history(CHANNEL).map((m) => m.text), (texts) => texts.includes('Held back by Slack'), 15_000, 'the retry posts it');
    await eventually(async () => (await ada.client.get(`/api/projects/${projectId}/links`)).body.items[0].lastFailureAt, (at) => at === null, 5_000, 'the failure cleared');
    expect((await ada.client.delete(`/api/links/${linked.body.id}`)).status).to.equal(204);
  });

  it('connects a Slack account from /task connect\'s link, lists and disconnects it in Settings; the used link shows the server\'s message', async () => {
    const url = await connectLink();
    expect(url.startsWith(`${api.url}/connect?code=`)).to.equal(true);
    const p = await openApp(ada, new URL(url).pathname + new URL(url).search);
    const pageErrors = collectErrors(p);
    const card = p.locator('taskwire-app .link-page[data-kind="connect"]');
    await card.locator('p', { hasText: 'Connect this Slack/Discord account to Ada Admin?' }).waitFor();
    await screenshot(p, 'connect');
    await card.locator('button.accept').click();
    await p.locator('taskwire-app .flash', { hasText: 'Your Slack account ana is connected.' }).waitFor();
    const landed = new URL(p.url());
    expect([landed.pathname, landed.search, landed.hash], 'the code left the address bar').to.deep.equal(['/', '', '#/settings']);
    const account = p.locator('taskwire-settings .identities p[data-id]');
    await account.waitFor();
    expect(await account.textContent()).to.include('slack').and.include('ana');
    expect((await ada.client.get('/api/me/identities')).body.items).to.have.length(1);

    // The same link again: the server's words.
    await p.goto(url);
    await card.locator('button.accept').click();
    await card.locator('.error', { hasText: USED }).waitFor();
    expect(new URL(p.url()).search, 'a refused link stays for reading').to.include('code=');

    await p.goto(`${api.url}/#/settings`);
    await account.locator('button.disconnect').click();
    await account.waitFor({ state: 'detached' });
    await p.locator('taskwire-settings .identities .empty', { hasText: 'None yet.' }).waitFor();
    expect((await ada.client.get('/api/me/identities')).body.items).to.deep.equal([]);
    expect(pageErrors.filter((e) => !/status of (400|404)/.test(e))).to.deep.equal([]);
  });

  it('signed out, the link asks to sign in first, then connects; the account is then refused to anyone else with a 409', async () => {
    const url = await connectLink();
    const p = await openApp(null, new URL(url).pathname + new URL(url).search);
    const signIn = p.locator('taskwire-app .auth-card');
    await signIn.locator('.notice', { hasText: 'Sign in to connect your Slack or Discord account.' }).waitFor();
    await signIn.locator('input[name=email]').fill(mo.email);
    await signIn.locator('input[name=password]').fill('correct horse battery');
    await signIn.locator('button.primary').click();
    const card = p.locator('taskwire-app .link-page[data-kind="connect"]');
    await card.locator('p', { hasText: 'Connect this Slack/Discord account to Mo Member?' }).waitFor();
    await card.locator('button.accept').click();
    await p.locator('taskwire-settings .identities p[data-id]', { hasText: 'ana' }).waitFor();
    expect((await mo.client.get('/api/me/identities')).body.items.map((i: { externalUserId: string }) => i.externalUserId)).to.deep.equal([ANA]);

    const again = new URL(await connectLink());
    const other = await openApp(ada, again.pathname + again.search);
    const refused = other.locator('taskwire-app .link-page[data-kind="connect"]');
    await refused.locator('button.accept').click();
    await refused.locator('.error', { hasText: 'connected to another Taskwire account' }).waitFor();
  });

  it('shows no Integrations tab to a member, and the API answers them 403', async () => {
    const p = await openApp(mo, `/#/projects/${projectId}/board`);
    await p.locator('taskwire-app .tab', { hasText: 'Members' }).waitFor();
    expect(await p.locator('taskwire-app .tab').allTextContents()).to.deep.equal(['Board', 'Chat', 'Insights', 'Members', 'Embed']);
    await p.goto(`${api.url}/#/projects/${projectId}/integrations`);
    await p.locator('taskwire-app .view', { hasText: 'Only project admins and owners manage integrations.' }).waitFor();
    expect(await p.locator('taskwire-app taskwire-integrations').count()).to.equal(0);
    for (const path of [`/api/projects/${projectId}/webhooks`, `/api/projects/${projectId}/links`, `/api/rooms/${roomId}/hooks`]) {
      expect((await mo.client.get(path)).status, path).to.equal(403);
    }
    expect((await mo.client.post(`/api/projects/${projectId}/webhooks`, { url: receiver.url, events: ['task.*'] })).status).to.equal(403);
  });

  it('shows markup in a webhook description and a hook name as text', async () => {
    const form = tab(page).locator('.webhooks > form.webhook-form');
    await form.locator('input[name=url]').fill(receiver.url);
    await form.locator('input[name=description]').fill(XSS);
    await form.locator('input[value="task.created"]').check();
    await form.locator('button.primary').click();
    await webhookRow(page).locator('.description').waitFor();
    expect(await webhookRow(page).locator('.description').textContent()).to.equal(XSS);
    const hooks = tab(page).locator('.hooks');
    await hooks.locator('input[name=name]').fill(`${XSS} bot`);
    await hooks.locator('button.primary').click();
    const named = hooks.locator('p[data-id] .name');
    await named.waitFor();
    expect(await named.textContent()).to.equal(`${XSS} bot`);
    expect(await tab(page).locator('img').count()).to.equal(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).to.equal(undefined);
  });

  it('pages the delivery log with "Load older"', async () => {
    // The webhook of the test before listens to task.created.
    for (let i = 1; i <= 22; i++) expect((await ada.client.post(`/api/projects/${projectId}/tasks`, { title: `Chore ${i}` })).status).to.equal(201);
    await eventually(async () => receiver.accepted().filter((r) => r.body.includes('Chore ')).length, (n) => n >= 22, 20_000, 'the receiver gets every task');
    const row = webhookRow(page);
    await row.locator('button.log').click();
    const rows = row.locator('tr[data-status]');
    await row.locator('button.older').waitFor();
    expect(await rows.count()).to.equal(20);
    await row.locator('button.older').click();
    await eventually(() => rows.count(), (n) => n === 22, 5_000, 'the older page is added');
    await row.locator('button.older').waitFor({ state: 'detached' });
    expect((await rows.allTextContents()).every((text) => text.includes('delivered'))).to.equal(true);
  });
});
