// Notifications in a real Chromium against a real server: the app page's bell
// and inbox fill live from the `notification` socket event (an assignment made
// by someone else over REST), "Mark read" sticks across a reload, #/settings
// saves `notify` and shows the server's 400 next to the field, the widget's
// launcher counts a signed-in user's unread notifications live and shows
// nothing for an embed token, and a task title full of markup stays text.
// Mail goes to a real SMTP server that refuses addresses starting with
// "bounce", so a failed email delivery and its reason show in the inbox.

import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerUser, startApi, TEST_TUNING, type ApiServer, type TestUser } from '../support/api.js';
import { collectErrors, screenshot, startHostSite, useBrowser, type HostSite } from '../support/browser.js';
import { startSmtp, type SmtpServer } from '../support/smtp.js';

const VIEWPORT = { width: 1280, height: 820 };

const inboxOf = async (user: TestUser): Promise<Unread> => (await user.client.get('/api/me/notifications')).body;

interface Unread {
  unread: number;
  items: { id: string; text: string; readAt: string | null; event: string }[];
}

describe('Notifications in Chromium [sqlite]', function () {
  this.timeout(60_000);
  let api: ApiServer;
  let browser: Browser;
  let host: HostSite;
  let smtp: SmtpServer;
  let ada: TestUser;
  let projectId: string;
  const contexts: BrowserContext[] = [];

  const newContext = async (options: { timezoneId?: string; viewport?: { width: number; height: number } } = {}) => {
    const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce', ...options });
    contexts.push(context);
    return context;
  };

  /** A project member with nothing in their inbox yet. */
  const teammate = async (name: string): Promise<TestUser> => {
    const user = await registerUser(api, name);
    const added = await ada.client.post(`/api/projects/${projectId}/members`, { email: user.email, role: 'member' });
    if (added.status !== 201 && added.status !== 200) throw new Error(`add member: ${added.status} ${JSON.stringify(added.body)}`);
    return user;
  };

  /** Ada assigns `who` a new task over REST (what makes an `assigned` notification). */
  const assign = async (who: TestUser, title: string): Promise<string> => {
    const reply = await ada.client.post(`/api/projects/${projectId}/tasks`, { title, assigneeId: who.id });
    if (reply.status !== 201) throw new Error(`create task: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.id;
  };


  /** The app page signed in as `user` (the session the sign-in form would store), at `hash`. */
  async function openApp(user: TestUser, hash = '', options: { timezoneId?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await newContext(options);
    await context.addInitScript((session) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('taskwire.session', session), user.token);
    const page = await context.newPage();
    await page.goto(`${api.url}/${hash}`);
    await page.locator('taskwire-app .topbar').waitFor({ timeout: 10_000 });
    return page;
  }

  /** A host page (another origin) with a closed <taskwire-widget> for `token`, and the WebSockets it opens. */
  async function openWidget(token: string): Promise<{ page: Page; sockets: string[]; requests: string[] }> {
    const page = await (await newContext()).newPage();
    const sockets: string[] = [];
    const requests: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(
      host.page(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><title>Acme intranet</title><link rel="icon" href="data:," />
<script type="module" src="${api.url}/widget.js"></script></head>
<body style="font-family: Georgia, serif; margin: 0; padding: 24px 32px; background: #fbfaf7">
  <h1>Acme intranet</h1>
  <taskwire-widget project="${projectId}" token="${token}"></taskwire-widget>
</body>
</html>`),
    );
    await page.locator('taskwire-widget [part~="launcher"]').waitFor();
    return { page, sockets, requests };
  }

  before(async function () {
    this.timeout(120_000);
    browser = await useBrowser(this);
    smtp = await startSmtp({ rejectRecipient: (address) => (address.startsWith('bounce') ? { code: 550, message: 'mailbox <b>unavailable</b>' } : undefined) });
    api = await startApi('sqlite', this, TEST_TUNING, { SMTP_URL: smtp.url });
    host = await startHostSite();
    ada = await registerUser(api, 'Ada Lovelace');
    projectId = (await ada.client.post('/api/projects', { name: 'Launch plan' })).body.id;
    await ada.client.post(`/api/projects/${projectId}/tasks`, { title: 'Pick the launch date' });
    const probe = await ada.client.get('/api/me/notifications');
    if (probe.status === 404) throw new Error('GET /api/me/notifications answers 404: the server side of notifications is not wired yet');
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  after(async () => {
    await host?.close();
    await api?.stop();
    await smtp?.stop();
  });

  it('shows an assignment made over REST in the open inbox without a reload, and "Mark read" sticks after one', async () => {
    const bo = await teammate('Bo Diddley');
    const page = await openApp(bo);
    const errors = collectErrors(page);
    const bell = page.locator('taskwire-inbox .bell');
    const count = page.locator('taskwire-inbox .badge');
    await bell.waitFor();
    await page.evaluate(() => ((globalThis as unknown as { twMarker: number }).twMarker = 42));
    expect(await count.count(), 'nothing unread yet').to.equal(0);
    await bell.click();
    await page.locator('taskwire-inbox .drop .empty', { hasText: 'Nothing yet' }).waitFor();

    const sent = Date.now();
    await assign(bo, 'Write the press release');
    await page.locator('taskwire-inbox .badge[data-count="1"]').waitFor({ timeout: 5000 });
    const took = Date.now() - sent;
    expect(took, 'the count follows the socket event').to.be.below(3000);
    expect(await count.textContent()).to.equal('1');
    const item = page.locator('taskwire-inbox li', { hasText: 'Write the press release' });
    await item.waitFor();
    expect(await item.getAttribute('data-unread')).to.equal('true');
    expect(await item.getAttribute('data-event')).to.equal('assigned');
    expect(await item.locator('.text').textContent()).to.include('Ada Lovelace assigned you');
    expect(Date.now() - Date.parse((await item.locator('time').getAttribute('datetime'))!)).to.be.below(10_000);
    expect(await item.locator('.delivery[data-channel="inapp"]').textContent()).to.equal('in-app: sent');
    // Email is queued when the event arrives; the open panel reads the outcome again.
    await item.locator('.delivery[data-channel="email"][data-status="sent"]').waitFor({ timeout: 8000 });
    expect(await page.evaluate(() => (globalThis as unknown as { twMarker: number }).twMarker), 'no reload').to.equal(42);

    await item.locator('button.mark').click();
    await count.waitFor({ state: 'detached' });
    expect(await item.getAttribute('data-unread')).to.equal('false');
    expect(await item.locator('button.mark').count()).to.equal(0);
    expect((await inboxOf(bo)).unread).to.equal(0);

    await page.reload();
    await bell.click();
    await page.locator('taskwire-inbox li[data-unread="false"]', { hasText: 'Write the press release' }).waitFor();
    expect(await count.count(), 'still read after a reload').to.equal(0);
    expect(await page.locator('taskwire-inbox .drop .hint').first().textContent()).to.equal('All read');
    expect(errors).to.deep.equal([]);
  });

  it('shows how each channel delivered it: a refused email reads "email: failed — <the mail server\'s answer>"', async () => {
    const hal = await teammate('Bounce Hal');
    const page = await openApp(hal);
    await page.locator('taskwire-inbox .bell').click();
    await page.locator('taskwire-inbox .drop .empty').waitFor();
    await assign(hal, 'Send the newsletter');
    const item = page.locator('taskwire-inbox li', { hasText: 'Send the newsletter' });
    const email = item.locator('.delivery[data-channel="email"][data-status="failed"]');
    await email.waitFor({ timeout: 8000 });
    const text = (await email.textContent())!;
    expect(text).to.match(/^email: failed — /);
    expect(text).to.include('550 mailbox <b>unavailable</b>');
    expect(await item.locator('.delivery b').count(), 'the reason is text').to.equal(0);
    expect(await item.locator('.delivery[data-channel="inapp"]').textContent()).to.equal('in-app: sent');
  });

  it('marks everything read at once, also what is not loaded yet, and loads older ones on demand', async () => {
    const cy = await teammate('Cy Twombly');
    for (let i = 1; i <= 33; i++) await assign(cy, `Chore ${String(i).padStart(2, '0')}`);
    for (let i = 0; i < 60 && (await inboxOf(cy)).unread < 33; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const page = await openApp(cy);
    await page.locator('taskwire-inbox .badge[data-count="33"]').waitFor({ timeout: 5000 });
    await page.locator('taskwire-inbox .bell').click();
    const texts = () => page.locator('taskwire-inbox li .text').allTextContents();
    await page.locator('taskwire-inbox li').first().waitFor();
    expect(await texts(), 'the newest page').to.have.length(30);
    const times = (await page.locator('taskwire-inbox li time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''))).map(Date.parse);
    expect(times, 'newest first').to.deep.equal([...times].sort((x, y) => y - x));
    const served = ((await cy.client.get('/api/me/notifications?limit=30')).body as Unread).items.map((n) => n.text);
    expect((await texts()).map((t) => t.replace(/^Unread: /, '')), 'in the server\'s order').to.deep.equal(served);
    await page.locator('taskwire-inbox button.mark-all').click();
    await page.locator('taskwire-inbox .badge').waitFor({ state: 'detached' });
    expect(await page.locator('taskwire-inbox li[data-unread="true"]').count()).to.equal(0);
    expect((await inboxOf(cy)).unread, 'the three not loaded too').to.equal(0);
    await page.locator('taskwire-inbox button', { hasText: 'Load older' }).click();
    await page.locator('taskwire-inbox li', { hasText: 'Chore 01' }).waitFor();
    expect(await texts()).to.have.length(33);
    expect(await page.locator('taskwire-inbox li', { hasText: 'Chore 01' }).getAttribute('data-unread')).to.equal('false');
    // Escape closes the panel and gives the focus back to the bell.
    await page.keyboard.press('Escape');
    await page.locator('taskwire-inbox .drop').waitFor({ state: 'detached' });
    const focused = 'let e = document.activeElement; while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement; e && e.className';
    expect(await page.evaluate(focused)).to.equal('bell');
  });

  it('saves the notification settings (they survive a reload), shows the server\'s 400 next to the field, and sends test notifications', async () => {
    const dee = await teammate('Dee Dee');
    // Tall enough for the whole settings page in the screenshot.
    const page = await openApp(dee, '#/settings', { timezoneId: 'America/Sao_Paulo', viewport: { width: 1280, height: 1080 } });
    const errors = collectErrors(page);
    const form = page.locator('taskwire-settings form');
    await form.waitFor();
    const remind = form.locator('#remindBefore');
    const zone = form.locator('#timezone');
    expect(await remind.inputValue()).to.equal('1440');
    // The server's default (UTC) gives way to this browser's zone, as a suggestion until saved.
    expect(await zone.inputValue()).to.equal('America/Sao_Paulo');
    expect(await form.locator('#timezone-hint').textContent()).to.include('Suggested by this browser');
    expect(await form.locator('input[name=assigned]').isChecked()).to.equal(true);
    expect(await form.locator('input[name=digest]').isChecked()).to.equal(false);
    expect(await page.locator('taskwire-app .settings-link').getAttribute('aria-current')).to.equal('page');

    await remind.fill('90');
    await zone.fill('Asia/Tokyo');
    await form.locator('input[name=digest]').check();
    await form.locator('input[name="channels.slack"]').uncheck();
    await form.locator('button.save').click();
    await form.locator('.ok', { hasText: 'Saved.' }).waitFor();
    expect(await form.locator('.error').count()).to.equal(0);
    const saved = (await dee.client.get('/api/me')).body.notify;
    expect(saved).to.deep.include({ remindBefore: 90, timezone: 'Asia/Tokyo', digest: true, assigned: true });
    expect(saved.channels).to.deep.equal({ email: true, slack: false, discord: true });

    await page.reload();
    await form.waitFor();
    await form.locator('#remindBefore').waitFor();
    expect(await remind.inputValue()).to.equal('90');
    expect(await zone.inputValue()).to.equal('Asia/Tokyo');
    expect(await form.locator('input[name=digest]').isChecked()).to.equal(true);
    expect(await form.locator('input[name="channels.slack"]').isChecked()).to.equal(false);
    // Saved and not this browser's: one click puts the browser's zone in.
    expect(await form.locator('button.use-browser').textContent()).to.include('America/Sao_Paulo');

    await remind.fill('20000');
    await zone.fill('Mars/Olympus_Mons');
    await form.locator('button.save').click();
    const remindError = form.locator('[data-field="remindBefore"]');
    await remindError.waitFor();
    expect(await remindError.textContent()).to.include('10080');
    expect(await remind.getAttribute('aria-invalid')).to.equal('true');
    expect(await form.locator('[data-field="timezone"]').textContent()).to.include('IANA time zone');
    expect(await form.locator('.ok').count()).to.equal(0);
    expect((await dee.client.get('/api/me')).body.notify).to.deep.include({ remindBefore: 90, timezone: 'Asia/Tokyo' });
    await screenshot(page, 'settings');

    await remind.fill('');
    await form.locator('button.save').click();
    expect(await remindError.textContent()).to.include('Enter a number of minutes');

    await remind.fill('45');
    await form.locator('button.use-browser').click();
    await form.locator('button.save').click();
    await form.locator('.ok', { hasText: 'Saved.' }).waitFor();
    expect(await form.locator('.error').count()).to.equal(0);
    expect((await dee.client.get('/api/me')).body.notify).to.deep.include({ remindBefore: 45, timezone: 'America/Sao_Paulo' });

    // Tests: the in-app one, an email (kept in the outbox without SMTP), and Slack, which this server has no adapter for.
    const tests = page.locator('taskwire-settings .tests');
    const tested = tests.locator('[role=status]');
    await tests.locator('button[data-channel="inapp"]').click();
    await tested.filter({ hasText: 'In-app: sent' }).waitFor({ timeout: 5000 });
    await tests.locator('button[data-channel="email"]').click();
    await tested.filter({ hasText: 'Email: sent' }).waitFor({ timeout: 5000 });
    await tests.locator('button[data-channel="slack"]').click();
    await tested.filter({ hasText: 'Slack: sent' }).waitFor({ timeout: 5000 });
    await page.locator('taskwire-inbox .badge[data-count="3"]').waitFor({ timeout: 5000 });
    // The browser logs each refused PATCH itself.
    expect(errors.filter((e) => !e.includes('status of 400'))).to.deep.equal([]);
    expect(errors).to.have.length(1);
  });

  it('counts a signed-in user\'s unread notifications on the widget\'s launcher, live, on the socket the board then uses', async () => {
    const eve = await teammate('Eve Arden');
    await assign(eve, 'Set up CI');
    const { page, sockets } = await openWidget(eve.token);
    const badge = page.locator('taskwire-widget [part~="unread"]');
    await page.locator('taskwire-widget [part~="unread"][data-count="1"]').waitFor({ timeout: 5000 });
    expect(await badge.textContent()).to.equal('1 unread');
    expect(await badge.locator('.sr-only').textContent()).to.equal(' unread');

    await assign(eve, 'Fix the login redirect');
    await page.locator('taskwire-widget [part~="unread"][data-count="2"]').waitFor({ timeout: 3000 });

    // Opening the panel connects the board on the socket the badge already has.
    await page.locator('taskwire-widget [part~="launcher"]').click();
    await page.locator('taskwire-widget taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await assign(eve, 'Design the landing page');
    await page.locator('taskwire-widget taskwire-board .card', { hasText: 'Design the landing page' }).waitFor({ timeout: 3000 });
    await page.locator('taskwire-widget [part~="unread"][data-count="3"]').waitFor({ timeout: 3000 });
    expect(sockets, 'one socket for the badge, the board and the chat').to.have.length(1);

    const read = await eve.client.get('/api/me/notifications?unread=true');
    await eve.client.post('/api/me/notifications/read', { ids: read.body.items.map((n: { id: string }) => n.id) });
    await page.reload();
    await page.locator('taskwire-widget [part~="launcher"]').waitFor();
    await assign(eve, 'Migrate the blog');
    await page.locator('taskwire-widget [part~="unread"][data-count="1"]').waitFor({ timeout: 5000 });
  });

  it('shows no badge, and asks for no notifications, with an embed token', async () => {
    const { token } = (await ada.client.post(`/api/projects/${projectId}/embed-tokens`, { name: 'Intranet', origins: [host.url], role: 'member', identity: 'anonymous' })).body;
    // Ada has unread notifications of her own: the embed's guest is not Ada.
    const fay = await teammate('Fay Wray');
    await fay.client.post(`/api/projects/${projectId}/tasks`, { title: 'Ada\'s task', assigneeId: ada.id });
    for (let i = 0; i < 60 && (await inboxOf(ada)).unread === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await inboxOf(ada)).unread).to.be.above(0);

    const { page, sockets, requests } = await openWidget(token);
    const errors = collectErrors(page);
    await page.waitForTimeout(1000);
    expect(await page.locator('taskwire-widget [part~="unread"]').count()).to.equal(0);
    expect(sockets, 'a closed widget with an embed token connects nothing').to.deep.equal([]);
    expect(requests.filter((u) => u.includes('/api/'))).to.deep.equal([]);

    await page.locator('taskwire-widget [part~="launcher"]').click();
    await page.locator('taskwire-widget taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await fay.client.post(`/api/projects/${projectId}/tasks`, { title: 'Another for Ada', assigneeId: ada.id });
    await page.locator('taskwire-widget taskwire-board .card', { hasText: 'Another for Ada' }).waitFor({ timeout: 3000 });
    expect(await page.locator('taskwire-widget [part~="unread"]').count()).to.equal(0);
    expect(requests.filter((u) => u.includes('/api/me/notifications'))).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('shows markup in a task title as text in the inbox, and runs none of it', async () => {
    const gus = await teammate('Gus Grissom');
    const page = await openApp(gus, `#/projects/${projectId}/board`);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const errors = collectErrors(page);
    await page.locator('taskwire-app taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator('taskwire-inbox .bell').click();
    const payload = '<img src=x onerror="window.pwned=\'inbox\'"><script>window.pwned="script"</script>';
    await assign(gus, 'Review the launch checklist');
    await assign(gus, payload);
    const xss = page.locator('taskwire-inbox li', { hasText: 'onerror' });
    await xss.waitFor({ timeout: 5000 });
    expect(await xss.locator('.text').textContent()).to.include(payload);
    expect(await page.locator('taskwire-inbox .drop img, taskwire-inbox .drop script').count()).to.equal(0);
    await page.locator('taskwire-inbox .badge[data-count="2"]').waitFor();

    await page.reload();
    await page.locator('taskwire-app taskwire-board [part~="status"][data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator('taskwire-inbox .bell').click();
    await xss.waitFor();
    expect(await xss.locator('.text').textContent()).to.include(payload);
    expect(await page.locator('taskwire-inbox .drop img, taskwire-inbox .drop script').count()).to.equal(0);
    await page.locator('taskwire-inbox li', { hasText: 'Review the launch checklist' }).locator('button.mark').click();
    await page.locator('taskwire-inbox .badge[data-count="1"]').waitFor();
    await page.locator('taskwire-inbox .delivery[data-channel="email"][data-status="sent"]').first().waitFor({ timeout: 8000 });
    await screenshot(page, 'inbox');
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).to.equal(undefined);
    expect(dialogs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });
});
